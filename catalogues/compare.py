"""How another partnership's guidance would see the same concerns. Plain: no ORM, no request.

Two steps, with the practitioner in between (docs/comparing-partnerships.md):

1. ``propose``: for each home tick, the other catalogue's indicators that describe the same concern, best
   first, each saying why in plain words. Shared Children in Need census codes come first, then shared
   concepts of the shared vocabulary, then (last resort) similar wording; within each, a need for a need
   (not a first-level "need met" for a concern, or the reverse), then more in common, then the closer
   wording with a small preference for a level of the same national stage (``level_schemes.corresponding``).
   A tick may have no counterpart: that is said, not guessed.
2. ``compare``: once the practitioner has confirmed the other catalogue's ticks, both suggestions from the
   same engine and the differences between them in the guidance's own words (level and national stage,
   where to go, consent, contacts).

The matching is the product's, not the guidance's, so every proposal is shown for confirmation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from .codes import assessment_factors
from .engine import Context, Suggestion, suggest
from .level_schemes import BAND_NAMES, BANDS, Band, band_of, corresponding
from .schema import Catalogue, ConsentRule, Indicator
from .search import tokens, vocabulary

# Wording alone proposes a counterpart only from this similarity (0-100) up: below it, unrelated
# indicators that share a few common words ("parents", "family") would be offered.
WORDING_MIN = 65
# Points added to the wording score of a candidate at a level of the same national stage: enough to
# break a near-tie, not enough to prefer a clearly different concern at the "right" level.
SAME_STAGE_BONUS = 8
MAX_CANDIDATES = 3

Basis = Literal["code", "concept", "wording"]
_TIER: dict[Basis, int] = {"code": 2, "concept": 1, "wording": 0}


@lru_cache(maxsize=8192)
def _comparable(text: str) -> str:
    """The words that carry meaning, by their stem, so "concerns" and "concern" compare as one word."""
    return " ".join(t.stem for t in tokens(text))


def similarity(a: str, b: str) -> float:
    """Wording similarity, 0-100: the mean of rapidfuzz's token-set ratio (one text's words within the
    other's, in any order) and token-sort ratio (which tempers the set ratio when a short text's few
    words happen to be in a long one)."""
    x, y = _comparable(a), _comparable(b)
    if not x or not y:
        return 0.0
    return (fuzz.token_set_ratio(x, y) + fuzz.token_sort_ratio(x, y)) / 2


@dataclass(frozen=True)
class Candidate:
    indicator: Indicator
    basis: Basis
    why: str  # plain words, e.g. "same census code 3B – Domestic abuse: concerns about a parent or carer"
    shared: tuple[str, ...]  # the codes or concept ids in common (empty for wording)
    wording: float  # 0-100
    same_stage: bool  # at a level of the same national stage as the home indicator's
    # Both describe a need met (universal) or both a need: the first level of every scheme describes
    # needs that are met, so "meeting milestones" is no counterpart of "failing to reach milestones".
    same_kind: bool = True

    @property
    def rank(self) -> tuple:
        bonus = SAME_STAGE_BONUS if self.same_stage else 0
        return (_TIER[self.basis], self.same_kind, len(self.shared), self.wording + bonus)


@dataclass(frozen=True)
class Proposal:
    """One home tick and its proposed counterparts in the other catalogue, best first (may be none)."""

    home: Indicator
    candidates: tuple[Candidate, ...]
    no_match: str = ""  # said when there is no candidate

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def as_json(self) -> dict:
        return {"home": self.home.id, "candidates": [c.indicator.id for c in self.candidates],
                "why": [c.why for c in self.candidates]}


def _concept_names() -> dict[str, str]:
    return {c.id: c.name for c in vocabulary()}


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _why_codes(codes: Sequence[str]) -> str:
    names = assessment_factors()
    listed = "; ".join(f"{code} – {names.get(code, code)}" for code in codes)
    return f"same census code{'s' if len(codes) > 1 else ''} {listed}"


def _why_concepts(concepts: Sequence[str]) -> str:
    names = _concept_names()
    return "same concern: " + "; ".join(_lower_first(names.get(c, c)) for c in concepts)


def _in_order(items: Iterable[str], order: Sequence[str]) -> tuple[str, ...]:
    found = set(items)
    return tuple(x for x in order if x in found)


def _applies(indicator: Indicator, unborn: bool) -> bool:
    if indicator.retired:
        return False
    return indicator.applies_to == "any" or indicator.applies_to == ("unborn" if unborn else "born")


def _met(catalogue: Catalogue, level_number: int) -> bool:
    level = next(lv for lv in catalogue.levels if lv.number == level_number)
    return band_of(catalogue, level) == "universal"


def candidates_for(home: Catalogue, indicator: Indicator, other: Catalogue, *, unborn: bool = False,
                   limit: int = MAX_CANDIDATES) -> tuple[Candidate, ...]:
    """The other catalogue's best counterparts of one home indicator, best first."""
    stage_levels = {lv.number for lv in corresponding(home, indicator.level, other)}
    home_met = _met(home, indicator.level)
    found: list[Candidate] = []
    for theirs in other.indicators:
        if not _applies(theirs, unborn):
            continue
        wording = similarity(indicator.text, theirs.text)
        codes = _in_order(set(indicator.codes) & set(theirs.codes), indicator.codes)
        concepts = _in_order(set(indicator.concepts) & set(theirs.concepts), indicator.concepts)
        same_stage, same_kind = theirs.level in stage_levels, _met(other, theirs.level) == home_met
        if codes:
            found.append(Candidate(theirs, "code", _why_codes(codes), codes, wording, same_stage, same_kind))
        elif concepts:
            found.append(Candidate(theirs, "concept", _why_concepts(concepts), concepts, wording, same_stage,
                                   same_kind))
        elif wording >= WORDING_MIN:
            found.append(Candidate(theirs, "wording", f"similar wording ({round(wording)}%)", (), wording,
                                   same_stage, same_kind))
    # sorted() is stable: equal ranks keep the other catalogue's order.
    return tuple(sorted(found, key=lambda c: c.rank, reverse=True)[:limit])


