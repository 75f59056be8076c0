"""The referral in national terms (referrals/national.py), without the database: the NHS number's check
digit, the referral source, the primary-need hint, the export's shape and its schema."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from catalogues.codes import code_lists
from catalogues.schema import BANDS
from referrals import national, outcomes
from tests.factories import SLUGS, catalogue

# NHS numbers in the 999 range are never issued to anyone: test numbers only.
VALID = "9990000018"


# --- the NHS number ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [VALID, "999 000 0018", " 999-000-0018 ", "9990000026"])
def test_a_valid_nhs_number_is_accepted_as_typed_and_kept_as_10_digits(typed):
    assert national.nhs_number(typed) == typed.strip().replace(" ", "").replace("-", "")


@pytest.mark.parametrize("typed, says", [
    ("9990000019", "not a valid NHS number"),  # the check digit is wrong
    ("999000001", "must be 10 digits: you entered 9"),
    ("99900000181", "must be 10 digits: you entered 11"),
    ("999 OOO 0018", "only numbers"),
    ("9990000000", "not a valid NHS number"),  # nine digits whose check would be 10: never issued
])
def test_an_invalid_nhs_number_is_refused_saying_what_to_fix(typed, says):
    with pytest.raises(national.NhsNumberError, match=says):
        national.nhs_number(typed)


def test_the_check_digit_is_modulus_11_with_weights_10_to_2():
    assert national.check_digit("943476591") == "9"  # the NHS's published worked example
    assert national.check_digit("999000005") == "0"  # 11 - 0 remainder reads as 0
    assert national.check_digit("999000000") is None  # a remainder of 1: no valid number


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from("0123456789"))
def test_exactly_one_last_digit_makes_nine_digits_a_valid_number(first_nine, last):
    check = national.check_digit(first_nine)
    if check == last:
        assert national.nhs_number(first_nine + last) == first_nine + last
    else:
        with pytest.raises(national.NhsNumberError):
            national.nhs_number(first_nine + last)


def test_an_nhs_number_prints_spaced_3_3_4():
    assert national.spaced(VALID) == "999 000 0018"


# --- the referral source and the primary-need hint -------------------------------------------------------

@pytest.mark.parametrize("name, is_school, code", [
    ("Test School (fictional)", True, "2A"),
    ("Anywhere Health Visiting Team (fictional)", False, "3B"),
    ("Anywhere School Nursing Service (fictional)", False, "3C"),
    ("Park Lane Surgery (fictional)", False, "3A"),
    ("Merseyside Police Protecting Vulnerable People (fictional)", False, "6"),
    ("Other Clinic (fictional)", False, None),  # known, just not classified: never "10" (unknown)
    ("", False, None),
])
def test_the_referral_source_comes_from_the_referrers_organisation(name, is_school, code):
    assert national.referral_source(name, is_school) == code


@pytest.mark.parametrize("factors, code, basis", [
    (["3B", "16A"], "N1", ["16A"]),  # abuse or neglect first: highest in the census table
    (["3B", "4B"], "N3", ["4B"]),
    (["1B", "2B", "20"], "N5", ["1B", "2B"]),
    (["20", "21"], None, []),
    ([], None, []),
])
def test_the_primary_need_hint_is_the_highest_need_any_factor_points_to(factors, code, basis):
    hint = national.primary_need_hint(factors)
    assert (hint["code"], hint["from_factors"]) == (code, basis)
    assert "hint" in hint["note"] and "not a recording" in hint["note"]


def test_factors_sort_in_census_order():
    assert sorted(["10A", "2B", "2A", "19C", "3B"], key=national.factor_order) == ["2A", "2B", "3B", "10A", "19C"]


# --- the export ----------------------------------------------------------------------------------------

def _record(cat, ticks, **over):
    levels = [lv.number for lv in cat.levels]
    return {"partnership": cat.authority.partnership, "authority": cat.authority.name, "document": "Doc (1)",
            "catalogue_version": 1, "child": {"name": "Test Child"}, "ticks": ticks,
            "consent": {"ground": ""}, "level": {"suggested_number": levels[1], "chosen_number": levels[1],
                                                 "child_protection": False, "immediate_danger": False}} | over


def _facts(**over):
    base = dict(draft_id=7, status="submitted", date_of_birth=date(2018, 2, 1), due_date=None, nhs_number="",
                nhs_number_unknown=False, organisation_name="Test School (fictional)", organisation_is_school=True,
                parents_aware="yes", consent="explicit", submission_number=1, content_hash="a" * 64,
                submitted_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    return national.ExportFacts(**(base | over))


def _coded(cat, n=3):
    return [i for i in cat.indicators if i.codes and not i.retired][:n]


def test_the_factors_are_the_ticked_indicators_codes_deduplicated_and_sorted():
    cat = catalogue("sefton")
    ticked = _coded(cat, 6)
    export = national.validate(national.build(_record(cat, [i.id for i in ticked]), _facts(), cat))
    expected = sorted({c for i in ticked for c in i.codes}, key=national.factor_order)
    assert export["ssd_assessment_factors"]["cinf_assessment_factors_json"] == expected
    assert [c["indicator"] for c in export["extensions"]["concerns"]] == [i.id for i in ticked]
    assert export["ssd_contacts"]["cont_contact_source_code"] == "2A"
    assert export["ssd_cin_episodes"]["cine_referral_source_code"] == "2A"


def test_the_person_in_ssd_terms():
    cat = catalogue("sefton")
    export = national.build(_record(cat, []), _facts(nhs_number=VALID), cat)
    assert export["ssd_person"] == {"pers_forename": "Test", "pers_surname": "Child", "pers_dob": "2018-02-01",
                                    "pers_expected_dob": None, "pers_common_child_id": VALID}
    assert export["extensions"]["person"] == {"name_as_written": "Test Child", "nhs_number_status": "given"}
    unborn = national.build(_record(cat, [], child={"name": "Baby of Test Mother"}),
                            _facts(date_of_birth=None, due_date=date(2026, 6, 1), nhs_number_unknown=True), cat)
    assert unborn["ssd_person"] == {"pers_forename": None, "pers_surname": None, "pers_dob": None,
                                    "pers_expected_dob": "2026-06-01", "pers_common_child_id": None}
    assert unborn["extensions"]["person"]["nhs_number_status"] == "not_known"


def test_the_outcome_flags_are_every_key_empty_until_a_decision_and_for_a_decision_in_words_only():
    cat = catalogue("sefton")
    sent = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)
    before = national.validate(national.build(_record(cat, []), _facts(status="sent", sent_at=sent), cat))
    assert before["ssd_contacts"]["cont_contact_outcome_json"] == dict.fromkeys(
        code_lists()["ssd_contact_outcome_flags"], "")
    assert before["ssd_cin_episodes"]["cine_referral_outcome_json"] == dict.fromkeys(
        code_lists()["ssd_referral_outcome_flags"], "")
    assert before["ssd_contacts"]["cont_contact_date"].startswith("2026-01-06T")
    assert before["extensions"]["front_door_decision"] is None
    # A decision recorded before outcomes came from the SSD's list: its words kept, no flag guessed from them.
    in_words = national.validate(national.build(
        _record(cat, []), _facts(status="decided", sent_at=sent, decision="Early help offered", decision_at=sent), cat))
    assert set(in_words["ssd_contacts"]["cont_contact_outcome_json"].values()) == {""}
    assert set(in_words["ssd_cin_episodes"]["cine_referral_outcome_json"].values()) == {""}
    assert in_words["extensions"]["front_door_decision"] == {
        "outcome": None, "national_stage": None, "decided_on": None, "notes": "Early help offered",
        "recorded_at": "2026-01-06T12:00:00+00:00"}


@pytest.mark.parametrize(("outcome", "contact_y", "referral_y", "stage"), [
    ("nfa", {"NFA_FLAG"}, set(), "universal"),
    ("advice", {"ADVICE_FLAG"}, set(), "universal"),
    ("early_help", {"OTHER_OUTCOMES_EXIST_FLAG"}, set(), "early_help"),
    ("cin_assessment", {"NEW_REFERRAL_FLAG"}, {"SINGLE_ASSESSMENT_FLAG"}, "child_in_need"),
    ("strategy_s47", {"NEW_REFERRAL_FLAG", "CP_ENQUIRY_FLAG"}, {"STRATEGY_DISCUSSION_FLAG"}, "child_protection"),
    ("existing_case", {"EXISTING_REFERRAL_FLAG"}, set(), None),
])
def test_a_decided_outcome_sets_its_flags_y_and_the_rest_n(outcome, contact_y, referral_y, stage):
    cat = catalogue("sefton")
    sent = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)
    export = national.validate(national.build(_record(cat, []), _facts(
        status="decided", sent_at=sent, decision_outcome=outcome, decision_on=date(2026, 1, 7),
        decision_at=datetime(2026, 1, 8, 9, 0, tzinfo=UTC)), cat))
    contact = export["ssd_contacts"]["cont_contact_outcome_json"]
    referral = export["ssd_cin_episodes"]["cine_referral_outcome_json"]
    assert list(contact) == code_lists()["ssd_contact_outcome_flags"]
    assert {k for k, v in contact.items() if v == "Y"} == contact_y
    assert {k for k, v in contact.items() if v != "Y"} == set(contact) - contact_y
    assert set(contact.values()) - {"Y"} == {"N"}
    assert {k for k, v in referral.items() if v == "Y"} == referral_y
    assert set(referral.values()) - {"Y"} == {"N"}
    assert export["extensions"]["front_door_decision"] == {
        "outcome": outcome, "national_stage": stage, "decided_on": "2026-01-07", "notes": "",
        "recorded_at": "2026-01-08T09:00:00+00:00"}
    # Only a decided referral carries its outcome (a sent one with a stale value would not).
    sent_only = national.build(_record(cat, []), _facts(status="sent", sent_at=sent, decision_outcome=outcome), cat)
    assert set(sent_only["ssd_contacts"]["cont_contact_outcome_json"].values()) == {""}


def test_every_flag_an_outcome_sets_is_one_of_the_ssds():
    lists = code_lists()
    for contact, referral in outcomes.SSD_FLAGS.values():
        assert contact <= set(lists["ssd_contact_outcome_flags"])
        assert referral <= set(lists["ssd_referral_outcome_flags"])
    assert set(outcomes.SSD_FLAGS) == set(outcomes.STAGE_OF_OUTCOME)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_level_carries_its_national_stage(slug):
    cat = catalogue(slug)
    top = cat.levels[-1]
    export = national.validate(national.build(
        _record(cat, [], level={"suggested_number": top.number, "chosen_number": top.number}), _facts(), cat))
    assert export["extensions"]["level"]["chosen"]["national_stage"] == top.band == "child_protection"
    assert export["extensions"]["level"]["chosen"]["code"] == top.shown_code


# --- the schema ----------------------------------------------------------------------------------------

def _valid_export():
    cat = catalogue("sefton")
    return national.build(_record(cat, [i.id for i in _coded(cat)]), _facts(), cat)


def test_the_schema_is_a_valid_2020_12_schema_whose_code_sets_are_the_code_lists():
    schema = national.schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    lists = code_lists()
    defs = schema["$defs"]
    assert set(defs["assessment_factor"]["enum"]) == set(lists["assessment_factors"])
    assert set(defs["referral_source"]["oneOf"][1]["enum"]) == set(lists["referral_source"])
    hint = schema["properties"]["extensions"]["properties"]["primary_need_hint"]["properties"]["code"]
    assert set(hint["oneOf"][1]["enum"]) == set(lists["primary_need"])
    contact = schema["properties"]["ssd_contacts"]["properties"]["cont_contact_outcome_json"]
    assert contact["required"] == lists["ssd_contact_outcome_flags"]
    referral = schema["properties"]["ssd_cin_episodes"]["properties"]["cine_referral_outcome_json"]
    assert referral["required"] == lists["ssd_referral_outcome_flags"]
    decision = schema["properties"]["extensions"]["properties"]["front_door_decision"]["oneOf"][1]["properties"]
    assert set(decision["outcome"]["oneOf"][1]["enum"]) == set(outcomes.SSD_FLAGS)
    assert defs["stage"]["enum"] == list(BANDS)


@pytest.mark.parametrize("break_it", [
    lambda e: e["ssd_assessment_factors"]["cinf_assessment_factors_json"].append("99Z"),  # not a census code
    lambda e: e["ssd_contacts"].update(cont_contact_source_code="10B"),
    lambda e: e["ssd_person"].update(pers_common_child_id="Zebedee"),
    lambda e: e["ssd_person"].update(pers_dob="1/2/2018"),
    lambda e: e["extensions"]["primary_need_hint"].update(code="N10"),
    lambda e: e.update(unexpected=True),
    lambda e: e["ssd_cin_episodes"].pop("cine_referral_source_code"),
])
def test_an_export_off_its_schema_is_refused_naming_where_not_the_value(break_it):
    export = _valid_export()
    national.validate(copy.deepcopy(export))
    break_it(export)
    with pytest.raises(national.InvalidExport) as caught:
        national.validate(export)
    assert caught.value.where.startswith("$") and "Zebedee" not in str(caught.value)


def test_the_export_is_plain_json():
    export = _valid_export()
    assert json.loads(json.dumps(export)) == export
