"""Text normalisation shared by extraction and cleaning: NFC, entities, whitespace."""

from __future__ import annotations

import html
import re
import unicodedata

# Zero-width and soft-hyphen characters carry no text; they break phrase matching.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+\d*);")
# C0/C1 controls (terminal escapes, BEL) carry no text; those that are whitespace become
# a space so the words around them stay apart.  Tab and newline are kept.
_CONTROLS: dict[int, str | None] = {
    c: None for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n"}
_CONTROLS.update({ord(c): " " for c in "\x0b\x0c\r\x1c\x1d\x1e\x1f\x85"})
_HAS_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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


def strip_controls(text: str) -> str:
    """C0/C1 control characters out (tab and newline stay; whitespace ones become a space)."""
    return text.translate(_CONTROLS) if _HAS_CONTROL.search(text) else text


def _decode_entities(text: str) -> str:
    """Decode HTML entities left in text (double-escaped pages), only when some are present."""
    if "&" in text and _ENTITY.search(text):
        return html.unescape(text)
    return text

