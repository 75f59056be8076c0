"""Shapes a catalogue for the assessment page: domains, sub-areas, then indicators by level."""

from __future__ import annotations

from dataclasses import dataclass

from catalogues import search
from catalogues.schema import Catalogue, Indicator, Level, MatrixBand, ReferenceList

BAND_ORDER = {"low": 0, "moderate": 1, "high": 2}


@dataclass
class LevelGroup:
    level: Level
    indicators: list[Indicator]


@dataclass
class Section:
    id: str
    name: str
    subname: str | None
    groups: list[LevelGroup]


def tickable(catalogue: Catalogue, *, unborn: bool) -> list[Indicator]:
    """The indicators that can be ticked for this child: live ones, born or unborn as the child is."""
    skip = "born" if unborn else "unborn"
    return [ind for ind in catalogue.indicators if not ind.retired and ind.applies_to != skip]


def find(catalogue: Catalogue, *, unborn: bool, query: str = "") -> search.Result:
    """What the search box finds (catalogues/search.py: every word, any order, the shared vocabulary)."""
    return search.search(tickable(catalogue, unborn=unborn), query.strip())


def sections(catalogue: Catalogue, *, unborn: bool, query: str = "",
             found: search.Result | None = None) -> list[Section]:
    """The indicators found (all of them for no query), in sections in the document's order of domains and
    sub-areas, then by level. ``found`` is a search already made for the same query."""
    levels = {lv.number: lv for lv in catalogue.levels}
    if found is None:
        found = find(catalogue, unborn=unborn, query=query)
    grouped: dict[tuple[str, str | None], dict[int, list[Indicator]]] = {}
    for hit in found.hits:
        ind = hit.indicator
        grouped.setdefault((ind.domain, ind.subdomain), {}).setdefault(ind.level, []).append(ind)
    out: list[Section] = []
    for domain in catalogue.domains:
        for sub_id, sub_name in [(s.id, s.name) for s in domain.subdomains] + [(None, None)]:
            by_level = grouped.get((domain.id, sub_id))
            if by_level:
                out.append(Section(f"{domain.id}--{sub_id}" if sub_id else domain.id, domain.name, sub_name,
                                   [LevelGroup(levels[n], by_level[n]) for n in sorted(by_level)]))
    return out


def matches_said(count: int) -> str:
    """The result count as announced and shown: "12 indicators match"."""
    return f"{count} indicator matches" if count == 1 else f"{count} indicators match"


def lists_of_kind(catalogue: Catalogue, kind: str, level: int | None = None) -> list[ReferenceList]:
    return [x for x in catalogue.lists if x.kind == kind and (level is None or x.level in (None, level))]


def matrix_band(catalogue: Catalogue, ratings: dict[str, str]) -> MatrixBand | None:
    """The overall band of the Disability Needs Matrix: the highest band any area is rated at."""
    matrix = catalogue.disability_matrix
    if matrix is None or not ratings:
        return None
    top = max(ratings.values(), key=lambda b: BAND_ORDER[b])
    return next(b for b in matrix.bands if b.band == top)
