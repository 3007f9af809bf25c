"""ValidatePipeline: drop items that cannot be an article, each with a counted reason.

Checks: an `ArticleItem`, an absolute http(s) URL, a non-blank title, a body of at least
`AGGREGATOR_VALIDATE_MIN_BODY_CHARS` characters (default 1), and a timezone-aware
`fetched_at`.  Stats: `validate/passed`, `validate/dropped/<reason>`.
Setting: `AGGREGATOR_VALIDATE_ENABLED` (default True).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import DropItem, NotConfigured

from aggregator.items import ArticleItem

log = logging.getLogger(__name__)


def invalid_reason(item: Any, *, min_body_chars: int = 1) -> str | None:
    """Why `item` is not a storable article (a stats-key word), or None when it is."""
    if not isinstance(item, ArticleItem):
        return "not_article_item"
    try:
        parts = urlsplit(item.url or "")
    except ValueError:
        return "bad_url"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "missing_url" if not item.url else "bad_url"
    if not (item.title or "").strip():
        return "missing_title"
    body = (item.body or "").strip()
    if not body:
        return "missing_body"
    if len(body) < min_body_chars:
        return "body_too_short"
    if item.fetched_at.tzinfo is None:
        return "naive_fetched_at"
    return None


class ValidatePipeline:
    """First pipeline: let through only items the later stages can work with."""

    def __init__(self, stats: Any, min_body_chars: int) -> None:
        self.stats = stats
        self.min_body_chars = min_body_chars

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        """Build from settings; NotConfigured when disabled."""
        settings = crawler.settings
        if not settings.getbool("AGGREGATOR_VALIDATE_ENABLED", True):
            raise NotConfigured("AGGREGATOR_VALIDATE_ENABLED is off")
        return cls(crawler.stats, settings.getint("AGGREGATOR_VALIDATE_MIN_BODY_CHARS", 1))

    def process_item(self, item: Any) -> Any:
        """Return the item, or raise DropItem with the reason (counted)."""
        reason = invalid_reason(item, min_body_chars=self.min_body_chars)
        if reason is None:
            self.stats.inc_value("validate/passed")
            return item
        self.stats.inc_value(f"validate/dropped/{reason}")
        url = getattr(item, "url", None)
        raise DropItem(f"invalid item ({reason}): {url}")
