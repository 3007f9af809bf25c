"""Text normalisation shared by extraction and cleaning: NFC, entities, whitespace."""

from __future__ import annotations

import html
import re
import unicodedata

# Zero-width and soft-hyphen characters carry no text; they break phrase matching.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+\d*);")


def normalize_line(text: str) -> str:
    """Collapse every whitespace run (NBSP and newlines too) to one space, NFC, trimmed."""
    text = _decode_entities(text)
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def split_paragraphs(text: str) -> list[str]:
    """Split a body on blank lines (or single newlines) into normalised paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = _BLANK_LINES.split(text) if _BLANK_LINES.search(text) else text.split("\n")
    out = [normalize_line(p) for p in parts]
    return [p for p in out if p]


def join_paragraphs(paragraphs: list[str]) -> str:
    """Join paragraphs with exactly one blank line between them."""
    return "\n\n".join(p for p in paragraphs if p)


def _decode_entities(text: str) -> str:
    """Decode HTML entities left in text (double-escaped pages), only when some are present."""
    if "&" in text and _ENTITY.search(text):
        return html.unescape(text)
    return text

