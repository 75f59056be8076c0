"""A submitted referral in national terms: the Standard Safeguarding Dataset's field names and the Children
in Need census code sets (docs/national-export.md), validated against the JSON Schema shipped beside this
file before anything is served.

Plain: the frozen record, the draft's facts (`ExportFacts`) and the catalogue in, a JSON-ready dict out; no
queries and no request. Which submission is exported is decided in services.py.

Only what the referral itself says is exported under the SSD's names, and the front door's decision as its
outcome flags; what the product derives or adds (the primary-need hint, consent, the level, the decision's
code, date and notes) sits under `extensions`, so nobody mistakes a hint for the local authority's own
recording.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from catalogues.codes import code_lists
from catalogues.level_schemes import band_of
from catalogues.schema import Catalogue, Level

from . import outcomes

SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "referral-export.schema.json"
FORMAT = "ssd-referral-export"
FORMAT_VERSION = 2  # 2: the outcome flags from the decision's outcome, always present; the decision's date

# --- the NHS number ---------------------------------------------------------------------------------------


class NhsNumberError(ValueError):
    """What is wrong with a typed NHS number, in words the person can act on."""


def nhs_number(text: str) -> str:
    """The 10 digits of a typed NHS number (spaces and hyphens allowed, as printed on letters), checked
    with its check digit (modulus 11); raises NhsNumberError saying what to fix."""
    typed = str(text or "").strip()
    if not re.fullmatch(r"[0-9 \-]*", typed):
        raise NhsNumberError("NHS number must contain only numbers (spaces are fine)")
    digits = re.sub(r"[ \-]", "", typed)
    if len(digits) != 10:
        raise NhsNumberError(f"NHS number must be 10 digits: you entered {len(digits)}. Check it against a "
                             "letter or record from the child's GP, or choose “Not known”")
    if check_digit(digits[:9]) != digits[9]:
        raise NhsNumberError("This is not a valid NHS number: one of the digits is probably wrong. Check it "
                             "against a letter or record from the child's GP, or choose “Not known”")
    return digits


def check_digit(first_nine: str) -> str | None:
    """The NHS number's tenth digit for these nine (weights 10 to 2, modulus 11); None where no tenth digit
    can make a valid number (a remainder giving 10: such numbers are never issued)."""
    total = sum(int(d) * weight for d, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return "0"
    return None if check == 10 else str(check)


def spaced(digits: str) -> str:
    """An NHS number as printed: 3 3 4."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


# --- the referral source ---------------------------------------------------------------------------------

# The referrer's organisation → the CIN census referral source (code set of cine_referral_source_code and
# cont_contact_source_code). A school by the organisation's own flag; the rest by unmistakable words in its
# name, most specific first ("school nursing" is health, not a school). Anything else is left empty: the
# referrer is known, only not classified, so "10" (unknown source) would be untrue.
SOURCE_BY_NAME: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bhealth visit", re.I), "3B"),
    (re.compile(r"\bschool nurs", re.I), "3C"),
    (re.compile(r"\b(GP|general practice|surgery|medical practice)\b", re.I), "3A"),
    (re.compile(r"\b(A ?& ?E|emergency department|accident and emergency)\b", re.I), "3E"),
    (re.compile(r"\bpolice\b", re.I), "6"),
    (re.compile(r"\bhousing\b", re.I), "4"),
]


def referral_source(organisation_name: str, is_school: bool) -> str | None:
    if is_school:
        return "2A"
    return next((code for pattern, code in SOURCE_BY_NAME if pattern.search(organisation_name or "")), None)


# --- the primary-need hint -------------------------------------------------------------------------------

# Assessment factor → the primary need it points to. Only clear cases: the census guide says to choose the
# category highest in its table when two fit, so the hint is the lowest N-code any factor points to.
NEED_OF_FACTOR: dict[str, str] = {
    **dict.fromkeys(["11A", "12A", "16A", "17A", "18B", "18C", "19B", "19C", "22A", "23A"], "N1"),
    **dict.fromkeys(["5A", "6A"], "N2"),
    **dict.fromkeys(["4B", "5B", "6B"], "N3"),
    **dict.fromkeys(["1B", "2B", "3B", "3C"], "N5"),
    **dict.fromkeys(["13A", "14A"], "N6"),
    "9A": "N8",
}
HINT_NOTE = ("A hint derived from the referrer's concerns, not a recording: the local authority decides the "
             "primary need (cine_cin_primary_need_code) at assessment.")
