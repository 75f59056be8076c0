"""Shapes a catalogue for the assessment page: domains, sub-areas, then indicators by level."""

from __future__ import annotations

from dataclasses import dataclass

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


def sections(catalogue: Catalogue, *, unborn: bool, query: str = "") -> list[Section]:
    """One pass over the indicators, then sections in the document's order of domains and sub-areas."""
    levels = {lv.number: lv for lv in catalogue.levels}
    q = query.strip().lower()
    skip = "born" if unborn else "unborn"
    grouped: dict[tuple[str, str | None], dict[int, list[Indicator]]] = {}
    for ind in catalogue.indicators:
        if ind.retired or ind.applies_to == skip or (q and q not in ind.text.lower()):
            continue
        grouped.setdefault((ind.domain, ind.subdomain), {}).setdefault(ind.level, []).append(ind)
    out: list[Section] = []
    for domain in catalogue.domains:
        for sub_id, sub_name in [(s.id, s.name) for s in domain.subdomains] + [(None, None)]:
            by_level = grouped.get((domain.id, sub_id))
            if by_level:
                out.append(Section(f"{domain.id}--{sub_id}" if sub_id else domain.id, domain.name, sub_name,
                                   [LevelGroup(levels[n], by_level[n]) for n in sorted(by_level)]))
    return out


def lists_of_kind(catalogue: Catalogue, kind: str, level: int | None = None) -> list[ReferenceList]:
    return [x for x in catalogue.lists if x.kind == kind and (level is None or x.level in (None, level))]


def matrix_band(catalogue: Catalogue, ratings: dict[str, str]) -> MatrixBand | None:
    """The overall band of the Disability Needs Matrix: the highest band any area is rated at."""
    matrix = catalogue.disability_matrix
    if matrix is None or not ratings:
        return None
    top = max(ratings.values(), key=lambda b: BAND_ORDER[b])
    return next(b for b in matrix.bands if b.band == top)
