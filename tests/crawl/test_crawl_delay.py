"""robots.txt Crawl-delay: the floor it puts under a download slot, hook by hook (no network)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy import Request, signals
from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response
from scrapy.robotstxt import ProtegoRobotParser, RobotParser
from scrapy.utils.test import get_crawler

from aggregator.crawl_delay import hold_crawl_delay
from aggregator.middlewares import RobotsPolicyMiddleware
from aggregator.settings import USER_AGENT

HOST = "example.com"
START_DELAY, START_JITTER = 0.25, 0.5  # the shipped DOWNLOAD_DELAY and Scrapy's jitter


class FakeDownloader:
    """Just enough of Scrapy's Downloader: slots keyed by host, DOWNLOAD_SLOTS entries."""

    def __init__(self, per_slot: dict[str, dict[str, Any]] | None = None) -> None:
        self.slots = {HOST: Slot(concurrency=2, delay=START_DELAY, jitter=START_JITTER)}
        self.per_slot_settings: dict[str, dict[str, Any]] = dict(per_slot or {})
        self._delay = START_DELAY  # AutoThrottle sets its start delay here

    def get_slot_key(self, request: Request) -> str:
        return urlsplit(request.url).hostname or ""


def make_crawler(**settings: Any) -> tuple[Crawler, FakeDownloader]:
    """A crawler with our user agent and a fake downloader."""
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True, "USER_AGENT": USER_AGENT,
                                         **settings})  # fmt: skip
    crawler.stats.open_spider()
    downloader = FakeDownloader(settings.get("DOWNLOAD_SLOTS"))
    crawler.engine = SimpleNamespace(downloader=downloader)  # type: ignore[assignment]
    return crawler, downloader


def middleware(**settings: Any) -> tuple[RobotsPolicyMiddleware, FakeDownloader]:
    """The robots middleware on a fresh crawler."""
    crawler, downloader = make_crawler(**settings)
    return RobotsPolicyMiddleware.from_crawler(crawler), downloader


def parsed(mw: RobotsPolicyMiddleware, parser: RobotParser) -> None:
    """Fire robots_parsed the way Scrapy's middleware does after reading robots.txt."""
    request = Request(f"https://{HOST}/berita/1")
    mw.crawler.signals.send_catch_log(signal=signals.robots_parsed, robotparser=parser,
                                      request=request)  # fmt: skip


def robots(body: str) -> RobotParser:
    return ProtegoRobotParser(body.encode(), None)


def stats(mw: RobotsPolicyMiddleware) -> dict[str, Any]:
    return mw.crawler.stats.get_stats()


def shortest_gap(slot: Slot) -> float:
    """The smallest draw of the slot's jittered delay."""
    return slot.delay * (1 - slot.jitter)


@pytest.mark.parametrize(
    ("body", "settings", "floor", "capped"),
    [
        ("User-agent: *\nCrawl-delay: 0.2\n", {}, 0.2, 0),
        ("User-agent: *\nCrawl-delay: 4\nDisallow: /private\n", {}, 4.0, 0),
        # Our own group wins over `*`, as for Allow/Disallow.
        ("User-agent: aggregator\nCrawl-delay: 3\n\nUser-agent: *\nCrawl-delay: 9\n", {}, 3.0, 0),
        ("User-agent: *\nCrawl-delay: 86400\n", {}, 30.0, 1),  # hostile: default cap
        ("User-agent: *\nCrawl-delay: 10\n", {"AGGREGATOR_MAX_CRAWL_DELAY": 5}, 5.0, 1),
    ],
)
def test_crawl_delay_sets_a_floor(body: str, settings: dict[str, Any], floor: float,
                                  capped: int) -> None:  # fmt: skip
    mw, downloader = middleware(**settings)
    parsed(mw, robots(body))
    slot = downloader.slots[HOST]
    assert shortest_gap(slot) == pytest.approx(floor)
    assert slot.delay == pytest.approx(max(floor, START_DELAY))
    # A slot created later for the host (e.g. after an idle one was dropped) starts there.
    assert downloader.per_slot_settings[HOST] == {"delay": floor, "jitter": 0.0}
    assert stats(mw)[f"robotstxt/crawl_delay/{HOST}"] == floor
    assert stats(mw).get("robotstxt/crawl_delay_capped", 0) == capped