FACTORS_NOTE = ("The Children in Need census assessment factor codes of the concerns the referrer ticked, as "
                "tagged in the partnership's catalogue: what the referral raises, not factors identified at "
                "the end of an assessment.")


def primary_need_hint(factors: list[str]) -> dict[str, Any]:
    needs = code_lists()["primary_need"]
    pointing = {f: NEED_OF_FACTOR[f] for f in factors if f in NEED_OF_FACTOR}
    code = min(pointing.values(), key=lambda n: int(n[1:])) if pointing else None
    return {"code": code, "description": needs[code] if code else None,
            "from_factors": sorted((f for f, n in pointing.items() if n == code), key=factor_order),
            "note": HINT_NOTE}


def factor_order(code: str) -> tuple[int, str]:
    """Census order: 2A before 10A (by number, then letter)."""
    number = re.match(r"\d+", code)
    return (int(number[0]) if number else 0, code)


# --- the export ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportFacts:
    """What the export reads besides the frozen record: the draft's own values (unchanged since submission,
    as a submitted draft cannot be edited) and the submission exported."""

    draft_id: int
    status: str
    date_of_birth: date | None
    due_date: date | None
    nhs_number: str
    nhs_number_unknown: bool
    organisation_name: str
    organisation_is_school: bool
    parents_aware: str
    consent: str
    submission_number: int
    content_hash: str
    submitted_at: datetime
    approved_at: datetime | None = None
    lead_level: int | None = None
    sent_at: datetime | None = None
    sent_how: str = ""
    sent_reference: str = ""
    decision: str = ""
    decision_at: datetime | None = None
    decision_outcome: str = ""  # models.FrontDoorOutcome's code; "" for a decision recorded as text only
    decision_on: date | None = None

    @classmethod
    def of(cls, draft: Any, submission: Any) -> ExportFacts:
        """From a draft and its exported submission (models, or anything with their attributes)."""
        organisation = draft.organisation
        return cls(
            draft_id=draft.pk, status=str(draft.status), date_of_birth=draft.date_of_birth, due_date=draft.due_date,
            nhs_number=getattr(draft, "nhs_number", ""), nhs_number_unknown=getattr(draft, "nhs_number_unknown", False),
            organisation_name=organisation.name, organisation_is_school=organisation.is_school,
            parents_aware=draft.parents_aware, consent=draft.consent,
            submission_number=submission.number, content_hash=submission.content_hash,
            submitted_at=submission.submitted_at,
            approved_at=submission.reviewed_at if submission.outcome == "approved" else None,
            lead_level=submission.lead_level if submission.outcome == "approved" else None,
            sent_at=draft.sent_at, sent_how=draft.sent_how, sent_reference=draft.sent_reference,
            decision=draft.decision, decision_at=draft.decision_at,
            decision_outcome=getattr(draft, "decision_outcome", ""), decision_on=getattr(draft, "decision_on", None))


