"""Stitch the pages of a multi-page article into one `PageFields`."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from aggregator.cleaning.text import join_paragraphs, split_paragraphs
from aggregator.types import PageFields

_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*$")
_MIN_TEASER = 15


def stitch_pages(pages: list[PageFields]) -> PageFields:
    """One article from its pages in order: bodies joined, repeated parts dropped once."""
    if not pages:
        raise ValueError("stitch_pages needs at least one page")
    first = pages[0]
    usable = [p for p in pages if p.is_article and p.body]
    paragraphs: list[str] = []
    seen: set[str] = set()
    for page in usable:
        fresh = [p for p in split_paragraphs(page.body or "") if p not in seen]
        _drop_teaser(paragraphs, fresh)
        for para in fresh:
            if para not in seen:
                seen.add(para)
                paragraphs.append(para)
    hits: Counter[str] = Counter()
    for page in pages:
        hits.update(page.rule_hits)
    return replace(
        first,
        body=join_paragraphs(paragraphs) or first.body,
        authors=_union(p.authors for p in pages),
        editors=_union(p.editors for p in pages),
        credit_codes=_union(p.credit_codes for p in pages),
        wire_source=next((p.wire_source for p in pages if p.wire_source), None),
        tags=_union(p.tags for p in pages),
        date_candidates=list(dict.fromkeys(c for p in pages for c in p.date_candidates)),
        next_page_urls=[],
        page_count=max(len(pages), first.page_count or 0),
        rule_hits=hits,
        is_article=first.is_article or bool(usable),
        reject_reason=first.reject_reason if not usable else None,
    )


def _drop_teaser(done: list[str], following: list[str]) -> None:
    """Remove a last paragraph that only teases the next page's first one ("Sementara…")."""
    if not done or not following:
        return
    teaser = _ELLIPSIS.sub("", done[-1])
    if teaser != done[-1] and len(teaser) >= _MIN_TEASER and following[0].startswith(teaser):
        done.pop()


def _union(lists: Iterable[list[str]]) -> list[str]:
    """Values of several lists, first occurrence order, no repeats."""
    out: list[str] = []
    for values in lists:
        for value in values:
            if value not in out:
                out.append(value)
    return out
