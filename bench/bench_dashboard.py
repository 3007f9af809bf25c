"""Dashboard benchmark: each page's response time on a 100,000-article database.

For each backend (SQLite, PostgreSQL): generate the database in bulk (articles with
story clusters, revisions and aliases; 20 sources crawled every 12 hours for 60 days,
so 120 runs with per-source `source_runs` rows; failed fetches), start
`aggregator dashboard` in its own process on 127.0.0.1, and time every page (HTML and
its JSON twin) and /metrics with sequential keep-alive requests after a warm-up.

    python bench/bench_dashboard.py [--articles 100000] [--requests 40] [--backends sqlite,postgres]

Prints a table and writes bench/results/dashboard.json.  Target: p95 under 200 ms.
PostgreSQL is skipped (and said so) when 127.0.0.1:5432 is unreachable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from bench_storage import SOURCES, Corpus, _percentiles, backend_urls
from sqlalchemy import insert

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.maintenance import optimize
from aggregator.storage.migrate import upgrade
from aggregator.storage.models import Article, ArticleAlias, ArticleRevision, Source
from aggregator.storage.models_health import SourceRunMetrics
from aggregator.storage.models_runs import CrawlRun, FailedFetch

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "dashboard.json"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAYS, RUN_EVERY_H, BATCH = 60, 12, 2000


def run_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Crawl runs every RUN_EVERY_H hours and one `source_runs` row per source per run."""
    runs, per_source = [], []
    count = DAYS * 24 // RUN_EVERY_H
    stats = {f"stat/key{i}": i for i in range(150)}
    for r in range(count):
        started = NOW - dt.timedelta(hours=RUN_EVERY_H * (count - r))
        finished = started + dt.timedelta(minutes=6)
        runs.append({"id": r + 1, "spider": "news", "started_at": started,
                     "finished_at": finished, "sites": SOURCES, "pages_fetched": 1200,
                     "items_scraped": 800, "items_stored": 800, "items_inserted": 700,
                     "items_updated": 100, "duplicates": 12, "items_dropped": 15,
                     "drops_by_reason": {"validate/dropped/no_body": 3}, "errors": 2,
                     "items_failed": 0, "finish_reason": "finished", "stats": stats})  # fmt: skip
        for s, source in enumerate(SOURCES):
            stored = 40 + (r * 7 + s) % 9
            per_source.append({
                "crawl_run_id": r + 1, "source": source, "started_at": started,
                "finished_at": finished, "pages_fetched": stored + 8, "articles_scraped": stored,
                "articles_stored": stored, "articles_failed": 0, "fetch_failures": 1,
                "not_articles": 1, "bot_challenges": 0, "zone_corrections": 1,
                "with_title": stored, "with_date": stored - 1, "with_author": stored - 4,
                "with_body": stored, "median_body_chars": 2300 + (r * 13 + s) % 200,
                "lag_p50_seconds": 1800, "lag_p95_seconds": 7200,
                "status_counts": {"200": stored + 7, "404": 1},
                "failure_reasons": {"http_404": 1}, "reject_reasons": {"index_page": 1},
                "drop_reasons": {"duplicate_url": 2},
                "rule_hits": {"baca-juga": stored - 5, "ad-slot": stored},
            })  # fmt: skip
    return runs, per_source


def build(url: str, count: int) -> dict[str, Any]:
    """Create and fill the database; returns ids the pages need and timings."""
    began = time.perf_counter()
    engine = make_engine(url)
    upgrade(engine)
    corpus = Corpus()
    with session_factory(engine).begin() as session:
        session.execute(insert(Source), [{"name": s, "first_seen_at": NOW - dt.timedelta(
            days=DAYS)} for s in SOURCES])  # fmt: skip
        runs, per_source = run_rows()
        session.execute(insert(CrawlRun), runs)
        session.execute(insert(SourceRunMetrics), per_source)
    for lo in range(0, count, BATCH):  # generated per batch: memory stays small
        rows = article_rows(corpus, range(lo, min(count, lo + BATCH)), count)
        with session_factory(engine).begin() as session:
            session.execute(insert(Article), rows)
    with session_factory(engine).begin() as session:
        session.execute(insert(ArticleRevision), [{
            "article_id": i, "revision": 1, "title": "Judul lama", "body": "Isi lama.\n\nParagraf.",
            "content_hash": f"old{i}", "fetched_at": NOW, "superseded_at": NOW}
            for i in range(1, 1001)])  # fmt: skip
        session.execute(insert(ArticleAlias), [{
            "url": f"https://amp.example.id/{i}", "article_id": i, "first_seen_at": NOW}
            for i in range(1, 1001)])  # fmt: skip
        session.execute(insert(FailedFetch), [{
            "url": f"https://{SOURCES[i % 20]}.example.id/gagal/{i}", "source": SOURCES[i % 20],
            "kind": "article", "status": 503 if i % 2 else None, "reason": "timeout",
            "attempts": 1 + i % 3, "first_failed_at": NOW - dt.timedelta(minutes=i),
            "last_failed_at": NOW - dt.timedelta(minutes=i), "crawl_run_id": 1 + i % 120}
            for i in range(5000)])  # fmt: skip
    optimize(engine)
    engine.dispose()
    return {"build_s": round(time.perf_counter() - began, 1)}


