"""Credit lines anywhere on the page: "Editor: X", "Redaktur & Reporter : Boy", "Oleh X".

Portals print the editor (and, without author metadata, the reporter) outside the story's
text: under the related-links list, in a byline box beside the date, where body extraction
never looks.  This scan reads short elements whose text opens with a credit label, wherever
they sit, so that `editors` is filled on the generic path and under every site parser
alike, and `authors` when nothing better named them.  It runs on the unpruned tree: the
rules prune the very boxes these lines live in.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from aggregator.cleaning.credits import Credits, is_credit_paragraph, parse_credit_paragraph
from aggregator.cleaning.text import normalize_line

# Text nodes naming a credit label; the test is on lower-cased text, as XPath 1.0 has no
# case-insensitive match.
_UP, _LOW = "ABCDEHIKLNOPRSTUWY", "abcdehiklnoprstuwy"
_LABELLED = etree.XPath(
    f"//body//text()[not(ancestor::script or ancestor::style) and string-length(.) < 300]"
    f"[contains(translate(., '{_UP}', '{_LOW}'), 'editor')"
    f" or contains(translate(., '{_UP}', '{_LOW}'), 'redaktur')"
    f" or contains(translate(., '{_UP}', '{_LOW}'), 'penyunting')"
    f" or contains(translate(., '{_UP}', '{_LOW}'), 'penulis')"
    f" or contains(translate(., '{_UP}', '{_LOW}'), 'reporter')"
    f" or contains(translate(., '{_UP}', '{_LOW}'), 'pewarta')"
    f" or contains(translate(., '{_UP}', '{_LOW}'), 'wartawan')"
    f" or starts-with(normalize-space(.), 'Oleh')]"
)
_BLOCKS = frozenset({"p", "div", "li", "td", "span", "section", "dd", "footer", "header",
                     "strong", "b", "em", "small", "address"})
_PIPE = re.compile(r"\s+[|•]\s+")
_MAX_LINES = 8  # more than a byline box holds: a menu or a list of other stories
_MAX_NODES = 40


def page_credits(tree: HtmlElement) -> Credits:
    """Authors and editors named by credit lines anywhere in the page body, in page order."""
    credits = Credits()
    seen: set[int] = set()
    for node in _LABELLED(tree)[:_MAX_NODES]:
        parent = node.getparent()
        if parent is not None and node.is_tail:
            parent = parent.getparent()  # "Penulis: <a>X</a> | Editor: Y": after the link
        if parent is None or not isinstance(parent.tag, str):
            continue
        block = _block_of(parent)
        if id(block) in seen or _in_link(parent):
            continue
        seen.add(id(block))
        lines = _lines(block)
        if len(lines) > _MAX_LINES:
            continue
        for line in lines:
            for part in _PIPE.split(line):  # "Oleh A | Penyunting: B": two credits
                if is_credit_paragraph(part):
                    parse_credit_paragraph(part, credits)
    return credits


def _block_of(element: HtmlElement) -> HtmlElement:
    """The nearest block-level element holding `element`."""
    node: HtmlElement | None = element
    while node is not None and node.tag not in _BLOCKS:
        node = node.getparent()
    return node if node is not None else element


def _in_link(element: HtmlElement) -> bool:
    """The label sits inside a link (a menu entry "Editor's Pick", a tag)."""
    node: HtmlElement | None = element
    for _ in range(3):
        if node is None:
            return False
        if node.tag == "a":
            return True
        node = node.getparent()
    return False


def _lines(block: HtmlElement) -> list[str]:
    """The block's text split at line breaks and child blocks, each line normalised."""
    parts: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = normalize_line("".join(current))
        if line:
            parts.append(line)
        current.clear()

    for event, element in etree.iterwalk(block, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag == "br" or (tag in _BLOCKS and element is not block):
                flush()
            if tag in ("script", "style"):
                continue
            if element.text and tag not in ("script", "style"):
                current.append(element.text)
        else:
            if tag in _BLOCKS and element is not block:
                flush()
            if element is not block and element.tail:
                current.append(element.tail)
        if len(parts) > _MAX_LINES:
            break
    flush()
    return parts
