"""Indicators carry national codes: Children in Need census assessment factors and shared concepts,
validated against the national list and the vocabulary (a typo or a retired code is refused, saying where)."""

from __future__ import annotations

import json

import pytest

from catalogues.codes import assessment_factors, code_lists, concept_ids
from catalogues.files import CatalogueFileError, parse_catalogue
from tests.factories import catalogue


def _with(codes=(), concepts=()) -> bytes:
    data = catalogue("halton").model_dump(mode="json")
    data["indicators"][0]["codes"] = list(codes)
    data["indicators"][0]["concepts"] = list(concepts)
    return json.dumps(data, indent=2).encode()


def test_the_national_list_holds_the_census_factors_and_not_the_retired_ones():
    factors = assessment_factors()
    assert factors["3B"].startswith("Domestic abuse") and factors["16A"] == "Abuse or neglect: neglect"
    assert set(code_lists()["retired_assessment_factors"]).isdisjoint(factors)


def test_current_codes_and_known_concepts_load():
    parsed = parse_catalogue(_with(["3B", "16A"], ["food"]), "halton.json")
    assert parsed.indicators[0].codes == ["3B", "16A"] and parsed.indicators[0].concepts == ["food"]


@pytest.mark.parametrize(("codes", "concepts", "says"), [
    (["99Z"], [], "'99Z' is not a current Children in Need census assessment factor code"),
    (["18A"], [], "'18A' is not a current Children in Need census assessment factor code"),  # retired
    ([], ["hungry-ish"], "'hungry-ish' is not a concept of the shared vocabulary"),
])
def test_an_unknown_or_retired_code_is_refused_with_its_place(codes, concepts, says):
    with pytest.raises(CatalogueFileError) as refused:
        parse_catalogue(_with(codes, concepts), "halton.json")
    message = str(refused.value)
    assert says in message and "indicators[0]" in message


def test_the_vocabulary_concepts_are_known_to_the_schema():
    assert {"food", "hygiene", "attendance"} <= concept_ids()