def no_match_said(other: Catalogue) -> str:
    return f"{other.authority.name}'s guidance has no indicator for this"


def propose(home: Catalogue, tick_ids: Iterable[str], other: Catalogue, *, unborn: bool = False,
            limit: int = MAX_CANDIDATES) -> tuple[Proposal, ...]:
    """For each home tick (in the order given; unknown ids left out), its proposed counterparts."""
    by_id = {i.id: i for i in home.indicators}
    out = []
    for tick in dict.fromkeys(tick_ids):
        indicator = by_id.get(tick)
        if indicator is None:
            continue
        found = candidates_for(home, indicator, other, unborn=unborn, limit=limit)
        out.append(Proposal(indicator, found, "" if found else no_match_said(other)))
    return tuple(out)


def proposed_ids(proposals: Iterable[Proposal]) -> list[str]:
    """What the page ticks for the practitioner to confirm: each home tick's best counterpart, once."""
    return list(dict.fromkeys(p.best.indicator.id for p in proposals if p.best is not None))


# --- the two suggestions, side by side -------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    catalogue: Catalogue
    suggestion: Suggestion
    band: Band | None

    @property
    def name(self) -> str:
        return self.catalogue.authority.name

    @property
    def band_name(self) -> str:
        return BAND_NAMES[self.band] if self.band else ""


@dataclass(frozen=True)
class Difference:
    """One way the two suggestions differ, in plain words, with each side's guidance quoted."""

    topic: Literal["stage", "level", "route", "consent", "child_protection", "unmatched"]
    said: str
    home: str = ""  # the home guidance's words (quoted as they are)
    other: str = ""


@dataclass(frozen=True)
class Comparison:
    home: Side
    other: Side
    differences: tuple[Difference, ...]
    unmatched: tuple[Indicator, ...]  # home ticks with no confirmed counterpart

    @property
    def same_stage(self) -> bool:
        return self.home.band == self.other.band


