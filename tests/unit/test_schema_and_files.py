"""catalogues/schema.py and catalogues/files.py: a catalogue file is read whole and valid, or refused
with every problem named by its place. Pure: no database."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from catalogues.files import CatalogueFileError, parse_catalogue
from catalogues.schema import Catalogue
from tests.factories import CATALOGUE_DIR, CATALOGUE_FILES
from tests.factories import catalogue as cat


def _good() -> dict:
    return json.loads(CATALOGUE_FILES[0].read_text(encoding="utf-8"))


def _raw(slug: str) -> dict:
    return json.loads((CATALOGUE_DIR / f"{slug}.json").read_text(encoding="utf-8"))


def _refusal(data: bytes) -> list[str]:
    with pytest.raises(CatalogueFileError) as exc:
        parse_catalogue(data, "bad.json")
    return [str(p) for p in exc.value.problems]


def _bytes(d: dict) -> bytes:
    return json.dumps(d, indent=2).encode()


# --- one problem at a time, with its place ------------------------------------------------------

def test_missing_field_is_refused_with_its_place():
    d = _good()
    del d["indicators"][3]["text"]
    [problem] = _refusal(_bytes(d))
    assert problem.startswith(f"indicators[3](id={d['indicators'][3]['id']}).text (line ")
    assert "Field required" in problem


def test_duplicate_id_is_refused():
    d = _good()
    d["indicators"][5]["id"] = d["indicators"][4]["id"]
    problems = _refusal(_bytes(d))
    assert any("indicators[5].id" in p and "duplicate indicator id" in p for p in problems)


def test_unknown_level_is_refused():
    d = _good()
    d["indicators"][0]["level"] = 7
    problems = _refusal(_bytes(d))
    assert any("indicators[0]" in p and "names level 7, which does not exist" in p for p in problems)


def test_wrong_type_is_refused():
    d = _good()
    d["indicators"][0]["level"] = "two"
    problems = _refusal(_bytes(d))
    assert any(p.startswith("indicators[0]") and "level" in p and "integer" in p for p in problems)


def test_dangling_reference_is_refused():
    d = _good()
    d["emergency"]["contact_ids"] = ["no-such-contact"]
    assert _refusal(_bytes(d)) == ["emergency.contact_ids: names unknown contact 'no-such-contact'"]


def test_extra_field_is_refused():
    d = _good()
    d["indicators"][0]["colour"] = "red"
    problems = _refusal(_bytes(d))
    assert any("colour" in p and "Extra inputs are not permitted" in p for p in problems)


def test_invalid_utf8_is_refused_with_its_line():
    data = b'{\n  "schema_version": 1,\n  "x": "\xff"\n}'
    assert _refusal(data) == ["line 3, byte 33: not valid UTF-8; save the file as UTF-8"]


def test_broken_json_is_refused_with_line_and_column():
    [problem] = _refusal(b'{\n  "schema_version": 1,\n  oops\n}')
    assert problem.startswith("line 3, column 3: not valid JSON")


# --- the schema refuses unreviewed or unsafe rules ----------------------------------------------

def test_a_top_level_indicator_without_its_review_is_refused_with_the_place():
    data = _raw("halton")
    n, ind = next((n, i) for n, i in enumerate(data["indicators"]) if i["level"] == 4)
    del ind["child_protection"]
    with pytest.raises(ValidationError) as err:
        Catalogue.model_validate(data)
    assert f"indicators[{n}](id={ind['id']}).child_protection" in str(err.value)


def test_immediate_danger_without_child_protection_is_refused():
    data = _raw("sefton")
    ind = next(i for i in data["indicators"] if i.get("immediate_danger"))
    ind["child_protection"]["decisive"] = False
    with pytest.raises(ValidationError, match="an immediate-danger indicator is a child-protection concern"):
        Catalogue.model_validate(data)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://example.org/x", "https://", "data:text/html,x"])
def test_links_must_be_https(url):
    data = _raw("stoke-on-trent")
    data["escalation"]["url"] = url
    with pytest.raises(ValidationError):
        Catalogue.model_validate(data)


def test_level_label_names_a_level_as_the_pages_always_have():
    halton = cat("halton")
    assert halton.levels[1].label == "Level 2 – Some Complex/Unmet Needs and Low Risk"
    assert [lv.label.split(" – ")[0] for lv in halton.levels] == ["Level 1", "Level 2", "Level 3", "Level 4"]


# --- bad input, generated ---------------------------------------------------------------------

GOOD = (CATALOGUE_DIR / "halton.json").read_bytes()


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(GOOD.rstrip()) - 1))
def test_truncated_files_are_refused_clearly(cut):
    with pytest.raises(CatalogueFileError) as exc:
        parse_catalogue(GOOD[:cut], "halton.json")
    assert exc.value.problems and all(p.place and p.message for p in exc.value.problems)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused_clearly(data):
    with pytest.raises(CatalogueFileError):
        parse_catalogue(data, "x.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(["levels", "indicators", "contacts", "rules", "authority", "emergency"]),
       value=json_values)
def test_wrong_types_anywhere_are_refused_with_a_place(path, value):
    data = json.loads(GOOD)
    data[path] = value
    with pytest.raises(CatalogueFileError) as exc:
        parse_catalogue(json.dumps(data).encode(), "halton.json")
    assert exc.value.problems and all(p.place for p in exc.value.problems)


TEXT_LIMIT = 20000  # catalogues.schema.Text: max_length
# Odd but not blank: letters of every script, marks, symbols, emoji, format characters (zero-width
# joiners, direction marks), private-use code points; no whitespace or control characters, which the
# schema strips from the ends (so what is kept is exactly what was written).
odd_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Zs", "Zl", "Zp", "Cc")),
                   min_size=1, max_size=40)


@settings(max_examples=30, deadline=None)
@given(text=odd_text)
def test_odd_unicode_and_huge_strings_in_an_indicator(text):
    """Kept exactly as written up to the schema's limit; refused at that indicator beyond it."""
    huge = text * 1000
    data = json.loads(GOOD)
    data["indicators"][0]["text"] = huge
    if len(huge) > TEXT_LIMIT:
        with pytest.raises(CatalogueFileError) as exc:
            parse_catalogue(json.dumps(data).encode(), "halton.json")
        assert [p.place.split(" (line")[0] for p in exc.value.problems] == [
            f"indicators[0](id={data['indicators'][0]['id']}).text"]
    else:
        assert parse_catalogue(json.dumps(data).encode(), "halton.json").indicators[0].text == huge
