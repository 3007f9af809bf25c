"""The clean stage on an `ArticleItem`: re-clean the body, fill empty credit fields.

Shared by `CleanPipeline` (the crawl) and `aggregator extract` (saved pages), so both
merge the cleaner's findings into an item by the same rules.
"""

from __future__ import annotations

from aggregator.cleaning import CleanResult, clean_text
from aggregator.items import ArticleItem


def apply_clean(item: ArticleItem) -> CleanResult:
    """Clean `item.body` in place and fill its empty credit fields; returns what was found.

    The credits the site parser or extraction already set win: the cleaner's only fill
    fields that are still empty.  A body the rules would remove entirely is kept as it
    was (the result's `text` is then "", so a caller can count it): an empty article is
    worse than one with some boilerplate left in.
    """
    result = clean_text(item.body, site=item.source)
    if not item.body:
        return result
    item.body = result.text or item.body
    item.authors = item.authors or list(result.authors)
    item.editors = item.editors or list(result.editors)
    item.credit_codes = item.credit_codes or list(result.credit_codes)
    item.wire_source = item.wire_source or result.wire_source
    return result

