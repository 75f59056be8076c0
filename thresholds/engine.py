"""The level engine: ticked indicators in, a suggested level with its reasons out.

Pure: no ORM, no request. The rule (see docs/level-engine.md):

- The suggestion is the highest level L for which the ticks at level L or above reach the
  catalogue's corroboration count for L (default 1), or for which one of those ticks is decisive
  on its own (``sufficient_alone`` or ``immediate_danger`` in the catalogue). So a lone tick at a
  higher level than the rest does not lift the level where the guidance says one factor is not
  enough; it is shown as *borderline* with what would make it that level.
- Adding a tick never lowers the suggestion: every count only grows.
- Flags carry the guidance sentence behind them: immediate danger (first), borderline,
  cumulative concern, and the authority's judgement reminders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from escalation.working_days import is_bank_holiday

from .catalogue_schema import Catalogue, ConsentRule, Contact, Indicator, Level, Response

LONDON = ZoneInfo("Europe/London")

FlagKind = Literal["immediate_danger", "borderline", "cumulative", "judgement"]


@dataclass(frozen=True)
class Context:
    unborn: bool = False
    age_years: int | None = None
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

    def as_json(self) -> dict:
        level = self.level
        return {
            "suggested_level": level.number if level else None,
            "level_name": level.name if level else None,
            "reasons": [i.id for i in self.reasons],
            "counts_by_level": {str(k): v for k, v in self.counts_by_level.items()},
            "counts_by_domain": self.counts_by_domain,
            "flags": [
                {"kind": f.kind, "message": f.message, "sentence": f.sentence, "source": f.source,
                 "indicators": list(f.indicator_ids)}
                for f in self.flags
            ],
            "pathway": level.response.model_dump(mode="json") if level else None,
            "consent": level.consent.model_dump(mode="json") if level else None,
            "contacts": [
                {"id": c.contact.id, "name": c.contact.name, "phone": c.contact.phone, "open_now": c.open_now}
                for c in self.contacts
            ],
        }


def _decisive(indicator: Indicator) -> bool:
    return indicator.sufficient_alone is not None or indicator.immediate_danger is not None


def is_open(contact: Contact, when: datetime) -> bool | None:
    """Whether a contact is open at `when`, from its machine-readable hours; None if unknown."""
    if contact.always_open:
        return True
    if not contact.windows:
        return None
    local = when.astimezone(LONDON)
    if is_bank_holiday(local.date()):
        return contact.open_on_bank_holidays
    now_t = local.time()
    today = local.weekday()
    yesterday = (today - 1) % 7
    for w in contact.windows:
        start = time.fromisoformat(w.start)
        end = time.max if w.end == "24:00" else time.fromisoformat(w.end)
        if start <= end:
            if today in w.days and start <= now_t < end:
                return True
        else:  # runs past midnight
            if today in w.days and now_t >= start:
                return True
            if yesterday in w.days and now_t < end and not is_bank_holiday(local.date() - timedelta(days=1)):
                return True
    return False


def _contacts(catalogue: Catalogue, ids: list[str], when: datetime) -> tuple[ContactNow, ...]:
    by_id = {c.id: c for c in catalogue.contacts}
    found = [ContactNow(by_id[i], is_open(by_id[i], when)) for i in ids if i in by_id]
    # Open now first, then those whose hours the guidance does not give, then closed ones;
    # otherwise keep the guidance's order.
    rank = {True: 0, None: 1, False: 2}
    return tuple(sorted(found, key=lambda c: rank[c.open_now]))


def suggest(catalogue: Catalogue, tick_ids, context: Context | None = None) -> Suggestion:
    context = context or Context()
    when = context.now or datetime.now(tz=LONDON)
    by_id = {i.id: i for i in catalogue.indicators}
    ticked = tuple(by_id[t] for t in dict.fromkeys(tick_ids) if t in by_id)
    levels = {lv.number: lv for lv in catalogue.levels}
    rules = catalogue.rules

    counts_by_level = {n: 0 for n in levels}
    counts_by_domain: dict[str, int] = {}
    for ind in ticked:
        counts_by_level[ind.level] += 1
        counts_by_domain[ind.domain] = counts_by_domain.get(ind.domain, 0) + 1

    def needed(n: int) -> int:
        return rules.corroboration.get(str(n), 1)

    suggested: Level | None = None
    reasons: tuple[Indicator, ...] = ()
    if ticked:
        # A level is met when enough ticks sit at or above it, or one of them is decisive alone.
        met = None
        for n in sorted(levels, reverse=True):
            at_or_above = [i for i in ticked if i.level >= n]
            decisive = [i for i in at_or_above if _decisive(i)]
            if decisive or (at_or_above and len(at_or_above) >= needed(n)):
                met = (n, tuple(decisive) if decisive and len(at_or_above) < needed(n) else tuple(at_or_above))
                break
        # A tick whose level is not met still points to the level below it: one factor is not
        # enough for its own level where the guidance asks for more, but it is not nothing.
        def points_to(i: Indicator) -> int:
            return i.level if needed(i.level) == 1 else max(i.level - 1, min(levels))

        floor = max(points_to(i) for i in ticked)
        if met is not None and met[0] >= floor:
            suggested, reasons = levels[met[0]], met[1]
        else:
            suggested = levels[floor]
            reasons = tuple(i for i in ticked if points_to(i) == floor)

    flags: list[Flag] = []
    danger = [i for i in ticked if i.immediate_danger is not None]
    for ind in danger:
        flags.append(
            Flag(
                "immediate_danger",
                f"“{ind.text}” may mean the child is in immediate danger. {catalogue.emergency.text} "
                "Do not delay action to seek consent.",
                ind.immediate_danger.sentence,
                ind.immediate_danger.source,
                (ind.id,),
            )
        )

    if suggested is not None:
        top = max(levels)
        for n in range(suggested.number + 1, top + 1):
            above = [i for i in ticked if i.level == n]
            if not above:
                continue
            basis = rules.corroboration_basis
            more = needed(n) - len([i for i in ticked if i.level >= n])
            flags.append(
                Flag(
                    "borderline",
                    f"{len(above)} ticked indicator{'s' if len(above) != 1 else ''} at Level {n} "
                    f"({levels[n].name}), but the guidance does not read a level off one factor: "
                    f"it would be Level {n} with {more} more indicator{'s' if more != 1 else ''} at Level {n} "
                    "or above, or one that is decisive on its own. Talk to your safeguarding lead.",
                    basis.sentence if basis else "",
                    basis.source if basis else "",
                    tuple(i.id for i in above),
                )
            )
        cumulative = rules.cumulative
        # Level 1 describes needs that are met, so only levels of need can add up.
        if cumulative is not None and min(levels) < suggested.number < top:
            same = [i for i in ticked if i.level == suggested.number]
            domains = {i.domain for i in same}
            if len(same) >= cumulative.min_indicators and len(domains) >= cumulative.min_domains:
                nxt = levels[suggested.number + 1]
                flags.append(
                    Flag(
                        "cumulative",
                        f"{len(same)} indicators at Level {suggested.number} across {len(domains)} domains: "
                        f"together they may amount to Level {nxt.number} ({nxt.name}). "
                        "Consider the next level and talk to your safeguarding lead.",
                        cumulative.sentence,
                        cumulative.source,
                        tuple(i.id for i in same),
                    )
                )
    if ticked:
        for reminder in rules.judgement_reminders:
            flags.append(Flag("judgement", reminder.text, reminder.text, reminder.source))

    contact_ids = list(suggested.response.contact_ids) if suggested else []
    return Suggestion(
        level=suggested,
        reasons=reasons,
        ticked=ticked,
        counts_by_level=counts_by_level,
        counts_by_domain=counts_by_domain,
        flags=tuple(flags),
        contacts=_contacts(catalogue, contact_ids, when),
        emergency_contacts=_contacts(catalogue, list(catalogue.emergency.contact_ids), when),
    )
