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

# Short text nodes holding a label word's stem in either case (plain `contains` runs in C;
# a lower-casing `translate` per word cost ten times more), then an exact test in Python.
_STEMS = ("ditor", "edaktur", "enyunting", "enulis", "eporter", "ewarta", "artawan")
_SHORT_TEXTS = etree.XPath(
    "//body//text()[string-length(.) < 300]["
    + " or ".join(f"contains(., '{w}') or contains(., '{w.upper()}')" for w in _STEMS)
    + " or starts-with(normalize-space(.), 'Oleh')]"
)
_WORDS = ("editor", "redaktur", "penyunting", "penulis", "reporter", "pewarta", "wartawan")
_OLEH = re.compile(r"\s*Oleh\b")
_SKIP = frozenset({"script", "style", "noscript", "template"})
_BLOCKS = frozenset({"p", "div", "li", "td", "span", "section", "dd", "footer", "header",
                     "strong", "b", "em", "small", "address"})
_PIPE = re.compile(r"\s+[|•]\s+")
_MAX_LINES = 8  # more than a byline box holds: a menu or a list of other stories
_MAX_NODES = 40


def page_credits(tree: HtmlElement) -> Credits:
    """Authors and editors named by credit lines anywhere in the page body, in page order."""
    credits = Credits()
    seen: set[int] = set()
    for parent in _labelled_elements(tree):
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


def _labelled_elements(tree: HtmlElement) -> list[HtmlElement]:
    """Elements whose own text, or text right after a child ("Penulis: <a>X</a> | Editor:
    Y"), names a credit label; at most `_MAX_NODES`, in page order."""
    found: list[HtmlElement] = []
    for node in _SHORT_TEXTS(tree):
        low = node.lower()
        if not any(word in low for word in _WORDS) and not _OLEH.match(node):
            continue
        parent = node.getparent()
        if parent is not None and node.is_tail:
            parent = parent.getparent()
        if parent is not None and isinstance(parent.tag, str) and parent.tag not in _SKIP:
            found.append(parent)
            if len(found) >= _MAX_NODES:
                break
    return found


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
