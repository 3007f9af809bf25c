"""Benchmark: `parse_date` vs dateparser on the shared table `tests/dates/cases.jsonl`.

Both parsers get the same text, reference time and site zone.  dateparser is configured
as a careful user would: languages id and en, the site's zone, day first, past preferred,
the case's reference time as RELATIVE_BASE, aware UTC output.  A case counts as right
when the instant equals the expected one (or both are None).  Time per call is the median
over cases of each case's mean over `--repeat` calls, measured in the same run.

Run: python bench/bench_dates.py [--repeat 20] [--out bench/results/dates.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dateparser  # noqa: E402

from aggregator.dates import parse_date  # noqa: E402
from tests.dates.cases import Case, load_cases  # noqa: E402

Parser = Callable[[Case], datetime | None]
#: Groups of plain date strings (no labels, bylines, relative or yearless forms).
PLAIN_GROUPS = ("english", "names", "numeric", "separators", "zone")


def ours(case: Case) -> datetime | None:
    """This project's parser."""
    return parse_date(case.text, now=case.now, tz=case.tz)


def theirs(case: Case) -> datetime | None:
    """dateparser, configured carefully (see the module docstring)."""
    base = case.now.astimezone(ZoneInfo(case.tz)).replace(tzinfo=None)
    settings: Any = {
        "TIMEZONE": case.tz,
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": base,
    }
    try:
        return dateparser.parse(case.text, languages=["id", "en"], settings=settings)
    except Exception:  # a crash counts as a wrong answer, not as a benchmark failure
        return None


def _score(parser: Parser, cases: list[Case]) -> tuple[int, dict[str, list[int]], list[str]]:
    """Right answers overall, per group (right, total), and the texts it got wrong."""
    right = 0
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for case in cases:
        ok = parser(case) == case.expected
        right += ok
        groups[case.group][0] += ok
        groups[case.group][1] += 1
        if not ok:
            wrong.append(case.text)
    return right, dict(groups), wrong


def _plain(groups: dict[str, list[int]]) -> float:
    """Accuracy over the plain groups only."""
    right = sum(groups[g][0] for g in PLAIN_GROUPS if g in groups)
    total = sum(groups[g][1] for g in PLAIN_GROUPS if g in groups)
    return round(right / total, 4) if total else 0.0


def _median_us(parser: Parser, cases: list[Case], repeat: int) -> float:
    """Median over cases of the mean time per call, in microseconds."""
    per_case = []
    for case in cases:
        start = time.perf_counter()
        for _ in range(repeat):
            parser(case)
        per_case.append((time.perf_counter() - start) / repeat * 1e6)
    return statistics.median(per_case)


def _pages_ms() -> dict[str, Any]:
    """collect_date_candidates + resolve_article_dates on every fixture page: ms per page."""
    from aggregator.dates import collect_date_candidates, resolve_article_dates

    now = datetime.fromisoformat("2026-11-01T00:00:00+00:00")
    times = []
    for truth in sorted((ROOT / "tests/fixtures/id-news/truth").glob("*.json")):
        url = json.loads(truth.read_text(encoding="utf-8"))["url"]
        html = (truth.parents[1] / "pages" / f"{truth.stem}.html").read_bytes().decode("utf-8")
        start = time.perf_counter()
        resolve_article_dates(collect_date_candidates(html, url), now=now, tz="Asia/Jakarta")
        times.append((time.perf_counter() - start) * 1e3)
    return {"pages": len(times), "median_ms": round(statistics.median(times), 2),
            "max_ms": round(max(times), 2)}  # fmt: skip


def run(repeat: int) -> dict[str, Any]:
    """Score and time both parsers on the table."""
    cases = load_cases()
    warnings.simplefilter("ignore")  # dateparser warns about pytz/locale internals
    for parser in (ours, theirs):  # warm caches (dateparser loads its language data lazily)
        parser(cases[0])
    result: dict[str, Any] = {"cases": len(cases), "repeat": repeat,
                              "python": platform.python_version(),
                              "dateparser": getattr(dateparser, "__version__", "?")}  # fmt: skip
    for name, parser in (("parse_date", ours), ("dateparser", theirs)):
        right, groups, wrong = _score(parser, cases)
        result[name] = {
            "accuracy": round(right / len(cases), 4),
            "right": right,
            "median_us_per_call": round(_median_us(parser, cases, repeat), 2),
            "groups": {g: f"{r}/{t}" for g, (r, t) in sorted(groups.items())},
            "plain_accuracy": _plain(groups),
            "wrong": wrong,
        }
    ratio = result["dateparser"]["median_us_per_call"] / result["parse_date"]["median_us_per_call"]
    result["speedup"] = round(ratio, 1)
    result["pages"] = _pages_ms()
    return result


def _print(result: dict[str, Any]) -> None:
    """A small table on stdout."""
    print(f"{result['cases']} cases, {result['repeat']} calls each, Python {result['python']}")
    print(f"{'parser':<12} {'accuracy':>9} {'right':>7} {'median us/call':>15}")
    for name in ("parse_date", "dateparser"):
        r = result[name]
        print(f"{name:<12} {r['accuracy']:>9.1%} {r['right']:>7} {r['median_us_per_call']:>15.1f}")
    print(f"parse_date is {result['speedup']}x faster per call (median)")
    print(f"plain forms only ({', '.join(PLAIN_GROUPS)}): parse_date "
          f"{result['parse_date']['plain_accuracy']:.1%}, dateparser "
          f"{result['dateparser']['plain_accuracy']:.1%}")
    pages = result["pages"]
    print(f"collect+resolve on {pages['pages']} fixture pages (lxml parse included): "
          f"median {pages['median_ms']} ms, max {pages['max_ms']} ms per page")
    groups = result["parse_date"]["groups"]
    print("per group (parse_date | dateparser):")
    for g in groups:
        print(f"  {g:<14} {groups[g]:>8} | {result['dateparser']['groups'][g]:>8}")


def main() -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20, help="calls per case when timing")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "dates.json")
    args = ap.parse_args()
    result = run(max(args.repeat, 1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _print(result)


if __name__ == "__main__":
    main()
