"""Store-scaling modes of bench/bench_crawl.py: store on vs off, page sweeps, big archives.

    python bench/bench_crawl.py --store-off --sweep 1000,10000,50000 [--rounds 2]
    python bench/bench_crawl.py --archive /tmp/arch1m.db --pages 1000 [--rounds 3]

Every configuration crawls the same generated site in turn, round after round
(interleaved), so a load spike on a shared machine hits all of them alike; the ratios
of one run are the figures to trust.  Configurations:

- `store`: every pipeline on (the store's writer in a child process, the default);
- `store-thread`: the same with the writer on a thread of the crawl (`--writer-thread`);
- `store-off`: the same with AGGREGATOR_STORE_ENABLED=false (`--store-off`);
- with `--jobdir`, every crawl keeps its pending requests on disk (Scrapy's `JOBDIR`);
- `empty` / `archive`: store on, into a new file / into the `--archive` database
  (bench/gen_archive.py); the rows the crawl added to the archive are deleted afterwards
  so every round starts from the same archive.

Writes bench/results/store_scaling.json (or `--out`) and prints a table of pages/s,
ratios and peak RSS (crawl process plus writer process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_crawl import RESULTS, run_our_crawl

Config = tuple[str, dict[str, Any], Path | None]  # name, settings, archive to write into


def configs(args: argparse.Namespace) -> list[Config]:
    """The configurations to interleave."""
    store: dict[str, Any] = {}
    out: list[Config] = []
    if args.archive:
        out += [("empty", store, None), ("archive", store, args.archive.resolve())]
    else:
        out.append(("store", store, None))
    if args.writer_thread:
        out.append(("store-thread", {"AGGREGATOR_STORE_WRITER": "thread"}, None))
    if args.store_off:
        out.append(("store-off", {"AGGREGATOR_STORE_ENABLED": False}, None))
    return out


def run_scaling(args: argparse.Namespace) -> int:
    """Run every page count x configuration x round; write and print the summary."""
    from aggregator.demo.synthetic import generate_site

    sizes = [int(x) for x in args.sweep.split(",")] if args.sweep else [args.pages]
    runs: list[dict[str, Any]] = []
    for pages in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-scaling-") as tmp:
            work = Path(tmp)
            generate_site(work / "site", pages)
            for index in range(args.rounds):
                for name, settings, archive in configs(args):
                    runs.append(one_crawl(work, pages, index, name, settings, archive, args))
    summary = summarize(runs)
    print_table(summary)
    out = args.out if args.out != RESULTS / "crawl.json" else RESULTS / "store_scaling.json"
    record = {"summary": summary, "runs": runs, "python": platform.python_version(),
              "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
                         f"load {os.getloadavg()[0]:.1f}",
              "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


def one_crawl(work: Path, pages: int, index: int, name: str, settings: dict[str, Any],
              archive: Path | None, args: argparse.Namespace) -> dict[str, Any]:  # fmt: skip
    """One crawl of the site; the figures that matter."""
    db = archive or work / f"{name}-{index}.db"
    top = max_article_id(db) if archive else 0
    load = os.getloadavg()[0]
    if args.jobdir:  # Scrapy's disk queue: pending requests live on disk, not in memory
        settings = {**settings, "JOBDIR": str(work / f"jobdir-{name}-{index}")}
    try:
        ours = run_our_crawl(work / "site", db, None, settings)
    finally:
        if archive:
            reset_archive(db, top)
        else:
            for path in db.parent.glob(db.name + "*"):
                path.unlink()
    stats = ours.get("stats", {})
    responses = int(stats.get("response_received_count", 0))
    elapsed = float(stats.get("elapsed_time_seconds", 0)) or ours["wall_s"]
    row = {"pages": pages, "config": name, "round": index + 1, "load_before": round(load, 1),
           "pages_per_s": round(responses / elapsed, 2), "elapsed_s": round(elapsed, 2),
           "items": int(stats.get("item_scraped_count", 0)), "stored": ours["stored"] - top,
           "peak_rss_mb": round(ours["peak_rss_mb"], 1),
           "crawl_rss_mb": round(ours.get("crawl_rss_mb", ours["peak_rss_mb"]), 1),
           "writer_rss_mb": round(ours.get("writer_rss_mb", 0.0), 1)}  # fmt: skip
    print(f"  {pages} pages, {name}, round {index + 1}: {row['pages_per_s']} pages/s, "
          f"{row['peak_rss_mb']} MB (load {load:.1f})", flush=True)
    return row


def max_article_id(db: Path) -> int:
    """The archive's highest article id before the crawl."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])
    finally:
        con.close()


