"""Health verdicts, table-driven: each case is a source's history and the expected verdict."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from aggregator.health.baseline import baseline
from aggregator.health.rules import HealthConfig, Status, Verdict, exit_code, judge

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@dataclasses.dataclass
class Run:
    """A source run as the rules see it (a test double of the ORM row)."""

    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    pages_fetched: int = 45
    articles_scraped: int = 40
    articles_stored: int = 40
    fetch_failures: int = 1
    bot_challenges: int = 0
    zone_corrections: int = 1
    with_title: int = 40
    with_date: int = 39
    with_author: int = 36
    with_body: int = 40
    median_body_chars: int | None = 2400
    rule_hits: dict[str, int] = dataclasses.field(
        default_factory=lambda: {"baca-juga": 32, "ad-slot": 40})


def history(n: int, *, every_h: float = 6, last_age_h: float = 1,
            latest: dict[str, Any] | None = None, jitter: bool = True) -> list[Run]:
    """n runs newest first; the newest gets `latest` overrides; older ones vary a little."""
    runs = []
    for i in range(n):
        started = NOW - dt.timedelta(hours=last_age_h + every_h * i)
        wiggle = (i % 3 - 1) if jitter else 0  # -1, 0, +1: ordinary run-to-run noise
        run = Run(started, started + dt.timedelta(minutes=3), articles_stored=40 + 3 * wiggle,
                  articles_scraped=40 + 3 * wiggle, median_body_chars=2400 + 60 * wiggle)
        runs.append(run)
    if latest:
        runs[0] = dataclasses.replace(runs[0], **latest)
    return runs


def zero(n: int) -> dict[str, Any]:
    """Overrides for an empty run."""
    return {"articles_stored": 0, "articles_scraped": 0, "with_title": 0, "with_date": 0,
            "with_author": 0, "with_body": 0, "median_body_chars": None, "rule_hits": {}}


CASES = [
    # (id, runs, expected status, a phrase one reason must contain or None)
    ("steady source", history(12), Status.ok, None),
    ("ordinary noise stays ok", history(12, latest={"articles_stored": 36,
                                                    "median_body_chars": 2250}), Status.ok, None),
    ("layout change: bodies collapse", history(12, latest={"median_body_chars": 180}),
     Status.degraded, "median body length 180 chars, usual 2,400"),
    ("layout change: bodies swallow the page", history(12, latest={"median_body_chars": 9800}),
     Status.degraded, "median body length 9,800 chars"),
    ("dates stop being found", history(12, latest={"with_date": 3}), Status.degraded,
     "date found in 8% of articles, usual 98%"),
    ("authors stop being found", history(12, latest={"with_author": 0}), Status.degraded,
     "author found in 0% of articles"),
    ("boilerplate rule stops matching", history(12, latest={"rule_hits": {"ad-slot": 40}}),
     Status.degraded, "boilerplate rule 'baca-juga' matched 0% of articles, usual 80%"),
    ("bot challenges appear", history(12, latest={"bot_challenges": 30}), Status.degraded,
     "bot challenges on 67% of pages, usual 0%"),
    ("volume drops sharply", history(12, latest={"articles_stored": 8, "articles_scraped": 8,
                                                 "with_title": 8, "with_date": 8,
                                                 "with_author": 7, "with_body": 8}),
     Status.degraded, "articles stored 8, usual 40"),
    ("one empty run is only a drop", history(12, latest=zero(1)), Status.ok, None),
    ("empty runs: failing", [dataclasses.replace(r, **zero(1)) for r in history(13)[:3]]
     + history(13)[3:], Status.failing, "no article stored in the last 3 runs"),
    ("only run stored nothing", history(1, latest=zero(1)), Status.failing,
     "no article stored in its only run"),
    ("stale: no run for ten days", history(10, last_age_h=240), Status.stale,
     "last successful run 9 d 23 h ago, expected every 18 h 0 min"),
    ("too little history: not judged", history(3, latest={"median_body_chars": 100}),
     Status.ok, "too little history to judge (2 earlier runs, 5 needed)"),
    ("never run", [], Status.never_run, "no crawl run recorded"),
]


@pytest.mark.parametrize(("runs", "status", "phrase"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_verdicts(runs: list[Run], status: Status, phrase: str | None) -> None:
    verdict = judge("Warta Nusantara", runs, now=NOW)
    assert verdict.status is status, verdict.reasons
    if phrase is None:
        assert not [r for r in verdict.reasons if "too little" not in r], verdict.reasons
    else:
        assert any(phrase in r for r in verdict.reasons), verdict.reasons


def test_stale_interval_is_learned_from_the_source_history() -> None:
    daily = history(10, every_h=24, last_age_h=50)  # crawled daily, last run 2 days ago
    assert judge("s", daily, now=NOW).status is Status.ok
    hourly = history(10, every_h=1, last_age_h=5)  # crawled hourly, last run 5 hours ago
    verdict = judge("s", hourly, now=NOW)
    assert verdict.status is Status.stale
    assert verdict.expected_interval_seconds == 3 * 3600


def test_window_limits_the_baseline() -> None:
    # 20 old runs with short bodies, then the last 20 with long ones: only the window counts.
    recent = history(21, latest={"median_body_chars": 2400})
    old = [dataclasses.replace(r, median_body_chars=300) for r in history(20, last_age_h=200)]
    verdict = judge("s", recent + old, now=NOW, config=HealthConfig(window=20))
    assert verdict.status is Status.ok, verdict.reasons


@pytest.mark.parametrize(("statuses", "code"), [
    ([], 0), ([Status.ok, Status.never_run], 0), ([Status.ok, Status.degraded], 1),
    ([Status.degraded, Status.stale], 2), ([Status.failing], 2),
])  # fmt: skip
def test_exit_codes(statuses: list[Status], code: int) -> None:
    assert exit_code([Verdict("s", s) for s in statuses]) == code


def test_baseline_is_robust_to_one_bad_run() -> None:
    base = baseline([2400, 2380, 2420, 90, 2410])
    assert base is not None
    assert base.median == 2400
    assert base.mad == 20  # deviations 0, 20, 20, 2310, 10
    assert abs(base.z(180, floor=240)) > 3.5
