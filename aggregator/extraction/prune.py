"""Remove boilerplate elements from a parsed page before body extraction."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from aggregator.cleaning.rules import ElementRule, LabelRule, rules_for
from aggregator.cleaning.text import normalize_line
from aggregator.extraction.captions import drop_image_captions

# An element holding this much text is article content, never a widget to delete.
_MAX_WIDGET_CHARS = 1500
_STOP_TAGS = ("body", "html", "article", "main")
# Elements trafilatura deletes (keeping their tails) before it looks for text, in its
# default (balanced) mode; done once here so its three internal copies of the tree are small.
_NON_CONTENT = ("head", "script", "style", "noscript", "svg", "template", "iframe", "object",
                "embed", "canvas", "link", "meta", "aside", "footer", "menu", "nav", "applet",
                "audio", "figure", "map", "picture", "video", "area", "blink", "button",
                "datalist", "dialog", "frame", "frameset", "fieldset", "input", "label",
                "legend", "marquee", "menuitem", "noindex", "optgroup", "option", "output",
                "param", "progress", "rp", "rt", "rtc", "select", "source", "textarea", "time",
                "track", "use")
_MIN_LIST_LINKS = 2
_MAX_HEADING_CHARS = 40
_MAX_LIST_CHARS = 8000  # a related-stories list with teasers, not the article
_MIN_PROSE = 60
_SENTENCE = re.compile(r"[.!?\"”)]$")
_LEAD_PUNCT = " \t\r\n\xa0*-•:[(»>|"


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A site's rules in the shape the single tree pass needs."""

    by_class: dict[str, str]
    by_tag: dict[str, str]
    id_prefixes: tuple[tuple[str, str], ...]
    xpaths: tuple[tuple[str, etree.XPath], ...]
    labels: tuple[tuple[LabelRule, re.Pattern[str]], ...]
    any_label: re.Pattern[str] | None
    label_starts: frozenset[str]  # first four letters of every label word
    class_hint: re.Pattern[str] | None  # cheap pre-check on a class attribute


def prune_tree(tree: HtmlElement, site: str | None, hits: Counter[str]) -> None:
    """Apply the element and label rules of `site` to `tree` in place, counting hits."""
    rules = _compiled(site)
    # never article text: trafilatura drops them too, but only after copying the tree
    drop_image_captions(tree, hits)  # before `figure` goes: its caption box may hold more
    etree.strip_elements(tree, *_NON_CONTENT, with_tail=False)
    body = tree.find("body")
    if body is None:
        return
    doomed, labelled = _scan(body, rules)
    for name, xpath in rules.xpaths:
        doomed.extend((node, name) for node in xpath(tree))
    for node, name in doomed:
        if node.getparent() is not None and _is_widget_sized(node):
            _drop(node)
            hits[name] += 1
    for owner, text in labelled:
        _apply_label(owner, text, rules, hits)


def _scan(body: HtmlElement, rules: _Compiled) -> tuple[
    list[tuple[HtmlElement, str]], list[tuple[HtmlElement, str]]
]:
    """One pass over the body: elements an element rule matches, texts that may be labels."""
    doomed: list[tuple[HtmlElement, str]] = []
    labelled: list[tuple[HtmlElement, str]] = []
    starts = rules.label_starts
    for node in body.iterdescendants():  # hot loop: kept flat on purpose
        if node.tag.__class__ is not str:
            continue
        name = _element_rule(node, rules)
        if name:
            doomed.append((node, name))
        text = node.text
        if text and text.lstrip(_LEAD_PUNCT)[:4].lower() in starts:
            labelled.append((node, text))
        tail = node.tail
        if tail and tail.lstrip(_LEAD_PUNCT)[:4].lower() in starts:
            parent = node.getparent()
            if parent is not None:
                labelled.append((parent, tail))
    return doomed, labelled


def link_density(node: HtmlElement) -> float:
    """Share of the element's text that sits inside links."""
    text = len(normalize_line(node.text_content()))
    if not text:
        return 0.0
    linked = sum(len(normalize_line(a.text_content())) for a in node.iter("a"))
    return min(1.0, linked / text)


def _element_rule(node: HtmlElement, rules: _Compiled) -> str | None:
    """The name of the element rule that matches `node`, if any."""
    tag = node.tag
    if tag in rules.by_tag:
        return rules.by_tag[tag]
    classes = node.get("class")
    if classes and rules.class_hint is not None and rules.class_hint.search(classes):
        for token in classes.split():
            if token in rules.by_class:
                return rules.by_class[token]
    node_id = node.get("id")
    if node_id:
        for prefix, name in rules.id_prefixes:
            if node_id.startswith(prefix):
                return name
    return None


