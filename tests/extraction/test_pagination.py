"""Finding the other pages of a multi-page article."""

from __future__ import annotations

import lxml.html
import pytest

from aggregator.extraction import extract_page
from aggregator.extraction.pagination import find_pagination
from tests.extraction.golden import load

URL = "https://news.example.id/read/2023/11/02/123/judul-berita"


def _tree(links: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body><p>x</p>{links}</body></html>")


@pytest.mark.parametrize(("links", "next_urls", "single", "count"), [
    (f'<a href="{URL}?page=2">2</a><a href="{URL}?page=3">3</a><a href="{URL}?page=1">1</a>',
     [f"{URL}?page=2", f"{URL}?page=3"], None, 3),
    (f'<a href="{URL}?page=all#page2">Show All</a>', [], f"{URL}?page=all", None),
    (f'<link rel="next" href="{URL}/2">', [f"{URL}/2"], None, 2),
    ('<a href="/read/2023/11/02/123/judul-berita?page=2">Halaman 2</a>',
     [f"{URL}?page=2"], None, 2),
    ('<a href="https://indeks.example.id?site=news&page=2" rel="next">Next</a>', [], None, None),
    (f'<a href="{URL}-lain?page=2">2</a>', [], None, None),
])
def test_pagination_links(links: str, next_urls: list[str], single: str | None,
                          count: int | None) -> None:
    found = find_pagination(_tree(links), URL)
    assert found.next_page_urls == next_urls
    assert found.single_page_url == single
    assert found.page_count == count


def test_total_pages_meta_wins() -> None:
    tree = lxml.html.document_fromstring(
        '<html><head><meta name="content_total_pages" content="4"></head><body>x</body></html>')
    assert find_pagination(tree, URL).page_count == 4


def test_kompas_page_one_of_two() -> None:
    html, truth = load("kompas-1")
    page = extract_page(html, truth["url"])
    assert page.next_page_urls == [f"{truth['url']}?page=2"]
    assert page.single_page_url == f"{truth['url']}?page=all"
    assert page.page_count == 2
    # the "Halaman selanjutnya" teaser of page 2 is not page-1 text
    assert "Sementara maskapai membutuhkan suku cadang" not in (page.body or "")


def test_single_page_articles_have_no_next_pages() -> None:
    html, truth = load("detik-1")
    page = extract_page(html, truth["url"])
    assert page.next_page_urls == []
    assert page.page_count in (None, 1)
