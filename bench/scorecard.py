"""The reliability scorecard: run the fault tests, render what they measured as one table.

    python bench/scorecard.py                  # run the tests, write the JSON and the page
    python bench/scorecard.py --from FILE      # re-render docs/scorecard.md from FILE

The tests call `tests.scorecard.record(...)` with figures they have just asserted; this
script runs them with `AGGREGATOR_SCORECARD_OUT` set, keeps the lines in
bench/results/scorecard.json and renders docs/scorecard.md: one row per figure of
docs/reliability.md §8 (the shared reference), its target, and whether it was met.
A figure whose tests did not run (skipped, failed) says "not measured": nothing in the
table is typed by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "scorecard.json"
PAGE = ROOT / "docs" / "scorecard.md"
#: The tests that measure something for the scorecard.
TESTS = [
    "tests/reliability/test_content.py",
    "tests/reliability/test_bombs.py",
    "tests/reliability/test_xml_attacks.py",
    "tests/reliability/test_ssrf.py",
    "tests/reliability/test_faults.py",
    "tests/crawl/test_crawl_e2e.py::test_rate_limited_site_is_retried_after_its_retry_after",
    "tests/reliability/test_concurrency.py",
    "tests/reliability/test_accounting.py",
    "tests/reliability/test_durability.py::test_database_gone_mid_run_dead_letters_and_replays",
    "tests/reliability/test_durability.py::test_disk_full_mid_run_dead_letters_and_replays",
    "tests/reliability/test_interrupt.py",
    "tests/reliability/test_cli_hostile.py::test_search_injection",
]

Records = dict[str, list[dict[str, Any]]]
Row = tuple[str, str, str, bool | None]  # figure, measured, target, met (None: not measured)


def run_tests(out: Path) -> int:
    """Run TESTS with the measurement hook on; returns pytest's exit status."""
    out.unlink(missing_ok=True)
    env = {**os.environ, "AGGREGATOR_SCORECARD_OUT": str(out)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS]
    return subprocess.call(cmd, cwd=ROOT, env=env)


def load(path: Path) -> Records:
    """section -> records (each {"case": ..., "figures": {...}})."""
    text = path.read_text(encoding="utf-8")
    try:
        grouped = json.loads(text)  # bench/results/scorecard.json: already grouped
    except ValueError:
        grouped = None
    if isinstance(grouped, dict) and "section" not in grouped:
        return defaultdict(list, grouped)
    out: Records = defaultdict(list)
    for line in text.splitlines():
        if line.strip():
            record = json.loads(line)
            out[record["section"]].append({"case": record["case"], **record["figures"]})
    return out


def _sum(rows: list[dict[str, Any]], key: str) -> int:
    return sum(int(r.get(key, 0) or 0) for r in rows)


def malformed(rows: list[dict[str, Any]]) -> Row:
    n = _sum(rows, "pages") + _sum(rows, "urls")
    lost, crashes = _sum(rows, "lost"), _sum(rows, "crashes")
    return ("Malformed pages", f"{n} malformed/hostile pages and URLs, {crashes} crashes, "
            f"{n - lost} of {n} accounted for (stored, or dropped/failed with a reason)",
            "0 crashes, all accounted", crashes == 0 and lost == 0)  # fmt: skip


def encoding(rows: list[dict[str, Any]]) -> Row:
    pages, fffd, moji = _sum(rows, "pages"), _sum(rows, "replacement_chars"), _sum(rows, "mojibake")
    return ("Encoding", f"{pages} mislabelling scenarios: U+FFFD in stored text {fffd}, "
            f"mojibake {moji}", "0 / 0", fffd == 0 and moji == 0)  # fmt: skip


def bombs(rows: list[dict[str, Any]]) -> Row:
    parts, ok = [], True
    for r in rows:
        size = f"{r['compressed_bytes']:,} B" if "compressed_bytes" in r else "gzip body"
        growth = f", RSS +{r['rss_growth_mib']} MiB" if "rss_growth_mib" in r else ""
        parts.append(f"{r['case']}: {size} → limit {r['limit_bytes'] // 1024:,} KiB → "
                     f"{r['outcome']}{growth}")  # fmt: skip
        ok &= r["outcome"] == "too_large" and float(r.get("rss_growth_mib", 0)) < 64
    return ("Compression bombs", "; ".join(parts),
            "refused at the limit; RSS growth < 64 MiB", ok)  # fmt: skip


