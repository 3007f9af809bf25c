"""Scheduler tick cost: 1,000 schedules, one tick, time to find and claim the due jobs.

    python bench/bench_schedule.py [--jobs 1000] [--repeat 3] [--pg URL | --no-pg]

For each database (a fresh SQLite file; a fresh schema on PostgreSQL) it adds N `--every`
jobs (each naming its own site, so every one takes a site lock), then times one claim
transaction exactly as `schedule run-due` runs it (reclaim expired leases, select the due
jobs, claim each with its job run and site lock, commit): once with every job due (the
worst case: a scheduler starting after downtime) and once with none due (an ordinary
tick).  The crawls themselves are not run.  Target: under 1 s on both databases.
Writes `bench/results/schedule.json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aggregator.jobs.catalog import add_schedule  # noqa: E402
from aggregator.jobs.claims import claim_due  # noqa: E402
from aggregator.jobs.specs import StartOptions  # noqa: E402
from aggregator.jobs.timing import Cadence  # noqa: E402
from aggregator.storage.db import make_engine, session_factory  # noqa: E402
from aggregator.storage.migrate import upgrade  # noqa: E402

RESULTS = ROOT / "bench" / "results"
T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def fill(url: str, jobs: int) -> None:
    """Add `jobs` schedules, each on its own site, all due at T0."""
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        for i in range(jobs):
            add_schedule(session, f"job-{i:05d}",
                         StartOptions(feeds=[f"https://site{i}.example.id/feed.xml"]),
                         Cadence(every_s=900), now=T0)  # fmt: skip
    engine.dispose()


def time_tick(url: str, now: dt.datetime) -> tuple[float, int]:
    """Seconds for one claim transaction at `now`, and how many jobs it claimed."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    with sessions() as session:  # connect first: the pool's first connect is not the tick
        session.connection()
    started = time.perf_counter()
    with sessions.begin() as session:
        claims = claim_due(session, now, "bench", 120)
    took = time.perf_counter() - started
    engine.dispose()
    return took, len(claims)


def measure(make_url: Any, jobs: int, repeat: int) -> dict[str, Any]:
    """Median and max over `repeat` fresh databases."""
    all_due: list[float] = []
    none_due: list[float] = []
    claimed = 0
    for _ in range(repeat):
        with make_url() as url:
            fill(url, jobs)
            took, claimed = time_tick(url, T0)
            all_due.append(took)
            took_idle, idle_claimed = time_tick(url, T0 + dt.timedelta(minutes=1))
            assert idle_claimed == 0
            none_due.append(took_idle)
    return {"jobs": jobs, "claimed": claimed,
            "all_due_s": {"median": round(statistics.median(all_due), 4),
                          "max": round(max(all_due), 4)},
            "none_due_s": {"median": round(statistics.median(none_due), 4),
                           "max": round(max(none_due), 4)},
            "runs": repeat}  # fmt: skip


class SqliteFile:
    """A fresh SQLite file per use."""

    def __enter__(self) -> str:
        self.dir = tempfile.TemporaryDirectory()
        return f"sqlite:///{self.dir.name}/bench.db"

    def __exit__(self, *exc: object) -> None:
        self.dir.cleanup()


class PgSchema:
    """A fresh PostgreSQL schema per use (dropped after)."""

    def __init__(self, admin: str) -> None:
        self.admin = admin

    def __enter__(self) -> str:
        import psycopg

        self.schema = "bench_" + uuid.uuid4().hex[:10]
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.schema}"')
        return f"{self.admin}?options=-csearch_path%3D{self.schema}"

    def __exit__(self, *exc: object) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


def main() -> int:
    """Measure, print, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg", default=PG_DEFAULT, help="PostgreSQL admin URL")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    result: dict[str, Any] = {"sqlite": measure(SqliteFile, args.jobs, args.repeat)}
    print("sqlite", json.dumps(result["sqlite"]), flush=True)
    if not args.no_pg:
        try:
            result["postgresql"] = measure(lambda: PgSchema(args.pg), args.jobs, args.repeat)
            print("postgresql", json.dumps(result["postgresql"]), flush=True)
        except Exception as exc:  # no server: report SQLite alone, say why
            print(f"postgresql skipped: {exc}", file=sys.stderr)
    result["note"] = ("one claim transaction (find + claim + site locks + commit), crawls "
                      "excluded; shared 2-core machine, timings noisy")  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "schedule.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
