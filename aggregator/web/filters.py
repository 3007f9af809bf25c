"""Jinja2 filters: ages, percentages, WIB times, numbers (all return plain text)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def age(seconds: float | None) -> str:
    """`3 d 4 h`, `5 h 12 min`, `40 s`; '-' for None."""
    if seconds is None:
        return "-"
    s = int(abs(seconds))
    days, rest = divmod(s, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    sign = "-" if seconds < 0 else ""
    if days:
        return f"{sign}{days} d {hours} h"
    if hours:
        return f"{sign}{hours} h {minutes} min"
    return f"{sign}{minutes} min" if minutes else f"{sign}{secs} s"


def pct(value: float | None) -> str:
    """`87%`; '-' for None."""
    return "-" if value is None else f"{value:.0%}"


def wib(value: str | None) -> str:
    """An ISO timestamp shown in Western Indonesian Time."""
    if not value:
        return "-"
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return when.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")


def num(value: Any) -> str:
    """`12,345`; '-' for None."""
    if value is None:
        return "-"
    return f"{value:,.0f}" if isinstance(value, int | float) else str(value)


def path_part(value: str) -> str:
    """A value quoted for one URL path segment (a source name in `/sources/...`)."""
    return quote(str(value), safe="")


FILTERS = {"age": age, "pct": pct, "wib": wib, "num": num, "path_part": path_part}
