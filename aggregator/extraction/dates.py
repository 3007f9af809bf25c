"""Date candidates from the dates module (raw strings only; resolution happens later)."""

from __future__ import annotations

import logging

from lxml.html import HtmlElement

from aggregator.dates import collect_date_candidates
from aggregator.types import DateCandidate

log = logging.getLogger(__name__)


def date_candidates(tree: HtmlElement, url: str) -> list[DateCandidate]:
    """Every published/modified date string the dates module finds on the page."""
    try:
        return list(collect_date_candidates(tree, url))
    except Exception:  # a date bug must not lose the article; the resolver counts misses
        log.warning("collect_date_candidates failed on %s", url, exc_info=True)
        return []
