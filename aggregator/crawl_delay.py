"""robots.txt Crawl-delay: a floor under the delay of a host's download slot.

Scrapy parses `Crawl-delay` but ignores it.  `CrawlDelayFloors`, built by
`RobotsPolicyMiddleware` (`aggregator.middlewares`), takes the value robots.txt gives our
user agent (or `*`), caps it at `AGGREGATOR_MAX_CRAWL_DELAY`, imposes it on the host's
download slot (present and future) and re-imposes it after AutoThrottle lowered the slot's
delay.  Off with `AGGREGATOR_OBEY_CRAWL_DELAY = False`.
"""

from __future__ import annotations

import logging
import math
from typing import Any, Final

from scrapy import Request, signals
from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.robotstxt import RobotParser

log = logging.getLogger(__name__)

#: Stats counted when a Crawl-delay is unusable, or larger than the cap.
IGNORED_STAT: Final = "robotstxt/crawl_delay_ignored"
CAPPED_STAT: Final = "robotstxt/crawl_delay_capped"


def usable_crawl_delay(value: float | None, cap: float) -> tuple[float | None, str | None]:
    """(delay to obey, stat to count) for a parsed Crawl-delay `value` and the cap.

    The delay is None when `value` is absent, 0 or unusable; the stat says why it was
    ignored or changed, None when it was taken as is (or absent).
    """
    if value is None or value == 0:
        return None, None
    if not math.isfinite(value) or value < 0:  # Protego drops these; other parsers may not
        return None, IGNORED_STAT
    if value > cap:
        return cap, CAPPED_STAT
    return value, None


def hold_crawl_delay(slot: Slot, floor: float) -> None:
    """Make even the shortest jittered draw of the slot's delay at least `floor` seconds."""
    slot.delay = max(slot.delay, floor)
    # download_delay() draws delay * (1 +- jitter): narrow the jitter rather than double the
    # delay, so a site asking for 10 s gets about 10 s, not 10 to 30 s.
    slot.jitter = max(0.0, min(slot.jitter, 1.0 - floor / slot.delay))


def impose_crawl_delay(downloader: Any, key: str, floor: float) -> None:
    """Put `floor` under slot `key` of Scrapy's downloader, now and for a slot made later."""
    # A slot created later (first request, or after the downloader dropped an idle one)
    # starts at the floor: DOWNLOAD_SLOTS entries are read when a slot is created.
    entry = downloader.per_slot_settings.get(key, {})
    start = max(float(entry.get("delay", 0.0)), floor)
    downloader.per_slot_settings[key] = {**entry, "delay": start, "jitter": 0.0}
    if (slot := downloader.slots.get(key)) is not None:
        hold_crawl_delay(slot, floor)


class CrawlDelayFloors:
    """The crawl delay in force per download slot, imposed and held on the crawl's slots."""

    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.cap = settings.getfloat("AGGREGATOR_MAX_CRAWL_DELAY", 30.0)
        # The agents Scrapy's RobotsTxtMiddleware matches robots.txt rules for.
        self.robots_agent: str | None = settings["ROBOTSTXT_USER_AGENT"]
        self.default_agent: str = settings["USER_AGENT"]
        self.floors: dict[str, float] = {}  # slot key -> crawl delay in force

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayFloors | None:
        """Hooked to the crawl's signals; None when AGGREGATOR_OBEY_CRAWL_DELAY is off.

        Call it from the robots middleware's constructor: extensions are built before the
        engine, so `hold` then runs after AutoThrottle's response_downloaded handler and
        can undo a delay it lowered before the next request leaves.
        """
        if not crawler.settings.getbool("AGGREGATOR_OBEY_CRAWL_DELAY", True):
            return None
        floors = cls(crawler)
        # robots_parsed fires before the requests waiting for this robots.txt resume.
        crawler.signals.connect(floors.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(floors.hold, signal=signals.response_downloaded)
        return floors

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        """Obey the parser's Crawl-delay for our user agent on the request's host."""
        header = request.headers.get(b"User-Agent")  # Scrapy's choice of agent for the rules
        agent = self.robots_agent or header or self.default_agent
        self.obey(robotparser.crawl_delay(agent), request)

    def obey(self, value: float | None, request: Request) -> None:
        """Record the crawl delay robots.txt gave for `request`'s host and impose it."""
        delay, stat = usable_crawl_delay(value, self.cap)
        if stat is not None:
            self.stats.inc_value(stat)
        if stat == CAPPED_STAT:
            log.warning("robots.txt of %s asks for Crawl-delay %s s: capped at %s s",
                        request.url, value, self.cap)  # fmt: skip
        if not delay:  # none, unusable, or a cap of 0
            return
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        floor = self.floors[key] = max(delay, self.floors.get(key, 0.0))
        impose_crawl_delay(downloader, key, floor)
        self.stats.set_value(f"robotstxt/crawl_delay/{key}", floor)
        log.info("robots.txt of %s: Crawl-delay %s s", key, floor)

    def hold(self, request: Request) -> None:
        """Raise the request's slot back to its crawl delay (after AutoThrottle adjusted it)."""
        key = request.meta.get("download_slot")
        floor = self.floors.get(key) if isinstance(key, str) else None
        if floor is None:
            return
        slot = self.crawler.engine.downloader.slots.get(str(key))
        if slot is not None:
            hold_crawl_delay(slot, floor)
