"""The visible headline: the H1 that agrees with the page metadata, site names removed."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from aggregator.cleaning.text import normalize_line

_SEPARATORS = re.compile(r"\s+(?:[-|–—:»]|::)\s+")
_SITEY = re.compile(r"(?i)\.(?:com|co\.id|id|net|org|co)\b|^(?:detik|kompas|tribun|liputan6|"
                    r"okezone|merdeka|suara|viva|tempo|antara|republika|kapanlagi)\w*$")
_PREFIX = re.compile(r"(?i)^[\w.]+\.(?:com|co\.id|id|net)\s*:\s*")
_WORD = re.compile(r"\w+")


def pick_title(tree: HtmlElement, meta_titles: list[str], site_name: str | None) -> str | None:
    """The headline: an H1 matching a metadata title, else the cleaned metadata title."""
    metas = [strip_site_name(t, site_name) for t in meta_titles if t]
    for h1 in _headings(tree):
        if not metas or any(_similar(h1, m) for m in metas):
            return h1
    return next((t for t in metas if t), None)


def strip_site_name(title: str, site_name: str | None) -> str:
    """Remove " - Kompas.com"-style suffixes and "KapanLagi.com: "-style prefixes."""
    title = _PREFIX.sub("", normalize_line(title))
    parts = _SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    site = (site_name or "").lower()
    kept = [p for p in parts if not (_SITEY.search(p) or (site and p.lower() == site))]
    if not kept:
        return title
    # Keep the text in page order, minus the site-name parts at either end.
    start = parts.index(kept[0])
    end = len(parts) - parts[::-1].index(kept[-1])
    return " - ".join(parts[start:end]) if end - start > 1 else kept[0]


def _headings(tree: HtmlElement) -> list[str]:
    """Texts of the page's H1 elements, in order."""
    out = []
    for node in tree.iter("h1"):
        text = normalize_line(node.text_content())
        if 8 <= len(text) <= 300:
            out.append(text)
    return out


def _similar(a: str, b: str) -> bool:
    """True when two titles are the same headline (containment or word overlap)."""
    la, lb = a.lower(), b.lower()
    if (la in lb or lb in la) and min(len(la), len(lb)) >= 0.5 * max(len(la), len(lb)):
        return True
    wa, wb = set(_WORD.findall(la)), set(_WORD.findall(lb))
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.8
