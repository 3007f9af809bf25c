"""Datelines that open Indonesian news stories, and the captions that precede them.

"Mataram, NTB (ANTARA News) - ", "KUTA, KOMPAS.com - ", "Liputan6.com, Jakarta - ",
"REPUBLIKA.CO.ID, JAKARTA -- ", "VIVA.co.id - ", "Jakarta, KompasOtomotif - ".  A story
starts at its dateline, so a photo caption, credit or date glued in front of it is
boilerplate.
"""

from __future__ import annotations

import re

_CAP = r"[A-Z][\w'.-]*"
_PLACE = rf"{_CAP}(?:[ ,]+{_CAP}){{0,3}}"
_WIRE = r"\((?:ANTARA(?:\s+News)?|Antara(?:news)?|AP|AFP|Reuters|ANTARA\s+FOTO)\)"
_SITE = r"[A-Za-z0-9]+\.(?:com|co\.id|id|co|CO\.ID|COM|CO|ID)"
DATELINE = re.compile(
    rf"(?:(?:{_PLACE}\s*)?{_WIRE}"
    rf"|(?:{_PLACE},\s*)?{_SITE}(?:,\s*{_PLACE})?"
    rf"|{_PLACE},\s*[A-Z][a-z]+[A-Z]\w+)"
    r"\s*[-–—]{1,2}\s"
)
# A photo credit right before a bare place dateline: "(Bagus Kurniawan/detikcom) Yogyakarta - ".
_CREDIT_THEN_PLACE = re.compile(
    r"\([^()]{2,80}/[^()]{2,80}\)\s+(?=[A-Z][a-z]+(?: [A-Z][a-z]+)? [-–—] )"
)
_MAX_PREFIX = 400  # a caption or date before the dateline is short; more is article text
_SEARCH_PARAGRAPHS = 3


def dateline_start(text: str) -> int | None:
    """Offset where a dateline starts in the first part of `text`, if there is one."""
    head = text[: _MAX_PREFIX + 80]
    match = DATELINE.search(head)
    if match and match.start() <= _MAX_PREFIX:
        return match.start()
    credit = _CREDIT_THEN_PLACE.search(head)
    return credit.end() if credit and credit.start() <= _MAX_PREFIX else None


def trim_before_dateline(paragraphs: list[str]) -> tuple[list[str], int]:
    """Drop captions, credits and dates in front of the dateline; returns (list, hits)."""
    for i, para in enumerate(paragraphs[:_SEARCH_PARAGRAPHS]):
        start = dateline_start(para)
        if start is None:
            continue
        if start == 0 and i == 0:
            return paragraphs, 0
        before = sum(len(p) for p in paragraphs[:i]) + start
        if before > _MAX_PREFIX:
            return paragraphs, 0
        return [para[start:], *paragraphs[i + 1:]], 1
    return paragraphs, 0
