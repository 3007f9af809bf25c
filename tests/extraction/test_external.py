"""Golden tests on the external pages (real pages no one on the team tuned against).

Both paths: the site parser (production) and the generic path (an unknown outlet or a
parser older than the page).  Title, first and last sentence, boilerplate, authors,
editors and the published instant; the listing and home pages must not be articles.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from aggregator.dates import resolve_article_dates
from aggregator.extraction import extract_page
from aggregator.extraction.evaluation import fixture_problems
from aggregator.extraction.page import parse_tree
from aggregator.sites import site_for_url
from aggregator.types import PageFields
from tests.extraction.external import (
    external_articles,
    external_pages,
    fixture_name,
    page_bytes,
)

ARTICLES = external_articles()
OTHERS = [p for p in external_pages() if not p.get("expect_article", True)]


def _extract(record: dict[str, Any], with_site: bool) -> PageFields:
    site = site_for_url(record["url"]) if with_site else None
    return extract_page(page_bytes(record), record["url"], site=site)


def _ids(records: list[dict[str, Any]]) -> list[str]:
    return [fixture_name(r) for r in records]


@pytest.mark.parametrize("with_site", [True, False], ids=["site", "generic"])
@pytest.mark.parametrize("record", ARTICLES, ids=_ids(ARTICLES))
def test_text_matches_truth(record: dict[str, Any], with_site: bool) -> None:
    page = _extract(record, with_site)
    assert page.is_article, page.reject_reason
    if with_site:
        assert page.extractor.startswith("site:"), page.extractor
    assert fixture_problems(page.title, page.body, record) == []


@pytest.mark.parametrize("with_site", [True, False], ids=["site", "generic"])
@pytest.mark.parametrize("record", ARTICLES, ids=_ids(ARTICLES))
def test_credits_match_truth(record: dict[str, Any], with_site: bool) -> None:
    page = _extract(record, with_site)
    allowed = {a.casefold() for a in record["authors"] + record.get("authors_alt", [])}
    assert record["authors"][0].casefold() in {a.casefold() for a in page.authors}
    assert {a.casefold() for a in page.authors} <= allowed
    assert [e.casefold() for e in page.editors] == [e.casefold() for e in record["editors"]]


@pytest.mark.parametrize("with_site", [True, False], ids=["site", "generic"])
@pytest.mark.parametrize("record", ARTICLES, ids=_ids(ARTICLES))
def test_published_instant(record: dict[str, Any], with_site: bool) -> None:
    page = _extract(record, with_site)
    spec = site_for_url(record["url"])
    tz = spec.timezone if spec is not None else "Asia/Jakarta"
    now = datetime.fromisoformat(record["now"].replace("Z", "+00:00"))
    published, _ = resolve_article_dates(page.date_candidates, now=now, tz=tz)
    allowed = {datetime.fromisoformat(v) for v in [record["published"],
                                                   *record.get("published_alt", [])]}
    assert published.value in allowed, (published, page.date_candidates)


@pytest.mark.parametrize("with_site", [True, False], ids=["site", "generic"])
@pytest.mark.parametrize("record", OTHERS, ids=_ids(OTHERS))
def test_listing_pages_are_not_articles(record: dict[str, Any], with_site: bool) -> None:
    page = _extract(record, with_site)
    assert not page.is_article
    assert page.body is None


def test_jpnn_is_verified_by_its_own_parser() -> None:
    # verified means the site parser, not the generic fallback, gets the page right
    record = next(r for r in ARTICLES if r["site"] == "jpnn")
    spec = site_for_url(record["url"])
    assert spec is not None
    assert spec.verified
    assert fixture_name(record) in spec.fixtures
    own = spec.parse(parse_tree(page_bytes(record).decode("utf-8")), record["url"])
    assert own is not None  # the parser's own selectors, no generic fallback
    assert own.body
    assert own.title
    page = _extract(record, True)
    assert page.extractor.startswith("site:jpnn:")
    assert fixture_problems(page.title, page.body, record) == []
