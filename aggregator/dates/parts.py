"""Find the pieces of an absolute date in a string: day, month, year, time, zone, weekday."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aggregator.dates.lexicon import MONTHS, WEEKDAYS, ZONE_HOURS
from aggregator.dates.patterns import (
    DMY_RE,
    GAP_RE,
    ISO_RE,
    MDY_RE,
    NUM_RE,
    TIME_RE,
    WEEKDAY_RE,
    ZONE_RE,
)


class Invalid(ValueError):
    """The text names a date, but an impossible one (25:61, month 13, bad offset)."""


@dataclass(frozen=True, slots=True)
class Parts:
    """An absolute date as written: the year may be missing, the zone may be unknown."""

    year: int | None
    month: int
    day: int
    hour: int = 0
    minute: int = 0
    second: int = 0
    microsecond: int = 0
    has_time: bool = False
    has_seconds: bool = False
    offset: timedelta | None = None  # explicit zone in the text
    weekday: int | None = None  # named weekday, Monday = 0


def _search(rx: re.Pattern[str], kind: str, text: str) -> re.Match[str] | None:
    """The first match of one core pattern; yearless numbers only with a slash (8/1, not 10.15)."""
    for m in rx.finditer(text):
        if kind != "num" or m["y"] is not None or m["s"] == "/":
            return m
    return None


def _first_core(text: str) -> tuple[re.Match[str], str] | None:
    """The earliest date core in `text` and which pattern found it."""
    best: tuple[re.Match[str], str] | None = None
    for kind, rx in (("iso", ISO_RE), ("num", NUM_RE), ("dmy", DMY_RE), ("mdy", MDY_RE)):
        m = _search(rx, kind, text)
        if m and (best is None or m.start() < best[0].start()):
            best = (m, kind)
    return best


def _year(raw: str | None) -> int | None:
    """A four-digit year, or a two-digit one read as 19xx/20xx."""
    if raw is None:
        return None
    y = int(raw)
    if len(raw) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _date_fields(m: re.Match[str], kind: str) -> tuple[int | None, int, int]:
    """Year, month and day from a core match."""
    if kind in ("dmy", "mdy"):
        return _year(m["y"]), MONTHS[m["mon"]], int(m["d"])
    return _year(m["y"]), int(m["m"]), int(m["d"])


def zone_offset(m: re.Match[str]) -> timedelta:
    """The UTC offset a zone match names."""
    if m["name"]:
        return timedelta(hours=ZONE_HOURS[m["name"]])
    sign, hh, mm = (m["s1"], m["h1"], m["m1"]) if m["gmt"] else (m["s2"], m["h2"], m["m2"])
    hours, minutes = int(hh), int(mm or 0)
    if hours > 14 or minutes > 59:
        raise Invalid("offset out of range")
    delta = timedelta(hours=hours, minutes=minutes)
    return delta if sign == "+" else -delta


def clock(h: str, mi: str, s: str | None, ampm: str | None) -> tuple[int, int, int]:
    """Hour, minute, second, validated; am/pm applied."""
    hour, minute, second = int(h), int(mi), int(s or 0)
    if ampm:
        if not 1 <= hour <= 12:
            raise Invalid("bad 12-hour clock")
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise Invalid("bad time of day")
    return hour, minute, second


def _micro(frac: str | None) -> int:
    """Microseconds from a decimal fraction of a second."""
    return int((frac or "0")[:6].ljust(6, "0"))


def _time_near(text: str, start: int, end: int) -> re.Match[str] | None:
    """A clock time right after the date core (or right before it), joined by connectors only."""
    after = TIME_RE.search(text, end)
    if after and GAP_RE.match(text[end : after.start()]):
        return after
    before = None
    for m in TIME_RE.finditer(text, 0, start):
        before = m
    if before:
        zone = ZONE_RE.match(text, before.end())  # "12:00 WITA, Sabtu (8/1)"
        if GAP_RE.match(text[zone.end() if zone else before.end() : start]):
            return before
    return None


def _clock_fields(text: str, m: re.Match[str], kind: str, start: int) -> tuple[dict[str, Any], int]:
    """Time fields of the date core `m` (its own ISO time or a time next to it), and where a
    zone may follow (end of the time, else end of the date)."""
    if kind == "iso" and (m["H1"] or m["H2"]):
        h, mi, s = (m["H1"], m["M1"], m["S1"]) if m["H1"] else (m["H2"], m["M2"], m["S2"])
        frac, tail = m["frac"], m.end()
        ampm = None
    elif tm := _time_near(text, start, m.end()):
        h, mi, s, frac, ampm, tail = tm["H"], tm["M"], tm["S"], tm["frac"], tm["ampm"], tm.end()
    else:
        return {}, m.end()
    hour, minute, second = clock(h, mi, s, ampm)
    fields = {"hour": hour, "minute": minute, "second": second, "microsecond": _micro(frac),
              "has_time": True, "has_seconds": s is not None}  # fmt: skip
    return fields, tail


def find_parts(text: str) -> Parts | None:
    """The absolute date in lower-cased `text`, None if there is none; `Invalid` if impossible."""
    found = _first_core(text)
    if found is None:
        return None
    m, kind = found
    year, month, day = _date_fields(m, kind)
    wd = WEEKDAY_RE.search(text, 0, m.start())
    fields, tail = _clock_fields(text, m, kind, wd.start() if wd else m.start())
    zm = ZONE_RE.match(text, tail) or (ZONE_RE.match(text, m.end()) if fields else None)
    if zm and not fields and zm["name"] == "z":
        zm = None  # a lone "z" after a bare date is not a zone
    return Parts(year, month, day, **fields, offset=zone_offset(zm) if zm else None,
                 weekday=WEEKDAYS[wd["wd"]] if wd else None)  # fmt: skip
