"""The comparison finds the same concern in another partnership's words: for the concern pairs in
bench/concern_pairs.json (chosen by reading the wording, not the tags), an accepted counterpart is in the
top three proposals at least 90% of the time. `make bench` reports the same measure."""

from __future__ import annotations

import json

from bench.mapping_quality import PAIRS_FILE, measure
from tests.factories import catalogue


def test_the_pairs_name_real_indicators_of_two_different_partnerships():
    for pair in json.loads(PAIRS_FILE.read_text())["pairs"]:
        (home, tick), other = pair["home"], pair["other"]
        assert home != other
        assert tick in {i.id for i in catalogue(home).indicators}
        assert set(pair["accept"]) <= {i.id for i in catalogue(other).indicators}


def test_the_counterpart_is_in_the_top_three_at_least_90_percent_of_the_time():
    result = measure(catalogue)
    assert result["pairs"] >= 30
    assert result["top3_rate"] >= 0.9, json.dumps(result["misses"], indent=1)
