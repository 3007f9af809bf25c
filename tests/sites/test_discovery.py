"""Discovery for every site: its feed or sitemap served over loopback HTTP, parsed, filtered."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aggregator.discovery import parse_feed, parse_sitemap
from aggregator.mirror import MirrorServer
from aggregator.sites import SITES, get_site

TESTS = Path(__file__).resolve().parents[1]
CASES: dict[str, list[dict[str, Any]]] = json.loads(
    (TESTS / "sites" / "discovery" / "cases.json").read_text(encoding="utf-8")
)
FLAT = [(site, case) for site, cases in sorted(CASES.items()) for case in cases]


@pytest.fixture(scope="module")
def server() -> Iterator[MirrorServer]:
    """A loopback mirror of the tests directory (feeds and sitemaps as static files)."""
    with MirrorServer(TESTS) as mirror:
        yield mirror


def _fetch(server: MirrorServer, path: str) -> bytes:
    """GET one file from the mirror over real HTTP."""
    with urllib.request.urlopen(server.url("/" + path), timeout=10) as reply:
        assert reply.status == 200
        return reply.read()


def test_every_site_has_a_discovery_case() -> None:
    assert set(CASES) == set(SITES)


def test_samples_stand_for_the_sources_the_spec_lists() -> None:
    """Each written sample is the format of one of the site's own discovery URLs."""
    for site, cases in CASES.items():
        starts = get_site(site).start_urls()
        for case in cases:
            if case["source"] != "real saved feed":
                assert case["source"] in starts, (site, case["source"])


@pytest.mark.parametrize(("site", "case"), FLAT, ids=[f"{s}:{c['file']}" for s, c in FLAT])
def test_articles_found_and_others_skipped(
    server: MirrorServer, site: str, case: dict[str, Any]
) -> None:
    spec = get_site(site)
    body = _fetch(server, case["file"])
    if case["kind"] == "feed":
        links = parse_feed(body, server.url("/"))
    else:
        links = parse_sitemap(body, server.url("/")).links
    urls = [link.url for link in links]
    assert sorted(urls) == sorted(case["articles"] + case["skipped"])
    found = [u for u in urls if spec.is_article_url(u)]
    assert found == [u for u in urls if u in case["articles"]]
    assert server.hits("/" + case["file"]) >= 1
