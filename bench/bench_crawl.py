"""End-to-end crawl benchmark: N templated article pages on loopback into SQLite, vs `scrapy bench`.

    python bench/bench_crawl.py [--pages 1000] [--bench-seconds 20] [--rounds 3] [--profile]

1. Generates N article pages (`aggregator.demo.synthetic`) with Google News sitemaps
   under a sitemap index, in a temp dir, and serves them with `aggregator.mirror` in its
   own process.
2. Runs a full crawl (every pipeline: validate, clean, dates, dedup, store) through
   `aggregator.crawler.run_crawl(CrawlOptions(sitemaps=[...], settings=BENCH_SETTINGS))`
   in a child process, into a temp SQLite file.  `BENCH_SETTINGS` are the loopback
   benchmark overrides (AutoThrottle off, no per-domain cap, no delay), applied at
   'cmdline' priority like `aggregator crawl -s NAME=VALUE`.  The child reports wall
   time, pages, stored articles and its peak RSS.
3. Runs `scrapy bench` (Scrapy's own loopback benchmark) in the same run, parses its
   final stats and LogStats lines, and reports our pages/s over its pages/s.

Each round is one crawl then one `scrapy bench`; the table shows per-figure medians over
the rounds (the ratio is the figure to trust on a shared machine).  Writes
`bench/results/crawl.json`.  With `--profile` the first crawl runs under cProfile and
the top functions by cumulative time are printed (dump: `crawl.prof.tmp`, git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # `bench.crawl_scaling`
RESULTS = ROOT / "bench" / "results"
#: Loopback benchmark settings, passed through the crawl API (`run_crawl(settings=...)`).
BENCH_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,  # no adaptive slow-down: the server is local
    "DOWNLOAD_DELAY": 0,
    "RANDOMIZE_DOWNLOAD_DELAY": False,
    "CONCURRENT_REQUESTS": 16,  # Scrapy's default, as in `scrapy bench`
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,  # one host serves everything: no per-domain cap
    "HTTPCACHE_ENABLED": False,
}


# -- child: the crawl itself ------------------------------------------------------------

def child_crawl(base_url: str, db_url: str, profile_out: str | None,
                extra: dict[str, Any] | None = None) -> None:  # fmt: skip
    """Run one crawl in this process and print a JSON summary line (the parent reads it)."""
    import resource

    from aggregator.crawler import CrawlOptions, run_crawl

    options = CrawlOptions(sitemaps=[base_url + "/sitemap.xml"], db_url=db_url,
                           log_level="WARNING", settings={**BENCH_SETTINGS, **(extra or {})})
    started = time.perf_counter()
    if profile_out:
        import cProfile

        prof = cProfile.Profile()
        summary = prof.runcall(run_crawl, options)
        prof.dump_stats(profile_out)
    else:
        summary = run_crawl(options)
    wall = time.perf_counter() - started
    crawl_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Child processes' peaks are counted on top of the crawl's (an upper bound).
    # The writer process (a fork-server child, so not ours) reports its own peak.
    writer_rss = float(summary.stats.get("store/writer_peak_rss_mb") or 0.0) or (
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    out = {
        "wall_s": wall,
        "stored": count_articles(db_url),
        "peak_rss_mb": crawl_rss + writer_rss,
        "crawl_rss_mb": crawl_rss,
        "writer_rss_mb": writer_rss,
        "stats": summary.stats,
        "fatal": summary.fatal,
    }
    print("BENCH-RESULT " + json.dumps(out, default=str), flush=True)


def count_articles(db_url: str) -> int:
    """Rows in `articles` (0 when the store was off and there is no table)."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import OperationalError

    from aggregator.storage.db import make_engine
    from aggregator.storage.models import Article

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(Article)).scalar_one())
    except OperationalError:
        return 0
    finally:
        engine.dispose()


# -- parent: orchestration --------------------------------------------------------------

