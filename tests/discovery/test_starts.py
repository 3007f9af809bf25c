"""Start entries from spider arguments and site specs."""

from __future__ import annotations

from typing import Any

import pytest

from aggregator.discovery.starts import Start, build_starts, site_starts, split_arg
from aggregator.exceptions import ConfigError
from aggregator.sites import get_site


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, []), ("", []), ("a, b,,c ", ["a", "b", "c"]), (["x", " ", "y"], ["x", "y"])],
)
def test_split_arg(value: Any, expected: list[str]) -> None:
    assert split_arg(value) == expected


def test_first_occurrence_of_a_url_wins_and_order_is_kept() -> None:
    starts = build_starts(feeds=["https://a.id/1", "https://a.id/2"], sitemaps=["https://a.id/1"],
                          urls=["https://a.id/3", "https://a.id/2"], sites=[])
    assert starts == [Start("feed", "https://a.id/1"), Start("feed", "https://a.id/2"),
                      Start("article", "https://a.id/3")]


def test_site_sources_in_order() -> None:
    spec = get_site("kompas")
    starts = site_starts(spec)
    firsts = [page.urls()[0] for page in spec.index_pages]
    assert [s.url for s in starts] == [*spec.feeds, *spec.news_sitemaps, *spec.sitemaps, *firsts]
    assert [s.paging for s in starts if s.kind == "index"] == list(spec.index_pages)
    assert all(s.site is spec for s in starts)
    assert starts[0].kind == ("feed" if spec.feeds else "sitemap")


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"feeds": ["file:///etc/passwd"]},
        {"urls": ["javascript:alert(1)"]},
        {"sitemaps": ["//no-scheme.id/x"]},
    ],
)
def test_bad_or_missing_starts(kwargs: dict[str, list[str]]) -> None:
    args: dict[str, Any] = {"feeds": [], "sitemaps": [], "urls": [], "sites": [], **kwargs}
    with pytest.raises(ConfigError):
        build_starts(**args)