def xml(rows: list[dict[str, Any]]) -> Row:
    payloads = [r for r in rows if "payload_bytes" in r]
    crawl = [r for r in rows if "documents" in r]
    leaks = _sum(rows, "leaks") + _sum(rows, "file_reads")
    fetches = _sum(crawl, "dtd_fetches")
    refused = sum(r["outcome"] != "parsed" for r in payloads)
    return ("XML bombs and XXE", f"{len(payloads)} payloads ({refused} refused as unsafe, "
            f"the rest parsed inert); file reads {leaks}, DTD fetches {fetches}; "
            f"crawl of all of them: {_sum(crawl, 'crashes')} crashes",
            "0 reads; 0 fetches", leaks == 0 and fetches == 0)  # fmt: skip


def ssrf(rows: list[dict[str, Any]]) -> Row:
    attempted, blocked = _sum(rows, "attempted"), _sum(rows, "blocked")
    seen = _sum(rows, "connections_seen")
    return ("SSRF", f"{blocked}/{attempted} blocked; connections seen by the other servers "
            f"{seen}", "100 %; 0",
            attempted > 0 and blocked == attempted and seen == 0)  # fmt: skip


def throttling(rows: list[dict[str, Any]]) -> Row:
    r = rows[0]
    return ("Throttling", f"Retry-After {r['retry_after_s']} s: shortest gap between "
            f"retries {r['shortest_gap_s']} s over {r['attempts']} attempts, early retries "
            f"{r['early_retries']}, give-ups {r['give_ups']}",
            "delay ≥ Retry-After; 0 early retries", r["early_retries"] == 0)  # fmt: skip


def timeouts(rows: list[dict[str, Any]]) -> Row:
    r = rows[0]
    return ("Timeouts", f"{r['case']}: {r['attempts']} attempts (bound {r['bound_attempts']}),"
            f" recorded as {r['outcome']}", "within bound",
            r["attempts"] <= r["bound_attempts"])  # fmt: skip


def redirects(rows: list[dict[str, Any]]) -> Row:
    r = rows[0]
    return ("Redirect loops", f"{r['hops_before_stop']} hops before stop "
            f"(REDIRECT_MAX_TIMES {r['redirect_max_times']}); silent drops {r['silent_drops']}",
            "= REDIRECT_MAX_TIMES; 0",
            r["hops_before_stop"] == r["redirect_max_times"]
            and r["silent_drops"] == 0)  # fmt: skip


def idempotency(rows: list[dict[str, Any]]) -> Row:
    delta, inserted = _sum(rows, "row_delta"), _sum(rows, "inserted")
    return ("Idempotency", f"row delta on rerun {delta}, inserted {inserted}", "0",
            delta == 0 and inserted == 0)  # fmt: skip


def concurrency(rows: list[dict[str, Any]]) -> Row:
    r = rows[0]
    return ("Concurrency", f"{r['writers']} writers: {r['expected_distinct']} expected, "
            f"{r['stored']} stored, lost {r['lost']}, duplicated {r['duplicated']}, "
            f"lock errors {r['lock_errors']}", "0 lost, 0 duplicated, 0 lock errors",
            r["lost"] == 0 and r["duplicated"] == 0 and r["lock_errors"] == 0)  # fmt: skip


def durability(rows: list[dict[str, Any]]) -> Row:
    dead, replayed = _sum(rows, "dead_lettered"), _sum(rows, "replayed")
    lost = _sum(rows, "lost") + _sum(rows, "partial_rows")
    kill = [r for r in rows if "partial_rows" in r]
    cases = "; ".join(r["case"] for r in rows)
    extra = f"; after kill -9: partial rows {_sum(kill, 'partial_rows')}" if kill else ""
    return ("Durability", f"{cases}: dead-lettered {dead}, stored by replay (twice, "
            f"idempotent) {replayed}, lost {lost}{extra}",
            "every dead-lettered article stored by replay; 0 lost", lost == 0)  # fmt: skip


def interruption(rows: list[dict[str, Any]]) -> Row:
    parts, ok = [], True
    for r in rows:
        timing = (f", exit {r['seconds_to_exit']} s after the signal (bound {r['bound_s']} s)"
                  if "seconds_to_exit" in r else "")  # fmt: skip
        parts.append(f"{r['case']}: exit {r['exit']}, lost {r['lost']}{timing}")
        ok &= r["lost"] == 0 and float(r.get("seconds_to_exit", 0)) < float(r.get("bound_s", 1))
    return ("Interruption", "; ".join(parts),
            "exit 130/143, within the bound, 0 lost", ok)  # fmt: skip


