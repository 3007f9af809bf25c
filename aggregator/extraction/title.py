"""The visible headline: the H1 that agrees with the page metadata, site names removed."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from aggregator.cleaning.text import normalize_line

_SEPARATORS = re.compile(r"\s+(?:::|[-|–—:»])\s+")
_DOMAINISH = re.compile(r"(?i)\.(?:com|co\.id|id|net|org|co)\b")
_PREFIX = re.compile(r"(?i)^[\w.]+\.(?:com|co\.id|id|net)\s*:\s*")
_WORD = re.compile(r"\w+")
_SECOND_LEVEL = {"co", "ac", "or", "go", "com", "net", "org", "web", "my", "sch"}
_MAX_BRAND_WORDS = 4


def pick_title(tree: HtmlElement, meta_titles: list[str], site_name: str | None,
               url: str = "") -> str | None:
    """The headline: the H1 that best matches a metadata title, else the cleaned metadata one."""
    brands = {b for b in (site_name and site_name.lower(), host_brand(url)) if b}
    metas = [m for m in (strip_site_name(t, brands) for t in meta_titles if t) if m]
    headings = _headings(tree)
    if not metas:
        return headings[0] if headings else None
    lowered = {m.lower() for m in metas}
    exact = [h for h in headings if h.lower() in lowered]
    if exact:
        return exact[0]
    similar = [h for h in headings if any(_similar(h, m) for m in metas)]
    if similar:
        return min(similar, key=lambda h: abs(len(h) - len(metas[0])))
    return metas[0]


def host_brand(url: str) -> str | None:
    """The publisher's name in its host: "celebrity.okezone.com" -> "okezone"."""
    host = (urlsplit(url).hostname or "").lower()
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return None
    labels = labels[:-1]  # the top-level domain
    if len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]  # co.id, com.br, ...
    return labels[-1] if len(labels[-1]) >= 3 else None


def strip_site_name(title: str, brands: set[str]) -> str:
    """Remove " - Kompas.com" / " :: Okezone News" suffixes and "KapanLagi.com: " prefixes."""
    title = _PREFIX.sub("", normalize_line(title))
    parts = _SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    while len(parts) > 1 and _is_brand(parts[-1], brands):
        parts.pop()
    while len(parts) > 1 and _is_brand(parts[0], brands):
        parts.pop(0)
    return " - ".join(parts)


def _is_brand(part: str, brands: set[str]) -> bool:
    """A title part that names the site ("Kompas.com", "Okezone News", "detikNews")."""
    if len(part.split()) > _MAX_BRAND_WORDS:
        return False
    low = part.lower()
    squeezed = "".join(low.split())  # "Radar Selatan" on radarselatan.com
    return bool(_DOMAINISH.search(part)) or any(b in low or b in squeezed for b in brands)


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
