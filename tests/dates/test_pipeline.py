"""DatesPipeline: fills the item's dates, counts sources, keeps undated items, drops future ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from aggregator.items import ArticleItem
from aggregator.pipelines.dates import DatesPipeline
from aggregator.types import DateCandidate

FETCHED = datetime(2022, 12, 10, 8, 0, tzinfo=UTC)


def _pipeline(**settings: Any) -> tuple[DatesPipeline, Any]:
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    return DatesPipeline.from_crawler(crawler), crawler.stats


def _item(*cands: DateCandidate, **kw: Any) -> ArticleItem:
    return ArticleItem(url="https://news.example/a", source="example", fetched_at=FETCHED,
                       date_candidates=list(cands), **kw)  # fmt: skip


def test_fills_published_and_modified_with_raw_and_source() -> None:
    pipe, stats = _pipeline()
    item = pipe.process_item(_item(
        DateCandidate("published", "2022-12-10T13:19:56+07:00", "jsonld"),
        DateCandidate("modified", "2022-12-10T14:00:00+07:00", "meta"),
        DateCandidate("published", "Sabtu, 10 Des 2022 13:19 WIB", "dateline"),
    ))  # fmt: skip
    assert item.published_at == datetime(2022, 12, 10, 6, 19, 56, tzinfo=UTC)
    assert (item.published_raw, item.published_source) == ("2022-12-10T13:19:56+07:00", "jsonld")
    assert item.modified_at == datetime(2022, 12, 10, 7, 0, tzinfo=UTC)
    assert item.modified_source == "meta"
    assert stats.get_value("dates/published/jsonld") == 1
    assert stats.get_value("dates/modified/meta") == 1


def test_feed_entry_dates_are_candidates() -> None:
    pipe, stats = _pipeline()
    item = _item(discovery={"published": "Sat, 10 Dec 2022 13:19:56 +0700",
                            "source_url": "https://news.example/rss"})  # fmt: skip
    pipe.process_item(item)
    assert item.published_at == datetime(2022, 12, 10, 6, 19, 56, tzinfo=UTC)
    assert item.published_source == "feed"
    assert stats.get_value("dates/published/feed") == 1


def test_sitemap_lastmod_is_the_modified_date() -> None:
    pipe, _ = _pipeline()
    item = _item(discovery={"published": "2022-12-10T13:19:56+07:00", "lastmod": "2022-12-10",
                            "source_url": "https://news.example/sitemap-news.xml"})  # fmt: skip
    pipe.process_item(item)
    assert (item.published_source, item.modified_source) == ("sitemap", "sitemap")
    assert item.modified_at == datetime(2022, 12, 9, 17, 0, tzinfo=UTC)


def test_undated_item_is_kept_and_counted() -> None:
    pipe, stats = _pipeline()
    item = pipe.process_item(_item(DateCandidate("published", "Baca juga", "dateline")))
    assert item.published_at is None
    assert item.published_source is None
    assert stats.get_value("dates/missing") == 1


def test_future_date_is_dropped_with_a_counted_reason() -> None:
    pipe, stats = _pipeline()
    late = (FETCHED + timedelta(hours=2)).isoformat()
    with pytest.raises(DropItem, match="after the fetch time"):
        pipe.process_item(_item(DateCandidate("published", late, "meta")))
    assert stats.get_value("dates/rejected_future") == 1


@pytest.mark.parametrize(("minutes", "kept"), [(10, True), (20, False)])
def test_future_tolerance_setting(minutes: int, kept: bool) -> None:
    pipe, _ = _pipeline(AGGREGATOR_FUTURE_TOLERANCE=15 * 60)
    soon = (FETCHED + timedelta(minutes=minutes)).isoformat()
    item = _item(DateCandidate("published", soon, "meta"))
    if kept:
        assert pipe.process_item(item).published_at is not None
    else:
        with pytest.raises(DropItem):
            pipe.process_item(item)


def test_item_zone_is_used_and_unknown_zone_falls_back() -> None:
    pipe, stats = _pipeline()
    wita = pipe.process_item(_item(DateCandidate("published", "10 Des 2022 10:00", "dateline"),
                                   timezone="Asia/Makassar"))  # fmt: skip
    assert wita.published_at == datetime(2022, 12, 10, 2, 0, tzinfo=UTC)
    odd = pipe.process_item(_item(DateCandidate("published", "10 Des 2022 10:00", "dateline"),
                                  timezone="Nowhere/Atlantis"))  # fmt: skip
    assert odd.published_at == datetime(2022, 12, 10, 3, 0, tzinfo=UTC)
    assert stats.get_value("dates/bad_timezone") == 1


def test_other_items_pass_through_and_switch_off() -> None:
    pipe, _ = _pipeline()
    assert pipe.process_item({"x": 1}) == {"x": 1}
    with pytest.raises(NotConfigured):
        _pipeline(AGGREGATOR_DATES_ENABLED=False)


def test_entry_via_decides_between_feed_and_sitemap() -> None:
    pipe, stats = _pipeline()
    raw = "2022-12-10T13:19:56+07:00"
    item = _item(discovery={"published": raw, "via": "sitemap",
                            "source_url": "https://news.example/rss"})  # fmt: skip
    pipe.process_item(item)
    assert item.published_source == "sitemap"
    assert stats.get_value("dates/published/sitemap") == 1


def test_missing_or_naive_fetch_time() -> None:
    pipe, stats = _pipeline()
    naive = _item(DateCandidate("published", "2 jam lalu", "dateline"))
    naive.fetched_at = FETCHED.replace(tzinfo=None)
    assert pipe.process_item(naive).published_at == FETCHED - timedelta(hours=2)
    missing = _item(DateCandidate("published", "2022-12-10T13:19:56+07:00", "jsonld"))
    missing.fetched_at = None  # type: ignore[assignment]
    assert pipe.process_item(missing).published_at == datetime(2022, 12, 10, 6, 19, 56, tzinfo=UTC)
    assert stats.get_value("dates/no_fetch_time") == 1


def test_overruled_zone_is_counted() -> None:
    pipe, stats = _pipeline()
    item = pipe.process_item(_item(DateCandidate("published", "2022-12-10T13-19-56Z", "meta"),
                                   DateCandidate("published", "Sabtu, 10 Des 2022 13:19 WIB",
                                                 "dateline")))  # fmt: skip
    assert item.published_at == datetime(2022, 12, 10, 6, 19, 56, tzinfo=UTC)
    assert stats.get_value("dates/zone_corrected") == 1
    pipe.process_item(_item(DateCandidate("published", "2022-12-10T13:19:56+07:00", "jsonld")))
    assert stats.get_value("dates/zone_corrected") == 1
