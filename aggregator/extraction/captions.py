"""Photo captions without a caption class: the short text in the box around an image.

Templates name caption boxes anything ("c-8f2a1b", "foto-wrap"), so class rules miss many.
What every caption shares is its place: a small block that holds an image and a line or two
of text and nothing else.  Such a block is removed with its image before extraction; story
paragraphs are `<p>` elements and longer, so they are never taken for one.
"""

from __future__ import annotations

from collections import Counter

from lxml.html import HtmlElement

from aggregator.cleaning.datelines import dateline_start
from aggregator.cleaning.text import normalize_line

_INLINE = frozenset({"a", "picture", "span", "source", "noscript", "i", "em", "b", "strong"})
_BOXES = frozenset({"div", "figure", "span", "section", "center", "td"})
_STOP = frozenset({"body", "html", "article", "main", "p"})
_MAX_CAPTION = 250
_MIN_CAPTION = 8


def drop_image_captions(tree: HtmlElement, hits: Counter[str]) -> None:
    """Remove small image boxes and their caption text, counting them."""
    body = tree.find("body")
    if body is None:
        return
    boxes = []
    for img in body.iter("img"):
        box = _box_of(img)
        if box is not None and _is_caption_box(box):
            boxes.append(box)
    for box in dict.fromkeys(boxes):
        if box.getparent() is not None:
            box.drop_tree()
            hits["image-caption"] += 1


def _box_of(img: HtmlElement) -> HtmlElement | None:
    """The first block around the image, past inline wrappers (a link, a picture)."""
    node = img.getparent()
    while node is not None and node.tag in _INLINE:
        node = node.getparent()
    if node is None or node.tag in _STOP or node.tag not in _BOXES:
        return None
    return node


def _is_caption_box(box: HtmlElement) -> bool:
    """A box with an image and a short text that is no story paragraph or dateline."""
    if box.find(".//p") is not None or box.find(".//li") is not None:
        return False
    text = normalize_line(box.text_content())
    if not _MIN_CAPTION <= len(text) <= _MAX_CAPTION:
        return False
    linked = sum(len(normalize_line(a.text_content())) for a in box.iter("a"))
    if linked > 0.3 * len(text):
        return False  # a teaser card (picture and headline link) on a list, not a caption
    return dateline_start(text) is None
