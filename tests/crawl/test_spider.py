"""The news spider, callback by callback, with hand-made responses (no network)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from aggregator.article import ArticleState
from aggregator.exceptions import ConfigError
from aggregator.items import ArticleItem
from spiders.news import NewsSpider
from tests.mockserver import SITE_DIR

BASE = "http://warta.test"
MUDIK = "/read/2024/03/15/08000031/mudik-lebaran-2024-ini-jadwal-lengkap-rekayasa-lalu-lintas"
BANJIR = "/berita/d-7101234/banjir-rob-genangi-pesisir-utara-jakarta-ratusan-warga-mengungsi"


def make_spider(settings: dict[str, Any] | None = None, **kwargs: Any) -> NewsSpider:
    """A spider bound to a crawler with (optionally) extra settings."""
    crawler = get_crawler(NewsSpider, settings_dict=settings or {})
    crawler.stats.open_spider()
    spider = NewsSpider.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    return spider


def stats(spider: NewsSpider) -> dict[str, Any]:
    """The spider's stats so far."""
    return spider.crawler.stats.get_stats()  # type: ignore[union-attr]


def site_file(path: str) -> bytes:
    """A mirror-site file with the base URL filled in."""
    return (SITE_DIR / path.lstrip("/")).read_bytes().replace(b"{{BASE_URL}}", BASE.encode())


def response(cls: type[Response], url: str, body: bytes, **meta: Any) -> Any:
    """A response to a request carrying `meta`."""
    return cls(url, body=body, request=Request(url, meta=meta), encoding="utf-8")


def test_arguments_become_start_requests() -> None:
    spider = make_spider(feed=f"{BASE}/feed.xml,{BASE}/atom.xml", sitemap=f"{BASE}/sitemap.xml",
                         url=f"{BASE}{BANJIR},{BASE}/feed.xml")

    async def collect() -> list[Request]:
        return [r async for r in spider.start()]

    requests = asyncio.run(collect())
    kinds = [(r.meta["aggregator_kind"], r.url) for r in requests]
    assert kinds == [("feed", f"{BASE}/feed.xml"), ("feed", f"{BASE}/atom.xml"),
                     ("sitemap", f"{BASE}/sitemap.xml"), ("article", f"{BASE}{BANJIR}")]
    assert spider.start_hosts == {("warta.test", 80)}
    assert all(r.meta["aggregator_start_host"] for r in requests)
    assert all(r.errback == spider.on_error for r in requests)


def test_site_all_selects_every_registered_site() -> None:
    from aggregator.sites import SITES

    assert sorted(make_spider(site="all").site_names) == sorted(SITES)


def test_site_argument_adds_its_sources() -> None:
    from aggregator.sites import get_site

    spider = make_spider(site="detik")
    spec = get_site("detik")
    firsts = [page.urls()[0] for page in spec.index_pages]  # later pages are walked
    assert spec.index_pages
    assert all(len(page.urls()) > 1 for page in spec.index_pages)
    expected = [*spec.feeds, *spec.news_sitemaps, *spec.sitemaps, *firsts]
    assert [s.url for s in spider.starts] == list(dict.fromkeys(expected))
    kinds = {s.url: s.kind for s in spider.starts}
    assert all(kinds[url] == "feed" for url in spec.feeds)
    assert all(kinds[url] == "sitemap" for url in (*spec.news_sitemaps, *spec.sitemaps))
    assert all(kinds[url] == "index" for url in firsts)
    assert spider.site_names == ["detik"]


