"""Level schemes as data: each partnership numbers its levels its own way (four levels, three with
"Family Help", sub-levels such as 4a/4b/4c), so comparisons and reports go through the national stage
("band") of each level.

Each level carries its band, read from its document (who leads, which assessment: an early help
assessment, a social-care assessment under s17, an enquiry under s47) with the sentence that decides it,
and the other stages it also covers where the document says so (Knowsley's Level 4 is both children in
need and children in need of protection). The schema refuses a scheme whose stages go down as the levels
go up, or whose top level is not child protection (docs/catalogue-format.md).
"""

from __future__ import annotations

from .schema import BANDS, Band, Catalogue, Level

__all__ = ["BANDS", "BAND_NAMES", "Band", "band_of", "corresponding", "stage_name"]

BAND_NAMES: dict[Band, str] = {
    "universal": "Universal services",
    "early_help": "Early help (targeted or family help)",
    "child_in_need": "Child in need (statutory social care)",
    "child_protection": "Child protection",
}


def band_of(catalogue: Catalogue, level: Level) -> Band:
    """The national stage a level belongs to, as its catalogue gives it (`catalogue` kept for callers)."""
    return level.band


def stage_name(level: Level) -> str:
    """Every stage the level covers, in words: "Child protection", or for a level covering two stages
    "Child in need (statutory social care) or child protection"."""
    names = [BAND_NAMES[b] for b in level.bands]
    return " or ".join([names[0], *(n[:1].lower() + n[1:] for n in names[1:])])


def corresponding(home: Catalogue, level_number: int, other: Catalogue) -> tuple[Level, ...]:
    """The other catalogue's levels covering a national stage the home level covers, in the other's order.

    May be several (Level 4 of a four-level scheme, covering s17 and s47, against 4a/4b/4c) or one for two
    home levels ("Family Help" for Levels 2 and 3). Where the other scheme has no level at any of the home
    level's stages, its levels at the nearest stage, above before below (a higher level is the safer
    reading of a gap).
    """
    level = next(lv for lv in home.levels if lv.number == level_number)
    wanted = set(level.bands)
    found = tuple(lv for lv in other.levels if wanted & set(lv.bands))
    if found:
        return found
    low, high = BANDS.index(level.bands[0]), BANDS.index(level.bands[-1])
    for step in range(1, len(BANDS)):
        for index in (high + step, low - step):
            if 0 <= index < len(BANDS):
                near = tuple(lv for lv in other.levels if BANDS[index] in lv.bands)
                if near:
                    return near
    return ()
