"""Fidelity of the catalogues to the seed documents (tests/fidelity.py): every quoted text, number,
address and time is the document's, and every deliberate repair is listed with its reason."""

from __future__ import annotations

import json

import pytest

from tests import fidelity
from tests.factories import CATALOGUE_DIR, CATALOGUE_FILES, SLUGS
from tests.factories import catalogue as cat


@pytest.mark.skipif(not fidelity.SEEDS.exists(), reason="the seed documents (../shared/seeds) are not beside this checkout")
@pytest.mark.parametrize("path", CATALOGUE_FILES, ids=SLUGS)
def test_every_quoted_text_occurs_in_the_seed_document(path):
    assert fidelity.unfaithful(path) == []


@pytest.mark.parametrize("path", CATALOGUE_FILES, ids=SLUGS)
def test_deliberate_repairs_are_listed_with_a_reason(path):
    # Every repair names the seed's own text and why it was changed; catalogue notes record it too.
    for text, repair in fidelity.load_repairs(path.stem).items():
        assert repair["reason"].strip() and repair["seed"].strip() and repair["seed"] != text


@pytest.mark.parametrize("slug", SLUGS)
def test_consent_sentences_are_the_documents(slug):
    c = cat(slug)
    assert not fidelity.unfaithful(CATALOGUE_DIR / f"{slug}.json")
    for lv in c.levels:
        for part in (lv.consent.explicit, lv.consent.refused_without_consent, lv.consent.inform_parents):
            if part is not None:
                assert part.sentence.strip()


@pytest.mark.parametrize("slug", SLUGS)
def test_every_number_address_and_time_is_in_the_document(slug):
    assert fidelity.unfounded(CATALOGUE_DIR / f"{slug}.json") == []


def _raw(slug):
    return json.loads((CATALOGUE_DIR / f"{slug}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("change", [
    lambda d: d["contacts"].__getitem__(0).__setitem__("phone", "0151 000 0000"),
    lambda d: d["contacts"].__getitem__(0).__setitem__("email", "invented@example.org"),
    lambda d: d["contacts"].__getitem__(0).__setitem__("windows", [{"days": [0], "start": "07:15", "end": "19:45"}]),
    lambda d: d["levels"][-1]["response"].setdefault("timescales", []).append(
        {"label": "x", "text": d["levels"][-1]["response"]["text"], "hours": 987}),
    lambda d: d["document"].__setitem__("url", "https://invented.example.org/guidance"),
])
def test_the_fidelity_check_catches_an_invented_number_address_or_time(tmp_path, change):
    data = _raw("halton")
    change(data)
    path = tmp_path / "halton.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert fidelity.unfounded(path)


def test_the_fidelity_check_catches_an_invented_hours_sentence(tmp_path):
    data = _raw("halton")
    data["contacts"][2]["hours"] = "Monday to Sunday, 7am to 11pm"
    path = tmp_path / "halton.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert [p for p in fidelity.unfaithful(path) if ".hours" in p]