def reset_archive(db: Path, top: int) -> None:
    """Delete what a crawl added (cascades to signatures, LSH rows, aliases, links)."""
    from sqlalchemy import text

    from aggregator.storage.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM articles WHERE id > :top"), {"top": top})
        for table in ("fetch_state", "source_watermarks", "failed_fetches", "failed_items",
                      "crawl_run_sources", "crawl_runs"):  # fmt: skip
            conn.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


def summarize(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per page count and configuration: medians, and the ratio to the reference."""
    out: list[dict[str, Any]] = []
    keys = sorted({(r["pages"], r["config"]) for r in runs}, key=lambda k: (k[0], k[1]))
    for pages, name in keys:
        mine = [r for r in runs if (r["pages"], r["config"]) == (pages, name)]
        out.append({"pages": pages, "config": name, "rounds": len(mine),
                    "pages_per_s": median([r["pages_per_s"] for r in mine]),
                    "min_pages_per_s": min(r["pages_per_s"] for r in mine),
                    "max_pages_per_s": max(r["pages_per_s"] for r in mine),
                    "peak_rss_mb": median([r["peak_rss_mb"] for r in mine]),
                    "crawl_rss_mb": median([r["crawl_rss_mb"] for r in mine]),
                    "writer_rss_mb": median([r["writer_rss_mb"] for r in mine]),
                    "stored": max(r["stored"] for r in mine)})  # fmt: skip
    for row in out:
        ref = {"store": "store-off", "archive": "empty"}.get(row["config"])
        base = next((r for r in out if r["pages"] == row["pages"] and r["config"] == ref), None)
        if base:
            row[f"ratio_to_{ref}"] = round(row["pages_per_s"] / base["pages_per_s"], 3)
            # Per-round ratios (same round = nearest in time): the spread is the noise.
            pairs = [(a["pages_per_s"] / b["pages_per_s"]) for a in runs for b in runs
                     if a["pages"] == b["pages"] == row["pages"] and a["round"] == b["round"]
                     and a["config"] == row["config"] and b["config"] == ref]  # fmt: skip
            row["round_ratios"] = [round(p, 3) for p in pairs]
    return out


def median(values: list[float]) -> float:
    """The middle value; the mean of the two middle ones for an even count."""
    return round(statistics.median(values), 2)


def print_table(summary: list[dict[str, Any]]) -> None:
    """One line per page count and configuration."""
    print(f"{'pages':>7} {'config':<10} {'pages/s':>8} {'min-max':>13} {'ratio':>6} "
          f"{'per round':<22} {'RSS MB':>7} {'(crawl+writer)':>15}")
    for r in summary:
        ratio = next((v for k, v in r.items() if k.startswith("ratio_to_")), None)
        spread = f"{r['min_pages_per_s']:.0f}-{r['max_pages_per_s']:.0f}"
        print(f"{r['pages']:>7} {r['config']:<10} {r['pages_per_s']:>8.1f} {spread:>13} "
              f"{ratio if ratio is not None else '':>6} {r.get('round_ratios', '')!s:<22} "
              f"{r['peak_rss_mb']:>7.0f} {r['crawl_rss_mb']:>7.0f}+{r['writer_rss_mb']:<7.0f}")
