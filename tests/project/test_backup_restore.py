"""A backup restores: the database is dumped as docs/deployment.md says (pg_dump's custom format), restored
into an empty database with pg_restore, and the copy holds the same records and the whole schema (Django
finds no migration to apply). PostgreSQL only: it runs in `make test`'s PostgreSQL pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from authorities import audit
from referrals.models import Draft
from tests.factories import actor, ready_draft

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="a PostgreSQL backup: runs in make test's PostgreSQL pass"),
    pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"),
                       reason="PostgreSQL's client tools (pg_dump, pg_restore) are not installed"),
    pytest.mark.django_db(transaction=True),  # committed rows: pg_dump reads from its own connection
]

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("assessments_assessment", "referrals_draft", "referrals_submission", "authorities_auditevent",
          "catalogues_catalogueversion", "authorities_membership", "auth_user", "django_migrations")


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}  # noqa: S608 - fixed names


def test_a_dump_restores_into_an_empty_database_whole(people, tmp_path):
    draft = ready_draft(people.alice, people.sefton)
    audit.record(actor(people.alice), "draft.view", draft, organisation=draft.organisation)
    source = connection.settings_dict["NAME"]
    copy = f"{source}_restored"
    dump = tmp_path / "backup.dump"
    subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), _url(source)],  # noqa: S603, S607
                   check=True, capture_output=True)
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        admin.execute(f'CREATE DATABASE "{copy}"')
    try:
        restored = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", _url(copy),  # noqa: S603, S607
                                   str(dump)], capture_output=True, text=True)
        assert restored.returncode == 0, restored.stderr
        assert _counts(_url(copy)) == _counts(_url(source))
        with psycopg.connect(_url(copy)) as conn:
            row = conn.execute("SELECT child_name, status, revision FROM referrals_draft WHERE id = %s",
                               [draft.pk]).fetchone()
        saved = Draft.objects.get(pk=draft.pk)
        assert row == (saved.child_name, saved.status, saved.revision)
        # The schema is whole: the application, pointed at the copy, has no migration left to apply.
        env = {**os.environ, "DATABASE_URL": _url(copy), "DJANGO_TESTING": "1"}
        check = subprocess.run([sys.executable, "manage.py", "migrate", "--check"], cwd=ROOT, env=env,  # noqa: S603
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
