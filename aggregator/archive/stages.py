"""The crawl's item stages (validate, clean, dates, dedup) on re-extracted items.

The pipeline classes themselves are used, not copies of their logic: they are plain
classes whose `process_item` takes an item and a stats object, so re-extraction gets
exactly the crawl's behaviour (including what a stage drops, and why).  The store stage
is left to the caller, which decides what changed before writing anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from scrapy.exceptions import DropItem

from aggregator.items import ArticleItem
from aggregator.pipelines.clean import CleanPipeline
from aggregator.pipelines.dates import DatesPipeline
from aggregator.pipelines.dedup import DEFAULT_MEMORY, DedupPipeline
from aggregator.pipelines.validate import ValidatePipeline


class CounterStats:
    """The slice of Scrapy's stats collector the pipelines use, on a Counter."""

    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        """Add `count` to `key`."""
        self.values[key] += count


@dataclass(slots=True)
class StageResult:
    """An item that went through every stage, or the reason it was dropped."""

    item: ArticleItem | None
    dropped: str | None = None


@dataclass(slots=True)
class Stages:
    """The enabled stages, built from the crawl's settings (defaults as in settings.py)."""

    settings: Mapping[str, Any] = field(default_factory=dict)
    stats: CounterStats = field(default_factory=CounterStats)
    chain: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        get = self.settings.get
        on = {name: get(f"AGGREGATOR_{name}_ENABLED", True) not in (False, "False", "0", 0)
              for name in ("VALIDATE", "CLEAN", "DATES", "DEDUP")}  # fmt: skip
        tolerance = timedelta(seconds=max(float(get("AGGREGATOR_FUTURE_TOLERANCE", 900.0)), 0.0))
        candidates = [
            ("VALIDATE", lambda: ValidatePipeline(
                self.stats, int(get("AGGREGATOR_VALIDATE_MIN_BODY_CHARS", 1)))),
            ("CLEAN", lambda: CleanPipeline(self.stats)),
            ("DATES", lambda: DatesPipeline(self.stats, tolerance)),
            ("DEDUP", lambda: DedupPipeline(
                self.stats, int(get("AGGREGATOR_DEDUP_MEMORY", DEFAULT_MEMORY)))),
        ]  # fmt: skip
        self.chain = [build() for name, build in candidates if on[name]]

    def run(self, item: ArticleItem) -> StageResult:
        """Pass `item` through every stage in the crawl's order."""
        try:
            for stage in self.chain:
                item = stage.process_item(item)
        except DropItem as exc:
            return StageResult(None, str(exc))
        return StageResult(item)