@pytest.mark.parametrize(
    "kwargs", [{}, {"url": "ftp://x.test/a"}, {"site": "no-such-site"}, {"feed": " , "}]
)
def test_bad_arguments_raise_config_error(kwargs: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        make_spider(**kwargs)


def test_feed_schedules_articles_once_with_discovery_meta() -> None:
    spider = make_spider(feed=f"{BASE}/feed.xml")
    feed = response(XmlResponse, f"{BASE}/feed.xml", site_file("/feed.xml"),
                    aggregator_kind="feed")
    requests = list(spider.parse_discovery(feed))
    assert len(requests) == 7
    first = requests[0]
    assert first.url == f"{BASE}{BANJIR}"
    assert first.meta["aggregator_kind"] == "article"
    assert first.meta["aggregator_discovery"]["via"] == "feed"
    assert first.meta["aggregator_discovery"]["published"] == "Thu, 14 Mar 2024 07:30:00 +0700"
    assert list(spider.parse_discovery(feed)) == []  # the same feed again: all repeats
    assert stats(spider)["discovery/duplicate_url"] == 7
    assert stats(spider)["discovery/links"] == 7


def test_not_xml_feed_is_counted_and_yields_nothing() -> None:
    spider = make_spider(feed=f"{BASE}/feed.xml")
    page = response(HtmlResponse, f"{BASE}/feed.xml", b"<html><body>Ups</body></html>",
                    aggregator_kind="feed")
    assert list(spider.parse_discovery(page)) == []
    assert stats(spider)["discovery/not_xml"] == 1


def test_sitemap_index_children_are_fetched_once_and_capped() -> None:
    spider = make_spider({"AGGREGATOR_MAX_SITEMAPS": 3}, sitemap=f"{BASE}/sitemap.xml")
    index = response(XmlResponse, f"{BASE}/sitemap.xml", site_file("/sitemap.xml"),
                     aggregator_kind="sitemap")
    children = list(spider.parse_discovery(index))
    assert [r.meta["aggregator_kind"] for r in children] == ["sitemap", "sitemap"]
    assert stats(spider)["discovery/sitemap_capped"] == 1  # start + 2 children = cap 3
    assert list(spider.parse_discovery(index)) == []
    assert stats(spider)["discovery/sitemap_repeated"] == 2


def test_index_page_keeps_only_article_urls_of_the_site() -> None:
    spider = make_spider(site="detik")
    html = b"""<html><body><a href="https://news.detik.com/berita/d-7100001/satu">1</a>
    <a href="/berita/d-7100002/dua">2</a><a href="https://news.detik.com/indeks">i</a>
    <a href="https://example.com/berita/d-7100003/x">x</a></body></html>"""
    page = response(HtmlResponse, "https://news.detik.com/indeks", html,
                    aggregator_kind="index", aggregator_site="detik")
    urls = [r.url for r in spider.parse_discovery(page)]
    assert urls == ["https://news.detik.com/berita/d-7100001/satu", "https://news.detik.com/berita/d-7100002/dua"]


def test_two_page_article_is_followed_and_stitched_once() -> None:
    spider = make_spider(url=f"{BASE}{MUDIK}")
    first = response(HtmlResponse, f"{BASE}{MUDIK}", site_file(MUDIK), aggregator_kind="article",
                     aggregator_discovery={"via": "url"})
    (next_request,) = list(spider.parse_article(first))
    assert isinstance(next_request, Request)
    assert next_request.url == f"{BASE}{MUDIK}?page=2"
    assert next_request.meta["aggregator_kind"] == "article_page"
    state = next_request.cb_kwargs["state"]
    second = HtmlResponse(next_request.url, body=site_file(MUDIK + "@page=2"),
                          request=next_request, encoding="utf-8")
    (item,) = list(spider.parse_article(second, state=state))
    assert isinstance(item, ArticleItem)
    assert item.url == f"{BASE}{MUDIK}"
    assert item.page_count == 2
    assert item.body is not None
    assert "Puncak arus mudik" in item.body
    assert item.body.count("Korlantas Polri menyiapkan sejumlah") == 1
    assert stats(spider)["spider/multi_page_articles"] == 1


def test_page_cap_stops_following() -> None:
    spider = make_spider({"AGGREGATOR_MAX_ARTICLE_PAGES": 1}, url=f"{BASE}{MUDIK}")
    first = response(HtmlResponse, f"{BASE}{MUDIK}", site_file(MUDIK), aggregator_kind="article")
    (item,) = list(spider.parse_article(first))
    assert isinstance(item, ArticleItem)
    assert item.page_count == 1
    assert stats(spider)["spider/pages_capped"] == 1


def test_next_page_on_another_host_is_not_followed() -> None:
    spider = make_spider(url=f"{BASE}{MUDIK}")
    body = site_file(MUDIK).replace(f"{BASE}{MUDIK}?page=2".encode(),
                                    f"http://evil.test{MUDIK}?page=2".encode())
    first = response(HtmlResponse, f"{BASE}{MUDIK}", body, aggregator_kind="article")
    (item,) = list(spider.parse_article(first))
    assert isinstance(item, ArticleItem)
    assert item.page_count == 1


def test_page_without_article_is_a_counted_drop() -> None:
    spider = make_spider(url=f"{BASE}/indeks")
    page = response(HtmlResponse, f"{BASE}/indeks", site_file("/indeks"),
                    aggregator_kind="article")
    assert list(spider.parse_article(page)) == []
    drops = [k for k in stats(spider) if k.startswith("spider/not_article/")]
    assert len(drops) == 1


def test_non_html_response_is_a_counted_drop() -> None:
    spider = make_spider(url=f"{BASE}/a.jpg")
    page = Response(f"{BASE}/a.jpg", body=b"\xff\xd8\xff", request=Request(f"{BASE}/a.jpg"))
    assert list(spider.parse_article(page)) == []
    assert stats(spider)["spider/not_article/not_html"] == 1


def _failure(request: Request, status: int) -> Failure:
    failure = Failure(HttpError(Response(request.url, status=status, request=request)))
    failure.request = request  # type: ignore[attr-defined]
    return failure


def test_failed_second_page_keeps_the_first() -> None:
    spider = make_spider(url=f"{BASE}{MUDIK}")
    first = response(HtmlResponse, f"{BASE}{MUDIK}", site_file(MUDIK), aggregator_kind="article")
    (next_request,) = list(spider.parse_article(first))
    (item,) = list(spider.on_error(_failure(next_request, 503)))
    assert isinstance(item, ArticleItem)
    assert item.page_count == 1
    assert stats(spider)["spider/failed/article_page/http_503"] == 1
    assert stats(spider)["spider/partial_articles"] == 1


def test_failed_article_is_counted_and_signalled() -> None:
    spider = make_spider(url=f"{BASE}{BANJIR}")
    seen: list[dict[str, Any]] = []
    from aggregator.storage.signals import fetch_failed

    spider.crawler.signals.connect(lambda **kw: seen.append(kw), signal=fetch_failed, weak=False)
    request = Request(f"{BASE}{BANJIR}", meta={"aggregator_kind": "article"})
    assert list(spider.on_error(_failure(request, 404))) == []
    assert stats(spider)["spider/failed/article/http_404"] == 1
    assert seen[0]["url"] == f"{BASE}{BANJIR}"
    assert (seen[0]["reason"], seen[0]["status"], seen[0]["kind"]) == ("http_404", 404, "article")


def test_article_state_is_per_article() -> None:
    one = ArticleState(url="a", discovery={}, site=None, fetched_at=None)  # type: ignore[arg-type]
    two = ArticleState(url="b", discovery={}, site=None, fetched_at=None)  # type: ignore[arg-type]
    one.pages.append(None)  # type: ignore[arg-type]
    assert two.pages == []


def _with_show_all(html: bytes) -> bytes:
    """Page 1 of the two-page article with a "Tampilkan semua" (show all) link added."""
    link = f'<a class="paging__link" href="{BASE}{MUDIK}?page=all">Tampilkan semua</a></div>'
    return html.replace(b"Halaman 2</a></div>", b"Halaman 2</a> " + link.encode(), 1)


def _single_view_html() -> bytes:
    """The whole two-page article on one page (page 1 plus page 2's paragraphs)."""
    first, second = site_file(MUDIK).decode(), site_file(MUDIK + "@page=2").decode()
    marker = '<div class="clearfix">'
    rest = second.split(marker, 1)[1].split("</div>", 1)[0]
    head, tail = first.split(marker, 1)
    body, after = tail.split("</div>", 1)
    return (head + marker + body + rest + "</div>" + after).encode()


def _first_page_request(spider: NewsSpider) -> Request:
    first = response(HtmlResponse, f"{BASE}{MUDIK}", _with_show_all(site_file(MUDIK)),
                     aggregator_kind="article")
    (request,) = list(spider.parse_article(first))
    assert isinstance(request, Request)
    return request


def test_single_page_view_is_preferred_when_offered() -> None:
    spider = make_spider(url=f"{BASE}{MUDIK}")
    request = _first_page_request(spider)
    assert request.url == f"{BASE}{MUDIK}?page=all"
    assert request.meta["aggregator_single"] is True
    single = HtmlResponse(request.url, body=_single_view_html(), request=request,
                          encoding="utf-8")
    (item,) = list(spider.parse_article(single, state=request.cb_kwargs["state"]))
    assert isinstance(item, ArticleItem)
    assert item.url == f"{BASE}{MUDIK}"
    assert item.page_count == 2  # what the site says, though one request fetched it all
    assert item.body is not None
    assert "Puncak arus mudik" in item.body
    assert item.body.count("Korlantas Polri menyiapkan sejumlah") == 1
    assert stats(spider)["spider/single_view"] == 1


def test_failed_single_view_falls_back_to_the_pages() -> None:
    spider = make_spider(url=f"{BASE}{MUDIK}")
    request = _first_page_request(spider)
    (fallback,) = list(spider.on_error(_failure(request, 404)))
    assert isinstance(fallback, Request)
    assert fallback.url == f"{BASE}{MUDIK}?page=2"
    assert not fallback.meta["aggregator_single"]
    second = HtmlResponse(fallback.url, body=site_file(MUDIK + "@page=2"), request=fallback,
                          encoding="utf-8")
    (item,) = list(spider.parse_article(second, state=fallback.cb_kwargs["state"]))
    assert isinstance(item, ArticleItem)
    assert item.page_count == 2
    assert stats(spider)["spider/failed/article_page/http_404"] == 1


def test_single_view_without_article_falls_back_to_the_pages() -> None:
    spider = make_spider(url=f"{BASE}{MUDIK}")
    request = _first_page_request(spider)
    junk = HtmlResponse(request.url, body=site_file("/indeks"), request=request,
                        encoding="utf-8")
    (fallback,) = list(spider.parse_article(junk, state=request.cb_kwargs["state"]))
    assert isinstance(fallback, Request)
    assert fallback.url == f"{BASE}{MUDIK}?page=2"
    assert any(k.startswith("spider/single_view_unusable/") for k in stats(spider))


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
def test_url_listed_twice_in_one_document_is_a_counted_duplicate(kind: str) -> None:
    """Issue 12, item 6: the repeat inside one feed was silently folded, uncounted."""
    link = f"{BASE}/berita/dua-kali.html"
    if kind == "feed":
        body = (f"<rss version='2.0'><channel><title>x</title><item><link>{link}</link></item>"
                f"<item><link>{link}</link></item></channel></rss>").encode()  # fmt: skip
    else:
        body = ("<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                f"<url><loc>{link}</loc></url><url><loc>{link}</loc></url></urlset>").encode()
    spider = make_spider(feed=f"{BASE}/doc.xml")
    doc = response(XmlResponse, f"{BASE}/doc.xml", body, aggregator_kind=kind)
    assert [r.url for r in spider.parse_discovery(doc)] == [link]
    assert stats(spider)["discovery/links"] == 1
    assert stats(spider)["discovery/duplicate_url"] == 1
