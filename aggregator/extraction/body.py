"""Generic body extraction: trafilatura on a pruned tree, as a list of paragraphs."""

from __future__ import annotations

import logging
import re

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.xml import xmltotxt

from aggregator.cleaning.text import normalize_line

log = logging.getLogger(__name__)

# A dateline alone on its line ("Jakarta -", "JAKARTA, KOMPAS.com -") belongs to the next one.
_FALLBACK_MIN = 40
_DATELINE = re.compile(r"^[\w .,/()]{2,60}?\s*[-–—]$")
_FALLBACK_BLOCKS = etree.XPath(
    "//body//*[self::p or self::blockquote or self::pre or (self::div and not(.//p or .//div"
    " or .//li or .//table or .//h2 or .//h3 or .//blockquote))]"
)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[,.;:!?)])")
_MERGED_MAX = 2  # trafilatura's whole-element fallback gives one line, with a title two
# Blocks holding text of their own and no block inside them.
_LEAF_BLOCKS = etree.XPath(
    "//body//*[self::p or self::li or self::h2 or self::h3 or self::h4 or self::blockquote"
    " or self::div or self::td][not(.//p or .//div or .//li or .//td or .//h2 or .//h3"
    " or .//blockquote)][normalize-space()]"
)


def extract_paragraphs(tree: HtmlElement, url: str | None, *, fast: bool = True) -> list[str]:
    """Main-text paragraphs of a page, in reading order (empty when nothing is found).

    trafilatura works on its own copy of `tree`, which stays as it was.
    """
    body = _run_trafilatura(tree, url, fast=fast)
    paragraphs = _lines(body) if body is not None else []
    if 0 < len(paragraphs) <= _MERGED_MAX:
        paragraphs = _split_merged(tree, paragraphs)
    return merge_datelines(paragraphs or fallback_paragraphs(tree))


def _split_merged(tree: HtmlElement, paragraphs: list[str]) -> list[str]:
    """Undo trafilatura's fallback that joins a short story's paragraphs into one line.

    On a page with little text trafilatura falls back to the text of the whole
    `<article>` element, every block run together (credit lines and follow links too).  A
    line made of several of the page's own blocks is split back into them.
    """
    blocks = [t for t in (_canonical(_with_breaks(n)) for n in _LEAF_BLOCKS(tree))
              if len(t) >= 2]
    out: list[str] = []
    for para in map(_canonical, paragraphs):
        inside = [(para.find(b), b) for b in dict.fromkeys(blocks) if b != para and b in para]
        inside.sort(key=lambda found: (found[0], -len(found[1])))  # the longest block first
        parts, end = [], 0
        for at, text in inside:
            if at >= end:
                parts.append(text)
                end = at + len(text)
        covered = sum(len(p) for p in parts)
        out.extend(parts if len(parts) >= 2 and covered >= 0.8 * len(para) else [para])
    return out


def fallback_paragraphs(tree: HtmlElement) -> list[str]:
    """Prose paragraphs by markup alone, for pages trafilatura gives up on."""
    out = []
    for node in _FALLBACK_BLOCKS(tree):  # leaf divs too: some templates write no <p> at all
        text = normalize_line(node.text_content())
        if len(text) >= _FALLBACK_MIN and text not in out:
            out.append(text)
    return out


def _canonical(text: str) -> str:
    """Whitespace collapsed, none before punctuation ("A , B" from a link's tail -> "A, B")."""
    return _SPACE_BEFORE_PUNCT.sub("", normalize_line(text))


def _with_breaks(node: HtmlElement) -> str:
    """The element's text with a space where a `<br>` breaks it, as trafilatura writes it."""
    if node.find(".//br") is None:
        return str(node.text_content())
    parts = [node.text or ""]
    for child in node.iterdescendants():
        if child.tag == "br":
            parts.append(" ")
        elif isinstance(child.tag, str) and child.text:
            parts.append(child.text)
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


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
