"""CleanPipeline: boilerplate rules on the item body, credit lines into fields, rule stats.

Stats: `clean/rule/<rule-name>` counts every rule hit, both the hits extraction recorded
in `ArticleItem.rule_hits` and any hit of this (idempotent) re-run, so a rule that stops
or starts matching on a site shows up in the crawl stats.  `clean/items` counts items
seen, `clean/emptied` items whose body the rules removed entirely.
Setting: `AGGREGATOR_CLEAN_ENABLED` (default True).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from scrapy.exceptions import NotConfigured

from aggregator.cleaning.item import apply_clean
from aggregator.items import ArticleItem


class CleanPipeline:
    """Re-apply the cleaning rules to each item and count rule hits in the crawl stats."""

    def __init__(self, stats: Any) -> None:
        """Keep the stats collector."""
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        """Build from the crawler; `AGGREGATOR_CLEAN_ENABLED = False` turns it off."""
        if not crawler.settings.getbool("AGGREGATOR_CLEAN_ENABLED", True):
            raise NotConfigured("AGGREGATOR_CLEAN_ENABLED is off")
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        """Clean the body of an `ArticleItem`; other items pass through untouched."""
        if not isinstance(item, ArticleItem):
            return item
        self.stats.inc_value("clean/items")
        original = item.body
        result = apply_clean(item)
        if original and not result.text:  # the rules would remove it all; body kept
            self.stats.inc_value("clean/emptied")
        hits: Counter[str] = Counter(item.rule_hits)
        hits.update(result.hits)
        for name, count in hits.items():
            self.stats.inc_value(f"clean/rule/{name}", count)
        return item
