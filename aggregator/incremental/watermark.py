"""Per-source watermarks: stop paging an index once it reaches articles already seen.

Index pages list articles newest first.  While paging, a spider asks
`should_continue_paging` with the article URLs (and dates, when the listing shows them)
of the page it just parsed; the answer is False when that page reached the watermark
(the newest article recorded at the end of the previous complete run), showed an
article dated at or before it, or held nothing that is not already stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from aggregator.incremental.state import IncrementalStore, state_key

__all__ = ["newest_entry", "should_continue_paging"]


def should_continue_paging(
    store: IncrementalStore,
    source: str,
    index_url: str,
    page_urls: Sequence[str],
    page_dates: Sequence[dt.datetime | None] = (),
) -> bool:
    """True when the next index page may still hold articles we have not seen."""
    if not page_urls:
        return False  # an empty page: the listing has ended
    mark_url, mark_at = store.watermark(source, index_url)
    if mark_url and mark_url in {state_key(u, kind="article") for u in page_urls}:
        return False
    dates = [d for d in page_dates if d is not None]
    if mark_at and dates and min(dates) <= mark_at:
        return False
    return len(store.known_urls(list(page_urls))) < len(page_urls)


def newest_entry(
    page_urls: Sequence[str], page_dates: Sequence[dt.datetime | None] = ()
) -> tuple[str | None, dt.datetime | None]:
    """The watermark for a first index page: its first URL and its newest date."""
    if not page_urls:
        return None, None
    dates = [d for d in page_dates if d is not None]
    return state_key(page_urls[0], kind="article"), max(dates) if dates else None
