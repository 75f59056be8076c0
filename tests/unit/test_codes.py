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


SLUGS = ["halton", "herefordshire", "knowsley", "sefton", "stoke-on-trent"]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_indicator_is_tagged_with_a_census_code_or_a_concept(slug):
    untagged = [i.id for i in catalogue(slug).indicators if not i.codes and not i.concepts]
    assert not untagged, f"{slug}: tag these with a census code or a concept: {untagged}"


@pytest.mark.parametrize("slug", SLUGS)
def test_a_strength_at_level_1_has_no_concern_code(slug):
    """A census factor is a concern found at assessment: Level 1 (universal, mostly strengths) has none."""
    assert [i.id for i in catalogue(slug).indicators if i.level == 1 and i.codes] == []


def test_code_21_no_factors_is_never_an_indicator_tag():
    """21 means "no factors identified" and stands alone in the census: no indicator can carry it."""
    assert not [i.id for slug in SLUGS for i in catalogue(slug).indicators if "21" in i.codes]


def test_the_same_concern_meets_the_same_code_across_partnerships():
    """Domestic abuse and neglect, named as such, carry their codes in every partnership (the basis of
    comparing): each catalogue tags at least one indicator with 3B and one with 16A."""
    for slug in SLUGS:
        codes = {c for i in catalogue(slug).indicators for c in i.codes}
        assert {"3B", "16A"} <= codes, slug
