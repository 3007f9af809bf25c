"""A last-resort language guess for pages that declare none: Indonesian or English."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z]+")
_ID = frozenset({
    "yang", "dan", "di", "itu", "dengan", "untuk", "tidak", "dari", "ini", "dalam", "akan",
    "pada", "juga", "ke", "karena", "adalah", "oleh", "sudah", "saat", "bisa", "ada", "mereka",
    "kata", "telah",
})
_EN = frozenset({
    "the", "and", "of", "to", "in", "is", "that", "for", "it", "with", "was", "on", "as", "are",
    "be", "by", "this", "have", "from", "at", "which", "but", "not",
})
_MIN_HITS = 5
_MARGIN = 2  # one language's function words must outnumber the other's twice


def guess_language(text: str | None) -> str | None:
    """"id" or "en" from function words in the first part of the text, else None."""
    words = _WORD.findall((text or "")[:3000].lower())
    id_hits = sum(w in _ID for w in words)
    en_hits = sum(w in _EN for w in words)
    if max(id_hits, en_hits) < _MIN_HITS:
        return None
    if id_hits >= _MARGIN * en_hits:
        return "id"
    return "en" if en_hits >= _MARGIN * id_hits else None