@pytest.mark.parametrize(
    ("body", "settings"),
    [
        ("User-agent: *\nDisallow: /private\n", {}),
        ("User-agent: otherbot\nCrawl-delay: 9\n", {}),  # another crawler's group
        ("User-agent: *\nCrawl-delay: soon\n", {}),
        ("User-agent: *\nCrawl-delay: 5s\n", {}),
        ("User-agent: *\nCrawl-delay: -1\n", {}),
        ("User-agent: *\nCrawl-delay: nan\n", {}),
        ("User-agent: *\nCrawl-delay: 1e999\n", {}),
        ("User-agent: *\nCrawl-delay:\n", {}),
        ("User-agent: *\nCrawl-delay: 0\n", {}),
        ("User-agent: *\nCrawl-delay: 4\n", {"AGGREGATOR_OBEY_CRAWL_DELAY": False}),
    ],
)
def test_no_usable_crawl_delay_leaves_the_slot_alone(body: str, settings: dict[str, Any]) -> None:
    mw, downloader = middleware(**settings)
    parsed(mw, robots(body))
    slot = downloader.slots[HOST]
    assert (slot.delay, slot.jitter) == (START_DELAY, START_JITTER)
    assert downloader.per_slot_settings == {}
    assert not any(k.startswith("robotstxt/crawl_delay") for k in stats(mw))


class ValueParser(RobotParser):
    """A robots parser (not Protego) that returns whatever Crawl-delay it is given."""

    def __init__(self, value: float) -> None:
        self.value = value

    @classmethod
    def from_crawler(cls, crawler: Any, robotstxt_body: bytes) -> ValueParser:
        return cls(0.0)

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return True

    def crawl_delay(self, user_agent: str | bytes) -> float | None:
        return self.value


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -3.0])
def test_unusable_values_from_other_parsers_are_counted(value: float) -> None:
    mw, downloader = middleware()
    parsed(mw, ValueParser(value))
    assert downloader.slots[HOST].delay == START_DELAY
    assert stats(mw)["robotstxt/crawl_delay_ignored"] == 1


def test_download_slots_entry_is_kept_and_never_lowered() -> None:
    mw, downloader = middleware(DOWNLOAD_SLOTS={HOST: {"concurrency": 1, "delay": 10.0}})
    parsed(mw, robots("User-agent: *\nCrawl-delay: 2\n"))
    assert downloader.per_slot_settings[HOST] == {"concurrency": 1, "delay": 10.0, "jitter": 0.0}


def fast_response(slot_key: str) -> tuple[Request, Response]:
    """A 200 that took 10 ms: AutoThrottle's cue to shorten the slot's delay."""
    request = Request(f"https://{HOST}/berita/2",
                      meta={"download_slot": slot_key, "download_latency": 0.01})  # fmt: skip
    return request, Response(request.url, status=200, body=b"ok", request=request)


@pytest.mark.parametrize(("obey", "floor"), [(True, 2.0), (False, None)])
def test_autothrottle_cannot_lower_the_floor(obey: bool, floor: float | None) -> None:
    crawler, downloader = make_crawler(AUTOTHROTTLE_ENABLED=True, DOWNLOAD_DELAY=0.0,
                                       AGGREGATOR_OBEY_CRAWL_DELAY=obey)  # fmt: skip
    # Built first, as in a crawl: extensions exist before the engine and its middlewares.
    throttle = AutoThrottle(crawler)
    mw = RobotsPolicyMiddleware.from_crawler(crawler)
    throttle._spider_opened(SimpleNamespace())  # type: ignore[arg-type]
    parsed(mw, robots("User-agent: *\nCrawl-delay: 2\n"))
    for _ in range(5):  # each fast response makes AutoThrottle shorten the delay
        request, response = fast_response(HOST)
        crawler.signals.send_catch_log(signal=signals.response_downloaded, response=response,
                                       request=request, spider=None)  # fmt: skip
    slot = downloader.slots[HOST]
    if floor is None:
        assert shortest_gap(slot) < 0.5  # without the floor AutoThrottle goes fast
    else:
        assert shortest_gap(slot) == pytest.approx(floor)


def test_hold_keeps_jitter_above_the_floor() -> None:
    slot = Slot(concurrency=2, delay=8.0, jitter=0.5)  # AutoThrottle already slower
    hold_crawl_delay(slot, 2.0)
    assert (slot.delay, slot.jitter) == (8.0, 0.5)  # 4 to 12 s: every draw above 2 s
    slot = Slot(concurrency=2, delay=3.0, jitter=0.5)
    hold_crawl_delay(slot, 2.0)
    assert slot.delay == 3.0
    assert shortest_gap(slot) == pytest.approx(2.0)
