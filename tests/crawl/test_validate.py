"""ValidatePipeline: every invalid item is dropped with a counted reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from aggregator.items import ArticleItem
from aggregator.pipelines.validate import ValidatePipeline, invalid_reason

NOW = datetime(2024, 3, 15, tzinfo=UTC)


def item(**kwargs: object) -> ArticleItem:
    """A valid item unless overridden."""
    base: dict[str, object] = {"url": "https://c.id/a", "source": "c.id", "fetched_at": NOW,
                               "title": "Judul", "body": "Isi berita."}
    return ArticleItem(**{**base, **kwargs})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (item(), None),
        ({"url": "https://c.id/a"}, "not_article_item"),
        (item(url=""), "missing_url"),
        (item(url="ftp://c.id/a"), "bad_url"),
        (item(url="https://[::1/a"), "bad_url"),
        (item(title=None), "missing_title"),
        (item(title="  \n"), "missing_title"),
        (item(body=None), "missing_body"),
        (item(body=" "), "missing_body"),
        (item(fetched_at=datetime(2024, 3, 15)), "naive_fetched_at"),
    ],
)
def test_invalid_reason(value: object, reason: str | None) -> None:
    assert invalid_reason(value) == reason


def test_min_body_chars() -> None:
    assert invalid_reason(item(body="pendek"), min_body_chars=50) == "body_too_short"


def test_pipeline_counts_passes_and_drops() -> None:
    crawler = get_crawler(settings_dict={"AGGREGATOR_VALIDATE_MIN_BODY_CHARS": 5})
    crawler.stats.open_spider()
    pipe = ValidatePipeline.from_crawler(crawler)
    good = item()
    assert pipe.process_item(good) is good
    with pytest.raises(DropItem, match="missing_title"):
        pipe.process_item(item(title=""))
    with pytest.raises(DropItem, match="body_too_short"):
        pipe.process_item(item(body="abc"))
    stats = crawler.stats.get_stats()
    assert stats["validate/passed"] == 1
    assert stats["validate/dropped/missing_title"] == 1
    assert stats["validate/dropped/body_too_short"] == 1


def test_can_be_switched_off() -> None:
    crawler = get_crawler(settings_dict={"AGGREGATOR_VALIDATE_ENABLED": False})
    with pytest.raises(NotConfigured):
        ValidatePipeline.from_crawler(crawler)
