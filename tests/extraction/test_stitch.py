"""Stitching the pages of a multi-page article."""

from __future__ import annotations

from collections import Counter

import pytest

from aggregator.extraction import stitch_pages
from aggregator.types import PageFields


def _page(body: str, **kw: object) -> PageFields:
    return PageFields(title="T", body=body, **kw)  # type: ignore[arg-type]


def test_bodies_join_in_order_with_repeats_and_teaser_dropped() -> None:
    one = _page("Lead paragraf.\n\nSatu.\n\nSementara maskapai membutuhkan…",
                next_page_urls=["u?page=2"], page_count=2, rule_hits=Counter({"a": 1}))
    two = _page("Lead paragraf.\n\nSementara maskapai membutuhkan suku cadang.\n\nDua.",
                rule_hits=Counter({"a": 2}), authors=["B"])
    out = stitch_pages([one, two])
    assert out.body == ("Lead paragraf.\n\nSatu.\n\nSementara maskapai membutuhkan suku "
                        "cadang.\n\nDua.")
    assert out.next_page_urls == []
    assert out.page_count == 2
    assert out.rule_hits["a"] == 3
    assert out.authors == ["B"]


def test_failed_later_page_keeps_first() -> None:
    bad = PageFields(is_article=False, reject_reason="error_page")
    out = stitch_pages([_page("Satu."), bad])
    assert out.body == "Satu."
    assert out.is_article


def test_no_pages_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="at least one page"):
        stitch_pages([])
