"""The spider's index walk, callback by callback (no network)."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.http import HtmlResponse, Response

from spiders.news import NewsSpider
from tests.crawl.test_spider import BASE, _failure, make_spider, site_file, stats

TEMPLATE = f"{BASE}/indeks?page={{page}}"


def _first_request(spider: NewsSpider) -> Request:
    async def collect() -> list[Request]:
        return [r async for r in spider.start()]

    (request,) = asyncio.run(collect())
    return request


def _answer(request: Request, body: bytes) -> HtmlResponse:
    return HtmlResponse(request.url, body=body, request=request, encoding="utf-8")


def test_index_start_is_page_one_and_pages_on_with_paging_meta() -> None:
    spider = make_spider(index=TEMPLATE, index_pages="2")
    first = _first_request(spider)
    assert (first.url, first.meta["aggregator_kind"]) == (f"{BASE}/indeks?page=1", "index")
    assert "aggregator_paging" not in first.meta  # page 1 is always fetched
    out = list(spider.parse_index(_answer(first, site_file("/indeks")), **first.cb_kwargs))
    articles = [r for r in out if r.meta["aggregator_kind"] == "article"]
    (nxt,) = [r for r in out if r.meta["aggregator_kind"] == "index"]
    assert len(articles) == 5  # the mirror's index lists five stories, no menus
    assert articles[0].meta["aggregator_discovery"] == {"via": "index",
                                                         "source_url": first.url}
    paging = nxt.meta["aggregator_paging"]
    assert (nxt.url, paging["page"], paging["source"]) == (f"{BASE}/indeks?page=2", 2, "warta.test")
    assert paging["page_urls"] == [r.url for r in articles]
    assert paging["index_url"] == first.url
    # page 2 shows the same stories (the server ignores ?page=): no page 3, counted
    assert list(spider.parse_index(_answer(nxt, site_file("/indeks")), **nxt.cb_kwargs)) == []
    assert stats(spider)["discovery/paging_stopped/no_new_links"] == 1
    assert stats(spider)["discovery/index_pages"] == 2
    assert stats(spider)["discovery/duplicate_url"] == 5


def test_page_cap_ends_the_walk() -> None:
    spider = make_spider(index=TEMPLATE, index_pages="1")
    first = _first_request(spider)
    out = list(spider.parse_index(_answer(first, site_file("/indeks")), **first.cb_kwargs))
    assert {r.meta["aggregator_kind"] for r in out} == {"article"}
    assert stats(spider)["discovery/paging_stopped/max_pages"] == 1


def test_index_page_without_stories_ends_the_walk() -> None:
    spider = make_spider(index=TEMPLATE)
    first = _first_request(spider)
    page = _answer(first, b"<html><body><a href='/kanal/news'>News</a></body></html>")
    assert list(spider.parse_index(page, **first.cb_kwargs)) == []
    assert stats(spider)["discovery/paging_stopped/no_links"] == 1


def test_non_html_index_page_is_counted() -> None:
    spider = make_spider(index=TEMPLATE)
    first = _first_request(spider)
    page = Response(first.url, body=b"\x00\x01", request=first)
    assert list(spider.parse_index(page, **first.cb_kwargs)) == []
    assert stats(spider)["discovery/not_html"] == 1
    assert stats(spider)["discovery/paging_stopped/no_links"] == 1


def test_missing_page_past_the_end_is_not_a_failure() -> None:
    spider = make_spider(index=TEMPLATE)
    first = _first_request(spider)
    (nxt,) = [r for r in spider.parse_index(_answer(first, site_file("/indeks")),
                                            **first.cb_kwargs)
              if r.meta["aggregator_kind"] == "index"]  # fmt: skip
    assert list(spider.on_error(_failure(nxt, 404))) == []
    assert stats(spider)["discovery/paging_stopped/http_404"] == 1
    assert "spider/failed" not in stats(spider)
    # page 1 itself missing is a real failure
    assert list(spider.on_error(_failure(first, 404))) == []
    assert stats(spider)["spider/failed/index/http_404"] == 1
