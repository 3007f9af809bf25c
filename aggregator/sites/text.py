"""Small lxml helpers shared by the site parsers: normalised text, paragraphs, meta, JSON-LD."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

_WS = re.compile(r"\s+")
_BREAK = "\x00"
# Elements that end a paragraph (their text starts and ends a block).
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "section",
        "article",
        "table",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "header",
        "footer",
        "aside",
        "pre",
        "dl",
        "dt",
        "dd",
        "center",
    ]
)
_SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "iframe", "template", "svg", "form", "button", "select"]
)


def norm(text: str | None) -> str:
    """Collapse whitespace (no-break spaces included) and trim."""
    return _WS.sub(" ", text or "").strip()


def text_of(el: lxml.html.HtmlElement) -> str:
    """The normalised text of an element, scripts and styles left out."""
    return norm("".join(_iter_text(el, breaks=False)))


def xpath_first(tree: lxml.html.HtmlElement, xpath: str) -> lxml.html.HtmlElement | None:
    """The first element matched by `xpath`, or None."""
    found = tree.xpath(xpath)
    for item in found:
        if isinstance(item, lxml.html.HtmlElement):
            return item
    return None


def first_text(tree: lxml.html.HtmlElement, xpath: str) -> str | None:
    """The first non-empty normalised text matched by `xpath` (elements or strings)."""
    for item in tree.xpath(xpath):
        value = text_of(item) if isinstance(item, etree._Element) else norm(str(item))
        if value:
            return value
    return None


def all_texts(tree: lxml.html.HtmlElement, xpath: str) -> list[str]:
    """Every non-empty normalised text matched by `xpath`, de-duplicated in order."""
    seen: dict[str, None] = {}
    for item in tree.xpath(xpath):
        value = text_of(item) if isinstance(item, etree._Element) else norm(str(item))
        if value:
            seen[value] = None
    return list(seen)


def meta(tree: lxml.html.HtmlElement, key: str) -> str | None:
    """The content of `<meta property|name|itemprop=key>`, or None."""
    xpath = f"//meta[@property='{key}' or @name='{key}' or @itemprop='{key}']/@content"
    return first_text(tree, xpath)


def paragraphs(container: lxml.html.HtmlElement, drop: str = "") -> list[str]:
    """The container's text as paragraphs: blocks and `<br>` split it, `drop` XPath removed."""
    work = copy.deepcopy(container)
    if drop:
        for el in work.xpath(drop):
            _remove_keep_tail(el)
    raw = "".join(_iter_text(work, breaks=True))
    return [p for p in (norm(chunk) for chunk in raw.split(_BREAK)) if p]


def jsonld_objects(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page (graphs and lists flattened); bad JSON is skipped."""
    found: list[dict[str, Any]] = []
    for raw in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for obj in stack:
            if isinstance(obj, dict):
                found.append(obj)
                graph = obj.get("@graph")
                if isinstance(graph, list):
                    found.extend(g for g in graph if isinstance(g, dict))
    return found


def _remove_keep_tail(el: lxml.html.HtmlElement) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _iter_text(el: lxml.html.HtmlElement, *, breaks: bool) -> Iterator[str]:
    """Text in document order; with `breaks`, block edges and <br> yield a break marker."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP_TAGS or not tag:
        # Comments and processing instructions carry no text but may have a tail.
        return
    block = breaks and tag in _BLOCK_TAGS
    if block:
        yield _BREAK
    if tag == "br" and breaks:
        yield _BREAK
    if el.text and tag != "br":
        yield el.text
    for child in el:
        yield from _iter_text(child, breaks=breaks)
        if child.tail:
            yield child.tail
    if block:
        yield _BREAK
