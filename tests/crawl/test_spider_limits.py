"""The spider's bounds and bookkeeping: gunzip limit, refused entries, redirected failures."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, XmlResponse
from twisted.python.failure import Failure

from aggregator.discovery import MAX_DOCUMENT_BYTES
from tests.crawl.test_spider import BASE, make_spider, response, stats

URLSET = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'


def _sitemap(locs: list[str], padding: int = 0) -> bytes:
    """A urlset listing `locs`, padded with a comment to at least `padding` bytes."""
    entries = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs).encode()
    return URLSET + entries + b"<!--" + b" " * padding + b"-->" + b"</urlset>"


@pytest.mark.parametrize(("settings", "meta", "expected"), [
    ({"DOWNLOAD_MAXSIZE": 1024}, {}, 1024),
    ({"DOWNLOAD_MAXSIZE": 1024}, {"download_maxsize": 2048}, 2048),  # per-request wins
    ({"DOWNLOAD_MAXSIZE": 0}, {}, MAX_DOCUMENT_BYTES),  # 0: Scrapy has no limit
    ({"DOWNLOAD_MAXSIZE": 2 * MAX_DOCUMENT_BYTES}, {}, MAX_DOCUMENT_BYTES),  # protocol cap
])  # fmt: skip
def test_document_limit(settings: dict[str, Any], meta: dict[str, Any], expected: int) -> None:
    spider = make_spider(settings, sitemap=f"{BASE}/s.xml")
    page = response(XmlResponse, f"{BASE}/s.xml", b"<urlset/>", **meta)
    assert spider._document_limit(page) == expected


@pytest.mark.parametrize(("maxsize", "links", "too_large"), [
    (64 * 1024, 1, None),  # the whole document fits
    (16 * 1024, 0, 1),  # expands past DOWNLOAD_MAXSIZE: refused and counted
])  # fmt: skip
def test_raw_gzip_sitemap_is_gunzipped_within_download_maxsize(
    maxsize: int, links: int, too_large: int | None
) -> None:
    spider = make_spider({"DOWNLOAD_MAXSIZE": maxsize}, sitemap=f"{BASE}/s.xml.gz")
    body = gzip.compress(_sitemap([f"{BASE}/berita/a"], padding=32 * 1024))
    assert len(body) < 16 * 1024  # small on the wire: only the expansion is too large
    page = Response(f"{BASE}/s.xml.gz", body=body,
                    request=Request(f"{BASE}/s.xml.gz", meta={"aggregator_kind": "sitemap"}))
    assert len(list(spider.parse_discovery(page))) == links
    assert stats(spider).get("discovery/too_large") == too_large


def test_non_http_entries_are_counted_not_scheduled() -> None:
    spider = make_spider(sitemap=f"{BASE}/s.xml")
    locs = ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", f"{BASE}/a"]
    page = response(XmlResponse, f"{BASE}/s.xml", _sitemap(locs), aggregator_kind="sitemap")
    assert [r.url for r in spider.parse_discovery(page)] == [f"{BASE}/a"]
    assert stats(spider)["discovery/skipped_url"] == 3


def _redirect_failure(request: Request) -> Failure:
    """The failure Scrapy's RedirectMiddleware raises when the hops run out."""
    failure = Failure(IgnoreRequest("max redirections reached"))
    failure.request = request  # type: ignore[attr-defined]
    return failure


@pytest.mark.parametrize(("meta", "recorded"), [
    ({"redirect_urls": [f"{BASE}/ping", f"{BASE}/pong"]}, f"{BASE}/ping"),
    ({}, f"{BASE}/pong"),  # not redirected: the request's own URL
])  # fmt: skip
def test_failure_is_recorded_under_the_url_asked_for(meta: dict[str, Any], recorded: str) -> None:
    from aggregator.storage.signals import fetch_failed

    spider = make_spider(url=f"{BASE}/ping")
    seen: list[dict[str, Any]] = []
    spider.crawler.signals.connect(lambda **kw: seen.append(kw), signal=fetch_failed, weak=False)
    request = Request(f"{BASE}/pong", meta={"aggregator_kind": "article", **meta})
    assert list(spider.on_error(_redirect_failure(request))) == []
    assert [s["url"] for s in seen] == [recorded]
    assert stats(spider)["spider/failed/article/too_many_redirects"] == 1
