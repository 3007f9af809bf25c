"""Post-extraction refinements on body paragraphs: title echo, link-list edges."""

from __future__ import annotations

import re
import statistics

_WORD = re.compile(r"\w+")
# Link texts this short are menu items; longer ones are headlines of other stories.
_MIN_ANCHOR = 16
_MIN_FOR_SPLIT = 4
_PROSE_CHARS = 80  # a paragraph this long is prose, not a headline
_SENTENCE_END = (".", "!", "?", "\"", "”", "。", "！", "？", ":")


def drop_title_echo(paragraphs: list[str], title: str | None) -> tuple[list[str], int]:
    """Remove the headline repeated among the first paragraphs (it is no body text)."""
    if not title or not paragraphs:
        return paragraphs, 0
    head = [p for p in paragraphs[:3] if _same_headline(p, title)]
    if not head:
        return paragraphs, 0
    return [p for p in paragraphs if p not in head], len(head)


def split_at_title(paragraphs: list[str], title: str | None) -> tuple[list[str], int]:
    """The story between repeats of its own headline (list widgets that include it).

    A first repeat with more prose after it than before ends a list above the story: it
    and what comes before go; the next repeat starts a list below the story: it and what
    follows go.
    """
    if not title or len(paragraphs) < _MIN_FOR_SPLIT:
        return paragraphs, 0
    echoes = [i for i, para in enumerate(paragraphs) if _same_headline(para, title)]
    if not echoes:
        return paragraphs, 0
    first = echoes[0]
    above = sum(len(p) for p in paragraphs[:first] if is_prose(p))
    below = sum(len(p) for p in paragraphs[first + 1:] if is_prose(p))
    start = first + 1 if above < below else 0  # more story after it: a list above the story
    end = next((i for i in echoes if i > start), len(paragraphs))
    if end - start < 1:
        return paragraphs, 0
    return paragraphs[start:end], len(paragraphs) - (end - start)


def trim_link_edges(paragraphs: list[str], anchors: set[str]) -> tuple[list[str], int]:
    """Drop leading and trailing paragraphs that are just link texts (menus, related lists)."""
    start, end = 0, len(paragraphs)
    while start < end and _is_link_line(paragraphs[start], anchors):
        start += 1
    while end > start and _is_link_line(paragraphs[end - 1], anchors):
        end -= 1
    return paragraphs[start:end], len(paragraphs) - (end - start)


def looks_like_navigation(paragraphs: list[str], anchors: set[str]) -> bool:
    """True when the extraction looks like menus: many short lines or link texts."""
    if mostly_links(paragraphs, anchors):
        return True
    return len(paragraphs) > 40 and statistics.median(len(p) for p in paragraphs) < 30


def mostly_links(paragraphs: list[str], anchors: set[str]) -> bool:
    """True when nothing was extracted or link texts make up much of it."""
    total = sum(len(p) for p in paragraphs)
    linked = sum(len(p) for p in paragraphs if p in anchors)
    return not total or linked > 0.3 * total


def prose_chars(text: str) -> int:
    """Characters in sentence-like paragraphs of a body (labels and lists left out)."""
    return sum(len(p) for p in text.split("\n\n") if is_prose(p))


def is_prose(paragraph: str) -> bool:
    """A sentence-like paragraph rather than a label, date, pager or headline."""
    letters = sum(map(str.isalpha, paragraph))
    if letters < 0.6 * len(paragraph):
        return False
    return len(paragraph) >= _PROSE_CHARS or paragraph.endswith(_SENTENCE_END)


def _is_link_line(paragraph: str, anchors: set[str]) -> bool:
    """A paragraph that is exactly the text of a link on the page."""
    return len(paragraph) >= _MIN_ANCHOR and paragraph in anchors


def _same_headline(paragraph: str, title: str) -> bool:
    """True when a paragraph is the headline (same words, allowing small differences)."""
    a, b = _WORD.findall(paragraph.lower()), _WORD.findall(title.lower())
    if not a or not b or len(a) > 2 * len(b) + 2:
        return False
    common = len(set(a) & set(b))
    return common / max(len(set(a)), len(set(b))) >= 0.8
