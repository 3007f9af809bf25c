"""Golden tests: every fixture page with truth, through extract_page and the date resolver."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aggregator.dates import resolve_article_dates
from aggregator.extraction import extract_page
from aggregator.sites import SITES, SiteSpec, site_for_url
from aggregator.types import PageFields
from tests.extraction.external import external_articles
from tests.sites.golden import Case, cases, norm

# The crawl time the resolver is given: after every fixture page was published.
FETCHED_AT = datetime(2026, 6, 1, tzinfo=UTC)
CASES = cases()
PAGE_CASES = CASES


def _extract(case: Case) -> tuple[SiteSpec, PageFields]:
    spec = site_for_url(case.truth["url"])
    assert spec is not None, case.truth["url"]
    page = extract_page(case.html, case.truth["url"], site=spec, encoding="utf-8")
    return spec, page


@pytest.mark.parametrize("case", PAGE_CASES, ids=[c.name for c in CASES])
def test_page_matches_truth(case: Case) -> None:
    truth = case.truth
    spec, page = _extract(case)
    if truth.get("page_type") == "photo_gallery" and not page.is_article:
        # The fixtures README allows a scraper to skip galleries (no prose body).
        assert page.reject_reason
        return
    assert page.extractor.startswith(f"site:{spec.name}:"), page.extractor
    assert norm(page.title) == truth["title"]
    body = norm(page.body)
    # Begins with the first sentence (after at most the dateline and its punctuation) ...
    start = body.find(truth["body_first_sentence"])
    assert 0 <= start <= len(truth.get("dateline") or "") + 25, body[:200]
    # ... and ends with the last one: nothing after it (desk codes, related links, credits).
    assert body.endswith(truth["body_last_sentence"]), body[-200:]
    for sample in truth["boilerplate_samples"]:
        assert sample not in body, sample


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_published_instant(case: Case) -> None:
    spec, page = _extract(case)
    published, _modified = resolve_article_dates(
        page.date_candidates, now=FETCHED_AT, tz=spec.timezone
    )
    allowed = {datetime.fromisoformat(v) for v in [case.truth["published"]]}
    allowed |= {datetime.fromisoformat(v) for v in case.truth.get("published_alt") or []}
    assert published.value in allowed, (published, page.date_candidates)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_authors_lenient(case: Case) -> None:
    """The fixtures README rule: first reporter found, nothing outside authors + authors_alt."""
    truth = case.truth
    _spec, page = _extract(case)
    got = [a.casefold() for a in page.authors]
    if truth["authors"]:
        assert truth["authors"][0].casefold() in got
    allowed = {a.casefold() for a in truth["authors"] + (truth.get("authors_alt") or [])}
    assert set(got) <= allowed, page.authors


def test_every_fixture_site_is_verified_and_others_are_not() -> None:
    urls = [c.truth["url"] for c in CASES] + [r["url"] for r in external_articles()]
    proven = {spec.name for url in urls if (spec := site_for_url(url))}
    for spec in SITES.values():
        assert spec.verified == (spec.name in proven), spec.name
        if spec.verified:
            assert spec.fixtures, spec.name
        else:
            assert spec.notes, spec.name
