"""Relative dates counted back from `now`: "5 menit yang lalu", "kemarin, 14:30 WIB"."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from aggregator.dates.lexicon import UNITS
from aggregator.dates.parts import clock, zone_offset
from aggregator.dates.patterns import TIME_RE, ZONE_RE

_UNIT_ALT = "|".join(sorted(UNITS, key=len, reverse=True))
_AMOUNT = r"(?:\d{1,4}|setengah|half\s+an?|se|satu|an?|one)"
_PAIR = rf"{_AMOUNT}\s*(?:{_UNIT_ALT})\b"
#: One or more "amount unit" pairs, then "lalu"/"ago": "1 jam 30 menit yang lalu".
_AGO_RE = re.compile(
    rf"(?<![\w])(?P<pairs>{_PAIR}(?:\s*(?:,|dan|and)?\s*{_PAIR})*)"
    r"\s*(?:yang\s+|yg\.?\s+)?(?:lalu|silam|ago|sebelumnya)\b"
)
_PAIR_RE = re.compile(rf"(?P<amount>{_AMOUNT})\s*(?P<unit>{_UNIT_ALT})\b")
_HALF = frozenset({"setengah"})
_NOW_RE = re.compile(r"^(?:baru\s+saja|barusan|just\s+now|right\s+now|sekarang)$")
_DAY_RE = re.compile(
    r"^(?P<day>kemarin\s+lusa|kemarin|kemaren|yesterday|hari\s+ini|today|tadi)\b"
    r"[\s,|\-–]*(?:(?:pukul|pkl\.?|jam|at|sekitar)\b[\s:.]*)?"
)
_DAYS_BACK = {"kemarin lusa": 2, "kemarin": 1, "kemaren": 1, "yesterday": 1}


def _sub_months(now: datetime, months: int) -> datetime:
    """`now` moved back by whole calendar months, the day clamped to the month's length."""
    total = now.year * 12 + now.month - 1 - months
    year, month = divmod(total, 12)
    day = min(now.day, monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def _amount(word: str) -> float:
    """The number an amount word stands for ("se" and "an" are one, "setengah" a half)."""
    if word.isdigit():
        return float(word)
    return 0.5 if word in _HALF or word.startswith("half") else 1.0


def _ago(m: re.Match[str], now: datetime) -> tuple[datetime, bool]:
    """The instant the pairs of `m` count back to, and whether seconds/minutes were named."""
    value, fine = now, False
    for pair in _PAIR_RE.finditer(m["pairs"]):
        n, unit = _amount(pair["amount"]), UNITS[pair["unit"]]
        fine = fine or unit in ("seconds", "minutes")
        if unit in ("months", "years"):
            value = _sub_months(value, int(n) * (12 if unit == "years" else 1))
        else:
            value = value - timedelta(**{unit: n})
    return value, fine


def _day_word(m: re.Match[str], text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """'kemarin', 'hari ini 08:00', 'kemarin, 14:30 WIB' in the named zone or the site's."""
    rest = text[m.end() :]
    if not rest:
        local = now.astimezone(zone)
        back = _DAYS_BACK.get(" ".join(m["day"].split()), 0)
        day = local.date() - timedelta(days=back)
        return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
    tm = TIME_RE.match(rest)
    if tm is None:
        return None
    zm = ZONE_RE.match(rest, tm.end())
    if len(rest) != (zm.end() if zm else tm.end()):
        return None  # trailing words: not a plain relative day
    if zm:
        zone = _fixed_zone(zm)
    hour, minute, second = clock(tm["H"], tm["M"], tm["S"], tm["ampm"])
    local = now.astimezone(zone)
    back = _DAYS_BACK.get(" ".join(m["day"].split()), 0)
    day = local.date() - timedelta(days=back)
    wall = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
    return wall.astimezone(UTC)


def _fixed_zone(zm: re.Match[str]) -> tzinfo:
    """A fixed-offset tzinfo from a zone match."""
    return timezone(zone_offset(zm))


def parse_relative(text: str, now: datetime, zone: tzinfo) -> tuple[datetime, str] | None:
    """A relative date in cleaned lower-case `text` as (UTC instant, precision), or None.

    The precision is "minute" for "baru saja", seconds, minutes and a day word with a
    time, "day" for hours and longer ("2 jam lalu" is a rounded figure) and a bare day word.
    """
    if _NOW_RE.match(text):
        return now.astimezone(UTC), "minute"
    m = _DAY_RE.match(text)
    if m:
        value = _day_word(m, text, now, zone)
        return (value, "minute" if text[m.end() :] else "day") if value else None
    m = _AGO_RE.search(text)
    if m:
        value, fine = _ago(m, now)
        return value.astimezone(UTC), "minute" if fine else "day"
    return None
