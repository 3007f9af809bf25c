"""Scale-out benchmark: one job crawled by 1, 2 and 4 workers sharing a Redis frontier.

    python bench/bench_workers.py [--pages 1000] [--workers 1,2,4] [--regimes latency,cpu]
    python bench/bench_workers.py --memory 100000 [--store-off]  # one worker, RSS curve

Regimes (each in the same run, so the ratios compare like with like):
- latency: article pages answer after 200 ms, spread over 8 loopback hosts
  (127.0.0.2-9) so per-host limits (4 per host, shared) do not cap the job; each worker
  runs at most 4 requests at a time, as a polite worker would.  The regime of a real crawl.
- cpu: pages answer at once, project-default concurrency (16 per worker, 4 per host):
  the 2 cores of the machine cap the speed-up; the store's share is reported.

Each run: a new interpreter (so each starts its workers' fork server, as a new
`aggregator crawl` would), a fresh PostgreSQL database, a fresh job on the local Redis,
`start_workers` + `wait_for_job` (the code behind `aggregator crawl --frontier ...
--workers N`).  Reported per run:
wall time from launch to the last worker's exit, the crawl span (first to last article
answered, measured by the server), articles stored, the highest per-host concurrency the
server saw, and the store's time by part (whole batches, waiting for the writers' lock,
clustering) summed over workers from their crawl_runs rows.  Results go to
bench/results/workers.json and docs/img/workers.svg.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aggregator.crawler import CrawlOptions  # noqa: E402
from aggregator.frontier.job import connect, delete_job  # noqa: E402
from aggregator.frontier.keys import JobKeys  # noqa: E402
from aggregator.frontier.launch import start_workers, wait_for_job  # noqa: E402
from aggregator.frontier.runs import load_job_totals  # noqa: E402
from tests.frontier.slowsite import SlowSite  # noqa: E402

RESULTS = ROOT / "bench" / "results"
HOSTS = [f"127.0.0.{i}" for i in range(2, 10)]
PG_ADMIN = os.environ.get("AGGREGATOR_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("AGGREGATOR_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
COMMON: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "RANDOMIZE_DOWNLOAD_DELAY": False,
    "AGGREGATOR_FRONTIER_IDLE_SECONDS": 1.0, "AGGREGATOR_FRONTIER_HEARTBEAT": 0.5,
}  # fmt: skip
REGIMES: dict[str, dict[str, Any]] = {
    "latency": {"delay": 0.2, "settings": {"CONCURRENT_REQUESTS": 4,
                                           "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
                                           "AGGREGATOR_FRONTIER_HOST_CONCURRENCY": 4}},
    "cpu": {"delay": 0.0, "settings": {}},
}  # fmt: skip


def pg_database() -> tuple[str, str]:
    """(URL of a fresh database, its name).

    A database of its own, not a schema: the store's writers' lock is a PostgreSQL
    advisory lock, scoped to a database, and other users of a shared database (other
    schemas) would otherwise count as lock wait here.
    """
    import psycopg

    name = "bench_workers_" + uuid.uuid4().hex[:8]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name, name


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rss_mb(pid: int) -> float | None:
    """Resident set size of a process, from /proc (None once it has exited)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_once(pages: int, workers: int, regime: str, *, sample_rss: bool = False,
             extra: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """One job; the figures described in the module docstring."""
    spec = REGIMES[regime]
    db_url, database = pg_database()
    job = f"bench-{regime}-{workers}-{uuid.uuid4().hex[:6]}"
    tmp = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    settings = {**COMMON, **spec["settings"], "AGGREGATOR_STORE_DEAD_LETTER": str(tmp / "d.jsonl"),
                **(extra or {})}  # fmt: skip
    curve: list[tuple[float, float, int]] = []
    try:
        with SlowSite(pages, HOSTS, delay=spec["delay"]) as site:
            options = CrawlOptions(sitemaps=site.sitemaps, db_url=db_url, log_level="ERROR",
                                   settings=settings)  # fmt: skip
            started = time.monotonic()
            name, procs = start_workers(options, REDIS, workers, job=job)
            stop = threading.Event()
            if sample_rss:
                threading.Thread(target=_sample, args=(procs[0].pid, site, started, curve, stop),
                                 daemon=True).start()  # fmt: skip
            codes = wait_for_job(REDIS, name, procs)
            wall = time.monotonic() - started
            stop.set()
            span = (site.last_hit or 0) - (site.first_hit or 0)
            fetched, peak = sum(site.hits.values()), site.max_peak()
        if settings.get("AGGREGATOR_STORE_ENABLED", True):
            rows, totals = load_job_totals(db_url, name)
            store: Any = _store_parts(db_url, name)
        else:  # no crawl_runs rows with the store off
            rows, totals, store = [], {"items_stored": 0}, "off"
    finally:
        client = connect(REDIS)
        delete_job(client, JobKeys(job))
        drop_database(database)
    result = {"regime": regime, "workers": workers, "pages": pages, "exit_codes": codes,
              "wall_s": round(wall, 2), "crawl_span_s": round(span, 2),
              "article_fetches": fetched, "stored": totals["items_stored"],
              "peak_per_host": peak, "store": store,
              "per_worker": rows}  # fmt: skip
    if sample_rss:
        result["rss_curve"] = [{"t_s": t, "rss_mb": r, "articles_fetched": n}
                               for t, r, n in curve[::5]]  # fmt: skip (10 s apart)
        result["peak_rss_mb"] = max((r for _, r, _ in curve), default=None)
        result.pop("per_worker")
    return result


def run_fresh(pages: int, workers: int, regime: str) -> dict[str, Any]:
    """`run_once` in a new interpreter, as each `aggregator crawl --workers N` starts:
    its workers' fork server (see aggregator/frontier/forkserver.py) is started, and
    paid for, by every run instead of being reused from the previous one."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--pages", str(pages),
           "--single", regime, str(workers)]  # fmt: skip
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _sample(pid: int, site: SlowSite, started: float, out: list[tuple[float, float, int]],
            stop: threading.Event) -> None:  # fmt: skip
    while not stop.is_set():
        rss = rss_mb(pid)
        if rss is None:
            return
        with site.lock:
            fetched = sum(site.hits.values())
        out.append((round(time.monotonic() - started, 1), round(rss, 1), fetched))
        time.sleep(2.0)


def _store_parts(db_url: str, job: str) -> dict[str, Any]:
    """Store time by part, summed over the job's workers, and as shares of worker time."""
    from sqlalchemy import select

    from aggregator.storage.db import make_engine, session_factory
    from aggregator.storage.models_runs import CrawlRun

    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            runs = list(session.scalars(select(CrawlRun).where(CrawlRun.frontier_job == job)))
    finally:
        engine.dispose()
    parts = ("write", "lock_wait", "cluster", "sql")
    ms = {p: sum(int(r.stats.get(f"frontier/store/{p}_ms", 0)) for r in runs) for p in parts}
    elapsed = sum(float(r.stats.get("elapsed_time_seconds", 0)) for r in runs) * 1000 or 1.0
    return {**{f"{p}_ms": v for p, v in ms.items()},
            "worker_ms": round(elapsed),
            "store_share": round(ms["write"] / elapsed, 3),
            "lock_wait_share_of_store": round(ms["lock_wait"] / (ms["write"] or 1), 3),
            "cluster_share_of_store": round(ms["cluster"] / (ms["write"] or 1), 3)}  # fmt: skip


def chart(results: list[dict[str, Any]]) -> str:
    """Bars: wall time per worker count, one group per regime."""
    sys.path.insert(0, str(ROOT / "bench"))
    from charts import grouped_bars  # type: ignore[import-not-found]

    groups = [(f"{r['regime']}: {r['workers']} worker(s)", [r["wall_s"], r["crawl_span_s"]])
              for r in results]  # fmt: skip
    return grouped_bars("1,000 pages: wall time and crawl span by workers", groups,
                        ("wall (launch to exit)", "crawl span (first to last page)"), "s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--regimes", default="latency,cpu")
    parser.add_argument("--memory", type=int, default=0, metavar="N",
                        help="instead: one worker over N URLs, sampling its RSS")
    parser.add_argument("--store-off", action="store_true",
                        help="with --memory: AGGREGATOR_STORE_ENABLED=false (the frontier's "
                             "own footprint, without the store's clustering)")
    parser.add_argument("--out", type=Path, help="with --memory: the results file")
    parser.add_argument("--single", nargs=2, metavar=("REGIME", "WORKERS"),
                        help=argparse.SUPPRESS)  # one run, as JSON (see run_fresh)
    args = parser.parse_args(argv)
    if args.single:
        print(json.dumps(run_once(args.pages, int(args.single[1]), args.single[0])))
        return 0
    meta = {"python": platform.python_version(), "cpus": os.cpu_count(),
            "loadavg_at_start": os.getloadavg()}  # fmt: skip
    if args.memory:
        extra = {"AGGREGATOR_STORE_ENABLED": False} if args.store_off else {}
        out = run_once(args.memory, 1, "cpu", sample_rss=True, extra=extra)
        out.update(meta)
        target = args.out or RESULTS / "workers_memory.json"
        target.write_text(json.dumps(out, indent=2) + "\n")
        print(f"{args.memory} URLs, one worker: peak RSS {out['peak_rss_mb']} MB, "
              f"wall {out['wall_s']} s, stored {out['stored']}")
        return 0
    results = []
    for regime in args.regimes.split(","):
        for n in (int(w) for w in args.workers.split(",")):
            r = run_fresh(args.pages, n, regime)
            results.append(r)
            print(f"{regime:8} workers {n}: wall {r['wall_s']:7.1f} s  "
                  f"span {r['crawl_span_s']:6.1f} s  stored {r['stored']}  "
                  f"fetches {r['article_fetches']}  peak/host "
                  f"{r['peak_per_host']}  store {r['store']['store_share']:.0%} of worker time "
                  f"(lock wait {r['store']['lock_wait_share_of_store']:.0%}, clustering "
                  f"{r['store']['cluster_share_of_store']:.0%} of it)", flush=True)
    for regime in args.regimes.split(","):
        runs = [r for r in results if r["regime"] == regime]
        base = next((r for r in runs if r["workers"] == 1), None)
        for r in runs:
            if base:
                r["wall_ratio_vs_1"] = round(r["wall_s"] / base["wall_s"], 3)
                r["span_ratio_vs_1"] = round(r["crawl_span_s"] / (base["crawl_span_s"] or 1), 3)
    (RESULTS / "workers.json").write_text(json.dumps({**meta, "runs": results}, indent=2) + "\n")
    img = ROOT / "docs" / "img"
    img.mkdir(parents=True, exist_ok=True)
    (img / "workers.svg").write_text(chart(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