def _when(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat(timespec="seconds")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _names(full: str) -> tuple[str | None, str | None]:
    """Forename and surname only where the name is two words: any other split would be a guess (the
    name as written is exported beside them)."""
    words = full.split()
    return (words[0], words[1]) if len(words) == 2 else (None, None)


def _level(catalogue: Catalogue, number: int | None) -> dict[str, Any] | None:
    level: Level | None = next((lv for lv in catalogue.levels if lv.number == number), None)
    if level is None:
        return None
    return {"number": level.number, "code": level.shown_code, "name": level.name,
            "national_stage": band_of(catalogue, level), "stages": list(level.bands)}


def outcome_flags(names: list[str], outcome: str, part: int) -> dict[str, str]:
    """The SSD's outcome structure, every key present whatever is known (the SSD's rule): "" for each while
    no outcome is recorded; once it is, "Y" for the flags the outcome sets (outcomes.SSD_FLAGS; `part` 0 the
    contact's, 1 the referral's) and "N" for the rest."""
    if not outcome:
        return dict.fromkeys(names, "")
    flagged = outcomes.SSD_FLAGS[outcome][part]
    return {name: "Y" if name in flagged else "N" for name in names}


def build(record: dict[str, Any], facts: ExportFacts, catalogue: Catalogue, *,
          generated_at: datetime | None = None) -> dict[str, Any]:
    """The referral in national terms, from its frozen record (what the lead reviewed) and the draft's facts."""
    lists = code_lists()
    ticked = set(record.get("ticks") or [])
    indicators = [i for i in catalogue.indicators if i.id in ticked]
    factors = sorted({c for i in indicators for c in i.codes}, key=factor_order)
    name = str(record["child"].get("name") or "")
    forename, surname = _names(name)
    unborn = facts.due_date is not None and facts.date_of_birth is None
    source = referral_source(facts.organisation_name, facts.organisation_is_school)
    received = _when(facts.sent_at)  # the front door receives it when it is sent: until then, no date
    decided = facts.status == "decided"
    # A decision recorded before outcomes were chosen from the SSD's list has text only: no flag is guessed.
    outcome = facts.decision_outcome if decided else ""
    contact_outcome = outcome_flags(lists["ssd_contact_outcome_flags"], outcome, 0)
    referral_outcome = outcome_flags(lists["ssd_referral_outcome_flags"], outcome, 1)
    consent = record.get("consent") or {}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": _when(generated_at or timezone.now()),
        "source": {
            "partnership": record["partnership"],
            "authority": record["authority"],
            "document": record["document"],
            "catalogue_version": record.get("catalogue_version"),
            "draft": facts.draft_id,
            "status": facts.status,
            "submission": facts.submission_number,
            "content_hash": facts.content_hash,
            "submitted_at": _when(facts.submitted_at),
            "approved_at": _when(facts.approved_at),
        },
        "ssd_person": {
            "pers_forename": forename,
            "pers_surname": surname,
            "pers_dob": None if unborn else _day(facts.date_of_birth),
            "pers_expected_dob": _day(facts.due_date) if unborn else None,
            "pers_common_child_id": facts.nhs_number or None,
        },
        "ssd_contacts": {
            "cont_contact_date": received,
            "cont_contact_source_code": source,
            "cont_contact_source_desc": facts.organisation_name,
            "cont_contact_outcome_json": contact_outcome,
        },
        "ssd_cin_episodes": {
            "cine_referral_date": received,
            "cine_referral_source_code": source,
            "cine_referral_source_desc": facts.organisation_name,
            "cine_referral_outcome_json": referral_outcome,
        },
        "ssd_assessment_factors": {"cinf_assessment_factors_json": factors},
        "extensions": {
            "person": {
                "name_as_written": name,
                "nhs_number_status": "given" if facts.nhs_number else
                ("not_known" if facts.nhs_number_unknown else "not_recorded"),
            },
            "referral_source_basis": ("school" if facts.organisation_is_school else
                                      "organisation_name" if source else "not_classified"),
            "assessment_factors_note": FACTORS_NOTE,
            "primary_need_hint": primary_need_hint(factors),
            "concerns": [{"indicator": i.id, "text": i.text, "codes": sorted(i.codes, key=factor_order),
                          "concepts": sorted(i.concepts)} for i in indicators],
            "consent": {
                "parents_aware": facts.parents_aware or None,
                "consent": facts.consent or None,
                "ground": consent.get("ground") or None,
            },
            "level": {
                "suggested": _level(catalogue, record["level"].get("suggested_number")),
                "chosen": _level(catalogue, record["level"].get("chosen_number")),
                "lead_view": _level(catalogue, facts.lead_level),
                "child_protection": bool(record["level"].get("child_protection")),
                "immediate_danger": bool(record["level"].get("immediate_danger")),
            },
            "sent": {"at": received, "how": facts.sent_how, "reference": facts.sent_reference}
            if facts.sent_at else None,
            # The SSD has no item for the day a contact's outcome was decided: it is here, with the outcome's
            # code, its national stage and anything else the front door said.
            "front_door_decision": {
                "outcome": outcome or None,
                "national_stage": outcomes.STAGE_OF_OUTCOME.get(outcome),
                "decided_on": _day(facts.decision_on),
                "notes": facts.decision,
                "recorded_at": _when(facts.decision_at),
            } if decided else None,
        },
    }


# --- the schema ------------------------------------------------------------------------------------------

class InvalidExport(Exception):
    """An export that does not match its schema: never served. The message names where, never the value
    (which may be a child's name)."""

    def __init__(self, where: str, rule: str):
        self.where, self.rule = where, rule
        super().__init__(f"the export fails its schema at {where} ({rule})")


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(export: dict[str, Any]) -> dict[str, Any]:
    """The export itself if it matches the schema; else InvalidExport (the first error's place and rule)."""
    error = best_match(_validator().iter_errors(export))
    if error is not None:
        raise InvalidExport(error.json_path, str(error.validator))
    return export
