"""Extraction quality and speed: ours vs trafilatura, measured in the same run.

1. The article-extraction benchmark (181 pages; word 4-gram shingle P/R/F1, accuracy), on
   the generic path (no site parser).
2. The id-news fixtures: title, first and last body sentence, boilerplate left, per page,
   on the generic path and with the registered site parsers.
3. Median milliseconds per page on both sets: ours (full `extract_page`, and without
   date-candidate collection) and trafilatura's `extract` (body only and with metadata).

Usage: python bench/bench_extraction.py [--benchmark DIR] [--fixtures DIR] [--limit N]
Writes bench/results/extraction.json and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any
from unittest import mock

import trafilatura

from aggregator.extraction import extract_page
from aggregator.extraction import page as page_module
from aggregator.extraction.evaluation import corpus_scores, fixture_problems
from aggregator.sites import site_for_url

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
DEFAULT_FIXTURES = ROOT / "tests" / "fixtures" / "id-news"
OUT = ROOT / "bench" / "results" / "extraction.json"


def timed(func: Callable[[], Any], sink: list[float]) -> Any:
    """Run `func`, append its duration in ms to `sink`, return its result."""
    start = time.perf_counter()
    result = func()
    sink.append((time.perf_counter() - start) * 1000)
    return result


def no_dates(html: bytes, url: str) -> Any:
    """extract_page with date-candidate collection switched off (for the speed split)."""
    with mock.patch.object(page_module, "date_candidates", return_value=[]):
        return extract_page(html, url)


def run_pages(pages: list[tuple[str, bytes, str]]) -> dict[str, Any]:
    """Extract every page with each tool, interleaved so machine noise hits all alike."""
    times: dict[str, list[float]] = {k: [] for k in
                                     ("ours", "ours_no_dates", "trafilatura", "trafilatura_meta")}
    outputs: dict[str, dict[str, Any]] = {}
    for key, html, url in pages:
        text = html.decode("utf-8", errors="replace")
        ours = timed(lambda: extract_page(html, url), times["ours"])  # noqa: B023
        timed(lambda: no_dates(html, url), times["ours_no_dates"])  # noqa: B023
        traf = timed(lambda: trafilatura.extract(text, url=url), times["trafilatura"])  # noqa: B023
        timed(lambda: trafilatura.extract(text, url=url, with_metadata=True),  # noqa: B023
              times["trafilatura_meta"])
        outputs[key] = {"ours": ours, "trafilatura": traf or ""}
    medians = {k: round(statistics.median(v), 2) for k, v in times.items() if v}
    return {"outputs": outputs, "median_ms": medians}


def bench_articles(root: Path, limit: int | None) -> dict[str, Any]:
    """The 181-page benchmark: scores for ours and trafilatura."""
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    keys = sorted(truth)[:limit]
    pages = [(k, (root / "html" / f"{k}.html").read_bytes(), truth[k]["url"]) for k in keys]
    run = run_pages(pages)
    scores = {}
    for tool in ("ours", "trafilatura"):
        pairs = [(truth[k]["articleBody"], _body(run["outputs"][k][tool])) for k in keys]
        scores[tool] = {k: round(v, 4) for k, v in asdict(corpus_scores(pairs)).items()}
    return {"pages": len(keys), "scores": scores, "median_ms": run["median_ms"]}


def bench_fixtures(root: Path) -> dict[str, Any]:
    """id-news fixtures: per-page problems on the generic path and with site parsers."""
    names = sorted(p.stem for p in (root / "truth").glob("*.json"))
    truths = {n: json.loads((root / "truth" / f"{n}.json").read_text("utf-8")) for n in names}
    pages = [(n, (root / "pages" / f"{n}.html").read_bytes(), truths[n]["url"]) for n in names]
    run = run_pages(pages)
    generic: dict[str, list[str]] = {}
    with_site: dict[str, list[str]] = {}
    traf: dict[str, list[str]] = {}
    for name, html, url in pages:
        ours = run["outputs"][name]["ours"]
        generic[name] = fixture_problems(ours.title, ours.body, truths[name])
        sited = extract_page(html, url, site=site_for_url(url))
        with_site[name] = fixture_problems(sited.title, sited.body, truths[name])
        traf_body = run["outputs"][name]["trafilatura"]
        traf[name] = fixture_problems(truths[name]["title"], traf_body, truths[name])
    return {
        "pages": len(names),
        "all_right": {"generic": _count_ok(generic), "with_site_parsers": _count_ok(with_site),
                      "trafilatura_body_only": _count_ok(traf)},
        "median_ms": run["median_ms"],
        "problems": {"generic": _only_bad(generic), "with_site_parsers": _only_bad(with_site)},
    }


def _body(output: Any) -> str:
    """Body text of a tool's output (PageFields or str)."""
    return output if isinstance(output, str) else (output.body or "")


def _count_ok(problems: dict[str, list[str]]) -> int:
    """Pages without any problem."""
    return sum(1 for p in problems.values() if not p)


def _only_bad(problems: dict[str, list[str]]) -> dict[str, list[str]]:
    """The pages that have problems."""
    return {k: v for k, v in problems.items() if v}


def main(argv: list[str] | None = None) -> int:
    """Run both sets, write the JSON results, print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--limit", type=int, default=None, help="first N benchmark pages")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"trafilatura_version": trafilatura.__version__}
    if (args.benchmark / "ground-truth.json").exists():
        results["article_extraction"] = bench_articles(args.benchmark, args.limit)
    else:
        print(f"benchmark not found at {args.benchmark}; skipped", file=sys.stderr)
    results["id_news"] = bench_fixtures(args.fixtures)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    summary = {k: {kk: vv for kk, vv in v.items() if kk != "problems"}
               for k, v in results.items() if isinstance(v, dict)}
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
