"""Helpers the page-data modules share: JSON-safe values, percentiles, safe links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from aggregator.storage.runs import json_safe

__all__ = ["age_seconds", "iso", "json_safe", "percentile", "safe_href", "seconds_between"]


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 text or None."""
    return value.isoformat() if value is not None else None


def age_seconds(value: dt.datetime | None, now: dt.datetime) -> float | None:
    """Seconds from `value` to `now`."""
    return (now - value).total_seconds() if value is not None else None


def seconds_between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    """Duration in seconds, None when either end is missing."""
    return (end - start).total_seconds() if start is not None and end is not None else None


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank q-quantile (0..1) of unsorted values; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def safe_href(url: str | None) -> str | None:
    """The URL when it is http(s), else None: scraped links never become `javascript:`."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url if scheme in {"http", "https"} else None


def counts(mapping: Mapping[str, Any] | None) -> dict[str, int]:
    """A JSON counter map with int values only, largest first."""
    items = [(str(k), int(v)) for k, v in (mapping or {}).items() if isinstance(v, int | float)]
    return dict(sorted(items, key=lambda kv: (-kv[1], kv[0])))
