"""The level engine: ticked indicators in, a suggested level with its reasons out.

Pure: no ORM, no request. The rule (see docs/level-engine.md):

- Each indicator is one of the document's descriptors of its level, so the suggestion is the
  highest level ticked. No document asks for a number of factors before a level applies
  (Sefton's "multiple factors are likely to be present" describes; it does not require).
- A child-protection concern (``child_protection.decisive``) meets the top level on its own,
  whatever level the document lists it under and whatever else is ticked.
- A caution the document gives about a lone top-level factor (Knowsley) is shown as a prompt
  for judgement with its sentence; it never changes the level, and never applies to a
  child-protection concern.
- Adding a tick never lowers the suggestion.
- Flags carry the guidance sentence behind them: immediate danger first, then child protection,
  the unborn route, the caution, cumulative concern (the product's own numbers, labelled as
  such), and the authority's judgement reminders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from .contacts import LONDON, is_open, phone_numbers
from .schema import Catalogue, ConsentRule, Contact, Indicator, Level, Response, UnbornRoute

FlagKind = Literal["immediate_danger", "child_protection", "unborn", "caution", "cumulative", "judgement"]


@dataclass(frozen=True)
class Context:
    unborn: bool = False
    now: datetime | None = None  # aware; defaults to the current time


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    message: str
    sentence: str = ""
    source: str = ""
    indicator_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactNow:
    contact: Contact
    open_now: bool | None  # None: the guidance gives no hours

    @property
    def numbers(self) -> list[str]:
        """Each dialable number of the contact (one tel: link each)."""
        return phone_numbers(self.contact.phone)

    def as_json(self) -> dict:
        c = self.contact
        return {"id": c.id, "name": c.name, "role": c.role, "phone": c.phone, "dial": self.numbers,
                "email": c.email, "hours": c.hours, "open_now": self.open_now}


def is_child_protection(indicator: Indicator) -> bool:
    return indicator.child_protection is not None and indicator.child_protection.decisive


@dataclass(frozen=True)
class Suggestion:
    level: Level | None
    reasons: tuple[Indicator, ...]
    ticked: tuple[Indicator, ...]
    counts_by_level: dict[int, int]
    counts_by_domain: dict[str, int]
    flags: tuple[Flag, ...]
    contacts: tuple[ContactNow, ...] = field(default=())
    emergency_contacts: tuple[ContactNow, ...] = field(default=())
    # The document's route for an unborn baby, where it overrides the level's route.
    unborn_route: UnbornRoute | None = None
    # The document's sentence that a child-protection referral goes ahead without consent.
    child_protection_consent: str = ""
    child_protection_consent_source: str = ""

    @property
    def level_number(self) -> int | None:
        return self.level.number if self.level else None

    @property
    def response(self) -> Response | None:
        return self.level.response if self.level else None

    @property
    def consent(self) -> ConsentRule | None:
        return self.level.consent if self.level else None

    @property
    def immediate_danger(self) -> bool:
        return any(f.kind == "immediate_danger" for f in self.flags)

    @property
    def child_protection(self) -> bool:
        return any(f.kind == "child_protection" for f in self.flags)

    @property
    def route_kind(self) -> str | None:
        if self.level is None:
            return None
        return "front_door" if self.unborn_route else self.level.response.route_kind

    def as_json(self) -> dict:
        level = self.level
        return {
            "suggested_level": level.number if level else None,
            "level_name": level.name if level else None,
            "level_label": level.label if level else None,
            "band": level.band if level else None,
            "child_protection": self.child_protection,
            "immediate_danger": self.immediate_danger,
            "reasons": [i.id for i in self.reasons],
            "counts_by_level": {str(k): v for k, v in self.counts_by_level.items()},
            "counts_by_domain": self.counts_by_domain,
            "flags": [
                {"kind": f.kind, "message": f.message, "sentence": f.sentence, "source": f.source,
                 "indicators": list(f.indicator_ids)}
                for f in self.flags
            ],
            "route_kind": self.route_kind,
            "pathway": level.response.model_dump(mode="json") if level else None,
            "unborn_route": self.unborn_route.model_dump(mode="json") if self.unborn_route else None,
            "consent": level.consent.model_dump(mode="json") if level else None,
            "child_protection_consent": ({"sentence": self.child_protection_consent,
                                          "source": self.child_protection_consent_source}
                                         if self.child_protection else None),
            "contacts": [c.as_json() for c in self.contacts],
            "emergency_contacts": [c.as_json() for c in self.emergency_contacts],
        }


# 999 is the national emergency number: shown beside every partnership's emergency route, also where
# its document does not print it (Sefton's says "contact must be made with ... the Police").
NATIONAL_999 = Contact(id="national-999", name="Police or ambulance (emergency)", role="emergency", phone="999",
                       always_open=True, source="The national emergency number (not from the partnership's document)")


def emergency_contacts(catalogue: Catalogue, when: datetime) -> tuple[ContactNow, ...]:
    """The emergency route's contacts, with 999 first where the document does not name it, and the
    out-of-hours team where the route leaves it out."""
    by_id = catalogue.contacts_by_id
    contacts = [by_id[i] for i in catalogue.emergency.contact_ids if i in by_id]
    contacts += [c for c in catalogue.contacts if c.role == "out_of_hours" and c not in contacts]
    if not any(c.role == "emergency" for c in contacts):
        contacts.insert(0, NATIONAL_999)
    return tuple(ContactNow(c, is_open(c, when)) for c in contacts)


def _contacts(catalogue: Catalogue, ids: list[str], when: datetime) -> tuple[ContactNow, ...]:
    by_id = catalogue.contacts_by_id
    found = [ContactNow(by_id[i], is_open(by_id[i], when)) for i in dict.fromkeys(ids) if i in by_id]
    # Open now first, then those whose hours the guidance does not give, then closed ones;
    # otherwise keep the guidance's order (sorted() is stable).
    rank = {True: 0, None: 1, False: 2}
    return tuple(sorted(found, key=lambda c: rank[c.open_now]))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def suggest(catalogue: Catalogue, tick_ids, context: Context | None = None) -> Suggestion:
    context = context or Context()
    when = context.now or datetime.now(tz=LONDON)
    by_id = catalogue.indicators_by_id
    ticked = tuple(by_id[t] for t in dict.fromkeys(tick_ids) if t in by_id)
    levels = {lv.number: lv for lv in catalogue.levels}
    top = max(levels)
    rules = catalogue.rules

    counts_by_level = {n: 0 for n in levels}
    counts_by_domain: dict[str, int] = {}
    for ind in ticked:
        counts_by_level[ind.level] += 1
        counts_by_domain[ind.domain] = counts_by_domain.get(ind.domain, 0) + 1

    protection = tuple(i for i in ticked if is_child_protection(i))
    suggested: Level | None = None
    reasons: tuple[Indicator, ...] = ()
    if protection:
        suggested, reasons = levels[top], protection
    elif ticked:
        highest = max(i.level for i in ticked)
        suggested, reasons = levels[highest], tuple(i for i in ticked if i.level == highest)

    flags: list[Flag] = []
    for ind in ticked:
        if ind.immediate_danger is not None:
            flags.append(Flag(
                "immediate_danger",
                f"“{ind.text}” may mean the child is in immediate danger. {catalogue.emergency.text} "
                "Do not delay action to seek consent.",
                ind.immediate_danger.sentence, ind.immediate_danger.source, (ind.id,)))
    for ind in protection:
        review = ind.child_protection
        assert review is not None  # is_child_protection() chose it for having one
        listed = "" if ind.level == top else f" (listed at {levels[ind.level].short}, it meets {levels[top].short} on its own)"
        flags.append(Flag(
            "child_protection",
            f"“{ind.text}” is a child-protection concern{listed}: refer to "
            f"{levels[top].response.route or 'the front door'} now. An Early Help response is not "
            "the right first step, and consent must not delay the referral.",
            review.sentence, review.source, (ind.id,)))

    unborn_route = rules.unborn_route if (context.unborn and ticked and rules.unborn_route) else None
    if unborn_route is not None:
        flags.append(Flag(
            "unborn", f"For an unborn baby the guidance sends any concern to {unborn_route.route}.",
            unborn_route.sentence, unborn_route.source))

    if suggested is not None and suggested.number == top and not protection and rules.top_level_caution:
        at_top = [i for i in ticked if i.level == top]
        if len(at_top) == 1:
            flags.append(Flag(
                "caution",
                f"One {levels[top].short} factor with the other concerns at lower levels. The guidance says this "
                "may not automatically require a referral: use your professional judgement and talk to your "
                "safeguarding lead. The suggestion stays at the level ticked.",
                rules.top_level_caution.sentence, rules.top_level_caution.source, (at_top[0].id,)))

    cumulative = rules.cumulative
    # Level 1 describes needs that are met, so only levels of need can add up.
    if cumulative is not None and suggested is not None and min(levels) < suggested.number < top:
        same = [i for i in ticked if i.level == suggested.number]
        domains = {i.domain for i in same}
        if len(same) >= cumulative.min_indicators and len(domains) >= cumulative.min_domains:
            nxt = levels[suggested.number + 1]
            flags.append(Flag(
                "cumulative",
                f"{len(same)} indicators at {suggested.short} across {_plural(len(domains), 'domain')}: "
                f"together they may amount to {nxt.short} ({nxt.name}). Consider the next level and "
                f"talk to your safeguarding lead. (When to show this prompt — {cumulative.min_indicators} or "
                f"more indicators across {cumulative.min_domains} or more domains — is this product's own "
                "rule; the guidance gives no number.)",
                cumulative.sentence, cumulative.source, tuple(i.id for i in same)))

    if ticked:
        for reminder in rules.judgement_reminders:
            flags.append(Flag("judgement", reminder.text, reminder.text, reminder.source))

    contact_ids = list(unborn_route.contact_ids) if unborn_route else []
    contact_ids += list(suggested.response.contact_ids) if suggested else []
    return Suggestion(
        level=suggested,
        reasons=reasons,
        ticked=ticked,
        counts_by_level=counts_by_level,
        counts_by_domain=counts_by_domain,
        flags=tuple(flags),
        contacts=_contacts(catalogue, contact_ids, when),
        emergency_contacts=emergency_contacts(catalogue, when),
        unborn_route=unborn_route,
        child_protection_consent=rules.child_protection_consent.sentence,
        child_protection_consent_source=rules.child_protection_consent.source,
    )
