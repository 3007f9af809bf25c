"""When to fetch a stored article again: pure decision logic, no I/O, no Scrapy.

An article already in the database is fetched again only when

- ``changed``: the feed or sitemap entry carries a date (lastmod, else published) newer
  than every date we hold for it (the discovery date seen at the last fetch, the stored
  modified and published dates), with `DATE_TOLERANCE` of slack for minute-precision
  feeds; or
- ``recheck``: it is young (published, else first seen, less than the re-check window
  ago) and was last fetched at least the minimum interval ago: fresh stories get
  corrected often, but a re-run a minute later must not fetch them again.

Otherwise it is skipped (``unchanged``).  Unknown URLs are always fetched (``new``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from aggregator.dates import parse_date

Reason = Literal["new", "changed", "recheck", "unchanged"]

DATE_TOLERANCE = dt.timedelta(minutes=1)
DEFAULT_RECHECK_WINDOW = dt.timedelta(hours=6)
DEFAULT_MIN_INTERVAL = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What the database holds about one article URL."""

    article_id: int
    first_seen_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    last_fetched_at: dt.datetime | None = None  # fetch_state, else the article's last_seen_at
    lastmod_seen: dt.datetime | None = None  # discovery date recorded at the last fetch


@dataclass(frozen=True, slots=True)
class RecheckPolicy:
    """The two knobs: how long articles count as young, and how often to re-check them."""

    window: dt.timedelta = DEFAULT_RECHECK_WINDOW
    min_interval: dt.timedelta = DEFAULT_MIN_INTERVAL


def discovery_date(
    discovery: dict[str, Any] | None, *, now: dt.datetime, tz: str = "Asia/Jakarta"
) -> dt.datetime | None:
    """The entry's lastmod (else published) as aware UTC, or None when absent or unreadable."""
    if not isinstance(discovery, dict):
        return None
    for key in ("lastmod", "published"):
        value = safe_parse_date(discovery.get(key), now=now, tz=tz)
        if value is not None:
            return value
    return None


def safe_parse_date(
    raw: object, *, now: dt.datetime | None = None, tz: str = "Asia/Jakarta"
) -> dt.datetime | None:
    """A feed or listing date (text or aware datetime) as aware UTC; None if unusable."""
    if isinstance(raw, dt.datetime):
        return raw.astimezone(dt.UTC) if raw.tzinfo else None
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        return parse_date(raw.strip()[:200], now=now, tz=tz)
    except Exception:  # a bad date (or zone name) must not stop the crawl
        return None


def decide(
    stored: StoredArticle | None,
    discovered_at: dt.datetime | None,
    *,
    now: dt.datetime,
    policy: RecheckPolicy | None = None,
) -> Reason:
    """Why an article request should go ahead, or ``unchanged`` when it can be skipped."""
    if stored is None:
        return "new"
    policy = policy or RecheckPolicy()
    held = [d for d in (stored.lastmod_seen, stored.modified_at, stored.published_at) if d]
    if discovered_at is not None:
        if held and discovered_at > max(held) + DATE_TOLERANCE:
            return "changed"
        if not held and stored.last_fetched_at and discovered_at > stored.last_fetched_at:
            return "changed"
    anchor = stored.published_at or stored.first_seen_at
    young = anchor is not None and now - anchor < policy.window
    last = stored.last_fetched_at
    due = last is None or now - last >= policy.min_interval
    return "recheck" if young and due else "unchanged"
