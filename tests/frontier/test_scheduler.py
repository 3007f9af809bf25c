"""FrontierScheduler.open: a worker joining a job with queued requests opens quietly."""

from __future__ import annotations

import warnings
from typing import Any

from scrapy import Request
from scrapy.utils.test import get_crawler

from aggregator.frontier.job import connect, create_job
from aggregator.frontier.settings import frontier_settings
from aggregator.frontier.spider import FrontierNewsSpider


def _scheduler(redis_url: str, job: str, worker: str) -> tuple[Any, Any]:
    from aggregator.frontier.scheduler import FrontierScheduler

    crawler = get_crawler(FrontierNewsSpider, frontier_settings(redis_url, job, worker,
                                                                seeder=False))  # fmt: skip
    spider = FrontierNewsSpider.from_crawler(crawler, url=["http://127.0.0.1:9/a"])
    crawler.spider = spider
    return FrontierScheduler.from_crawler(crawler), spider


def test_joining_a_job_with_queued_requests_warns_nothing(redis_url: str, job_name: str) -> None:
    create_job(connect(redis_url), job_name, {"url": ["http://127.0.0.1:9/a"]})
    first, spider = _scheduler(redis_url, job_name, "w1")
    first.open(spider)
    assert first.enqueue_request(Request("http://127.0.0.1:9/b", dont_filter=True))
    second, spider2 = _scheduler(redis_url, job_name, "w2")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        second.open(spider2)
    assert [str(w.message) for w in caught] == []
    assert len(second.queue) == 1  # it did see the queue
