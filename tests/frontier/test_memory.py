"""Memory: one worker's seen sets live in Redis, not in a Python set.

The full-size figure (100,000 URLs, the RSS curve) is `bench/bench_workers.py --memory
100000`; memory targets are reported by the benchmark, not asserted here.  This test runs
a smaller crawl through the same code, samples the worker's RSS (printed with -s), and
checks the mechanism that keeps it flat: every scheduled URL is in the job's Redis set,
and the spider holds none of them.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from aggregator.frontier.job import connect
from aggregator.frontier.keys import JobKeys
from aggregator.frontier.launch import start_workers, wait_for_job
from aggregator.frontier.seen import RedisSeenSet
from tests.frontier.helpers import options, stored
from tests.frontier.slowsite import SlowSite

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(600)]

URLS = 1500
HOSTS = [f"127.0.0.{i}" for i in range(2, 6)]


def rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next((int(ln.split()[1]) / 1024 for ln in status.splitlines()
                 if ln.startswith("VmRSS:")), None)  # fmt: skip


def test_seen_urls_live_in_redis(pg_url: str, redis_url: str, job_name: str,
                                 tmp_path: Path) -> None:  # fmt: skip
    curve: list[float] = []
    with SlowSite(URLS, HOSTS, delay=0.0) as site:
        opts = options(site.sitemaps, pg_url, tmp_path, CONCURRENT_REQUESTS=16,
                       CONCURRENT_REQUESTS_PER_DOMAIN=4,
                       AGGREGATOR_FRONTIER_HOST_CONCURRENCY=4)  # fmt: skip
        name, procs = start_workers(opts, redis_url, 1, job=job_name)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set() and (rss := rss_mb(procs[0].pid)) is not None:
                curve.append(rss)
                time.sleep(1.0)

        threading.Thread(target=sample, daemon=True).start()
        codes = wait_for_job(redis_url, name, procs)
        done.set()
    print(f"worker RSS (MB, 1 s apart) over {URLS} URLs: {[round(v) for v in curve]}")
    assert codes == [0]
    rows, _ = stored(pg_url)
    assert rows == URLS
    server = connect(redis_url)
    assert server.scard(JobKeys(name).seen("articles")) == URLS
    assert server.scard(JobKeys(name).seen("documents")) == len(HOSTS) * 2  # index + child
    assert curve  # the worker was sampled while it ran


def test_the_frontier_spider_keeps_no_url_set(redis_url: str, job_name: str) -> None:
    from scrapy.utils.test import get_crawler

    from aggregator.frontier.job import create_job
    from aggregator.frontier.settings import frontier_settings
    from aggregator.frontier.spider import FrontierNewsSpider

    create_job(connect(redis_url), job_name, {"url": ["http://127.0.0.1:9/a"]})
    settings = frontier_settings(redis_url, job_name, "w1", seeder=True)
    crawler = get_crawler(FrontierNewsSpider, settings)
    spider = FrontierNewsSpider.from_crawler(crawler, url=["http://127.0.0.1:9/a"])
    assert isinstance(spider.discovered, RedisSeenSet)
    assert isinstance(spider.sitemaps_seen, RedisSeenSet)
    assert "http://127.0.0.1:9/a" in spider.discovered  # the seeder's start URL, in Redis


def test_discovery_documents_go_ahead_of_articles(redis_url: str, job_name: str) -> None:
    """Feeds and sitemaps outrank articles in the shared queue, so every host's work is
    queued early; articles and index pages keep the news spider's priorities."""
    from scrapy.utils.test import get_crawler

    from aggregator.frontier.job import create_job
    from aggregator.frontier.settings import frontier_settings
    from aggregator.frontier.spider import DISCOVERY_PRIORITY, FrontierNewsSpider
    from spiders.news import INDEX_PRIORITY, NewsSpider

    create_job(connect(redis_url), job_name, {"sitemap": ["http://127.0.0.1:9/s.xml"]})
    settings = frontier_settings(redis_url, job_name, "w1", seeder=False)
    spider = FrontierNewsSpider.from_crawler(get_crawler(FrontierNewsSpider, settings),
                                             sitemap=["http://127.0.0.1:9/s.xml"])  # fmt: skip
    single = NewsSpider.from_crawler(get_crawler(NewsSpider), sitemap=["http://127.0.0.1:9/s.xml"])
    url = "http://127.0.0.1:9/x"
    for kind in ("feed", "sitemap"):
        ahead = spider._request(url, kind, spider.parse_discovery, None)
        assert ahead.priority == DISCOVERY_PRIORITY
        assert single._request(url, kind, single.parse_discovery, None).priority == 0
    assert DISCOVERY_PRIORITY > 0
    assert spider._article_request(url, {"via": "url"}, None).priority == 0
    assert spider._index_request(url, None, None).priority == INDEX_PRIORITY
