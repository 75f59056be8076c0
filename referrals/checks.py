"""What a draft needs before it can be marked ready: consent by the partnership's rules, and a
pre-submission check. Pure: plain values in, a list of problems out (no ORM, no request)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from catalogues.schema import Catalogue, ConsentRule, Level
from core.errors import Problem

EXPLICIT, IMPLICIT, REFUSED, NOT_SOUGHT = "explicit", "implicit", "refused", "not_sought"


def consent_ground_asked(consent: str, parents_aware: str) -> bool:
    """The reason the guidance gives is asked (and read) only without consent or without telling the parents."""
    return consent in (REFUSED, NOT_SOUGHT) or parents_aware == "no"


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
    # The ticks include a child-protection concern (the engine's suggestion says so).
    child_protection: bool = False
    # The ticks include an immediate-danger item; and the call made before the review, if recorded.
    immediate_danger: bool = False
    phone_call_with: str = ""
    phone_call_made: bool = False
    phone_call_outcome: str = ""
    phone_to: str = ""  # who the route says to phone (the front door's name), for the message

    @property
    def phone_now(self) -> bool:
        return self.immediate_danger or self.child_protection


def level_of(catalogue: Catalogue, number: int | None) -> Level | None:
    return next((lv for lv in catalogue.levels if lv.number == number), None)


def _quote(sentence: str) -> str:
    return f" The guidance: “{sentence}”"


def consent_problems(catalogue: Catalogue, level: Level, facts: DraftFacts) -> list[Problem]:
    """The partnership's consent rule for the chosen level, applied to what the draft records.

    Only what the document states is enforced, and each message quotes its sentence. A
    child-protection referral at the top level always goes ahead: consent never blocks it.
    """
    rule: ConsentRule = level.consent
    out: list[Problem] = []
    grounds = {g.id: g for g in catalogue.consent_grounds}
    allowed = [grounds[i] for i in rule.lawful_ground_ids if i in grounds]
    protection = facts.child_protection and level.number == max(lv.number for lv in catalogue.levels)
    ground_given = facts.consent_ground in rule.lawful_ground_ids

    if facts.parents_aware not in ("yes", "no"):
        out.append(Problem("parents_aware", "Say whether the parents or carers know about this request"))
    # The reason is asked only without consent or without telling the parents (the page shows it then): one
    # left from an earlier answer is not read.
    ground_asked = consent_ground_asked(facts.consent, facts.parents_aware)
    if facts.consent_ground and ground_asked and not ground_given:
        names = "; ".join(f"“{g.text}”" for g in allowed) or "none"
        out.append(Problem("consent_ground", f"That reason is not one the guidance gives at Level {level.number}. "
                                             f"The reasons it gives: {names}"))
    if not facts.consent:
        out.append(Problem("consent", "Record whether consent was given, refused or not sought"))
        return out
    if facts.consent == IMPLICIT and rule.explicit and not protection:
        out.append(Problem("consent", "At this level the guidance asks for explicit consent: ask the family and "
                                      "record their explicit consent." + _quote(rule.explicit.sentence)))
    if facts.consent in (REFUSED, NOT_SOUGHT):
        if protection:
            if allowed and not ground_given:
                out.append(Problem("consent_ground", "This is a child-protection referral: it goes ahead without "
                                                     "consent. Record the reason consent was not sought or was "
                                                     "overridden." + _quote(catalogue.rules.child_protection_consent
                                                                            .sentence)))
        elif rule.refused_without_consent:
            out.append(Problem(
                "consent",
                "The partnership will not accept this request without consent at this level. Talk to the family "
                "again; if you believe the child is suffering or likely to suffer significant harm, discuss a "
                "child protection referral with your safeguarding lead." + _quote(rule.refused_without_consent
                                                                                  .sentence)))
        elif rule.consent == "required" and not allowed:
            out.append(Problem("consent", "Consent is needed at this level: ask the family for it." + _quote(rule.text)))
        elif allowed and rule.consent != "not_required" and not ground_given:
            out.append(Problem("consent_ground", "Choose the reason the guidance gives for going ahead without "
                                                 "consent." + _quote(rule.text)))
    if facts.parents_aware == "no" and rule.inform_parents and allowed and not ground_given \
            and not any(p.place == "consent_ground" for p in out):
        out.append(Problem("consent_ground", "The guidance says to tell the parents unless a reason applies: tell "
                                             "them, or choose the reason you have not." +
                           _quote(rule.inform_parents.sentence)))
    return out


_INITIALS = re.compile(r"^([A-Za-z]\.?\s*){1,3}$")


def looks_like_initials(name: str) -> bool:
    return bool(name.strip()) and (_INITIALS.fullmatch(name.strip()) is not None or
                                   all(len(p.strip(".")) <= 1 for p in name.split()))


def pre_submission_problems(catalogue: Catalogue, facts: DraftFacts) -> list[Problem]:
    """Everything missing or weak before a draft can be marked ready, in form order."""
    out: list[Problem] = []
    if facts.phone_now and not (facts.phone_call_with.strip() and facts.phone_call_made
                                and facts.phone_call_outcome.strip()):
        why = "The child may be in immediate danger" if facts.immediate_danger else \
            "The ticks include a child-protection concern"
        out.append(Problem("phone_call_with", f"{why}: phone {facts.phone_to or 'the front door'} now, and call 999 "
                                              "if the child is in danger now. Do not wait for your safeguarding "
                                              "lead's review. Then record who you spoke to, when, and what they "
                                              "said"))
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
        top = max(lv.number for lv in catalogue.levels)
        if facts.child_protection and level.number < top:
            out.append(Problem("chosen_level", f"The ticks include a child-protection concern, which the guidance "
                                               f"places at Level {top}. A lower level sends it away from the front "
                                               "door: talk to your safeguarding lead before you go on.",
                               blocking=False))
        out.extend(consent_problems(catalogue, level, facts))
    return out


# How a lead closes a concern without a referral (models.Closure's values).
NO_REFERRAL, ADVICE = "no_referral", "advice"
CONFIRM_CLOSING_CHILD_PROTECTION = ("I have considered the child-protection concern and I am recording a decision "
                                    "not to refer")


@dataclass(frozen=True)
class ClosureFacts:
    """A lead's decision not to refer, as they gave it."""

    closure: str
    reason: str = ""
    advice_from: str = ""
    advice_on: date | None = None
    advice_said: str = ""
    # The ticks hold a child-protection concern or immediate danger: closing needs its own confirmation.
    child_protection: bool = False
    confirmed: bool = False


