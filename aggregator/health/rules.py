"""Health verdicts per source: ok, degraded, failing, stale, never run, with reasons.

- failing: no article stored in the last `failing_runs` runs.
- stale: no successful run (one that stored articles) within the source's expected
  interval: `stale_factor` times its usual gap between runs (learned from its history,
  `default_interval` until it has three runs), never less than `min_interval`.
- degraded: the latest run is an outlier against the source's previous runs (median and
  MAD of up to `window` runs, judged only with at least `min_history` of them) on volume,
  body length, field coverage, bot challenges, fetch failures, boilerplate rules or
  date-zone corrections.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from aggregator.health.baseline import Z_THRESHOLD
from aggregator.health.checks import RunLike, metric_findings


class Status(StrEnum):
    """A source's health, worst last."""

    ok = "ok"
    never_run = "never run"
    degraded = "degraded"
    stale = "stale"
    failing = "failing"


#: Exit status of `aggregator health` for the worst verdict.
EXIT_CODES = {Status.ok: 0, Status.never_run: 0, Status.degraded: 1, Status.stale: 2,
              Status.failing: 2}  # fmt: skip


@dataclass(frozen=True, slots=True)
class HealthConfig:
    """Thresholds (documented in docs/dashboard.md)."""

    window: int = 20
    min_history: int = 5
    failing_runs: int = 3
    stale_factor: float = 3.0
    default_interval: dt.timedelta = dt.timedelta(hours=24)
    min_interval: dt.timedelta = dt.timedelta(hours=1)
    z_threshold: float = Z_THRESHOLD


@dataclass(slots=True)
class Verdict:
    """One source's status and why."""

    source: str
    status: Status
    reasons: list[str] = field(default_factory=list)
    runs: int = 0  # runs looked at (newest first, up to window + 1)
    last_run_at: dt.datetime | None = None
    last_success_at: dt.datetime | None = None
    expected_interval_seconds: float | None = None


def judge(source: str, runs: Sequence[RunLike], *, now: dt.datetime,
          config: HealthConfig | None = None) -> Verdict:  # fmt: skip
    """The verdict for one source from its runs, newest first."""
    cfg = config or HealthConfig()
    if not runs:
        return Verdict(source, Status.never_run, ["no crawl run recorded for this source"])
    latest = runs[0]
    success = next((r for r in runs if r.articles_stored > 0), None)
    interval = expected_interval(runs, cfg)
    verdict = Verdict(source, Status.ok, runs=len(runs), last_run_at=latest.started_at,
                      last_success_at=success.started_at if success else None,
                      expected_interval_seconds=interval.total_seconds())  # fmt: skip
    statuses = [Status.ok]
    recent = runs[: cfg.failing_runs]
    if all(r.articles_stored == 0 for r in recent):
        statuses.append(Status.failing)
        what = "its only run" if len(runs) == 1 else f"the last {len(recent)} runs"
        verdict.reasons.append(f"no article stored in {what}")
    if success is not None and now - _end(success) > interval:
        statuses.append(Status.stale)
        verdict.reasons.append(f"last successful run {_age(now - _end(success))} ago, "
                               f"expected every {_age(interval)}")  # fmt: skip
    history = runs[1 : cfg.window + 1]
    if len(history) < cfg.min_history:
        verdict.reasons.append(f"too little history to judge ({len(history)} earlier runs, "
                               f"{cfg.min_history} needed)")  # fmt: skip
    elif latest.articles_stored > 0 or latest.articles_scraped > 0:
        findings = metric_findings(latest, history, cfg.z_threshold)
        if findings:
            statuses.append(Status.degraded)
            verdict.reasons.extend(findings)
    verdict.status = max(statuses, key=list(Status).index)
    return verdict


def expected_interval(runs: Sequence[RunLike], cfg: HealthConfig) -> dt.timedelta:
    """How often this source is crawled (median gap between runs) times the tolerance."""
    starts = [r.started_at for r in runs[: cfg.window + 1]]
    gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(starts)]
    if len(gaps) < 2:
        return max(cfg.default_interval, cfg.min_interval)
    usual = dt.timedelta(seconds=statistics.median(gaps) * cfg.stale_factor)
    return max(usual, cfg.min_interval)


def worst(verdicts: Sequence[Verdict]) -> Status:
    """The worst status among verdicts (ok when there are none)."""
    order = list(Status)
    return max((v.status for v in verdicts), key=order.index, default=Status.ok)


def exit_code(verdicts: Sequence[Verdict]) -> int:
    """0 all ok, 1 some degraded, 2 some failing or stale."""
    return max((EXIT_CODES[v.status] for v in verdicts), default=0)


def _end(run: RunLike) -> dt.datetime:
    """When a run finished (its start when it never recorded an end)."""
    return run.finished_at or run.started_at


def _age(delta: dt.timedelta) -> str:
    """`3 d 4 h`, `5 h 12 min`, `40 min`."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {mins} min" if hours else f"{mins} min"
