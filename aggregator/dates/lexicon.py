"""Words and zones the date parser understands: Indonesian and English names, labels, zones."""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aggregator.exceptions import ConfigError

#: Month names, abbreviations and old spellings -> month number (keys are lower case).
MONTHS: dict[str, int] = {
    # Indonesian
    "januari": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "febr": 2,
    "maret": 3, "mar": 3, "mrt": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "agst": 8, "ags": 8, "agus": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12,
    # English (only the forms that differ from the Indonesian ones)
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "aug": 8, "october": 10, "oct": 10, "december": 12, "dec": 12,
}  # fmt: skip

#: Weekday names -> ISO weekday index (Monday = 0), Indonesian, old spellings and English.
WEEKDAYS: dict[str, int] = {
    "senin": 0, "sen": 0,
    "selasa": 1, "sel": 1,
    "rabu": 2, "rab": 2,
    "kamis": 3, "kam": 3,
    "jumat": 4, "jum'at": 4, "jum’at": 4, "jum": 4, "jumaat": 4,
    "sabtu": 5, "sab": 5,
    "minggu": 6, "ahad": 6, "min": 6, "mgg": 6,
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "wed": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip

#: Named zones -> offset in hours.  Indonesian zones first; they win over the site's zone.
ZONE_HOURS: dict[str, int] = {
    "wib": 7, "wita": 8, "wit": 9,
    "utc": 0, "gmt": 0, "z": 0, "ut": 0,
}  # fmt: skip

#: Relative units -> seconds, or "month"/"year" handled by calendar arithmetic.
UNITS: dict[str, str] = {
    "detik": "seconds", "second": "seconds", "seconds": "seconds", "sec": "seconds",
    "secs": "seconds", "dtk": "seconds",
    "menit": "minutes", "minute": "minutes", "minutes": "minutes", "min": "minutes",
    "mins": "minutes", "mnt": "minutes",
    "jam": "hours", "hour": "hours", "hours": "hours", "hr": "hours", "hrs": "hours",
    "hari": "days", "day": "days", "days": "days",
    "minggu": "weeks", "pekan": "weeks", "week": "weeks", "weeks": "weeks", "mgg": "weeks",
    "bulan": "months", "month": "months", "months": "months", "bln": "months",
    "tahun": "years", "year": "years", "years": "years", "thn": "years",
}  # fmt: skip

#: Labels that may precede a date and carry no information about it.
LABELS: tuple[str, ...] = (
    "diperbarui pada", "diperbarui", "diperbaharui", "diterbitkan pada", "diterbitkan",
    "dipublikasikan pada", "dipublikasikan", "dipublikasi", "dimuat", "ditayangkan",
    "terbit", "tayang", "dibuat", "diunggah", "disiarkan", "update terakhir", "update",
    "updated on", "updated", "last updated", "published on", "published", "posted on",
    "posted", "first published", "tanggal", "tgl", "waktu", "pada", "on",
)  # fmt: skip

_LABEL_ALT = "|".join(re.escape(x) for x in sorted(LABELS, key=len, reverse=True))
#: A leading label, optionally followed by ':' or a dash.
LABEL_RE = re.compile(rf"^\s*(?:{_LABEL_ALT})\b\s*[:\-–—]?\s*", re.IGNORECASE)

#: "Kompas.com -", "Liputan6.com, Jakarta -" and similar site prefixes.
SITE_PREFIX_RE = re.compile(
    r"^\s*[\w.-]+\.(?:com|co\.id|id|net|org|co)\b[^\d]{0,30}?[\-–—|:]\s*", re.I
)


def _fixed(hours: float) -> timezone:
    """A fixed-offset zone of `hours`."""
    return timezone(timedelta(hours=hours))


WIB = _fixed(7)


@lru_cache(maxsize=64)
def get_zone(name: str) -> tzinfo:
    """The tzinfo for an IANA name or a WIB/WITA/WIT abbreviation; `ConfigError` if unknown."""
    if not isinstance(name, str):
        raise ConfigError(f"time zone must be a name such as 'Asia/Jakarta', not {name!r}")
    key = name.strip().lower()
    if key in ZONE_HOURS:
        return _fixed(ZONE_HOURS[key])
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ConfigError(f"unknown time zone {name!r}") from exc
