"""The national code lists indicators are tagged with, and the shared vocabulary's concept ids.

The Children in Need census "factors identified at the end of assessment" (the DfE's code list, reused by
the Standard Safeguarding Dataset) are kept in ``catalogues/data/cin-census-codes.json``, copied from the
published lists: a catalogue may tag an indicator only with a current factor code. Concepts come from the
search vocabulary (``catalogues/vocabulary.toml``) for concerns no factor code fits.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path

CODES_FILE = Path(__file__).resolve().parent / "data" / "cin-census-codes.json"
VOCABULARY_FILE = Path(__file__).resolve().parent / "vocabulary.toml"


@cache
def code_lists() -> dict:
    return json.loads(CODES_FILE.read_text(encoding="utf-8"))


def assessment_factors() -> dict[str, str]:
    """Current CIN census assessment factor codes → a short description (retired codes left out)."""
    return dict(code_lists()["assessment_factors"])


@cache
def concept_ids() -> frozenset[str]:
    """The ids of the shared vocabulary's concepts (read here, not through search, to keep the schema light)."""
    data = tomllib.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return frozenset(c["id"] for c in data.get("concept", []))
