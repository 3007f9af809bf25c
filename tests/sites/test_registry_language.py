"""The registry's language agrees with what extraction finds on each site's saved pages."""

from __future__ import annotations

import pytest

from aggregator.extraction import extract_page
from aggregator.sites import SITES
from aggregator.sites.base import SiteSpec
from aggregator.sites.table import site_row
from tests.sites.golden import cases

CASES = {case.name: case for case in cases()}
PAGES = [(spec, name) for spec in SITES.values() for name in spec.fixtures if name in CASES]


@pytest.mark.parametrize(("spec", "name"), PAGES, ids=[name for _, name in PAGES])
def test_spec_language_matches_extraction(spec: SiteSpec, name: str) -> None:
    case = CASES[name]
    page = extract_page(case.html, case.truth["url"], site=spec)
    assert page.language == spec.language


@pytest.mark.parametrize("name", ["jakartapost", "jakartaglobe", "tempoen"])
def test_english_language_sites_say_en(name: str) -> None:
    assert SITES[name].language == "en"


def test_one_page_is_singular() -> None:
    one = next(s for s in SITES.values() if s.verified and len(s.fixtures) == 1)
    many = next(s for s in SITES.values() if s.verified and len(s.fixtures) > 1)
    assert "yes (1 page)" in site_row(one)
    assert f"yes ({len(many.fixtures)} pages)" in site_row(many)
