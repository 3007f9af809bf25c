"""Collect a page's date strings (JSON-LD, meta, microdata, `<time>`, date lines, URL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

from aggregator.dates.jsonld import jsonld_candidates
from aggregator.types import DateCandidate, DateKind

#: Meta names (name/property/itemprop/http-equiv, lower case) in order of preference.
PUBLISHED_META: tuple[str, ...] = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "published_time", "article.published", "pubdate", "publishdate",
    "publish-date", "publish_date", "pub_date", "dtk:publishdate", "dtk:publishdateunix",
    "content_publisheddate", "parsely-pub-date", "sailthru.date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.date", "date", "originalpublicationdate",
    "citation_publication_date", "datecreated", "createdate", "dtk:createddate",
    "dtk:createddateunix", "dc.date.created", "dcterms.created",
)  # fmt: skip
MODIFIED_META: tuple[str, ...] = (
    "article:modified_time", "og:updated_time", "datemodified", "modified_time",
    "dc.date.modified", "dcterms.modified", "content_lastmodifieddate", "last-modified",
    "lastmod",
)  # fmt: skip
_META_KIND: dict[str, tuple[DateKind, int]] = {
    **{k: ("published", i) for i, k in enumerate(PUBLISHED_META)},
    **{k: ("modified", i) for i, k in enumerate(MODIFIED_META)},
}

#: Class/id fragments of page parts that list other stories (sidebars, related, comments).
_OFF_ARTICLE = re.compile(
    r"sidebar|side-bar|related|terkait|popul|pupuler|rekomendasi|recommend|widget|comment|"
    r"komentar|disqus|footer|topbar|top-bar|header-top|baca-?juga|trending|terkini|terbaru|"
    r"latest|most-|hasil_more|list[_-]?berita|navbar|navigation|breadcrumb|twitter|instagram",
    re.I,
)
_OFF_TAGS = frozenset({"li", "aside", "nav", "footer", "blockquote", "figure", "figcaption", "a"})
#: Class/id fragments of the article's own date line.
_DATE_CLASS = re.compile(
    r"date|tanggal|tgl|time|waktu|publish|posted|schedule|byline|reporter", re.I
)
#: "Updated" markers: hAtom's bare "updated" class is left out (Liputan6 uses it for the
#: publication time).
_MODIFIED_CLASS = re.compile(r"modif|last-?update|diperbarui", re.I)
_MODIFIED_LABEL = re.compile(
    r"^\W*(?:diperbarui|diperbaharui|update|updated|last updated|terakhir diperbarui)\b", re.I
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/-]|$)")
_MAX_LINE = 150
_MAX_LINES = 6
_MAX_TIMES = 2
_MAX_TIME_SCAN = 50
_NEAR = 12  # elements either side of the headline searched for an unlabelled date line
_LINE_TAGS = frozenset({"div", "span", "p", "time", "h3", "h4", "h5", "h6", "small", "strong"})
_BREAKS = frozenset({"br", "div", "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td"})
# A zone or a year run into the next word ("08:15 WITAEkonomi", "2022Dunia"): only then is
# the slower, break-aware reading needed.
_GLUED = re.compile(r"(?:WIB|WITA|WIT|\d)[A-Z][a-z]")
_HAS_BREAK = etree.XPath("boolean(" + " | ".join(f".//{t}" for t in sorted(_BREAKS)) + ")")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _tree(doc: Any) -> Any | None:
    """An lxml HTML element for a string, bytes, element or element tree; None if unusable."""
    if isinstance(doc, etree._ElementTree):
        return doc.getroot()
    if isinstance(doc, etree._Element):
        return doc
    if isinstance(doc, bytes):
        doc = doc.decode("utf-8", "replace")
    if not isinstance(doc, str) or not doc.strip():
        return None
    try:
        return lxml.html.document_fromstring(_XML_DECL.sub("", doc, count=1))
    except (etree.ParserError, ValueError):
        return None


def _attrs(el: Any) -> str:
    """The class and id of an element, for pattern checks."""
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _off_article(el: Any) -> bool:
    """True when `el` sits in a list of other stories, a sidebar, a quote or a comment."""
    for node in (el, *el.iterancestors()):
        if node.tag in _OFF_TAGS or _OFF_ARTICLE.search(_attrs(node)):
            return True
    return False


def _text(el: Any) -> str:
    """The element's text with whitespace collapsed; line breaks and blocks part words.

    `text_content` runs "15:48 WITA<br>Ekonomi" together as "WITAEkonomi", and the zone
    is lost.
    """
    plain = " ".join(el.text_content().split())
    if not _GLUED.search(plain) or not _HAS_BREAK(el):
        return plain
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if not isinstance(node.tag, str):  # a comment: its text is no page text, its tail is
            parts.append(node.tail or "" if event == "end" else "")
            continue
        if event == "start":
            if node.tag in _BREAKS:
                parts.append(" ")
            parts.append(node.text or "")
        elif node is not el:
            if node.tag in _BREAKS:
                parts.append(" ")
            parts.append(node.tail or "")
    return " ".join("".join(parts).split())


def _meta_candidates(root: Any) -> list[DateCandidate]:
    """`<meta>` date tags, best names first."""
    found: list[tuple[tuple[bool, int], DateCandidate]] = []
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop")
               or el.get("http-equiv") or "").strip().lower()  # fmt: skip
        content = (el.get("content") or "").strip()
        if key in _META_KIND and content and not _off_article(el):
            kind, rank = _META_KIND[key]
            found.append(((kind != "published", rank), DateCandidate(kind, content, "meta", key)))
    found.sort(key=lambda pair: pair[0])
    return [cand for _, cand in found]


def _microdata(root: Any) -> list[DateCandidate]:
    """Non-meta elements with itemprop datePublished/dateModified (attribute or text)."""
    out: list[DateCandidate] = []
    for el in root.xpath("//*[@itemprop='datePublished' or @itemprop='dateModified']"):
        if el.tag == "meta" or _off_article(el):
            continue
        kind: DateKind = "modified" if el.get("itemprop") == "dateModified" else "published"
        raw = (el.get("datetime") or el.get("content") or _text(el)).strip()
        if raw and len(raw) <= _MAX_LINE:
            out.append(DateCandidate(kind, raw, "meta", f"itemprop:{el.tag}"))
    return out


def _line_kind(el: Any, text: str) -> DateKind:
    """"modified" for elements marked as such (itemprop, class) or lines labelled "Diperbarui"."""
    if el.get("itemprop") == "dateModified" or _MODIFIED_CLASS.search(_attrs(el)):
        return "modified"
    return "modified" if _MODIFIED_LABEL.match(text) else "published"


def _in_article(el: Any) -> bool:
    """The element carries microdata or sits inside an <article> or <main>."""
    return bool(el.get("itemprop")) or any(a.tag in ("article", "main") for a in el.iterancestors())


def _time_candidates(root: Any) -> list[DateCandidate]:
    """`<time>` elements outside sidebars, article-scoped ones first: datetime, else text."""
    found: list[tuple[bool, DateCandidate]] = []
    for el in root.iter("time"):
        if _off_article(el):
            continue
        raw = (el.get("datetime") or _text(el)).strip()
        if raw and len(raw) <= _MAX_LINE:
            cand = DateCandidate(_line_kind(el, _text(el)), raw, "time", "datetime")
            found.append((not _in_article(el), cand))
        if len(found) >= _MAX_TIME_SCAN:
            break
    found.sort(key=lambda pair: pair[0])
    return [cand for _, cand in found[:_MAX_TIMES]]


def _title_text(root: Any) -> str:
    """The page's og:title and <title>, lower case, for finding the headline element."""
    parts = [el.get("content") or "" for el in root.xpath("//meta[@property='og:title']")]
    parts += [el.text_content() for el in root.iter("title")]
    return " ".join(" ".join(parts).split()).lower()


