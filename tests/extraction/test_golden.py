"""Golden tests over the real Indonesian fixture pages (tests/fixtures/id-news).

For every article page: the title is exact, the cleaned body begins (after an optional
dateline) with the true first sentence and ends (after an optional desk code) with the
true last one, and none of the page's listed boilerplate samples is left.

With the registered site parsers (the production path) every page must pass.  The
generic path (no site parser) must pass on every page but those listed in
GENERIC_GAPS; those are strict xfails, so a fix shows up as a failure to remove them.
"""

from __future__ import annotations

import pytest

from aggregator.extraction import extract_page
from aggregator.extraction.evaluation import fixture_problems, norm
from aggregator.sites import site_for_url
from tests.extraction.golden import article_names, index_names, load

# Known generic-path gaps, with what goes wrong (the site parsers cover these pages).
GENERIC_GAPS = {
    "antara-4": "a related-headline box without a label follows the story",
    "detik-8": "photo gallery: captions only, no prose body",
    "liputan6-3": "photo gallery: captions only, no prose body",
    "liputan6-6": "the numbered photo items that end the story sit in a slider trafilatura skips",
    "republika-2": "the visible headline has an 'In Picture:' prefix no title tag carries",
}


def _params(gaps: dict[str, str]) -> list[object]:
    return [pytest.param(n, marks=pytest.mark.xfail(reason=gaps[n], strict=True))
            if n in gaps else n for n in article_names()]


@pytest.mark.parametrize("name", article_names())
def test_with_site_parsers(name: str) -> None:
    html, truth = load(name)
    page = extract_page(html, truth["url"], site=site_for_url(truth["url"]))
    assert page.is_article, page.reject_reason
    assert fixture_problems(page.title, page.body, truth) == []


@pytest.mark.parametrize("name", _params(GENERIC_GAPS))
def test_generic_path(name: str) -> None:
    html, truth = load(name)
    page = extract_page(html, truth["url"])
    assert page.is_article, page.reject_reason
    assert fixture_problems(page.title, page.body, truth) == []


@pytest.mark.parametrize("name", article_names())
def test_authors_with_site_parsers(name: str) -> None:
    # the fixture README's lenient rule: the first reporter is found, nobody unrelated is
    html, truth = load(name)
    page = extract_page(html, truth["url"], site=site_for_url(truth["url"]))
    allowed = {a.lower() for a in truth["authors"] + truth.get("authors_alt", [])}
    found = [a.lower() for a in page.authors]
    if truth["authors"]:
        assert truth["authors"][0].lower() in found
    assert set(found) <= allowed


@pytest.mark.parametrize("name", index_names())
@pytest.mark.parametrize("with_site", [False, True])
def test_index_pages_are_not_articles(name: str, with_site: bool) -> None:
    html, _ = load(name)
    site, _, _ = name.partition("-index-")
    url = f"https://www.{site}.example/"
    page = extract_page(html, url, site=site_for_url(url) if with_site else None)
    assert not page.is_article
    assert page.reject_reason == "not_article"
    assert page.body is None


@pytest.mark.parametrize("name", article_names())
def test_stored_text_is_clean_unicode(name: str) -> None:
    html, truth = load(name)
    page = extract_page(html, truth["url"])
    for text in (page.title or "", page.body or ""):
        assert "\ufffd" not in text
        assert "Ã" not in text
        assert "â€" not in text
    if page.body:
        assert "\n\n\n" not in page.body
        assert all(p == p.strip() and "  " not in p for p in page.body.split("\n\n"))


def test_kapanlagi_declares_latin1_but_is_utf8() -> None:
    html, truth = load("kapanlagi-2")
    assert b"iso-8859-1" in html.lower()
    page = extract_page(html, truth["url"], encoding="iso-8859-1")
    assert page.title == truth["title"]


STORIES = [n for n in article_names() if load(n)[1].get("page_type", "article") == "article"]


@pytest.mark.parametrize("name", STORIES)
def test_generic_path_never_drops_an_article(name: str) -> None:
    # storing a story with some boilerplate beats losing it (galleries may have no prose)
    html, truth = load(name)
    page = extract_page(html, truth["url"])
    assert page.is_article, page.reject_reason
    assert norm(truth["body_first_sentence"])[:40] in norm(page.body or "")


@pytest.mark.parametrize("name", STORIES)
def test_language_matches_the_text(name: str) -> None:
    html, truth = load(name)
    assert extract_page(html, truth["url"]).language == truth.get("language", "id")


@pytest.mark.parametrize(("name", "rules"), [
    ("detik-1", {"detik/linksisip", "detik/paradetail", "ad-slot"}),
    ("kompas-1", {"kompas/inner-link", "kompas/next-page", "baca-juga"}),
    ("liputan6-1", {"liputan6/baca-juga", "credit-code"}),
    ("mediaindonesia-1", {"mediaindonesia/epaper-card", "berita-terkait"}),
    ("merdeka-2", {"code-ends-article", "credit-code"}),
])
def test_site_rules_fire_on_their_pages(name: str, rules: set[str]) -> None:
    # the per-rule counts are the layout-change signal: they must see the real layouts
    html, truth = load(name)
    hits = extract_page(html, truth["url"]).rule_hits
    assert {rule for rule in rules if hits[rule] > 0} == rules