def _side(catalogue: Catalogue, ticks: Iterable[str], context: Context | None) -> Side:
    s = suggest(catalogue, list(ticks), context)
    return Side(catalogue, s, band_of(catalogue, s.level) if s.level else None)


def _route(s: Suggestion) -> str:
    if s.unborn_route is not None:
        return s.unborn_route.route
    return (s.response.route or "") if s.response else ""


def compare(home: Catalogue, home_ticks: Sequence[str], other: Catalogue, other_ticks: Sequence[str],
            proposals: Iterable[Proposal] = (), context: Context | None = None) -> Comparison:
    """Both suggestions, and how they differ. `proposals` (for the home ticks) tell which home ticks
    have no confirmed counterpart among `other_ticks`."""
    h, o = _side(home, home_ticks, context), _side(other, other_ticks, context)
    hs, os_ = h.suggestion, o.suggestion
    confirmed = set(other_ticks)
    by_home = {p.home.id: p for p in proposals}
    unmatched = tuple(i for i in hs.ticked if not (
        (p := by_home.get(i.id)) is not None and any(c.indicator.id in confirmed for c in p.candidates)))
    diffs: list[Difference] = []
    if hs.level and os_.level:
        if h.band != o.band:
            higher = o.band is not None and h.band is not None and BANDS.index(o.band) > BANDS.index(h.band)
            diffs.append(Difference(
                "stage", f"{o.name}'s guidance places these concerns at a {'higher' if higher else 'lower'} "
                f"national stage: {o.band_name} ({os_.level.label}), where {h.name}'s says {h.band_name} "
                f"({hs.level.label}).", hs.level.description, os_.level.description))
        elif hs.level.label != os_.level.label:
            how = "named" if hs.level.number == os_.level.number else "numbered"
            diffs.append(Difference(
                "level", f"The same national stage, {h.band_name}, but {how} differently: {hs.level.label} in "
                f"{h.name}'s guidance, {os_.level.label} in {o.name}'s.",
                hs.level.description, os_.level.description))
        if hs.child_protection != os_.child_protection:
            cp, not_cp = (o, h) if os_.child_protection else (h, o)
            diffs.append(Difference(
                "child_protection", f"{cp.name}'s guidance treats a ticked concern as child protection, which "
                f"meets its top level on its own; {not_cp.name}'s does not for the concerns confirmed."))
        if _route(hs) != _route(os_) or hs.route_kind != os_.route_kind:
            diffs.append(Difference(
                "route", f"Where to go: {_route(hs) or 'no route named'} in {h.name}; "
                f"{_route(os_) or 'no route named'} in {o.name}.",
                hs.response.text if hs.response else "", os_.response.text if os_.response else ""))
        hc, oc = hs.consent, os_.consent
        if hc and oc and (hc.consent, bool(hc.refused_without_consent)) != (oc.consent,
                                                                            bool(oc.refused_without_consent)):
            diffs.append(Difference(
                "consent", f"Consent: {_consent_said(hc, hs)} in {h.name}; {_consent_said(oc, os_)} in {o.name}.",
                hc.text, oc.text))
    if unmatched:
        n = len(unmatched)
        diffs.append(Difference(
            "unmatched", f"{n} of your ticks {'has' if n == 1 else 'have'} no counterpart confirmed in {o.name}'s "
            f"guidance, so its suggestion does not weigh {'it' if n == 1 else 'them'}."))
    return Comparison(h, o, tuple(diffs), unmatched)


def _consent_said(rule: ConsentRule, s: Suggestion) -> str:
    said = CONSENT_SAID[rule.consent]
    if rule.refused_without_consent and not s.child_protection:
        said += " (a request without it will not be accepted)"
    return said


CONSENT_SAID = {"required": "consent is required", "best_practice": "seek consent, but the guidance gives grounds "
                "for going ahead without it", "not_required": "consent is not required"}
