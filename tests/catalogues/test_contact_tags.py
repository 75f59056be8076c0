"""catalogue_tags' contact tags: a dialable link per number, and the open-now tag only when the hours say."""

from __future__ import annotations

from types import SimpleNamespace

from catalogues.templatetags.catalogue_tags import open_now, phone


def test_open_now_says_open_closed_or_nothing():
    assert "Open now" in open_now(SimpleNamespace(open_now=True))
    assert "Closed now" in open_now(SimpleNamespace(open_now=False))
    assert open_now(SimpleNamespace(open_now=None)) == ""


def test_each_number_of_a_contact_is_dialable():
    html = phone(SimpleNamespace(phone="0151 934 4013/ 4481"))
    assert html.count('href="tel:') == 2 and " or " in html
