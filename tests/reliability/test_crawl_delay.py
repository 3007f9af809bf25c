"""robots.txt Crawl-delay in a real crawl: the host's slot never allows a shorter gap.

A probe extension (below, loaded into the crawl subprocess) records, after every response,
the shortest gap the host's download slot could draw next (`delay * (1 - jitter)`), i.e.
the state after AutoThrottle and the robots middleware have both adjusted it.  No timing
is measured: the assertions read the slot, not the clock.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import pytest
from scrapy import Request, signals
from scrapy.crawler import Crawler

from aggregator.mirror import Reply
from aggregator.settings import EXTENSIONS
from tests.reliability.helpers import article_route, crawl, hostile_mirror

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

HOST: Final = "127.0.0.1"
PAGES: Final = 3
GAP_STAT: Final = f"probe/shortest_gap/{HOST}"
SEEN_STAT: Final = f"probe/responses/{HOST}"


class SlotProbe:
    """Records the slot's shortest possible next gap once each response has been handled."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.left, signal=signals.request_left_downloader)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SlotProbe:
        return cls(crawler)

    def left(self, request: Request, spider: Any = None) -> None:
        """Sent after the downloader looked at the slot's queue: its delay is what counted."""
        key = request.meta.get("download_slot")
        slot = self.crawler.engine.downloader.slots.get(str(key))
        if slot is None or request.url.endswith("/robots.txt"):
            return  # robots.txt is fetched before any Crawl-delay is known
        stats = self.crawler.stats
        assert stats is not None
        stats.min_value(f"probe/shortest_gap/{key}", slot.delay * (1 - slot.jitter))
        stats.inc_value(f"probe/responses/{key}")


def robots_route(body: str) -> Any:
    return lambda request: Reply(200, body.encode(), content_type="text/plain")


def run(tmp_path: Path, robots: str, *settings: str) -> tuple[int, str, dict[str, Any], int]:
    """Crawl PAGES article URLs under `robots`; (rc, output, stats, articles stored)."""
    probe = json.dumps({**EXTENSIONS, f"{__name__}.SlotProbe": 900})
    with hostile_mirror() as server:
        server.add_route("/robots.txt", robots_route(robots))
        urls = []
        for n in range(PAGES):
            server.add_route(f"/delay-test/{n}", article_route(f"Artikel Jeda {n}", n))
            urls += ["--url", server.url(f"/delay-test/{n}")]
        args = [*urls, "-s", f"EXTENSIONS={probe}", *(a for s in settings for a in ("-s", s))]
        result = crawl(tmp_path, *args)
    return result.rc, result.output, result.stats, len(result.rows("articles"))


@pytest.mark.parametrize(
    ("robots", "settings", "floor", "capped"),
    [
        ("User-agent: *\nCrawl-delay: 0.2\n", (), 0.2, 0),
        ("User-agent: *\nCrawl-delay: 86400\n", ("AGGREGATOR_MAX_CRAWL_DELAY=0.3",), 0.3, 1),
    ],
)
def test_crawl_delay_holds_through_the_crawl(tmp_path: Path, robots: str,
                                             settings: tuple[str, ...], floor: float,
                                             capped: int) -> None:  # fmt: skip
    rc, output, stats, stored = run(tmp_path, robots, *settings)
    assert rc == 0, output
    assert stored == PAGES
    assert stats[f"robotstxt/crawl_delay/{HOST}"] == floor
    assert stats.get("robotstxt/crawl_delay_capped", 0) == capped
    assert stats[SEEN_STAT] >= PAGES  # the probe saw every article response
    assert stats[GAP_STAT] >= floor - 1e-9  # AutoThrottle never took the slot below it


@pytest.mark.parametrize(
    ("robots", "settings"),
    [
        ("User-agent: *\nCrawl-delay: 5s\n", ()),  # malformed: ignored
        ("User-agent: *\nCrawl-delay: 5\n", ("AGGREGATOR_OBEY_CRAWL_DELAY=false",)),
    ],
)
def test_ignored_crawl_delay_leaves_autothrottle_in_charge(
    tmp_path: Path, robots: str, settings: tuple[str, ...]
) -> None:
    rc, output, stats, stored = run(tmp_path, robots, *settings)
    assert rc == 0, output
    assert stored == PAGES
    assert not any(k.startswith("robotstxt/crawl_delay") for k in stats)
    assert stats[SEEN_STAT] >= PAGES
    # Obeyed, the 5 s would be the floor; the test settings start every slot at 0.
    assert stats[GAP_STAT] < 5