def closure_problems(facts: ClosureFacts, today: date) -> list[Problem]:
    """What is missing before a concern can be closed without a referral, in form order: a decision not to
    refer is recorded with why (Keeping Children Safe in Education), advice with who gave it, when and what
    they said; and a child-protection concern is never closed by accident."""
    out: list[Problem] = []
    if facts.closure == NO_REFERRAL:
        if not facts.reason.strip():
            out.append(Problem("closure_reason", "Say why you decided not to refer"))
    elif facts.closure == ADVICE:
        if not facts.advice_from.strip():
            out.append(Problem("advice_from", "Enter who gave the advice"))
        if facts.advice_on is None:
            out.append(Problem("advice_on", "Enter the date you were given the advice"))
        elif facts.advice_on > today:
            out.append(Problem("advice_on", "The date of the advice cannot be in the future"))
        if not facts.advice_said.strip():
            out.append(Problem("advice_said", "Enter what the front door said"))
    else:
        out.append(Problem("closure", "Choose whether you decided not to refer, or sought advice from the front door"))
    if facts.child_protection and not facts.confirmed:
        out.append(Problem("confirm_child_protection", "The concerns include child protection, which normally "
                                                       "must be referred: tick to confirm you have considered it "
                                                       "and are recording a decision not to refer"))
    return out


def route_for(catalogue: Catalogue, level_number: int | None, *, unborn: bool = False) -> dict:
    """Where the draft goes: the level's route with its contacts and timescales, or the document's
    route for any concern about an unborn baby where it gives one."""
    level = level_of(catalogue, level_number)
    if level is None:
        return {"title": "Request for support", "kind": None, "level": None, "contacts": [], "timescales": []}
    by_id = {c.id: c for c in catalogue.contacts}
    kind, route = level.response.route_kind, level.response.route
    contact_ids = list(level.response.contact_ids)
    unborn_route = catalogue.rules.unborn_route if unborn else None
    if unborn_route is not None:
        kind, route = "front_door", unborn_route.route
        contact_ids = list(unborn_route.contact_ids) + contact_ids
    title = {"front_door": "Referral", "early_help": "Early Help request", "universal": "Request for support"}[kind]
    if route:
        title = f"{title} – {route}"
    return {
        "title": title,
        "kind": kind,
        "level": level,
        "contacts": [by_id[i] for i in dict.fromkeys(contact_ids) if i in by_id],
        "timescales": level.response.timescales,
        "unborn_route": unborn_route,
    }
