"""build_article: pages + discovery metadata -> ArticleItem."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from aggregator.article import (
    ArticleState,
    PageStep,
    build_article,
    next_step,
    source_for,
    use_single_view,
)
from aggregator.sites import get_site
from aggregator.types import DateCandidate, PageFields

FETCHED = datetime(2024, 3, 15, 1, 0, tzinfo=timezone(timedelta(hours=7)))


def page(**kwargs: object) -> PageFields:
    """A PageFields with a title and body unless overridden."""
    base: dict[str, object] = {"title": "Judul", "body": "Paragraf satu."}
    return PageFields(**{**base, **kwargs})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "site", "expected"),
    [
        ("https://www.contoh.id/a", None, "contoh.id"),
        ("http://127.0.0.1:8080/a", None, "127.0.0.1"),
        ("https://news.detik.com/berita/d-1/x", "detik", "detik"),
    ],
)
def test_source_for(url: str, site: str | None, expected: str) -> None:
    assert source_for(url, get_site(site) if site else None) == expected


NAMES = {
    "127.0.0.1:8000/warta/": "Warta",
    "127.0.0.1:8000/kabar": "Kabar",
    "www.Contoh.id": "Contoh",
    "contoh.id/news/": "Contoh News",
    "h:80": "H80",
    "news.detik.com": "not the registry name",
}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8000/warta/read/a.html", "Warta"),
        ("http://127.0.0.1:8000/kabar/x", "Kabar"),
        ("http://127.0.0.1:8000/kabarku/x", "127.0.0.1"),  # a path prefix stops at a "/"
        ("http://127.0.0.1:9000/warta/a", "127.0.0.1"),  # another port: not named
        ("https://contoh.id/", "Contoh"),  # "www." and case do not matter in the host
        ("https://www.contoh.id:8443/a", "Contoh"),  # a key without port names every port
        ("https://contoh.id/news/1", "Contoh News"),  # the longest key wins
        ("https://contoh.id.evil.org/", "contoh.id.evil.org"),  # whole host labels only
        ("http://h:8080/", "h"),
        ("http://h:80/x", "H80"),
    ],
)
def test_source_for_configured_names(url: str, expected: str) -> None:
    assert source_for(url, None, NAMES) == expected


def test_registry_name_beats_configured_names() -> None:
    url = "https://news.detik.com/berita/d-1/x"
    assert source_for(url, get_site("detik"), NAMES) == "detik"


@pytest.mark.parametrize(
    ("discovery", "expected"),
    [
        (None, []),
        ({}, []),
        ({"published": "2024-03-15T08:00:00+07:00", "via": "sitemap"},
         [DateCandidate("published", "2024-03-15T08:00:00+07:00", "sitemap", "published")]),
        ({"published": "Fri, 15 Mar 2024 08:00:00 +0700", "lastmod": " 2024-03-16 ", "via": "feed"},
         [DateCandidate("published", "Fri, 15 Mar 2024 08:00:00 +0700", "feed", "published"),
          DateCandidate("modified", "2024-03-16", "feed", "lastmod")]),
        ({"published": "2024-03-15 08:00", "via": "index"},  # listing dates weigh as a feed's
         [DateCandidate("published", "2024-03-15 08:00", "feed", "published")]),
        ({"published": "  ", "lastmod": None}, []),
        ({"published": 12345}, []),  # junk types from a bad feed are ignored
    ],
)
def test_discovery_dates_become_the_last_candidates(
    discovery: dict[str, object] | None, expected: list[DateCandidate]
) -> None:
    own = DateCandidate("published", "2024-03-14", "jsonld")
    item = build_article([page(date_candidates=[own])], url="https://c.id/a", source="c.id",
                         fetched_at=FETCHED, discovery=discovery)
    assert item.date_candidates == [own, *expected]


def test_single_page_fields_are_copied() -> None:
    fields = page(authors=["Rina"], tags=["banjir"], section="Berita", language="id",
                  canonical_url="https://c.id/a", extractor="site:x:1",
                  date_candidates=[DateCandidate("published", "2024-03-14", "jsonld")])
    fields.rule_hits["baca_juga"] += 2
    item = build_article([fields], url="https://c.id/a", source="c.id", fetched_at=FETCHED,
                         discovery={"published": "2024-03-13", "via": "feed"})
    assert (item.title, item.body, item.authors, item.tags) == (
        "Judul", "Paragraf satu.", ["Rina"], ["banjir"])
    assert item.fetched_at == FETCHED
    assert item.fetched_at.tzinfo is UTC
    assert item.page_count == 1
    assert item.timezone == "Asia/Jakarta"
    assert item.extractor == "site:x:1"
    assert item.canonical_hint == "https://c.id/a"
    assert item.rule_hits == {"baca_juga": 2}
    assert [c.source for c in item.date_candidates] == ["jsonld", "feed"]
    assert item.discovery["via"] == "feed"


def test_discovery_fills_gaps_only() -> None:
    found = {"title": "Judul dari feed", "keywords": ["mudik", "", 3]}
    bare = build_article([page(title=None)], url="https://c.id/a", source="c.id",
                         fetched_at=FETCHED, discovery=found)
    assert bare.title == "Judul dari feed"
    assert bare.tags == ["mudik"]
    full = build_article([page(tags=["tol"])], url="https://c.id/a", source="c.id",
                         fetched_at=FETCHED, discovery=found)
    assert (full.title, full.tags) == ("Judul", ["tol"])


def test_site_sets_timezone_and_language() -> None:
    spec = get_site("detik")
    item = build_article([page()], url="https://news.detik.com/a", source="detik",
                         fetched_at=FETCHED, site=spec)
    assert item.timezone == spec.timezone
    assert item.language == spec.language


def test_multi_page_is_stitched_once() -> None:
    pages = [page(body="Satu.\n\nDua."), page(title="Judul", body="Tiga.")]
    item = build_article(pages, url="https://c.id/a", source="c.id", fetched_at=FETCHED,
                         aliases=["https://c.id/a", "https://c.id/a?utm=x", "https://c.id/a?utm=x"])
    assert item.page_count == 2
    assert item.body is not None
    assert item.body.index("Satu.") < item.body.index("Tiga.")
    assert item.aliases == ["https://c.id/a?utm=x"]


@pytest.mark.parametrize("bad", [[], None])
def test_no_pages_is_an_error(bad: list[PageFields] | None) -> None:
    with pytest.raises((ValueError, TypeError)):
        build_article(bad or [], url="https://c.id/a", source="c.id", fetched_at=FETCHED)


def test_naive_fetched_at_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_article([page()], url="https://c.id/a", source="c.id",
                      fetched_at=datetime(2024, 3, 15))


A = "https://c.id/berita/1"


def state(pages: int = 1, **kwargs: object) -> ArticleState:
    """An article state with `pages` pages already fetched."""
    st = ArticleState(url=A, discovery={}, site=None, fetched_at=FETCHED, seen={A})
    st.pages = [page() for _ in range(pages)]
    for key, value in kwargs.items():
        setattr(st, key, value)
    return st


@pytest.mark.parametrize(
    ("fields", "pages", "expected", "pending"),
    [
        (page(), 1, PageStep(), []),
        (page(next_page_urls=[f"{A}?page=2", f"{A}?page=3"]), 1, PageStep(f"{A}?page=2"),
         [f"{A}?page=3"]),
        (page(next_page_urls=["https://other.id/berita/1?page=2"]), 1, PageStep(), []),
        (page(next_page_urls=["http://c.id:8080/berita/1?page=2"]), 1, PageStep(), []),
        (page(next_page_urls=[A]), 1, PageStep(), []),  # a link back to page 1
        (page(single_page_url=f"{A}?page=all"), 1, PageStep(), []),  # single-page article
        (page(next_page_urls=[f"{A}?page=2"], single_page_url=f"{A}?page=all"), 1,
         PageStep(f"{A}?page=all", single=True), []),
        (page(next_page_urls=[f"{A}?page=2"], single_page_url="https://x.id/all"), 1,
         PageStep(f"{A}?page=2"), []),  # a single view on another host is ignored
        (page(next_page_urls=[f"{A}?page=4"]), 3, PageStep(capped=True), []),
    ],
)
def test_next_step(fields: PageFields, pages: int, expected: PageStep,
                   pending: list[str]) -> None:
    st = state(pages)
    assert next_step(st, fields, max_pages=3) == expected
    assert st.pending == pending


def test_single_view_plan_and_fallback() -> None:
    st = state()
    fields = page(next_page_urls=[f"{A}?page=2"], single_page_url=f"{A}?page=all", page_count=5)
    assert next_step(st, fields, max_pages=20).single
    assert (st.fallback, st.page_count) == ([f"{A}?page=2"], 5)
    assert not use_single_view(st, page(is_article=False))
    assert next_step(st, None, max_pages=20) == PageStep(f"{A}?page=2")
    assert next_step(st, page(single_page_url=f"{A}?page=all"), max_pages=20) == PageStep()


def test_single_view_adopted() -> None:
    st = state()
    next_step(st, page(next_page_urls=[f"{A}?page=2"], single_page_url=f"{A}?all"), max_pages=9)
    whole = page(body="Semua isi.")
    assert use_single_view(st, whole)
    assert (st.pages, st.single_view, st.pending) == ([whole], True, [])
