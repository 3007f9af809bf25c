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
_BARE_PLACE = re.compile(r"[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)? [-–—] ")
_CREDIT_THEN_PLACE = re.compile(
    r"\([^()]{2,80}/[^()]{2,80}\)\s+(?=[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)? [-–—] )"
)
_MAX_PREFIX = 400  # a caption or date before the dateline is short; more is article text
_SEARCH_PARAGRAPHS = 15
_SHORT_LINE = 80  # menus, dates and rubric labels above a story are shorter
# A photo caption ends with its credit: "(ANTARA FOTO/Budi Setya)", "(Foto: Getty Images)".
_ENDS_WITH_CREDIT = re.compile(
    r"\((?:[Ff]oto|[Pp]hoto)\s*:[^()]{2,80}\)$|\((?=[^()]*[A-Z])[^()]{2,80}/[^()]{2,80}\)$"
)


def dateline_start(text: str) -> int | None:
    """Offset where a dateline starts in the first part of `text`, if there is one."""
    head = text[: _MAX_PREFIX + 80]
    match = DATELINE.search(head)
    if match and match.start() <= _MAX_PREFIX:
        return match.start()
    credit = _CREDIT_THEN_PLACE.search(head)
    return credit.end() if credit and credit.start() <= _MAX_PREFIX else None


def trim_before_dateline(paragraphs: list[str]) -> tuple[list[str], int]:
    """Drop captions, credits, dates and menus in front of the dateline; returns (list, hits).

    Before the dateline may stand lines that cannot be the story (short lines, text ending
    in a photo credit) and at most `_MAX_PREFIX` characters of anything else (a caption
    without credit); more real text first means the story has no dateline.
    """
    after_credit, before = False, 0
    for i, para in enumerate(paragraphs[:_SEARCH_PARAGRAPHS]):
        start = dateline_start(para)
        if start is None and after_credit and _BARE_PLACE.match(para):
            start = 0  # "Yogyakarta - ..." right under a captioned photo
        if start is not None:
            if start == 0 and i == 0:
                return paragraphs, 0
            return [para[start:], *paragraphs[i + 1:]], 1
        after_credit = bool(_ENDS_WITH_CREDIT.search(para))
        before += len(para)
        if len(para) >= _SHORT_LINE and not after_credit and before > _MAX_PREFIX:
            return paragraphs, 0
    return paragraphs, 0
