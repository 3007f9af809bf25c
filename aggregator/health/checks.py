"""The per-metric comparisons behind `degraded`: latest run against the source's baseline.

Each check reads one number from a run, knows which direction is bad (a body that gets
much shorter or much longer both mean a layout change; coverage is only bad when it
drops) and a floor for the spread, and words its finding for a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from aggregator.health.baseline import baseline


class RunLike(Protocol):
    """What the rules read from one source run (an ORM row or a test double); read-only."""

    @property
    def started_at(self) -> dt.datetime: ...
    @property
    def finished_at(self) -> dt.datetime | None: ...
    @property
    def pages_fetched(self) -> int: ...
    @property
    def articles_scraped(self) -> int: ...
    @property
    def articles_stored(self) -> int: ...
    @property
    def fetch_failures(self) -> int: ...
    @property
    def bot_challenges(self) -> int: ...
    @property
    def zone_corrections(self) -> int: ...
    @property
    def with_title(self) -> int: ...
    @property
    def with_date(self) -> int: ...
    @property
    def with_author(self) -> int: ...
    @property
    def with_body(self) -> int: ...
    @property
    def median_body_chars(self) -> int | None: ...
    @property
    def rule_hits(self) -> Mapping[str, int]: ...


Reader = Callable[[RunLike], float | None]


@dataclass(frozen=True, slots=True)
class Check:
    """One metric: how to read it, which way is bad, the spread floor, how to say it."""

    name: str
    read: Reader
    bad_low: bool
    bad_high: bool
    relative_floor: float  # MAD floor as a share of the median
    absolute_floor: float  # and in the metric's own unit
    unit: str  # "count", "chars" or "share"


def _share(part: int, whole: int) -> float | None:
    """part / whole, None when whole is 0."""
    return part / whole if whole > 0 else None


def _coverage(attr: str) -> Reader:
    """The share of scraped articles that had a field."""
    return lambda r: _share(getattr(r, attr), r.articles_scraped)


CHECKS: tuple[Check, ...] = (
    Check("articles stored", lambda r: float(r.articles_stored), True, False, 0.1, 1, "count"),
    Check("median body length", lambda r: r.median_body_chars, True, True, 0.1, 50, "chars"),
    Check("title found in", _coverage("with_title"), True, False, 0.0, 0.05, "share"),
    Check("date found in", _coverage("with_date"), True, False, 0.0, 0.05, "share"),
    Check("author found in", _coverage("with_author"), True, False, 0.0, 0.05, "share"),
    Check("body found in", _coverage("with_body"), True, False, 0.0, 0.05, "share"),
    Check("bot challenges on", lambda r: _share(r.bot_challenges, r.pages_fetched),
          False, True, 0.0, 0.05, "share"),
    Check("failed fetches", lambda r: _share(r.fetch_failures, r.pages_fetched + r.fetch_failures),
          False, True, 0.0, 0.05, "share"),
    Check("date zone corrected in", _coverage("zone_corrections"), False, True, 0.0, 0.05,
          "share"),
)  # fmt: skip

_OF = {"title found in": "of articles", "date found in": "of articles",
       "author found in": "of articles", "body found in": "of articles",
       "bot challenges on": "of pages", "failed fetches": "of fetches",
       "date zone corrected in": "of articles"}  # fmt: skip


def _say(check: Check, value: float, usual: float) -> str:
    """`median body length 180 chars, usual 2,400` and the like."""
    if check.unit == "share":
        return f"{check.name} {value:.0%} {_OF[check.name]}, usual {usual:.0%}"
    if check.unit == "chars":
        return f"{check.name} {value:,.0f} chars, usual {usual:,.0f}"
    return f"{check.name} {value:,.0f}, usual {usual:,.0f}"


def _finding(check: Check, latest: RunLike, history: Sequence[RunLike],
             threshold: float) -> str | None:  # fmt: skip
    """The finding of one check, or None when the latest run is within the baseline."""
    value = check.read(latest)
    past = [v for v in (check.read(r) for r in history) if v is not None]
    base = baseline(past)
    if value is None or base is None or len(past) < max(1, len(history) // 2):
        return None
    floor = max(check.absolute_floor, check.relative_floor * abs(base.median))
    z = base.z(value, floor=floor)
    if (check.bad_low and z < -threshold) or (check.bad_high and z > threshold):
        return _say(check, value, base.median)
    return None


def _rule_findings(latest: RunLike, history: Sequence[RunLike]) -> list[str]:
    """A boilerplate rule that usually matches most articles and now matches none."""
    if latest.articles_scraped == 0:
        return []
    usual: dict[str, list[float]] = {}
    for run in history:
        if run.articles_scraped > 0:
            for rule, hits in run.rule_hits.items():
                usual.setdefault(rule, []).append(hits / run.articles_scraped)
    found = []
    judged = sum(1 for r in history if r.articles_scraped > 0)
    for rule, shares in sorted(usual.items()):
        base = baseline(shares + [0.0] * (judged - len(shares)))
        if base is not None and base.median >= 0.5 and latest.rule_hits.get(rule, 0) == 0:
            found.append(f"boilerplate rule {rule!r} matched 0% of articles, "
                         f"usual {base.median:.0%}")  # fmt: skip
    return found


def metric_findings(latest: RunLike, history: Sequence[RunLike], threshold: float) -> list[str]:
    """Every way the latest run differs from the source's baseline."""
    found = [f for c in CHECKS if (f := _finding(c, latest, history, threshold))]
    return found + _rule_findings(latest, history)
