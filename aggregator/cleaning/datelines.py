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


# Datelines without an outlet's domain or a wire: "JAYAPURA - ", "KUPANG, NTT -- ",
# "Medan (Harian Kota) - ".  Common in running text too ("kata BPS - "), so they count
# only at the start of a paragraph or after residue that closes no sentence.
_BARE_DATELINE = re.compile(
    r"(?:[A-Z]{3,}(?:[ ,]+[A-Z]{2,}){0,2}|"
    rf"{_PLACE}\s*\([A-Z][\w .'&-]{{1,40}}\))\s*[-–—]{{1,2}}\s(?=\W*[A-Z0-9])"
)
# An outlet's name as the dateline, "Papua Kini - ", only where a paragraph starts with it.
_NAME_DATELINE = re.compile(r"[A-Z][\w.]*(?: [A-Z][\w.]*){0,2} [-–—]{1,2} (?=[A-Z])")
_SENTENCE_END = re.compile(r"[.!?]\s")
_MAX_RESIDUE = 150

_MONTH = (r"(?:januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|"
          r"oktober|november|nopember|desember|january|february|march|may|june|july|august|"
          r"october|december|jan|feb|mar|apr|jun|jul|agu|agt|ags|agst|sep|sept|okt|oct|nov|"
          r"nop|des|dec|aug)")
_WEEKDAY = r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)"
_DATE_BIT = re.compile(
    rf"(?i)\b\d{{1,2}}\s+{_MONTH}\.?\s+\d{{4}}\b|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}\b|"
    r"\b\d{4}-\d{2}-\d{2}\b"
)
_STAMP = re.compile(r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:WIB|WITA|WIT)\b")
_DATE_WORDS = re.compile(
    rf"(?i)\b\d{{1,2}}\s+{_MONTH}\.?\s+\d{{4}}\b|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}\b|"
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?\b|\b(?:WIB|WITA|WIT)\b|"
    rf"\b{_WEEKDAY}\b|\bpukul\b"
)
_MAX_DATE_LINE = 120
_MAX_LABEL_WORDS = 5
# A date line glued before the story's first words: "Dunia Selasa, 11 Januari 2022 | 08:15
# WITA JAYAPURA - ...".  The part before the stamp must hold a full date and no more than a
# few capitalised label words; the text after it must start a sentence.
_STAMP_PREFIX = re.compile(
    r"^(?P<pre>[^.!?]{0,120}?)\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:WIB|WITA|WIT)\b"
    r"\s*[|\-–—,]?\s*(?=[A-Z\"“])"
)


def is_date_line(text: str) -> bool:
    """A short line that is a date with at most a few label words ("Nasional | 8 Mei 2024")."""
    if len(text) > _MAX_DATE_LINE or text.endswith((".", "!", "?")):
        return False
    if not (_DATE_BIT.search(text) or _STAMP.search(text)):
        return False
    rest = re.findall(r"[^\W\d_]+", _DATE_WORDS.sub(" ", text))
    return len(rest) <= _MAX_LABEL_WORDS


def strip_date_prefix(text: str) -> str:
    """`text` without a glued date line in front of its first sentence (unchanged if none)."""
    match = _STAMP_PREFIX.match(text)
    if not match or not _DATE_BIT.search(match["pre"]):
        return text
    words = re.findall(r"[^\W\d_]+", _DATE_WORDS.sub(" ", match["pre"]))
    if len(words) > 3 or any(w[0].islower() for w in words) or len(text) - match.end() < 40:
        return text
    return text[match.end():]


def dateline_start(text: str) -> int | None:
    """Offset where a dateline starts in the first part of `text`, if there is one."""
    head = text[: _MAX_PREFIX + 80]
    match = DATELINE.search(head)
    if match and match.start() <= _MAX_PREFIX:
        return match.start()
    credit = _CREDIT_THEN_PLACE.search(head)
    if credit and credit.start() <= _MAX_PREFIX:
        return credit.end()
    if _NAME_DATELINE.match(head):
        return 0
    bare = _BARE_DATELINE.search(head[:_MAX_RESIDUE + 60])
    if bare and bare.start() <= _MAX_RESIDUE and not _SENTENCE_END.search(head[:bare.start()]):
        return bare.start()
    return None


def trim_before_dateline(paragraphs: list[str]) -> tuple[list[str], int]:
    """Drop captions, credits, dates and menus in front of the dateline; returns (list, hits).

    Before the dateline may stand lines that cannot be the story (short lines, text ending
    in a photo credit) and at most `_MAX_PREFIX` characters of anything else (a caption
    without credit); more real text first means the story has no dateline.
    """
    paragraphs, residue = _drop_date_lines(paragraphs)
    after_credit, before = False, 0
    for i, para in enumerate(paragraphs[:_SEARCH_PARAGRAPHS]):
        start = dateline_start(para)
        if start is None and after_credit and _BARE_PLACE.match(para):
            start = 0  # "Yogyakarta - ..." right under a captioned photo
        if start is not None:
            if start == 0 and i == 0:
                return paragraphs, residue
            return [para[start:], *paragraphs[i + 1:]], residue + 1
        after_credit = bool(_ENDS_WITH_CREDIT.search(para))
        before += len(para)
        if len(para) >= _SHORT_LINE and not after_credit and before > _MAX_PREFIX:
            return paragraphs, residue
    return paragraphs, residue


def _drop_date_lines(paragraphs: list[str]) -> tuple[list[str], int]:
    """Date lines (with a rubric label) opening the text, and one glued to its first words."""
    count = 0
    while len(paragraphs) > 1 and count < 3 and is_date_line(paragraphs[0]):
        paragraphs, count = paragraphs[1:], count + 1
    if paragraphs:
        first = strip_date_prefix(paragraphs[0])
        if first != paragraphs[0]:
            paragraphs, count = [first, *paragraphs[1:]], count + 1
    return paragraphs, count
