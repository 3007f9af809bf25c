"""`parse_date`: one date string (Indonesian or English, absolute or relative) -> UTC instant."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal

from aggregator.dates.lexicon import LABEL_RE, SITE_PREFIX_RE, get_zone
from aggregator.dates.parts import Invalid, Parts, find_parts
from aggregator.dates.patterns import DOTTED_ZONE_RE, SPACE_RE, TAG_RE
from aggregator.dates.relative import parse_relative

Precision = Literal["second", "minute", "day"]

#: Longest cleaned text still read as a date line; longer text is prose, not a date.
MAX_LEN = 200
#: Longest text read as a yearless date unless a weekday names it ("Sabtu (8/1)").
MAX_YEARLESS_LEN = 40
_DIGITS_RE = re.compile(r"^\d{8,14}(?:\.\d{1,6})?$")
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MIN_EPOCH = 631152000  # 1990-01-01: smaller "timestamps" are counters or ids, not dates


@dataclass(frozen=True, slots=True)
class Reading:
    """A parsed date: as written (`value`) and as wall-clock time in the site's zone (`wall`)."""

    value: datetime  # UTC, using the zone the text names, else the site's zone
    wall: datetime  # UTC, ignoring any zone in the text (equals `value` when none is named)
    precision: Precision
    zoned: bool  # the text named a zone or offset
    #: The named zone is one sites are known to emit falsely (see `suspect_offset`).
    doubtful: bool = False


def suspect_offset(named: timedelta, site: timedelta) -> bool:
    """A named offset that may be false: a UTC designator (Z, GMT, +00:00; detik's `13-19-56Z`)
    or the site's offset with the wrong sign (merdeka's `-07:00`).  The Indonesian zones
    (WIB, WITA, WIT) and other offsets differing from the site's are believed: a story from
    Bali or Papua on a national portal is normal."""
    return named != site and (named == timedelta(0) or named == -site)


def clean(text: object) -> str | None:
    """Lower-case text without tags, entities, extra spaces and leading labels, or None."""
    if not isinstance(text, str) or len(text) > 4 * MAX_LEN:
        return None
    if "<" in text or "&" in text:
        text = TAG_RE.sub(" ", html.unescape(text))
    text = SPACE_RE.sub(" ", text.replace("\u00a0", " ")).strip().lower()
    if "w." in text:
        text = DOTTED_ZONE_RE.sub(lambda m: "wi" + m[1].replace(".", ""), text)
    for _ in range(3):
        stripped = SITE_PREFIX_RE.sub("", LABEL_RE.sub("", text, count=1), count=1)
        if stripped == text:
            break
        text = stripped
    return text if 0 < len(text) <= MAX_LEN else None


def _now(now: datetime | None) -> datetime:
    """The reference time, aware; a naive `now` is taken as UTC."""
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def _digits(text: str, zone: tzinfo) -> Reading | None:
    """Unix seconds (10 digits), milliseconds (13), compact 20220108 or 20220108101530."""
    head = text.split(".")[0]
    if len(head) in (10, 13):
        seconds = float(text) / (1000 if len(head) == 13 else 1)
        if not _MIN_EPOCH <= seconds < 4102444800:  # up to 2100
            return None
        value = datetime.fromtimestamp(seconds, UTC)
        return Reading(value, value, "second", True)
    if "." in text or len(text) not in (8, 14):
        return None
    nums = [int(text[i : i + 2]) for i in range(4, len(text), 2)] + [0, 0, 0]
    full = len(text) == 14
    parts = Parts(int(text[:4]), nums[0], nums[1], hour=nums[2], minute=nums[3],
                  second=nums[4], has_time=full, has_seconds=full)  # fmt: skip
    return _to_reading(parts, parts.year or 0, zone)


def _nearest_year(parts: Parts, now_local: date) -> int | None:
    """The year that puts a yearless day/month nearest to `now_local`.

    A named weekday must agree ("Kamis (8/1)" read in late November is next January's
    Thursday, not this January's Wednesday); of the agreeing years the nearest wins, and on
    a tie the past one: a publication date is rarely ahead of the reader.
    """
    best: tuple[int, bool, int] | None = None
    for year in (now_local.year - 1, now_local.year, now_local.year + 1):
        try:
            day = date(year, parts.month, parts.day)
        except ValueError:
            continue  # 29 February in a common year
        if parts.weekday is not None and day.weekday() != parts.weekday:
            continue
        key = (abs((day - now_local).days), day > now_local, year)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def _to_reading(parts: Parts, year: int, zone: tzinfo) -> Reading | None:
    """Both readings of `parts`; None for an impossible date or a contradicting weekday."""
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        local = datetime(year, parts.month, parts.day, parts.hour, parts.minute, parts.second,
                         parts.microsecond)  # fmt: skip
    except ValueError:
        return None
    if parts.weekday is not None and local.weekday() != parts.weekday:
        return None
    wall = local.replace(tzinfo=zone).astimezone(UTC)
    value, doubtful = wall, False
    if parts.offset is not None:
        value = (local - parts.offset).replace(tzinfo=UTC)
        doubtful = suspect_offset(parts.offset, zone.utcoffset(local) or timedelta(0))
    if abs(value - _EPOCH) < timedelta(days=1):
        return None  # a zero timestamp formatted as a date: "Thu, 01 Jan 1970 07:00:00 +0700"
    precision: Precision = "second" if parts.has_seconds else "minute" if parts.has_time else "day"
    return Reading(value, wall, precision, parts.offset is not None, doubtful)


def read_date(
    text: str, *, now: datetime | None = None, tz: str = "Asia/Jakarta"
) -> Reading | None:
    """Parse `text` into a `Reading` (see `parse_date` for the rules); None if not a date."""
    zone = get_zone(tz)
    cleaned = clean(text)
    if cleaned is None:
        return None
    try:
        if _DIGITS_RE.match(cleaned):
            return _digits(cleaned, zone)
        parts = find_parts(cleaned)
        if parts is None:
            found = parse_relative(cleaned, _now(now), zone)
            if found is None:
                return None
            value, precision = found
            return Reading(value, value, "minute" if precision == "minute" else "day", False)
        year = parts.year
        if year is None:
            if parts.weekday is None and len(cleaned) > MAX_YEARLESS_LEN:
                return None  # "Menhub: 1 Oktober Pak Presiden Sibuk" is a headline, not a date
            year = _nearest_year(parts, _now(now).astimezone(zone).date())
        return _to_reading(parts, year, zone) if year else None
    except (Invalid, ValueError, OverflowError):
        return None


def parse_date(
    text: str, *, now: datetime | None = None, tz: str = "Asia/Jakarta"
) -> datetime | None:
    """An aware UTC datetime for an Indonesian or English date string, or None.

    Zones named in the text (WIB, WITA, WIT, offsets, Z, GMT) win over `tz`; `now` anchors
    relative and yearless forms.  Raises `ConfigError` only for an unknown `tz`.
    """
    reading = read_date(text, now=now, tz=tz)
    return reading.value if reading else None

