"""Benchmark: the generic path on layouts it has never seen (the layout-variation suite).

Renders articles through randomised page templates (tests/extraction/variation), crawls
them the way the spider does (extract_page per page, next pages followed and stitched,
clean and date pipelines), and counts the articles that come out fully right: title, first
and last sentence, every page, no boilerplate, authors, editors, published instant.

Seeds: by default a fresh random block of seeds is drawn (never the tuning seeds nor the
CI seeds), so the figure measures layouts nobody looked at while fixing the code.  The
block's first seed is written to the results; `--start` reruns exactly that block.

Run: python bench/bench_variation.py [--articles 400] [--start N]
     [--out bench/results/variation.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.extraction.variation import SEEDS_CI, SEEDS_TUNING  # noqa: E402
from tests.extraction.variation.score import CHECKS, run  # noqa: E402

_FRESH_FLOOR = 10_000_000  # fresh blocks start above every reserved seed


def _fresh_start(count: int) -> int:
    """A random first seed whose block overlaps neither the tuning nor the CI seeds."""
    reserved = (SEEDS_TUNING, SEEDS_CI)
    while True:
        start = _FRESH_FLOOR + secrets.randbelow(2**40)
        block = range(start, start + count)
        if not any(r.start < block.stop and block.start < r.stop for r in reserved):
            return start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400, help="articles to render (>= 300)")
    parser.add_argument("--start", type=int, default=None, help="first seed (default: fresh)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "variation.json")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be positive")
    start = args.start if args.start is not None else _fresh_start(args.articles)
    began = time.perf_counter()
    report = run(range(start, start + args.articles))
    seconds = time.perf_counter() - began
    result = {
        "what": "generic path on unseen layouts (layout-variation suite, fresh seeds)",
        "seeds": {"start": start, "count": args.articles,
                  "fresh": args.start is None},
        **report.as_dict(),
        "seconds": round(seconds, 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "failed_examples": [{"seed": o.seed, "failed": o.failed, "details": o.details[:3]}
                            for o in report.failed_seeds[:20]],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"generic path on unseen layouts: {100 * report.share:.1f} % fully right "
          f"({report.fully_right}/{report.pages} articles, "
          f"seeds {start}..{start + args.articles - 1}, {seconds:.0f} s)")
    for check in CHECKS:
        failed = report.failures[check]
        print(f"  {check:15s} {100 * (1 - failed / report.pages):6.1f} % right ({failed} failed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
