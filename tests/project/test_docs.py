"""The generated pages in docs/ are current, and the engine's page says what is the document's and what
is the product's own."""

from __future__ import annotations

from io import StringIO

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
