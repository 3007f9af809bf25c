"""Fragments at the edges of a generic extraction: header and footer residue.

When the story container is small (a one-paragraph last page, a short story in a busy
template) the extractor takes in what surrounds it: the outlet's name, the rubric label,
the date line and the byline above; pager numbers, tag words and labels below.  Such
lines are fragments: short, and without the punctuation that closes a sentence.  A story
neither starts nor ends with one, so fragments are trimmed from both edges, stopping at the
first line of prose.  Fragments between prose lines are subheadings and stay.  Credit lines
and a lone dateline ("JAKARTA -") stay for the cleaner, which reads them.
"""

from __future__ import annotations

import re

from aggregator.cleaning import clean_paragraphs
from aggregator.cleaning.credits import is_credit_paragraph
from aggregator.cleaning.datelines import is_date_line
from aggregator.cleaning.rules import SHARE_NETWORKS

_MAX_FRAGMENT = 80
_SHARE = re.compile(SHARE_NETWORKS, re.IGNORECASE)
_CLOSES = re.compile(r"[.!?\"”’…;)\]]$")
_PAGER = re.compile(r"^[\d\s«»‹›<>|]+$")
_COUNT = re.compile(r"\(\d*\)$")  # "Komentar (19)": a widget's count, not a sentence
_LONE_DATELINE = re.compile(r"^[\w .,/()]{2,60}?\s*[-–—]{1,2}$")
# A photo caption with its credit: "Suasana rapat. (Foto: Dok. Humas)", "(ANTARA FOTO/X)".
_CAPTION = re.compile(r"\((?:[Ff]oto|[Pp]hoto|[Ii]lustrasi)\s*:[^()]{2,80}\)$|"
                      r"\((?=[^()]*[A-Z])[^()]{2,60}/[^()]{2,60}\)$")
_MAX_CAPTION = 250
_MIN_LIST_FRAGMENTS = 3
_LIST_SHARE = 0.25
_MAX_EDGE = 12  # more fragments than a header holds: leave the page as it is


def is_fragment(text: str) -> bool:
    """A short line that closes no sentence: a label, a name, a number, a date line."""
    if is_date_line(text):
        return True
    closes = bool(_CLOSES.search(text)) and not _COUNT.search(text)
    return len(text) <= _MAX_FRAGMENT and not closes


def drop_stray_lines(paragraphs: list[str], anchors: set[str],
                     title: str | None) -> tuple[list[str], int]:
    """Lines that are never story text wherever they sit: a bare date line, and a fragment
    that is exactly one link's text (a related headline whose box label was removed).

    A line holding the page's own headline stays: in a list of other stories it tells
    where the story ends (`split_at_title`)."""
    own = (title or "").casefold()
    kept = [p for p in paragraphs
            if (own and own in p.casefold())
            or not (is_date_line(p) or (p in anchors and is_fragment(p)))]
    return kept, len(paragraphs) - len(kept)


def trim_fragment_edges(paragraphs: list[str]) -> tuple[list[str], int]:
    """Paragraphs without leading and trailing fragments; returns (list, lines removed)."""
    if len(paragraphs) < 2:
        return paragraphs, 0
    paragraphs = [p for p in paragraphs if not _SHARE.match(p)]  # share buttons, anywhere
    head_credits, head = _edge(paragraphs)
    rest = paragraphs[head:]
    tail_credits, tail = _edge(rest[::-1], tail=True)
    middle = rest[: len(rest) - tail] if tail else rest
    if not middle or _listing(middle):
        return paragraphs, 0
    removed = head + tail - len(head_credits) - len(tail_credits)
    return [*head_credits, *middle, *tail_credits[::-1]], removed


def _boilerplate(text: str) -> bool:
    """A line the cleaning rules remove whole (a follow prompt, a video teaser), and not
    for a credit they read from it (a desk code, a signature: those stay for the cleaner)."""
    if len(text) > _MAX_CAPTION:
        return False
    found = clean_paragraphs([text])
    return not found.text and not (found.authors or found.editors or found.credit_codes
                                   or found.wire_source)


def _listing(paragraphs: list[str]) -> bool:
    """Fragments all through the text (rubric, headline, teaser, ...): a list page, whose
    edges are no header to trim; the index-page check needs them as they are.  Pager
    numbers are no list evidence."""
    fragments = sum(1 for p in paragraphs if is_fragment(p) and not _PAGER.match(p))
    return fragments >= _MIN_LIST_FRAGMENTS and fragments > _LIST_SHARE * len(paragraphs)


def _edge(paragraphs: list[str], *, tail: bool = False) -> tuple[list[str], int]:
    """(credit lines kept, paragraphs consumed) of the residue run at the start.

    Credit lines inside the run are kept for the cleaner, which reads them; a lone
    dateline ("JAKARTA -") ends the run, as it joins the paragraph after it.
    """
    credits: list[str] = []
    count = 0
    for text in paragraphs[: _MAX_EDGE + 1]:
        if _LONE_DATELINE.match(text):
            break
        if is_credit_paragraph(text):
            credits.append(text)
            count += 1
            continue
        caption = not tail and len(text) <= _MAX_CAPTION and bool(_CAPTION.search(text))
        if not (is_fragment(text) or caption or _boilerplate(text)):
            break
        count += 1
    return (credits, count) if count <= _MAX_EDGE else ([], 0)