def _apply_label(owner: HtmlElement, text: str, rules: _Compiled, hits: Counter[str]) -> None:
    """Drop the short or link-heavy element that a label text starts."""
    if rules.any_label is None or not rules.any_label.match(text[:80]):
        return
    head = normalize_line(text[:80])
    for rule, pattern in rules.labels:
        if pattern.search(head):
            node = _label_element(owner, pattern)
            if node is not None:
                root = _widget_root(node) if rule.container else node
                if rule.container and root is node:
                    _drop_following_lists(node)  # a heading outside its list's box
                _drop(root)
                hits[rule.name] += 1
            return


def _label_element(node: HtmlElement | None, pattern: re.Pattern[str]) -> HtmlElement | None:
    """The outermost small element whose text starts with the label."""
    found = None
    while node is not None and node.tag not in _STOP_TAGS:
        if node.getparent() is None:
            return None  # already removed with an earlier widget
        # the parts joined by spaces: "<span>Baca Juga</span><ul>..." is no "Baca JugaX"
        text = normalize_line(" ".join(node.itertext()))
        if not pattern.search(text) or len(text) > _MAX_WIDGET_CHARS:
            break
        if len(text) <= 200 or link_density(node) > 0.5:
            found = node
        parent = node.getparent()
        if parent is not None and _prose_besides(parent, node):
            break  # the label's box sits inside the story: the story is no widget
        node = parent
    return found


def _prose_besides(parent: HtmlElement, child: HtmlElement) -> bool:
    """Another child of `parent` is a sentence of prose outside links (a story paragraph)."""
    for other in parent:
        if other is child or not isinstance(other.tag, str) or other.tag == "a":
            continue
        text = normalize_line(other.text_content())
        if len(text) >= _MIN_PROSE and _SENTENCE.search(text) and link_density(other) < 0.3:
            return True
    return False


def _drop_following_lists(label: HtmlElement) -> None:
    """Remove the link lists that follow a bare box heading ("Berita Lainnya" + its list)."""
    if len(normalize_line(label.text_content())) > _MAX_HEADING_CHARS:
        return  # the label is a whole box already, not a heading above a list
    sibling = label.getnext()
    while sibling is not None and sibling.tag in ("hr", "br"):
        sibling = sibling.getnext()
    while sibling is not None and sibling.tag in ("ul", "ol", "dl"):
        links = sum(1 for _ in sibling.iter("a"))
        if links < _MIN_LIST_LINKS or len(normalize_line(sibling.text_content())) > _MAX_LIST_CHARS:
            break
        following = sibling.getnext()
        _drop(sibling)
        sibling = following


def _widget_root(node: HtmlElement) -> HtmlElement:
    """The largest link-heavy ancestor of a label that is still widget-sized."""
    best = node
    parent = node.getparent()
    while parent is not None and parent.tag not in _STOP_TAGS:
        if not _is_widget_sized(parent) or link_density(parent) < 0.5 \
                or _prose_besides(parent, best):  # fmt: skip
            break
        best, parent = parent, parent.getparent()
    return best


def _is_widget_sized(node: HtmlElement) -> bool:
    """True when the element is small enough to be a widget rather than the article."""
    return len(normalize_line(node.text_content())) <= _MAX_WIDGET_CHARS


def _drop(node: HtmlElement) -> None:
    """Remove an element but keep its tail text."""
    if node.getparent() is not None:
        node.drop_tree()


@lru_cache(maxsize=64)
def _compiled(site: str | None) -> _Compiled:
    """Rules of a site, indexed for one pass over the tree."""
    elements: list[ElementRule] = [r for rs in rules_for(site) for r in rs.elements]
    labels = tuple((r, re.compile(r.pattern, re.IGNORECASE))
                   for rs in rules_for(site) for r in rs.labels)
    # Labels start a text node: a cheap combined pre-check before the per-rule search.
    any_label = (re.compile("|".join(f"(?:{r.pattern})" for r, _ in labels), re.IGNORECASE)
                 if labels else None)
    classes = sorted({c for r in elements for c in r.classes}, key=len, reverse=True)
    return _Compiled(
        by_class={c: r.name for r in reversed(elements) for c in r.classes},
        by_tag={t: r.name for r in reversed(elements) for t in r.tags},
        id_prefixes=tuple((p, r.name) for r in elements for p in r.id_prefixes),
        xpaths=tuple((r.name, etree.XPath(r.xpath)) for r in elements if r.xpath),
        labels=labels,
        any_label=any_label,
        label_starts=frozenset(w[:4] for r in (r for r, _ in labels) for w in r.starts),
        class_hint=re.compile("|".join(re.escape(c) for c in classes)) if classes else None,
    )
