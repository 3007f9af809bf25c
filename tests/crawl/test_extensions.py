"""Crawl summary from stats, progress callbacks, and the one-line robots.txt error."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from aggregator.extensions import (
    ROBOTS_LOGGER,
    CrawlProgress,
    OneLineRobotsError,
    Progress,
    RobotsErrorLog,
    summarize,
)

STATS: dict[str, Any] = {
    "response_received_count": 12,
    "item_scraped_count": 5,
    "item_dropped_count": 2,
    "store/stored": 5,
    "spider/failed": 3,
    "spider/failed/article/http_404": 2,
    "spider/failed/feed/connection_refused": 1,
    "spider/not_article/bot_challenge": 1,
    "validate/dropped/missing_body": 1,
    "discovery/not_xml": 1,
    "dedup/duplicate/url": 1,
    "ssrf/blocked": 4,
    "robotstxt/forbidden": 1,
    "finish_reason": "finished",
    "elapsed_time_seconds": 1.5,
    "spider/pages": 9,
}


def test_summarize_totals_and_reasons() -> None:
    summary = summarize(STATS)
    assert (summary.pages, summary.articles, summary.stored, summary.dropped) == (12, 5, 5, 2)
    assert (summary.errors, summary.ssrf_blocked, summary.robots_forbidden) == (3, 4, 1)
    assert summary.elapsed_seconds == 1.5
    assert summary.reasons == {
        "dedup/duplicate/url": 1,
        "discovery/not_xml": 1,
        "spider/failed/article/http_404": 2,
        "spider/failed/feed/connection_refused": 1,
        "spider/not_article/bot_challenge": 1,
        "validate/dropped/missing_body": 1,
    }
    assert not summary.failed


@pytest.mark.parametrize(
    ("stats", "fatal", "failed"),
    [
        ({}, None, False),  # nothing to do is not a failure
        ({"spider/failed": 1}, None, True),  # only errors
        ({"spider/failed": 1, "item_scraped_count": 1}, None, False),
        # a clean re-run: everything skipped or 304, one dead link still 404s
        ({"spider/failed": 1, "incremental/skipped_unchanged": 4}, None, False),
        ({"spider/failed": 1, "incremental/not_modified": 1}, None, False),
        ({"spider/failed": 2, "incremental/paging_stopped": 1}, None, True),  # not a skip
        ({"incremental/skipped_unchanged": 4}, "ReactorNotRestartable: x", True),
        # every article refused by the database (dead letter): a failure, even without errors
        ({"item_scraped_count": 2, "store/failed": 2}, None, True),
        ({"item_scraped_count": 3, "store/failed": 1, "store/stored": 2}, None, False),
        ({"item_scraped_count": 3}, "StorageError: locked", True),
        # stored in part, the rest dead-lettered (database gone): not in the DB, so a failure
        ({"item_scraped_count": 3, "store/stored": 2, "store/failed": 1,
          "store/dead_lettered": 1}, None, True),
        ({"item_scraped_count": "junk"}, None, False),
    ],
)
def test_failed_crawl(stats: dict[str, Any], fatal: str | None, failed: bool) -> None:
    assert summarize(stats, fatal=fatal).failed is failed


def test_progress_callback_is_throttled_and_final() -> None:
    seen: list[Progress] = []
    crawler = get_crawler(settings_dict={"AGGREGATOR_PROGRESS_CALLBACK": seen.append,
                                         "AGGREGATOR_PROGRESS_INTERVAL": 3600})
    crawler.stats.open_spider()
    ext = CrawlProgress.from_crawler(crawler)
    crawler.stats.set_value("response_received_count", 2)
    ext.tick()
    ext.tick()  # within the interval: no second call
    crawler.stats.set_value("item_scraped_count", 1)
    ext.spider_closed(None, "finished")
    assert seen == [Progress(pages=2), Progress(pages=2, articles=1, finished=True)]
    assert crawler.aggregator_summary.articles == 1  # type: ignore[attr-defined]


def test_failing_callback_never_breaks_the_crawl(caplog: pytest.LogCaptureFixture) -> None:
    def boom(progress: Progress) -> None:
        raise RuntimeError("display gone")

    crawler = get_crawler(settings_dict={"AGGREGATOR_PROGRESS_CALLBACK": boom})
    crawler.stats.open_spider()
    ext = CrawlProgress.from_crawler(crawler)
    ext.tick()
    ext.spider_closed(None, "finished")
    assert "progress callback failed" in caplog.text


def _robots_record(exc_info: Any) -> logging.LogRecord:
    return logging.LogRecord(ROBOTS_LOGGER, logging.ERROR, __file__, 1,
                             "Error downloading %(request)s: %(f_exception)s",
                             ({"request": "<GET x>", "f_exception": "refused"},), exc_info)


def test_robots_error_becomes_one_info_line() -> None:
    try:
        raise ConnectionRefusedError("refused")
    except ConnectionRefusedError:
        import sys

        record = _robots_record(sys.exc_info())
    assert OneLineRobotsError().filter(record)
    assert (record.levelno, record.exc_info) == (logging.INFO, None)
    assert "\n" not in record.getMessage()
    assert "ConnectionRefusedError" in record.getMessage()
    plain = _robots_record(None)
    OneLineRobotsError().filter(plain)
    assert plain.levelno == logging.ERROR  # records without a traceback are left alone


def test_robots_filter_is_removed_at_close() -> None:
    logger = logging.getLogger(ROBOTS_LOGGER)
    before = list(logger.filters)
    ext = RobotsErrorLog.from_crawler(get_crawler())
    assert ext.filter in logger.filters
    ext.spider_closed()
    assert logger.filters == before


def test_dropped_item_is_one_line() -> None:
    from datetime import UTC, datetime

    from scrapy.exceptions import DropItem

    from aggregator.extensions import OneLineLogFormatter
    from aggregator.items import ArticleItem

    crawler = get_crawler()
    spider = SimpleNamespace(crawler=crawler)
    item = ArticleItem(url="https://c.id/a", source="c.id", fetched_at=datetime.now(UTC),
                       body="x\n" * 1000)
    entry = OneLineLogFormatter().dropped(item, DropItem("invalid item (missing_title)"),
                                          None, spider)
    message = entry["msg"] % entry["args"]
    assert message == "Dropped: invalid item (missing_title) (https://c.id/a)"
    assert entry["level"] == logging.WARNING
