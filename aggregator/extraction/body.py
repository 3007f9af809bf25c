"""Generic body extraction: trafilatura on a pruned tree, as a list of paragraphs."""

from __future__ import annotations

import logging
import re

import trafilatura
from lxml.html import HtmlElement
from trafilatura.xml import xmltotxt

from aggregator.cleaning.text import normalize_line

log = logging.getLogger(__name__)

# A dateline alone on its line ("Jakarta -", "JAKARTA, KOMPAS.com -") belongs to the next one.
_FALLBACK_MIN = 40
_DATELINE = re.compile(r"^[\w .,/()]{2,60}?\s*[-–—]$")


def extract_paragraphs(tree: HtmlElement, url: str | None, *, fast: bool = True) -> list[str]:
    """Main-text paragraphs of a page, in reading order (empty when nothing is found).

    trafilatura works on its own copy of `tree`, which stays as it was.
    """
    body = _run_trafilatura(tree, url, fast=fast)
    paragraphs = _lines(body) if body is not None else []
    return merge_datelines(paragraphs or fallback_paragraphs(tree))


def fallback_paragraphs(tree: HtmlElement) -> list[str]:
    """Prose paragraphs by markup alone, for pages trafilatura gives up on."""
    out = []
    for node in tree.iter("p", "blockquote", "pre"):
        text = normalize_line(node.text_content())
        if len(text) >= _FALLBACK_MIN and text not in out:
            out.append(text)
    return out


def _run_trafilatura(tree: HtmlElement, url: str | None, *, fast: bool) -> HtmlElement | None:
    """trafilatura's body element for `tree` (it copies the tree it is given)."""
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, output_format="python", include_comments=False,
            include_tables=True, with_metadata=False, deduplicate=False, fast=fast,
        )
    except Exception:  # trafilatura is third-party code on hostile input: never crash
        log.debug("trafilatura failed on %s", url, exc_info=True)
        return None
    return getattr(doc, "body", None) if doc is not None else None


def _lines(body: HtmlElement) -> list[str]:
    """Paragraph texts from trafilatura's output tree, one per block, row or line break."""
    text = xmltotxt(body, False)
    return [p for p in (normalize_line(_table_row(line)) for line in text.split("\n")) if p]


def _table_row(line: str) -> str:
    """A markdown table row as plain text ("| Penulis | : X |" -> "Penulis : X")."""
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|")):
        return line
    cells = [c.strip() for c in stripped.strip("|").split("|")]
    if all(set(c) <= set("-: ") for c in cells):
        return ""  # the header separator row
    return " ".join(c for c in cells if c)


def merge_datelines(paragraphs: list[str]) -> list[str]:
    """Join a lone leading dateline ("Jakarta -") with the paragraph after it."""
    if len(paragraphs) >= 2 and _DATELINE.match(paragraphs[0]):
        return [f"{paragraphs[0]} {paragraphs[1]}", *paragraphs[2:]]
    return paragraphs