def start_mirror(site: Path) -> tuple[subprocess.Popen[str], str]:
    """`python -m aggregator.mirror SITE` in its own process; returns it and its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "aggregator.mirror", str(site)],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()  # the server prints its URL once bound
    if not line.startswith("http://127.0.0.1:"):
        proc.kill()
        raise RuntimeError(f"mirror did not start: {line!r}")
    return proc, line


def run_our_crawl(site: Path, db_path: Path, profile_out: Path | None,
                  extra: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """Serve `site`, crawl it in a child process, return the child's summary."""
    mirror, base_url = start_mirror(site)
    try:
        cmd = [sys.executable, __file__, "--child", base_url, f"sqlite:///{db_path}"]
        if profile_out:
            cmd += ["--profile-out", str(profile_out)]
        if extra:
            cmd += ["--child-settings", json.dumps(extra)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
    finally:
        mirror.terminate()
        mirror.wait(timeout=10)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH-RESULT "))
            return result
    raise RuntimeError(f"crawl child failed (exit {done.returncode}):\n{done.stderr[-3000:]}")


def run_scrapy_bench(seconds: int, workdir: Path) -> dict[str, Any]:
    """`scrapy bench` for `seconds`, outside any project; its rates and peak RSS."""
    code = (
        "import atexit, resource, sys\n"
        "atexit.register(lambda: print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF)"
        ".ru_maxrss, file=sys.stderr))\n"
        f"sys.argv = ['scrapy', 'bench', '-s', 'CLOSESPIDER_TIMEOUT={seconds}', "
        "'-s', 'LOGSTATS_INTERVAL=5']\n"
        "from scrapy.cmdline import execute\nexecute()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True,
                          text=True, timeout=seconds + 120, check=False, env=env)
    return parse_scrapy_bench_log(done.stderr)


def parse_scrapy_bench_log(log: str) -> dict[str, Any]:
    """Pages/min from LogStats lines, and pages/s from the final stats dump."""
    rates = [int(m) for m in re.findall(r"Crawled \d+ pages \(at (\d+) pages/min\)", log)]
    received = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    maxrss = re.search(r"^MAXRSS (\d+)", log, flags=re.MULTILINE)
    if not (received and elapsed):
        raise RuntimeError("could not parse `scrapy bench` output:\n" + log[-3000:])
    steady = rates[1:] or rates  # the first interval includes start-up
    return {
        "pages": int(received.group(1)),
        "elapsed_s": float(elapsed.group(1)),
        "pages_per_s": int(received.group(1)) / float(elapsed.group(1)),
        "logstats_pages_per_min": rates,
        "steady_pages_per_min": sorted(steady)[len(steady) // 2] if steady else None,
        "peak_rss_mb": int(maxrss.group(1)) / 1024 if maxrss else None,
    }


def summarize(ours: dict[str, Any], bench: dict[str, Any], pages: int) -> dict[str, Any]:
    """The figures that matter, with the ratio to `scrapy bench`."""
    stats = ours.get("stats", {})
    responses = int(stats.get("response_received_count", 0)) or None
    elapsed = float(stats.get("elapsed_time_seconds", 0)) or ours["wall_s"]
    our_pages_per_s = (responses or 0) / elapsed if responses else None
    return {
        "generated_pages": pages,
        "articles_stored": ours["stored"],
        "crawl_wall_s": round(ours["wall_s"], 2),
        "articles_per_s": round(ours["stored"] / ours["wall_s"], 2),
        "pages_per_s": round(our_pages_per_s, 2) if our_pages_per_s else None,
        "peak_rss_mb": round(ours["peak_rss_mb"], 1),
        "scrapy_bench_pages_per_s": round(bench["pages_per_s"], 2),
        "scrapy_bench_peak_rss_mb": bench["peak_rss_mb"],
        "ratio_pages": round(our_pages_per_s / bench["pages_per_s"], 3)
        if our_pages_per_s else None,
        "ratio_articles": round(ours["stored"] / ours["wall_s"] / bench["pages_per_s"], 3),
    }


def print_table(summary: dict[str, Any]) -> None:
    """A plain two-column table on stdout."""
    width = max(len(k) for k in summary)
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; run the child or the whole benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--bench-seconds", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1, help="crawl + scrapy bench pairs")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS / "crawl.json")
    parser.add_argument("--child", nargs=2, metavar=("BASE_URL", "DB_URL"), help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    parser.add_argument("--child-settings", help=argparse.SUPPRESS)
    add_scaling_arguments(parser)
    args = parser.parse_args(argv)
    if args.child:
        extra = json.loads(args.child_settings) if args.child_settings else None
        child_crawl(*args.child, args.profile_out, extra)
        return 0
    if args.store_off or args.sweep or args.archive:
        from bench.crawl_scaling import run_scaling

        return run_scaling(args)
    rounds = [run_round(args, i) for i in range(args.rounds)]
    summary = median_summary([r["summary"] for r in rounds])
    print_table(summary)
    record = {
        "summary": summary, "rounds": rounds, "settings": BENCH_SETTINGS,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


def add_scaling_arguments(parser: argparse.ArgumentParser) -> None:
    """The store-scaling modes (bench/crawl_scaling.py, docs/store-performance.md)."""
    parser.add_argument("--store-off", action="store_true",
                        help="also crawl with AGGREGATOR_STORE_ENABLED=false, interleaved")
    parser.add_argument("--sweep", help="page counts, e.g. 1000,10000,50000")
    parser.add_argument("--jobdir", action="store_true",
                        help="every crawl keeps its pending requests on disk (JOBDIR)")
    parser.add_argument("--writer-thread", action="store_true",
                        help="also crawl with AGGREGATOR_STORE_WRITER=thread, interleaved")
    parser.add_argument("--archive", type=Path,
                        help="a database from bench/gen_archive.py: crawl into it and into an "
                             "empty one, interleaved (the crawl's rows are removed after)")


def run_round(args: argparse.Namespace, index: int) -> dict[str, Any]:
    """One crawl and one `scrapy bench`, back to back; the profile on the first round only."""
    from aggregator.demo.synthetic import generate_site

    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        work = Path(tmp)
        generate_site(work / "site", args.pages)
        profile_out = args.out.with_suffix(".prof.tmp") if args.profile and index == 0 else None
        ours = run_our_crawl(work / "site", work / "bench.db", profile_out)
        bench = run_scrapy_bench(args.bench_seconds, work)
    if profile_out:
        print_profile(profile_out)
    summary = summarize(ours, bench, args.pages)
    print(f"round {index + 1}: ratio_pages {summary['ratio_pages']}", file=sys.stderr)
    return {"summary": summary, "crawl": ours, "scrapy_bench": bench}


def median_summary(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-key median over rounds (numbers only), plus the round count."""
    out: dict[str, Any] = {"rounds": len(summaries)}
    for key in summaries[0]:
        values = sorted(s[key] for s in summaries if isinstance(s.get(key), (int, float)))
        out[key] = values[len(values) // 2] if values else None
    return out


def print_profile(path: Path, top: int = 25) -> None:
    """The top functions by cumulative time from a cProfile dump."""
    import pstats

    pstats.Stats(str(path)).sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    sys.exit(main())
