"""What a draft needs before it can be marked ready: consent by the partnership's rules, and a
pre-submission check. Pure: plain values in, a list of problems out (no ORM, no request)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from thresholds.catalogue_schema import Catalogue, ConsentRule, Level

EXPLICIT, IMPLICIT, REFUSED, NOT_SOUGHT = "explicit", "implicit", "refused", "not_sought"


@dataclass(frozen=True)
class Problem:
    field: str  # the form field to fix (the error summary links to it)
    message: str  # what is wrong and what to do
    blocking: bool = True  # False: weak, shown but does not stop submission


@dataclass(frozen=True)
class DraftFacts:
    """The parts of a draft the checks read (so tests and PDFs need no model instance)."""

    chosen_level: int | None
    suggested_level: int | None
    level_reason: str
    parents_aware: str
    consent: str
    consent_ground: str
    consent_agreed_by: str
    child_name: str
    child_voice: str
    household: list[dict]
    referrer_phone: str
    referrer_email: str
    consultation: bool = False


def level_of(catalogue: Catalogue, number: int | None) -> Level | None:
    return next((lv for lv in catalogue.levels if lv.number == number), None)


def consent_problems(rule: ConsentRule, facts: DraftFacts) -> list[Problem]:
    """The partnership's consent rule for the chosen level, applied to what the draft records."""
    out: list[Problem] = []
    if facts.parents_aware not in ("yes", "no"):
        out.append(Problem("parents_aware", "Say whether the parents or carers know about this request"))
    if not facts.consent:
        out.append(Problem("consent", "Record whether consent was given, refused or not sought"))
        return out
    if facts.consent == IMPLICIT and not rule.implicit_accepted and rule.consent_required:
        out.append(Problem("consent", "At this level the partnership needs explicit consent: ask the family "
                                      "and record their explicit consent"))
    if facts.consent in (REFUSED, NOT_SOUGHT):
        if rule.refused_without_consent:
            out.append(Problem(
                "consent",
                "The partnership will not accept this request without consent at this level. Talk to the "
                "family again; if you believe the child is suffering or likely to suffer significant harm, "
                "discuss a child protection referral with your safeguarding lead. The rule: " + rule.text,
            ))
        elif rule.may_proceed_without_consent or not rule.consent_required:
            if rule.lawful_ground_ids and facts.consent_ground not in rule.lawful_ground_ids:
                out.append(Problem("consent_ground", "Choose the lawful ground for going ahead without consent"))
            if not facts.consent_agreed_by.strip():
                out.append(Problem("consent_agreed_by", "Enter the manager or safeguarding lead who agreed to go "
                                                        "ahead without consent"))
        else:
            out.append(Problem("consent", "Consent is needed at this level: ask the family for it. The rule: "
                                          + rule.text))
    return out


_INITIALS = re.compile(r"^([A-Za-z]\.?\s*){1,3}$")


def looks_like_initials(name: str) -> bool:
    return bool(name.strip()) and (_INITIALS.fullmatch(name.strip()) is not None or
                                   all(len(p.strip(".")) <= 1 for p in name.split()))


def pre_submission_problems(catalogue: Catalogue, facts: DraftFacts) -> list[Problem]:
    """Everything missing or weak before a draft can be marked ready, in form order."""
    out: list[Problem] = []
    if not facts.consultation:
        if not facts.child_name.strip():
            out.append(Problem("child_name", "Enter the child's full name"))
        elif looks_like_initials(facts.child_name):
            out.append(Problem("child_name", "Enter the child's full name, not initials"))
        for n, person in enumerate(facts.household):
            if person.get("name") and looks_like_initials(person["name"]):
                out.append(Problem(f"household-{n}-name", f"Enter the full name of household member {n + 1}, not initials"))
        if not [p for p in facts.household if p.get("name", "").strip()]:
            out.append(Problem("household-0-name", "Add at least one household member or significant adult"))
    if not facts.child_voice.strip():
        out.append(Problem("child_voice", "Describe the child's voice and lived experience: what is a day like for "
                                          "them? For a baby, or a child who does not speak, say what you observed"))
    if not (facts.referrer_phone.strip() or facts.referrer_email.strip()):
        out.append(Problem("referrer_phone", "Enter a phone number or email address the front door can reach you on"))
    level = level_of(catalogue, facts.chosen_level)
    if level is None:
        out.append(Problem("chosen_level", "Choose the level of need"))
    else:
        if facts.suggested_level is not None and facts.chosen_level != facts.suggested_level \
                and not facts.level_reason.strip():
            out.append(Problem("level_reason", "Explain why the level differs from the suggested level"))
        out.extend(consent_problems(level.consent, facts))
    return out


def route_for(catalogue: Catalogue, level_number: int | None) -> dict:
    """Where the draft goes: the level's route with its contacts and timescales."""
    level = level_of(catalogue, level_number)
    if level is None:
        return {"title": "Request for support", "kind": None, "level": None, "contacts": [], "timescales": []}
    by_id = {c.id: c for c in catalogue.contacts}
    kind = level.response.route_kind
    title = {"front_door": "Referral", "early_help": "Early Help request", "universal": "Request for support"}[kind]
    if level.response.route:
        title = f"{title} – {level.response.route}"
    return {
        "title": title,
        "kind": kind,
        "level": level,
        "contacts": [by_id[i] for i in level.response.contact_ids if i in by_id],
        "timescales": level.response.timescales,
    }
