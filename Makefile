# Two commands for a new user: `make run` and `make test`. Nothing to install by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed-$(shell cat package.json | cksum | cut -d' ' -f1)
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
DEMO_ENV := DJANGO_DEMO=1 DJANGO_2FA_ROLES=none

.PHONY: run test install lint bench bench-scale bench-explain audit screenshots clean manage

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --loglevel=error
	rm -f node_modules/.installed-*
	touch $@

install: $(STAMP) $(NODE_STAMP)

run: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_catalogues
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py seed_demo_cases
	$(DEMO_ENV) $(PY) manage.py seed_demo_history
	$(DEMO_ENV) $(PY) manage.py refresh_insight --all
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Any management command against the demo database, e.g. make manage ARGS="suggest_level halton --ticks ID --json".
# It migrates and loads the catalogues first (both do nothing when already done), so it works on a fresh clone.
# Set-up output goes to stderr, so `make -s manage ARGS=catalogue_report > docs/catalogues.md` writes only the page.
manage:
	@$(MAKE) -s install >&2
	@$(DEMO_ENV) $(PY) manage.py migrate --noinput -v 0 >&2
	@$(DEMO_ENV) $(PY) manage.py load_catalogues -v 0 >&2
	@$(DEMO_ENV) $(PY) manage.py $(ARGS)

# Style, security, types (mypy reads [tool.mypy] in pyproject.toml), and no model change without its migration.
lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r core config authorities catalogues assessments referrals escalation insight api -lll -x '*/migrations/*'
	DJANGO_TESTING=1 $(BIN)/mypy
	DJANGO_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

# The suite on SQLite, then on PostgreSQL when one answers (DATABASE_URL, else the local one).
test: install lint
	DJANGO_TESTING=1 $(PY) manage.py load_catalogues --check
	DJANGO_TESTING=1 $(PY) manage.py check_catalogue --all
	DJANGO_TESTING=1 $(BIN)/pytest -q
	@url="$${DATABASE_URL:-$(PG_URL)}"; \
	if $(PY) -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$$url" 2>/dev/null; then \
		echo "== Running the suite again on PostgreSQL ($$url)"; \
		DATABASE_URL="$$url" DJANGO_TESTING=1 $(BIN)/pytest -q; \
	else \
		echo "PostgreSQL did not answer at $$url: skipping the PostgreSQL run."; \
	fi

bench: install
	$(PY) bench/run.py

# Scale mode: the main pages and the scheduled jobs empty and at years of data (bench/scale.py; SCALE_* set the
# volumes; with DATABASE_URL, a scratch PostgreSQL database that it empties first).
bench-scale: install
	$(PY) bench/scale.py

# The plan of each query an index was added for, on the database bench-scale left (docs/performance.md).
bench-explain: install
	$(PY) bench/explain.py

# A report of known vulnerabilities in the installed packages; it does not fail the build.
audit: install
	-$(PY) -m pip install --quiet --disable-pip-version-check pip-audit && $(BIN)/pip-audit

clean:
	rm -rf $(VENV) node_modules staticfiles

screenshots: install
	DJANGO_TESTING=1 $(BIN)/pytest -q tests/browser/screenshots.py
