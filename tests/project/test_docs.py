"""The generated pages in docs/ are current, and the engine's page says what is the document's and what
is the product's own."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import ROOT


def test_catalogue_counts_page_is_current():
    out = StringIO()
    call_command("catalogue_report", stdout=out)
    page = ROOT / "docs" / "catalogues.md"
    assert page.read_text(encoding="utf-8") == out.getvalue(), "run: python manage.py catalogue_report > docs/catalogues.md"


def test_the_child_protection_review_page_is_current():
    out = StringIO()
    call_command("protection_report", stdout=out)
    page = ROOT / "docs" / "child-protection-review.md"
    assert page.read_text(encoding="utf-8") == out.getvalue(), \
        "run: python manage.py protection_report > docs/child-protection-review.md"


def test_the_documents_caution_is_quoted_and_the_products_own_numbers_are_labelled():
    page = " ".join((ROOT / "docs" / "level-engine.md").read_text(encoding="utf-8").split())
    assert "may not automatically require a referral" in page
    assert "product's own" in page
    assert "multiple factors are likely to be present" in page


def _readme_commands() -> list[str]:
    """Every `make manage ARGS="…"` the README shows, placeholders filled with a real partnership."""
    import re

    text = (ROOT / "README.md").read_text()
    found = re.findall(r'make (?:-s )?manage ARGS="([^"]+)"', text)
    filled = []
    for args in dict.fromkeys(found):
        if args in ("…", "..."):
            continue
        args = args.replace("<slug>", "sefton").replace("SLUG", "sefton").replace(" [--flat]", "")
        filled.append(args)
    return filled


@pytest.mark.django_db
@pytest.mark.parametrize("args", _readme_commands())
def test_every_management_command_the_readme_shows_runs_as_written(args, tmp_path, monkeypatch, settings):
    """The README's commands, run as written (on the test database, loaded as `make manage` loads it): no
    traceback, no "unknown command"."""
    import shlex

    monkeypatch.chdir(tmp_path)  # an output file the command writes (F.pdf) lands here
    call_command("load_catalogues", stdout=StringIO())
    name, *rest = shlex.split(args)
    if name == "issue_api_token":  # it issues for the demo's lead, whom `make run` creates
        settings.DEMO = True
        call_command("seed_demo", stdout=StringIO())
    call_command(name, *rest, stdout=StringIO(), stderr=StringIO())


def test_the_readme_shows_the_management_commands():
    assert len(_readme_commands()) >= 8
