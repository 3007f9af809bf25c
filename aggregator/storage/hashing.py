"""The content hash used for revisions and same-body aliases when dedup did not set one."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from aggregator.items import ArticleItem

_WORDS = re.compile(r"\w+", re.UNICODE)


def _fallback_hash(body: str) -> str:
    """SHA-256 of the body's lower-cased words (stable across spacing and punctuation)."""
    words = " ".join(_WORDS.findall(body.casefold()))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def _dedup_hash() -> Callable[[str], str]:
    """The dedup stage's `content_hash` when it is installed, so both agree."""
    try:
        from aggregator.dedup import content_hash
    except ImportError:
        return _fallback_hash
    return content_hash


def item_hash(item: ArticleItem) -> str | None:
    """The item's content hash: set by dedup, else computed here; None without a body."""
    if item.content_hash:
        return item.content_hash
    if not item.body:
        return None
    return _dedup_hash()(item.body)
