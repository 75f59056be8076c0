"""Where a tick's time goes: the htmx tick and the minimal view in process on a scratch SQLite database
(bench/run.py's set-up: Sefton, 25 ticks), their mean times, the statements of one tick, and cProfile's
top functions over 200 ticks. `.venv/bin/python bench/profile_tick.py` (docs/performance.md)."""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench.run as run  # noqa: E402 - after the path is set; it sets the bench's environment

run.SQLITE = ROOT / "bench" / "profile.sqlite3"
os.environ["SQLITE_PATH"] = str(run.SQLITE)
TICKS = 200


def main() -> None:
    run.fresh_database()
    person = run.make_people()[0]
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies["sessionid"] = person["session"]
    rng = random.Random(1)  # noqa: S311 - which boxes to tick, nothing secret
    ticks: list[str] = []

    def tick() -> None:
        nonlocal ticks
        ticks = (ticks + [rng.choice(person["ids"])])[-25:]
        response = client.post(f"/assessments/{person['assessment']}/",
                               urlencode({"tick": ticks, "revision": person["revision"]}, doseq=True),
                               content_type="application/x-www-form-urlencoded", HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code
        person["revision"] = int(run.REVISION.search(response.content).group(1))

    def minimal() -> None:
        assert client.get("/bench/minimal").status_code == 200

    for _ in range(20):
        tick()
        minimal()
    for name, call in (("tick", tick), ("minimal", minimal)):
        started = time.perf_counter()
        for _ in range(TICKS):
            call()
        print(f"{name}: {(time.perf_counter() - started) / TICKS * 1000:.2f} ms")
    with CaptureQueriesContext(connection) as statements:
        tick()
    print(f"{len(statements.captured_queries)} statements in a tick:")
    for statement in statements.captured_queries:
        print("  ", statement["sql"][:110])
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(TICKS):
        tick()
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(r"work|assessments|authorities|template/loader", 30)
    for suffix in ("", "-wal", "-shm"):
        Path(str(run.SQLITE) + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
