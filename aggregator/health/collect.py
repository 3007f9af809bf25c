"""What one crawl saw, per source: the rows of `source_runs` (Scrapy-free).

The crawl's glue (`aggregator.health_extension`) feeds responses, finished items,
rejected pages and failed fetches in as they happen; at crawl end the store writer
asks for `rows(...)` and writes them next to the crawl run.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

#: Stats key prefix under which the dates pipeline counts zone corrections per source.
ZONE_PREFIX = "dates/zone_corrected/"
BOT_CHALLENGE = "bot_challenge"


class ItemLike(Protocol):
    """The ArticleItem fields the collector reads."""

    source: str
    title: str | None
    body: str | None
    published_at: dt.datetime | None
    fetched_at: dt.datetime
    authors: list[str]
    rule_hits: dict[str, int]


@dataclass(slots=True)
class _SourceTally:
    """Running counters for one source."""

    pages: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    rejects: Counter[str] = field(default_factory=Counter)
    drops: Counter[str] = field(default_factory=Counter)
    rule_hits: Counter[str] = field(default_factory=Counter)
    scraped: int = 0
    with_title: int = 0
    with_date: int = 0
    with_author: int = 0
    with_body: int = 0
    body_lengths: list[int] = field(default_factory=list)
    lags: list[float] = field(default_factory=list)


def drop_reason(message: str) -> str:
    """A stable key for a DropItem message: `duplicate same_body: URL` -> `duplicate_same_body`.

    The text before the first colon, cut at the first digit (dates, counts), as a slug.
    """
    head = message.split(":", 1)[0]
    head = re.split(r"\d", head, maxsplit=1)[0]
    slug = re.sub(r"[^a-z_]+", "_", head.lower()).strip("_")
    return slug[:60] or "dropped"


def _percentile(values: list[float], q: float) -> int | None:
    """The q-quantile (0..1) by nearest rank, rounded to an int; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return round(ordered[index])


class SourceRunCollector:
    """Per-source counters of one crawl; thread-safe enough for Scrapy's single reactor."""

    def __init__(self) -> None:
        self.tallies: dict[str, _SourceTally] = defaultdict(_SourceTally)

    def response(self, source: str, status: int) -> None:
        """A response was received (any status)."""
        tally = self.tallies[source]
        tally.pages += 1
        tally.statuses[str(status)] += 1

    def failure(self, source: str, reason: str) -> None:
        """A URL failed for good."""
        self.tallies[source].failures[reason] += 1

    def rejected(self, source: str, reason: str) -> None:
        """A page held no article (bot challenge, error page, index page...)."""
        self.tallies[source].rejects[reason] += 1

    def dropped(self, source: str, message: str) -> None:
        """A pipeline dropped an item (duplicate, invalid, future date...)."""
        self.tallies[source].drops[drop_reason(message)] += 1

    def item(self, item: ItemLike) -> None:
        """An article went through every pipeline."""
        tally = self.tallies[item.source]
        tally.scraped += 1
        tally.with_title += bool(item.title and item.title.strip())
        tally.with_date += item.published_at is not None
        tally.with_author += bool(item.authors)
        body = (item.body or "").strip()
        tally.with_body += bool(body)
        tally.body_lengths.append(len(body))
        # Articles a rule matched in (not raw hit counts): comparable across run sizes.
        tally.rule_hits.update(name for name, hits in item.rule_hits.items() if hits)
        if item.published_at is not None:
            tally.lags.append((item.fetched_at - item.published_at).total_seconds())

    def rows(
        self,
        stored: Mapping[str, Mapping[str, int]],
        stats: Mapping[str, Any],
        *,
        started_at: dt.datetime,
        finished_at: dt.datetime | None,
        sites: Iterable[str] = (),
    ) -> list[dict[str, Any]]:
        """One `source_runs` row per source; `stored` is the writer's per-source count.

        A host that only answered responses (a shared index page, robots.txt of a
        start URL) is not a source unless the crawl named it in `sites`.
        """
        zones = {k[len(ZONE_PREFIX):]: int(v) for k, v in stats.items()
                 if k.startswith(ZONE_PREFIX) and isinstance(v, int)}  # fmt: skip
        active = {name for name, t in self.tallies.items()
                  if t.scraped or t.failures or t.rejects or t.drops}  # fmt: skip
        names = sorted((active | set(sites) | set(stored) | set(zones)) - {"?"})
        return [self._row(name, stored.get(name, {}), zones.get(name, 0), started_at,
                          finished_at) for name in names]  # fmt: skip

    def _row(self, source: str, stored: Mapping[str, int], zones: int,
             started_at: dt.datetime, finished_at: dt.datetime | None,
             ) -> dict[str, Any]:  # fmt: skip
        """The row of one source."""
        t = self.tallies.get(source) or _SourceTally()
        median = round(statistics.median(t.body_lengths)) if t.body_lengths else None
        return {
            "source": source, "started_at": started_at, "finished_at": finished_at,
            "pages_fetched": t.pages, "articles_scraped": t.scraped,
            "articles_stored": int(stored.get("stored", 0)),
            "articles_failed": int(stored.get("failed", 0)),
            "fetch_failures": sum(t.failures.values()) or int(stored.get("fetch_failures", 0)),
            "not_articles": sum(t.rejects.values()),
            "bot_challenges": t.rejects.get(BOT_CHALLENGE, 0), "zone_corrections": zones,
            "with_title": t.with_title, "with_date": t.with_date,
            "with_author": t.with_author, "with_body": t.with_body,
            "median_body_chars": median,
            "lag_p50_seconds": _percentile(t.lags, 0.5),
            "lag_p95_seconds": _percentile(t.lags, 0.95),
            "status_counts": dict(sorted(t.statuses.items())),
            "failure_reasons": dict(sorted(t.failures.items())),
            "reject_reasons": dict(sorted(t.rejects.items())),
            "drop_reasons": dict(sorted(t.drops.items())),
            "rule_hits": dict(sorted(t.rule_hits.items())),
        }  # fmt: skip
