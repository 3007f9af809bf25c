"""Caps that keep a crawl bounded: endless sitemap indexes, hanging and oversized robots.txt."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aggregator.mirror import MirrorRequest, MirrorServer, Reply
from tests.mockserver import fault_routes
from tests.reliability.helpers import HOSTILE, crawl, hostile_mirror

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

MIB = 1024 * 1024
CAP = 6
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _nest(request: MirrorRequest) -> Reply:
    """`/nest/<n>.xml`: an index listing `/nest/<n+1>.xml` and `/nest/<n+2>.xml`, forever."""
    n = int(request.path.rsplit("/", 1)[1].removesuffix(".xml"))
    children = "".join(f"<sitemap><loc>/nest/{k}.xml</loc></sitemap>" for k in (n + 1, n + 2))
    body = f'<?xml version="1.0"?><sitemapindex xmlns="{SITEMAP_NS}">{children}</sitemapindex>'
    return Reply(200, body.encode(), content_type="application/xml")


def _hanging_robots(request: MirrorRequest) -> Reply:
    time.sleep(6)  # longer than the crawl's DOWNLOAD_TIMEOUT
    return Reply(200, b"User-agent: *\nDisallow: /\n", content_type="text/plain")


def _huge_robots(request: MirrorRequest) -> Reply:
    return Reply(200, b"User-agent: *\nDisallow: /\n" + b"#" * (3 * MIB), content_type="text/plain")


def test_endless_indexes_and_broken_robots_stay_bounded(tmp_path: Path) -> None:
    with hostile_mirror() as nest, MirrorServer(HOSTILE, routes=fault_routes(),
                                                host="127.0.0.2") as slow, MirrorServer(
        HOSTILE, routes=fault_routes(), host="127.0.0.3"
    ) as huge:  # fmt: skip
        nest.add_route("/nest/", _nest)
        slow.add_route("/robots.txt", _hanging_robots)
        huge.add_route("/robots.txt", _huge_robots)
        pages = [slow.url("/pages/enc-utf8.html"), huge.url("/pages/enc-latin1-meta.html")]
        run = crawl(tmp_path, "--sitemap", nest.url("/nest/0.xml"), "--url", pages[0],
                    "--url", pages[1], "-s", f"AGGREGATOR_MAX_SITEMAPS={CAP}",
                    "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=0",
                    "-s", f"DOWNLOAD_MAXSIZE={MIB}")  # fmt: skip
        nest_fetches = [r.path for r in nest.requests() if r.path.startswith("/nest/")]
        robots = (slow.hits("/robots.txt"), huge.hits("/robots.txt"))
    assert run.rc == 0, run.output
    # Every sitemap fetched once, and no more than the cap; the rest is counted, not fetched.
    assert len(nest_fetches) == len(set(nest_fetches)) == CAP
    assert run.stat("discovery/sitemap_capped") >= 1
    # A robots.txt that hangs or exceeds the size limit counts as unavailable: allowed.
    assert robots == (1, 1)
    assert sorted(r["url"] for r in run.rows("articles")) == sorted(pages)
    assert "Traceback" not in run.output