def article_rows(corpus: Corpus, numbers: range, count: int) -> list[dict[str, Any]]:
    """Articles `numbers` of `count`, spread over the last DAYS days; story clusters of 3
    outlets (10 for every 50th story)."""
    span = DAYS * 86400
    out = []
    for n in numbers:
        published = NOW - dt.timedelta(seconds=span * (count - n) / count)
        seen = published + dt.timedelta(minutes=20 + n % 90)
        block, pos = divmod(n, 30)
        size = 10 if block % 50 == 0 else 3  # a few big stories, many small ones
        body = "\n\n".join(" ".join(corpus.words(40)).capitalize() + "." for _ in range(5))
        out.append({
            "url": f"https://{SOURCES[n % 20]}.example.id/berita/{n}", "source": SOURCES[n % 20],
            "published_at": published, "fetched_at": seen, "first_seen_at": seen,
            "last_seen_at": seen, "updated_at": seen, "title": " ".join(corpus.words(8)).title(),
            "body": body, "authors": [f"Penulis {n % 300}"], "editors": [], "credit_codes": [],
            "tags": corpus.words(2), "language": "id", "page_count": 1, "revision_count": 0,
            "cluster_id": block + 1 if pos < size else None, "is_cluster_origin": pos == 0,
            "content_hash": f"{n:064x}", "published_source": "jsonld",
        })  # fmt: skip
    return out


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pages(count: int) -> list[str]:
    """The paths timed: every page, its JSON twin, /metrics (article 500 has a revision
    and an alias; the newest articles are in big story clusters)."""
    newest_story = (count - 1) // 1500 * 1500 + 1  # the first of the newest 10-outlet story
    html = ["/", f"/sources/{quote(SOURCES[3])}", "/runs", "/runs/60", "/articles/500",
            f"/articles/{newest_story}", "/clusters", "/search?q=banjir", "/search?q=harga+beras",
            "/schedules"]  # fmt: skip
    api = ["/api/overview" if p == "/" else "/api" + p for p in html]
    return [*html, *api, "/metrics"]


def measure(url: str, requests: int, count: int) -> dict[str, Any]:
    """Start `aggregator dashboard` on the database and time each page."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "aggregator.cli.main", "dashboard", "--db",
                               url, "--port", str(port)], env=env)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            _wait(client, server)
            for path in pages(count):
                for _ in range(3):  # warm-up: caches, prepared plans
                    client.get(path).raise_for_status()
                timings = []
                for _ in range(requests):
                    began = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - began) * 1000)
                    response.raise_for_status()
                out[path] = {**_percentiles(timings), "bytes": len(response.content)}
                print(f"    {path:<40} p50 {out[path]['p50_ms']:>7} ms  "
                      f"p95 {out[path]['p95_ms']:>7} ms", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)
    return out


def _wait(client: httpx.Client, server: subprocess.Popen[bytes]) -> None:
    """Until the server answers (or died)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the dashboard exited early")
        try:
            client.get("/schedules")
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the dashboard did not start")


def main() -> None:
    """Build, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "articles": args.articles, "requests_per_page": args.requests,
        "runs": DAYS * 24 // RUN_EVERY_H, "sources": len(SOURCES),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
        "python": platform.python_version(), "backends": {},
        "load_average_at_start": [round(x, 1) for x in os.getloadavg()],
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in backend_urls(args.backends.split(","), Path(tmp)):
            if url is None:
                print(f"{name}: unreachable, skipped")
                report["backends"][name] = "skipped: unreachable"
                continue
            print(f"{name}: building {args.articles:,} articles ...", flush=True)
            built = build(url, args.articles)
            print(f"  built in {built['build_s']} s; timing pages", flush=True)
            timings = measure(url, args.requests, args.articles)
            worst = max(t["p95_ms"] for t in timings.values())
            report["backends"][name] = {**built, "pages": timings, "worst_p95_ms": worst,
                                        "load_average_after": [round(x, 1)
                                                               for x in os.getloadavg()]}
            print(f"  worst p95 {worst} ms (target 200 ms)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
