"""When a job is due: durations, `--every` / `--cron` cadences, catch-up, jitter, back-off.

Pure functions on aware UTC datetimes; nothing here touches the database or a clock.

Slots: an `--every` job's slots are `anchor + k * interval` (the anchor is when it was
added, so a new job is due at once); a `--cron` job's slots are the matching minutes
(croniter).  A tick that finds several slots passed runs once, for the newest of them (a
catch-up), and the next slot is the first one after `now`: missed slots never burst.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from croniter import croniter

from aggregator.exceptions import ConfigError

__all__ = ["Cadence", "Slot", "adapt_interval", "backoff_delay", "format_duration",
           "jitter_offset", "parse_duration"]  # fmt: skip

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
#: Longest interval or duration accepted (a year): anything longer is surely a typo.
MAX_SECONDS = 366 * 86400
#: Adaptive bounds, as factors of the configured `--every` interval (docs/scheduling.md).
ADAPT_MIN_FACTOR = 0.25
ADAPT_MAX_FACTOR = 8.0
#: ... and absolute bounds: never more often than every 5 minutes, never rarer than daily.
ADAPT_FLOOR_S = 300
ADAPT_CEILING_S = 86400
#: Steps: new articles shorten the interval by this factor, an empty run lengthens it.
ADAPT_SHORTEN = 0.75
ADAPT_LENGTHEN = 1.5
#: Consecutive failures after which a job backs off (and shows as failing).
FAILURES_BEFORE_BACKOFF = 3
#: Longest back-off delay.
BACKOFF_CEILING_S = 86400


def parse_duration(text: str, *, what: str = "duration", allow_zero: bool = False) -> int:
    """`"90s"`, `"15m"`, `"2h"`, `"1d"` or plain seconds -> whole seconds (ConfigError if bad)."""
    match = _DURATION_RE.match(text or "")
    if not match:
        raise ConfigError(f"bad {what} {text!r}: use a number with s, m, h or d (e.g. 15m)")
    seconds = round(float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()])
    if seconds <= 0 and not allow_zero:
        raise ConfigError(f"{what} must be more than zero, got {text!r}")
    if seconds > MAX_SECONDS:
        raise ConfigError(f"{what} {text!r} is longer than a year")
    return seconds


def format_duration(seconds: float | None) -> str:
    """Seconds -> a short human string (`15m`, `1h30m`, `45s`); `-` for None."""
    if seconds is None:
        return "-"
    total = round(seconds)
    if total < 60:
        return f"{total}s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if total >= size:
            parts.append(f"{total // size}{unit}")
            total %= size
    return "".join(parts[:2])


@dataclass(frozen=True, slots=True)
class Slot:
    """The slot a tick runs, and whether earlier slots were missed (a catch-up)."""

    at: dt.datetime
    missed: int  # how many earlier slots collapsed into this run


@dataclass(frozen=True, slots=True)
class Cadence:
    """Either a fixed interval from an anchor or a cron expression (UTC)."""

    every_s: int | None = None
    cron: str | None = None

    def __post_init__(self) -> None:
        """Exactly one of `every_s` and `cron`; a cron expression must parse."""
        if (self.every_s is None) == (self.cron is None):
            raise ConfigError("give exactly one of --every and --cron")
        if self.every_s is not None and self.every_s <= 0:
            raise ConfigError("--every must be more than zero")
        if self.cron is not None:
            check_cron(self.cron)

    def first_due(self, added_at: dt.datetime) -> dt.datetime:
        """A new `--every` job is due at once; a `--cron` job at its next matching time."""
        if self.cron is None:
            return added_at
        return cron_next(self.cron, added_at)

    def slot_at(self, due: dt.datetime, now: dt.datetime, interval_s: int | None = None) -> Slot:
        """The newest slot at or before `now`, counting from the stored due slot `due`."""
        if self.cron is None:
            step = interval_s or self.every_s or 1
            missed = max(0, int((now - due).total_seconds() // step))
            return Slot(due + dt.timedelta(seconds=missed * step), missed)
        newest = cron_prev_or_at(self.cron, now)
        if newest <= due:
            return Slot(due, 0)
        missed = 0
        probe = due
        while missed < 2:  # only "were slots missed" matters; don't walk years of them
            probe = cron_next(self.cron, probe)
            if probe > newest:
                break
            missed += 1
        return Slot(newest, missed)

    def next_after(self, slot: dt.datetime, now: dt.datetime,
                   interval_s: int | None = None) -> dt.datetime:  # fmt: skip
        """The first slot strictly after both `slot` and `now`."""
        if self.cron is not None:
            return cron_next(self.cron, max(slot, now))
        step = interval_s or self.every_s or 1
        ahead = slot + dt.timedelta(seconds=step)
        if ahead > now:
            return ahead
        steps = int((now - slot).total_seconds() // step) + 1
        return slot + dt.timedelta(seconds=steps * step)


def check_cron(expr: str) -> None:
    """ConfigError unless `expr` is a valid 5-field cron expression."""
    fields = expr.split()
    if len(fields) != 5 or not croniter.is_valid(expr):
        raise ConfigError(f"malformed cron expression {expr!r}: use 5 fields, e.g. '*/15 * * * *'")


def cron_next(expr: str, after: dt.datetime) -> dt.datetime:
    """The first matching minute strictly after `after` (UTC)."""
    value = croniter(expr, after.astimezone(dt.UTC)).get_next(dt.datetime)
    return value.astimezone(dt.UTC)


def cron_prev_or_at(expr: str, at: dt.datetime) -> dt.datetime:
    """The newest matching minute at or before `at` (UTC)."""
    probe = at.astimezone(dt.UTC) + dt.timedelta(microseconds=1)
    value = croniter(expr, probe).get_prev(dt.datetime)
    return value.astimezone(dt.UTC)


def jitter_offset(name: str, slot: dt.datetime, jitter_s: int) -> int:
    """A stable pseudo-random delay in [0, jitter_s] for one slot of one job.

    Derived from the name and slot, so every scheduler sharing the database agrees.
    """
    if jitter_s <= 0:
        return 0
    digest = hashlib.sha256(f"{name}|{slot.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % (jitter_s + 1)


def adapt_interval(current_s: int, base_s: int, new_articles: int | None) -> int:
    """Media Cloud's idea: poll more often while a source yields, less when it is quiet.

    `new_articles` None (a failed run) leaves the interval alone.
    """
    if new_articles is None:
        return current_s
    low = max(ADAPT_FLOOR_S, int(base_s * ADAPT_MIN_FACTOR))
    high = min(ADAPT_CEILING_S, int(base_s * ADAPT_MAX_FACTOR))
    low, high = min(low, base_s), max(high, base_s)  # the base itself is always allowed
    factor = ADAPT_SHORTEN if new_articles > 0 else ADAPT_LENGTHEN
    return max(low, min(high, round(current_s * factor)))


def backoff_delay(consecutive_failures: int, interval_s: int) -> int:
    """Extra delay after repeated failures: 0 below the threshold, then doubling, capped."""
    over = consecutive_failures - FAILURES_BEFORE_BACKOFF
    if over < 0:
        return 0
    return int(min(BACKOFF_CEILING_S, interval_s * (2 ** min(over, 16))))
