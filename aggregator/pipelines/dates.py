"""DatesPipeline: choose each article's published and modified dates from its candidates.

Candidates are the page's (`ArticleItem.date_candidates`) plus the feed or sitemap entry's
(`ArticleItem.discovery`); `aggregator.dates.resolve_article_dates` picks by its documented
order of trust with `now = item.fetched_at` and `tz = item.timezone`.

Settings: `AGGREGATOR_DATES_ENABLED` (default True), `AGGREGATOR_FUTURE_TOLERANCE`
(seconds, default 900): a published date further than this after the fetch time is
rejected with `DropItem`.
Stats: `dates/items`, `dates/published/<source>`, `dates/modified/<source>`,
`dates/missing` (kept without a published date), `dates/rejected_future` (dropped),
`dates/bad_timezone` (unknown item zone, Asia/Jakarta used instead), `dates/no_fetch_time`
(item without a fetch time: the current time is the reference), `dates/zone_corrected`
(the published date's own zone was overruled by the cross-check, e.g. detik's false `Z`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.exceptions import DropItem, NotConfigured

from aggregator.dates import parse_date, resolve_article_dates
from aggregator.dates.entry import entry_candidates
from aggregator.exceptions import ConfigError
from aggregator.items import ArticleItem

DEFAULT_TZ = "Asia/Jakarta"


class DatesPipeline:
    """Fill `published_*` and `modified_*` of each `ArticleItem`; drop future-dated ones."""

    def __init__(self, stats: Any, future_tolerance: timedelta) -> None:
        """Keep the stats collector and the future tolerance."""
        self.stats = stats
        self.future_tolerance = future_tolerance

    @classmethod
    def from_crawler(cls, crawler: Any) -> DatesPipeline:
        """Build from the crawler; `AGGREGATOR_DATES_ENABLED = False` turns it off."""
        settings = crawler.settings
        if not settings.getbool("AGGREGATOR_DATES_ENABLED", True):
            raise NotConfigured("AGGREGATOR_DATES_ENABLED is off")
        seconds = settings.getfloat("AGGREGATOR_FUTURE_TOLERANCE", 900.0)
        return cls(crawler.stats, timedelta(seconds=max(seconds, 0.0)))

    def _resolve(self, item: ArticleItem, now: datetime) -> tuple[Any, Any]:
        """Resolve in the item's zone, falling back to Asia/Jakarta for an unknown one."""
        # The spider may already have added the entry's dates; add only the missing ones.
        known = {(c.kind, c.raw) for c in item.date_candidates}
        extra = [c for c in entry_candidates(item.discovery) if (c.kind, c.raw) not in known]
        candidates = [*item.date_candidates, *extra]
        try:
            return resolve_article_dates(candidates, now=now, tz=item.timezone or DEFAULT_TZ)
        except ConfigError:
            self.stats.inc_value("dates/bad_timezone")
            return resolve_article_dates(candidates, now=now, tz=DEFAULT_TZ)

    def _fetch_time(self, item: ArticleItem) -> datetime:
        """The item's fetch time, aware (naive is UTC); the current time if it is missing."""
        fetched = item.fetched_at
        if not isinstance(fetched, datetime):
            self.stats.inc_value("dates/no_fetch_time")
            return datetime.now(UTC)
        return fetched if fetched.tzinfo else fetched.replace(tzinfo=UTC)

    @staticmethod
    def _literal(raw: str, item: ArticleItem, now: datetime) -> datetime | None:
        """`raw` read as written, to tell when the resolver overruled its zone."""
        try:
            return parse_date(raw, now=now, tz=item.timezone or DEFAULT_TZ)
        except ConfigError:
            return parse_date(raw, now=now, tz=DEFAULT_TZ)

    def process_item(self, item: Any) -> Any:
        """Set the item's dates; raise `DropItem` for a published date in the future."""
        if not isinstance(item, ArticleItem):
            return item
        self.stats.inc_value("dates/items")
        now = self._fetch_time(item)
        published, modified = self._resolve(item, now)
        if published.value is not None and published.value > now + self.future_tolerance:
            self.stats.inc_value("dates/rejected_future")
            raise DropItem(f"published date {published.value.isoformat()} is after the fetch "
                           f"time {now.isoformat()} ({published.source}: {published.raw!r})")
        item.published_at, item.published_raw = published.value, published.raw
        item.published_source = published.source
        item.modified_at, item.modified_raw = modified.value, modified.raw
        item.modified_source = modified.source
        if published.value is None:
            self.stats.inc_value("dates/missing")
        else:
            self.stats.inc_value(f"dates/published/{published.source}")
            if published.raw and published.value != self._literal(published.raw, item, now):
                self.stats.inc_value("dates/zone_corrected")  # a false zone was overruled
                self.stats.inc_value(f"dates/zone_corrected/{item.source}")  # source health
        if modified.value is not None:
            self.stats.inc_value(f"dates/modified/{modified.source}")
        return item
