"""Durations, cadences, catch-up slots, jitter, adaptive intervals and back-off."""

from __future__ import annotations

import datetime as dt

import pytest

from aggregator.exceptions import ConfigError
from aggregator.jobs import timing
from aggregator.jobs.timing import Cadence, adapt_interval, backoff_delay, parse_duration

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(("text", "seconds"), [
    ("90", 90), ("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1.5h", 5400),
    (" 15M ", 900),
])
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "0m", "-5m", "15x", "m", "400d", "1 5m"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text)


def test_zero_allowed_where_asked() -> None:
    assert parse_duration("0s", allow_zero=True) == 0


@pytest.mark.parametrize("expr", ["*/15 * * *", "61 * * * *", "* * * * * *", "every day", ""])
def test_malformed_cron(expr: str) -> None:
    with pytest.raises(ConfigError, match="cron"):
        Cadence(cron=expr)


def test_exactly_one_cadence() -> None:
    with pytest.raises(ConfigError):
        Cadence()
    with pytest.raises(ConfigError):
        Cadence(every_s=60, cron="* * * * *")


# (due slot, now) -> (slot run, missed slots, next slot), for --every 15m
@pytest.mark.parametrize(("now", "slot", "missed", "next_slot"), [
    (0, 0, 0, 15),        # on time
    (7, 0, 0, 15),        # late within the slot
    (15, 15, 1, 30),      # one slot missed: run the newest
    (180 + 1, 180, 12, 195),  # 3 h of downtime: one catch-up run, not twelve
])
def test_every_slots(now: float, slot: float, missed: int, next_slot: float) -> None:
    cadence = Cadence(every_s=900)
    found = cadence.slot_at(at(0), at(now))
    assert (found.at, found.missed) == (at(slot), missed)
    assert cadence.next_after(found.at, at(now)) == at(next_slot)


def test_cron_slots_and_first_due() -> None:
    cadence = Cadence(cron="*/15 * * * *")
    assert cadence.first_due(at(7)) == at(15)
    assert cadence.first_due(at(15)) == at(30)  # strictly after: no run in the adding minute
    found = cadence.slot_at(at(15), at(200))
    assert found.at == at(195)
    assert found.missed >= 1
    assert cadence.slot_at(at(15), at(16)).missed == 0
    assert cadence.next_after(at(195), at(200)) == at(210)


def test_jitter_is_stable_and_bounded() -> None:
    offsets = {timing.jitter_offset("job", at(15 * i), 60) for i in range(50)}
    assert all(0 <= o <= 60 for o in offsets)
    assert len(offsets) > 5
    assert timing.jitter_offset("job", at(15), 60) == timing.jitter_offset("job", at(15), 60)
    assert timing.jitter_offset("job", at(15), 0) == 0


def test_adaptive_interval_moves_within_bounds() -> None:
    base = 3600
    interval = base
    for _ in range(30):  # a source that always yields: down to a quarter of the base
        interval = adapt_interval(interval, base, 5)
    assert interval == base // 4
    for _ in range(30):  # a quiet source: up to eight times the base (under a day)
        interval = adapt_interval(interval, base, 0)
    assert interval == base * 8
    assert adapt_interval(1000, base, None) == 1000  # a failed run changes nothing


def test_adaptive_floor_and_ceiling() -> None:
    assert adapt_interval(600, 600, 3) == 450
    assert adapt_interval(338, 600, 3) == 300  # never below 5 minutes
    assert adapt_interval(240, 240, 3) == 240  # ... unless the configured interval is shorter
    assert adapt_interval(20 * 3600, 12 * 3600, 0) == 86400  # never rarer than daily


def test_backoff() -> None:
    assert [backoff_delay(n, 900) for n in range(6)] == [0, 0, 0, 900, 1800, 3600]
    assert backoff_delay(40, 900) == timing.BACKOFF_CEILING_S
