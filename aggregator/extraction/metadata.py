"""Page metadata: JSON-LD NewsArticle, OpenGraph and meta tags."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from aggregator.cleaning.text import normalize_line

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting",
                  "analysisnewsarticle", "opinionnewsarticle", "webpage", "liveblogposting"}
_NOT_PERSON = re.compile(r"(?i)https?://|www\.|\.(?:com|co\.id|id|net)\b|redaksi|admin|"
                         r"cyber\s+media|\bnews\b|tim\s+")


@dataclass(slots=True)
class PageMeta:
    """Metadata collected from the page head, before the visible page is read."""

    title: str | None = None
    site_name: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    image_url: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    og_type: str | None = None
    article_body: str | None = None  # JSON-LD articleBody, when the page carries one
    is_article_type: bool = False


def read_meta(tree: HtmlElement) -> PageMeta:
    """Collect metadata from meta tags, link tags and JSON-LD."""
    metas = _meta_map(tree)
    meta = PageMeta(
        title=_first(metas, "og:title", "twitter:title", "title") or _title_tag(tree),
        site_name=_first(metas, "og:site_name", "application-name"),
        section=_first(metas, "article:section", "section", "category"),
        language=_language(tree, metas),
        image_url=_first(metas, "og:image", "og:image:url", "twitter:image", "image"),
        description=_first(metas, "og:description", "description", "twitter:description"),
        canonical_url=_canonical(tree) or _first(metas, "og:url"),
        og_type=_first(metas, "og:type"),
    )
    meta.tags = _split_tags(metas.get("article:tag", []) + metas.get("news_keywords", [])
                            + metas.get("keywords", []))
    meta.authors = _people(metas.get("author", []) + metas.get("article:author", [])
                           + metas.get("content_author", []))
    for obj in iter_jsonld(tree):
        _merge_jsonld(meta, obj)
    return meta


def iter_jsonld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Yield every JSON object found in JSON-LD scripts (graphs flattened)."""
    for script in tree.xpath("//script[contains(@type, 'ld+json')]"):
        try:
            data = json.loads(script.text_content() or "", strict=False)
        except (ValueError, RecursionError):
            continue
        yield from _flatten(data)


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    """Flatten lists and @graph containers into plain objects."""
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        if isinstance(data.get("@graph"), list):
            yield from _flatten(data["@graph"])


def _merge_jsonld(meta: PageMeta, obj: dict[str, Any]) -> None:
    """Fill missing fields from an Article-typed JSON-LD object."""
    types = obj.get("@type")
    names = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
    if not names & _ARTICLE_TYPES:
        return
    meta.is_article_type = meta.is_article_type or "webpage" not in names
    meta.title = meta.title or _text(obj.get("headline"))
    meta.section = meta.section or _text(obj.get("articleSection"))
    meta.description = meta.description or _text(obj.get("description"))
    meta.image_url = meta.image_url or _image(obj.get("image"))
    if not meta.authors:
        meta.authors = _people(_names(obj.get("author")))
    if not meta.tags:
        meta.tags = _split_tags(_names(obj.get("keywords")))
    body = _text(obj.get("articleBody"))
    if body and len(body) > len(meta.article_body or ""):
        meta.article_body = body


def _names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organisation/list/string value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


def _image(value: Any) -> str | None:
    """URL from a JSON-LD image value."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _image(value.get("url"))
    if isinstance(value, list) and value:
        return _image(value[0])
    return None


def _text(value: Any) -> str | None:
    """A normalised string from a JSON-LD scalar or first list element."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str | int | float):
        return normalize_line(str(value)) or None
    return None


def _meta_map(tree: HtmlElement) -> dict[str, list[str]]:
    """All meta tags by lower-cased name/property, values normalised, in page order."""
    out: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        value = node.get("content")
        if key and value and (text := normalize_line(value)):
            out.setdefault(key.strip().lower(), []).append(text)
    return out


def _first(metas: dict[str, list[str]], *keys: str) -> str | None:
    """First non-empty value among the keys."""
    for key in keys:
        if metas.get(key):
            return metas[key][0]
    return None


def _title_tag(tree: HtmlElement) -> str | None:
    """Text of the <title> element."""
    found = tree.find(".//title")
    return normalize_line(found.text_content()) or None if found is not None else None


def _canonical(tree: HtmlElement) -> str | None:
    """href of link rel=canonical when not empty."""
    for link in tree.xpath("//link[@rel='canonical'][@href]"):
        href = (link.get("href") or "").strip()
        if href:
            return href
    return None


def _language(tree: HtmlElement, metas: dict[str, list[str]]) -> str | None:
    """Two-letter language from html@lang, content-language or og:locale."""
    raw = (tree.get("lang") or _first(metas, "content-language", "language", "og:locale")
           or "")
    code = re.split(r"[-_]", raw.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def _split_tags(values: list[str]) -> list[str]:
    """Comma-separated keyword values into a de-duplicated tag list."""
    tags: list[str] = []
    for value in values:
        for tag in value.split(","):
            tag = normalize_line(tag)
            if tag and tag.lower() not in {t.lower() for t in tags} and len(tag) <= 80:
                tags.append(tag)
    return tags


def _people(values: list[str]) -> list[str]:
    """Plausible person names: no URLs, publisher names or desk labels."""
    people: list[str] = []
    for value in values:
        for name in re.split(r"\s*(?:,|;|\||\bdan\b|&)\s*", normalize_line(value)):
            if name and not _NOT_PERSON.search(name) and len(name) <= 60 and name not in people:
                people.append(name)
    return people
