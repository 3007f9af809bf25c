"""Date candidates from the dates module (raw strings only; resolution happens later)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from lxml.html import HtmlElement

from aggregator.types import DateCandidate

log = logging.getLogger(__name__)

_collect: Callable[[HtmlElement, str], list[DateCandidate]] | None
try:  # the dates module is being written in parallel; a plain import once it lands
    from aggregator.dates import collect_date_candidates as _collect
except ImportError:  # pragma: no cover - transitional
    _collect = None


def date_candidates(tree: HtmlElement, url: str) -> list[DateCandidate]:
    """Every published/modified date string the dates module finds on the page."""
    if _collect is None:
        return []
    try:
        return list(_collect(tree, url))
    except Exception:  # a date bug must not lose the article; the resolver counts misses
        log.warning("collect_date_candidates failed on %s", url, exc_info=True)
        return []