def _headlines(root: Any, pos: dict[Any, int]) -> list[int]:
    """Positions of the headline: elements whose text appears in the page title, else the h1s."""
    title = _title_text(root)
    heads: list[int] = []
    if title:
        for el in root.iter("h1", "h2", "h3", "div", "span", "p", "a"):
            text = " ".join(el.text_content().split()).lower() if len(el) < 4 else ""
            if 15 <= len(text) <= 300 and text in title and not _off_article(el):
                heads.append(pos[el])
    return heads or [pos[el] for el in root.iter("h1")]


def _near_headline(els: list[Any], heads: list[int]) -> list[Any]:
    """Short elements right around a headline (date lines without a telling class)."""
    out = []
    for h in heads[:3]:
        out.extend(els[max(0, h - _NEAR) : h + _NEAR])
    return out


def _date_lines(root: Any) -> list[DateCandidate]:
    """Short visible lines in date-like elements or next to the headline, nearest first."""
    els = [el for el in root.iter() if isinstance(el.tag, str)]
    pos = {el: i for i, el in enumerate(els)}
    heads = _headlines(root, pos)
    pool = [el for el in els if el.tag in _LINE_TAGS and _DATE_CLASS.search(_attrs(el))]
    pool += [el for el in _near_headline(els, heads) if el.tag in _LINE_TAGS]
    lines: dict[str, tuple[int, DateKind]] = {}
    for el in pool:
        if el.find(".//script") is not None or el.find(".//style") is not None:
            continue  # ad slots and widgets: their "text" is code
        text = _text(el)
        if text in lines or not 6 <= len(text) <= _MAX_LINE or not any(c.isdigit() for c in text):
            continue
        if _off_article(el):
            continue
        distance = min((abs(pos[el] - h) for h in heads), default=pos[el])
        lines[text] = (distance, _line_kind(el, text))
    ranked = sorted(lines.items(), key=lambda pair: pair[1][0])[:_MAX_LINES]
    return [DateCandidate(kind, t, "dateline", "visible") for t, (_, kind) in ranked]


def url_candidates(url: str) -> list[DateCandidate]:
    """A /2022/01/08/ style date in the URL path (day precision)."""
    m = _URL_DATE.search(url or "")
    if not m:
        return []
    raw = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    return [DateCandidate("published", raw, "url", "path")]


def _scripts(root: Any) -> Iterator[str]:
    """Texts of the JSON-LD script blocks."""
    for el in root.iter("script"):
        if "ld+json" in (el.get("type") or "").lower() and el.text:
            yield el.text


def collect_date_candidates(tree_or_html: Any, url: str) -> list[DateCandidate]:
    """Every date string of an article page, grouped by source, best first within a source."""
    out: list[DateCandidate] = []
    root = _tree(tree_or_html)
    if root is not None:
        out.extend(jsonld_candidates(_scripts(root)))
        out.extend(_meta_candidates(root))
        out.extend(_microdata(root))
        out.extend(_time_candidates(root))
        out.extend(_date_lines(root))
    out.extend(url_candidates(url))
    return out
