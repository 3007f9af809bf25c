"""WARC archive benchmark: crawl overhead of `--archive`, bytes per article, reextract speed.

    python bench/bench_archive.py [--pages 400] [--rounds 3]

1. Generates N synthetic article pages (`aggregator.demo.synthetic`) and serves them with
   `aggregator.mirror` in its own process (as `bench_crawl.py`).
2. Each round crawls the site twice in child processes, once without and once with
   `AGGREGATOR_ARCHIVE_DIR`, alternating which goes first (the machine is shared: the
   figures to trust are per-round ratios, reported as medians).  Besides pages/s, the
   crawl process's CPU time per page (user + system, all its threads) is reported: on a
   loaded machine it moves far less than wall time.
3. Bytes per article: WARC bytes on disk / articles stored (synthetic pages), and the
   same for the real saved pages of `tests/fixtures/id-news/pages/` written through the
   archive writer, next to their HTML size.
4. Re-extraction: `Reextractor` over the archived crawl (nothing changed, so every
   article is rebuilt and compared), in this process: archived pages per second; and
   over the real fixture pages archived as article captures (every article inserted).

Writes `bench/results/archive.json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_crawl import BENCH_SETTINGS, count_articles, start_mirror  # noqa: E402

RESULTS = ROOT / "bench" / "results"
FIXTURE_PAGES = ROOT / "tests" / "fixtures" / "id-news" / "pages"


def child_crawl(base_url: str, db_url: str, archive: str) -> None:
    """One crawl in this process; prints a JSON summary line for the parent."""
    from aggregator.crawler import CrawlOptions, run_crawl

    settings = dict(BENCH_SETTINGS)
    if archive != "-":
        settings["AGGREGATOR_ARCHIVE_DIR"] = archive
    options = CrawlOptions(sitemaps=[base_url + "/sitemap.xml"], db_url=db_url,
                           log_level="WARNING", settings=settings)  # fmt: skip
    import resource

    summary = run_crawl(options)
    usage = resource.getrusage(resource.RUSAGE_SELF)  # this process: the crawl and its threads
    stats = summary.stats
    out = {"pages": int(stats.get("response_received_count", 0)),
           "elapsed_s": float(stats.get("elapsed_time_seconds", 0.0)),
           "stored": count_articles(db_url),
           "cpu_s": usage.ru_utime + usage.ru_stime,
           "archive": {k: v for k, v in stats.items() if k.startswith("archive/")},
           "fatal": summary.fatal}  # fmt: skip
    print("BENCH-RESULT " + json.dumps(out, default=str), flush=True)


def crawl(base_url: str, work: Path, name: str, archive: bool) -> dict[str, Any]:
    """Crawl into a fresh database (and archive directory) in a child process."""
    db = work / f"{name}.db"
    warc = work / f"{name}-warc"
    cmd = [sys.executable, __file__, "--child", base_url, f"sqlite:///{db}",
           str(warc) if archive else "-"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH-RESULT "))
            result.update(db=str(db), warc=str(warc) if archive else None)
            result["pages_per_s"] = result["pages"] / result["elapsed_s"]
            return result
    raise RuntimeError(f"crawl child failed ({done.returncode}):\n{done.stderr[-3000:]}")


def warc_bytes(directory: str) -> int:
    """Total size of the WARC files in `directory`."""
    return sum(p.stat().st_size for p in Path(directory).glob("*.warc.gz"))


def reextract_speed(db: str) -> dict[str, Any]:
    """Re-extract the archived crawl (unchanged): pages per second in one process."""
    from aggregator.archive.reextract import Reextractor
    from aggregator.storage.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    cpu = time.process_time()
    try:
        report = Reextractor(engine).run()
    finally:
        engine.dispose()
    return _speed(report, time.process_time() - cpu)


def _speed(report: Any, cpu_s: float) -> dict[str, Any]:
    """Pages per wall second, and per CPU second (what one unloaded core would do)."""
    return {"pages": report.pages, "articles": report.articles, "changed": report.changed,
            "inserted": report.inserted, "elapsed_s": round(report.elapsed_seconds, 2),
            "cpu_s": round(cpu_s, 2), "pages_per_s": round(report.pages_per_second, 1),
            "pages_per_cpu_s": round(report.pages / cpu_s, 1) if cpu_s else None}  # fmt: skip


def fixture_reextract(work: Path) -> dict[str, Any]:
    """The real fixture pages archived as article captures, then re-extracted (inserted)."""
    from aggregator.archive.recorder import Recorder
    from aggregator.archive.records import Exchange
    from aggregator.archive.reextract import Reextractor
    from aggregator.storage.db import make_engine

    db_url = f"sqlite:///{work / 'fixtures.db'}"
    recorder = Recorder(work / "fixtures-reextract", db_url, worker="bench")
    recorder.open()
    now = dt.datetime.now(dt.UTC)
    for page in sorted(FIXTURE_PAGES.glob("*.html")):
        truth_file = FIXTURE_PAGES.parent / "truth" / f"{page.stem}.json"
        if not truth_file.exists():  # listing pages have no truth (and no article)
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        recorder.record(Exchange(url=truth["url"], status=200, body=page.read_bytes(),
                                 fetched_at=now, reason="OK",
                                 response_headers=[("Content-Type", "text/html")],
                                 meta={"aggregator_kind": "article",
                                       "article_url": truth["url"]}))  # fmt: skip
    recorder.close()
    engine = make_engine(db_url)
    cpu = time.process_time()
    try:
        report = Reextractor(engine).run()
    finally:
        engine.dispose()
    return _speed(report, time.process_time() - cpu)


def fixture_bytes(work: Path) -> dict[str, Any]:
    """The real fixture pages through the archive writer: HTML vs WARC bytes per page."""
    from aggregator.archive.records import Exchange
    from aggregator.archive.writer import WarcFileWriter

    pages = sorted(p for p in FIXTURE_PAGES.iterdir() if p.is_file())
    writer = WarcFileWriter(work / "fixtures-warc", worker="bench")
    now = dt.datetime.now(dt.UTC)
    html = 0
    for i, page in enumerate(pages):
        body = page.read_bytes()
        html += len(body)
        writer.write(Exchange(url=f"https://example.id/{i}", status=200, body=body,
                              fetched_at=now, reason="OK",
                              response_headers=[("Content-Type", "text/html; charset=utf-8")],
                              request_headers=[("User-Agent", "aggregator")]))  # fmt: skip
    writer.close()
    warc = sum(p.stat().st_size for p in writer.files)
    return {"pages": len(pages), "html_bytes_per_page": html // len(pages),
            "warc_bytes_per_page": warc // len(pages),
            "compression_ratio": round(html / warc, 2)}  # fmt: skip


def median(values: list[float]) -> float:
    """The median (the mean of the middle two for an even count)."""
    return float(statistics.median(values))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one crawl)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "archive.json")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_crawl(*args.child)
        return 0
    from aggregator.demo.synthetic import generate_site

    rounds: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        work = Path(tmp)
        generate_site(work / "site", args.pages)
        mirror, base_url = start_mirror(work / "site")
        try:
            for i in range(args.rounds):
                order = [False, True] if i % 2 == 0 else [True, False]  # interleaved
                runs = {a: crawl(base_url, work, f"r{i}-{'on' if a else 'off'}", a)
                        for a in order}  # fmt: skip
                on, off = runs[True], runs[False]
                rounds.append({"off_pages_per_s": round(off["pages_per_s"], 1),
                               "on_pages_per_s": round(on["pages_per_s"], 1),
                               "ratio": round(on["pages_per_s"] / off["pages_per_s"], 3),
                               "off_cpu_ms_per_page": round(1000 * off["cpu_s"] / off["pages"], 2),
                               "on_cpu_ms_per_page": round(1000 * on["cpu_s"] / on["pages"], 2),
                               "stored": on["stored"], "archive_stats": on["archive"],
                               "warc_bytes": warc_bytes(on["warc"])})  # fmt: skip
                print(f"round {i + 1}: off {off['pages_per_s']:.1f} p/s, on "
                      f"{on['pages_per_s']:.1f} p/s", file=sys.stderr)
            speed = reextract_speed(on["db"])
        finally:
            mirror.terminate()
            mirror.wait(timeout=10)
        fixtures = fixture_bytes(work)
        real = fixture_reextract(work)
    last = rounds[-1]
    summary = {
        "pages": args.pages, "rounds": args.rounds,
        "crawl_pages_per_s_without_archive": median([r["off_pages_per_s"] for r in rounds]),
        "crawl_pages_per_s_with_archive": median([r["on_pages_per_s"] for r in rounds]),
        "with_over_without_ratio_median": median([r["ratio"] for r in rounds]),
        "cpu_ms_per_page_without_archive": median([r["off_cpu_ms_per_page"] for r in rounds]),
        "cpu_ms_per_page_with_archive": median([r["on_cpu_ms_per_page"] for r in rounds]),
        "cpu_ratio_median": median([r["on_cpu_ms_per_page"] / r["off_cpu_ms_per_page"]
                                    for r in rounds]),
        "synthetic_warc_bytes_per_article": last["warc_bytes"] // max(last["stored"], 1),
        "fixture_html_bytes_per_page": fixtures["html_bytes_per_page"],
        "fixture_warc_bytes_per_page": fixtures["warc_bytes_per_page"],
        "fixture_compression_ratio": fixtures["compression_ratio"],
        "reextract_pages_per_s_synthetic": speed["pages_per_s"],
        "reextract_pages_per_s_real_pages": real["pages_per_s"],
        "reextract_pages_per_cpu_s_synthetic": speed["pages_per_cpu_s"],
        "reextract_pages_per_cpu_s_real_pages": real["pages_per_cpu_s"],
    }  # fmt: skip
    for key, value in summary.items():
        print(f"{key:<40} {value}")
    record = {"summary": summary, "rounds": rounds, "reextract": speed,
              "reextract_real_pages": real, "fixtures": fixtures,
              "settings": BENCH_SETTINGS, "python": platform.python_version(),
              "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
                         f"load {os.getloadavg()[0]:.1f}",
              "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
