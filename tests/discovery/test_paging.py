"""Index paging decisions: which links of a listing count, and when the walk stops."""

from __future__ import annotations

import pytest

from aggregator.discovery.paging import (
    MAX_INDEX_LINKS,
    IndexWalk,
    index_article_links,
    page_url,
)
from aggregator.discovery.starts import Start, build_starts, index_walk
from aggregator.exceptions import ConfigError
from aggregator.sites import get_site

BASE = "http://warta.test"
STORY = f"{BASE}/berita/d-7101234/banjir-rob-genangi-pesisir-utara"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/berita/d-7101234/banjir-rob-genangi-pesisir-utara", STORY),  # relative story
        (STORY + "#komentar", STORY),  # the fragment is dropped: the same story
        ("/read/2024/03/14/09150011/harga", f"{BASE}/read/2024/03/14/09150011/harga"),  # long id
        ("/indeks?page=2", None),  # the pagination itself
        ("/kanal/news", None),  # a menu link
        ("/", None),
        ("http://other.test/berita/d-7101234/banjir-rob-genangi-pesisir", None),  # other host
        ("mailto:redaksi@warta.test", None),
    ],
)
def test_links_without_a_spec_are_same_host_stories(href: str, expected: str | None) -> None:
    assert index_article_links([href], f"{BASE}/indeks", None) == ([expected] if expected else [])


def test_links_are_unique_in_page_order_and_capped() -> None:
    hrefs = [f"/berita/d-{n:07d}/judul-berita-nomor-{n}" for n in range(MAX_INDEX_LINKS + 50)]
    links = index_article_links([hrefs[1], hrefs[0], hrefs[1], *hrefs], f"{BASE}/indeks", None)
    assert links[:2] == [f"{BASE}{hrefs[1]}", f"{BASE}{hrefs[0]}"]
    assert len(links) == len(set(links)) == MAX_INDEX_LINKS


def test_links_with_a_spec_follow_its_url_rules() -> None:
    spec = get_site("detik")
    hrefs = ["/berita/d-7100001/satu", "https://news.detik.com/indeks",
             "https://example.com/berita/d-7100003/x-y-z-w"]  # fmt: skip
    assert index_article_links(hrefs, "https://news.detik.com/indeks", spec) == [
        "https://news.detik.com/berita/d-7100001/satu"]


def test_walk_pages_while_new_links_appear_up_to_the_cap() -> None:
    walk = IndexWalk("warta", f"{BASE}/indeks?page={{page}}", first_page=1, max_pages=3)
    one = walk.advance(["a", "b"])
    assert one.url == f"{BASE}/indeks?page=2"
    assert one.meta == {"source": "warta", "index_url": f"{BASE}/indeks?page=1", "page": 2,
                        "page_urls": ["a", "b"], "page_dates": []}
    two = walk.advance(["b", "c"])
    assert (two.url, two.meta and two.meta["page"]) == (f"{BASE}/indeks?page=3", 3)
    assert walk.advance(["d"]) == (None, None, "max_pages")


@pytest.mark.parametrize(
    ("template", "pages", "links", "stopped"),
    [
        (f"{BASE}/indeks?page={{page}}", 5, [], "no_links"),
        (f"{BASE}/indeks?page={{page}}", 5, ["a"], "no_new_links"),  # page 1 served again
        (f"{BASE}/indeks", 5, ["z"], "max_pages"),  # no placeholder: one page only
        (f"{BASE}/indeks?page={{page}}", 1, ["z"], "max_pages"),
    ],
)
def test_walk_stops(template: str, pages: int, links: list[str], stopped: str) -> None:
    walk = IndexWalk("warta", template, max_pages=pages, seen={"a"})
    assert walk.advance(links) == (None, None, stopped)


def test_zero_based_pagination_counts_ordinals_for_the_middleware() -> None:
    walk = IndexWalk("x", f"{BASE}/arsip/{{page}}", first_page=0, max_pages=2)
    step = walk.advance(["a"])
    assert step.url == f"{BASE}/arsip/1"
    assert step.meta is not None
    assert step.meta["page"] == 2
    assert step.meta["index_url"] == f"{BASE}/arsip/0"
    assert page_url(f"{BASE}/{{x}}/{{page}}", 4) == f"{BASE}/{{x}}/4"  # other braces survive


def test_index_argument_starts_page_one_and_walks_the_template() -> None:
    starts = build_starts(feeds=[], sitemaps=[], urls=[], sites=[],
                          indexes=[f"{BASE}/indeks?page={{page}}"], index_pages="4")  # fmt: skip
    [start] = starts
    assert (start.kind, start.url) == ("index", f"{BASE}/indeks?page=1")
    spec, walk = index_walk(start)
    assert spec is None
    assert walk is not None
    assert (walk.source, walk.max_pages, walk.index_url) == ("warta.test", 4, start.url)


def test_site_index_walk_uses_the_site_spec() -> None:
    spec = get_site("detik")
    start = Start("index", spec.index_pages[0].urls()[0], spec, spec.index_pages[0])
    found, walk = index_walk(start)
    assert found is spec
    assert walk is not None
    assert (walk.source, walk.max_pages) == ("detik", spec.index_pages[0].max_pages)


@pytest.mark.parametrize("pages", [0, "x", "-1"])
def test_bad_index_pages(pages: object) -> None:
    with pytest.raises(ConfigError):
        build_starts(feeds=[], sitemaps=[], urls=[], sites=[], indexes=[f"{BASE}/i"],
                     index_pages=pages)  # type: ignore[arg-type]
