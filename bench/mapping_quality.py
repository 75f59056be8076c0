"""How well "compare with another partnership" finds the same concern in other words: for each pair in
bench/concern_pairs.json, is an accepted counterpart among the comparison's top three proposals?"""

from __future__ import annotations

import json
from pathlib import Path

PAIRS_FILE = Path(__file__).resolve().parent / "concern_pairs.json"


def measure(load) -> dict:
    """`load(slug)` gives a partnership's catalogue. Returns the top-three hit rate and the misses."""
    from catalogues.compare import propose

    pairs = json.loads(PAIRS_FILE.read_text())["pairs"]
    misses = []
    for pair in pairs:
        (home_slug, tick), other_slug = pair["home"], pair["other"]
        home, other = load(home_slug), load(other_slug)
        [proposal] = propose(home, [tick], other, limit=3)
        found = [c.indicator.id for c in proposal.candidates][:3]
        if not set(found) & set(pair["accept"]):
            misses.append({"home": pair["home"], "other": other_slug, "accept": pair["accept"], "proposed": found})
    hits = len(pairs) - len(misses)
    return {"pairs": len(pairs), "top3_hits": hits, "top3_rate": round(hits / len(pairs), 3), "misses": misses}