def accounting(rows: list[dict[str, Any]]) -> Row:
    d, a = _sum(rows, "discovered"), _sum(rows, "accounted")
    return ("Accounting", f"stored + refused + failed + drops + duplicates = {a} of {d} "
            f"discovered URLs over {len(rows)} crawls ({', '.join(r['case'] for r in rows)})",
            "equal", d == a)  # fmt: skip


def search(rows: list[dict[str, Any]]) -> Row:
    backends = sorted({r["backend"] for r in rows})
    wrong = _sum(rows, "wrong_counts")
    per = len(rows) // max(1, len(backends))
    return ("Search injection", f"{per} payloads × {len(backends)} backends "
            f"({', '.join(backends)}): errors that were not one line 0, wrong counts {wrong}",
            "0", wrong == 0)  # fmt: skip


FIGURES: list[tuple[str, Callable[[list[dict[str, Any]]], Row], str, str]] = [
    ("malformed", malformed, "Malformed pages", "0 crashes, all accounted"),
    ("encoding", encoding, "Encoding", "0 / 0"),
    ("bombs", bombs, "Compression bombs", "refused at the limit; RSS growth < 64 MiB"),
    ("xml", xml, "XML bombs and XXE", "0 reads; 0 fetches"),
    ("ssrf", ssrf, "SSRF", "100 %; 0"),
    ("throttling", throttling, "Throttling", "delay ≥ Retry-After; 0 early retries"),
    ("timeouts", timeouts, "Timeouts", "within bound"),
    ("redirects", redirects, "Redirect loops", "= REDIRECT_MAX_TIMES; 0"),
    ("idempotency", idempotency, "Idempotency", "0"),
    ("concurrency", concurrency, "Concurrency", "0 lost, 0 duplicated, 0 lock errors"),
    ("durability", durability, "Durability", "replayed = dead-lettered; 0 lost"),
    ("interruption", interruption, "Interruption", "exit 130/143, within the bound, 0 lost"),
    ("accounting", accounting, "Accounting", "equal"),
    ("search", search, "Search injection", "0"),
]


def render(records: Records, *, status: int | None) -> str:
    """The Markdown page."""
    lines = ["# Reliability scorecard", "",
             "Generated by `python bench/scorecard.py` from the measurements the fault tests "
             "take while they run (`tests/scorecard.py`); not edited by hand. Targets follow "
             "the figures of the shared reliability reference (§8). "
             "[docs/interruption.md](interruption.md) explains signals, bounds and the "
             "dead-letter file.", "",
             f"Rendered {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
             + (f", pytest exit status {status}" if status is not None else ""), "",
             "| Figure | Measured | Target | Met |", "|---|---|---|---|"]  # fmt: skip
    for section, fn, name, target in FIGURES:
        rows = records.get(section)
        if section == "accounting":  # every crawl that balanced its books, whatever ended it
            rows = [r for group in records.values() for r in group
                    if "discovered" in r and "accounted" in r]  # fmt: skip
        if rows:
            figure, measured, target, met = fn(rows)
            mark = "yes" if met else "**no**"
        else:
            figure, measured, mark = name, "not measured (tests skipped or failed)", "-"
        lines.append(f"| {figure} | {measured} | {target} | {mark} |")
    lines += ["", "## Every measurement", "", "| Section | Case | Figures |", "|---|---|---|"]
    for section, rows in records.items():
        for r in rows:
            figs = ", ".join(f"{k}={v}" for k, v in r.items() if k != "case")
            lines.append(f"| {section} | {r['case']} | {figs} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run (or re-render), write bench/results/scorecard.json and docs/scorecard.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="measurements to render")
    args = parser.parse_args(argv)
    status = None
    source = args.source
    if source is None:
        source = Path(tempfile.mkdtemp(prefix="scorecard-")) / "measurements.jsonl"
        status = run_tests(source)
        if not source.exists():
            print("error: the tests recorded nothing", file=sys.stderr)
            return 1
    records = load(source)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    PAGE.write_text(render(records, status=status), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)} and {RESULTS.relative_to(ROOT)}")
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
