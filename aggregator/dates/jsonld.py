"""Date candidates from JSON-LD blocks (@graph, lists, nested objects; broken JSON tolerated)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from aggregator.types import DateCandidate, DateKind

#: JSON-LD keys -> kind, in order of preference within one object.
KEYS: tuple[tuple[str, DateKind], ...] = (
    ("datePublished", "published"),
    ("dateCreated", "published"),
    ("uploadDate", "published"),
    ("dateModified", "modified"),
)
_ARTICLE_TYPE = re.compile(r"article|posting|report|news", re.I)
#: Fallback for blocks that are not valid JSON (unescaped quotes, trailing commas...).
_KEY_RE = re.compile(r'"(datePublished|dateCreated|dateModified|uploadDate)"\s*:\s*"([^"]{4,80})"')
_MAX_DEPTH = 8
_MAX_NODES = 500


def _objects(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JSON object in `node`, depth first, bounded."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, dict | list):
                yield from _objects(value, depth + 1)
    elif isinstance(node, list):
        for item in node[:_MAX_NODES]:
            yield from _objects(item, depth + 1)


def _is_article(obj: dict[str, Any]) -> bool:
    """True for NewsArticle, Article, BlogPosting, ReportageNews and the like."""
    types = obj.get("@type")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and _ARTICLE_TYPE.search(t) for t in names)


def _value(raw: Any) -> str | None:
    """A date value as a string (first of a list; numbers kept as digits)."""
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return str(int(raw))
    if isinstance(raw, str) and raw.strip():
        return raw.strip()
    return None


def _from_object(obj: dict[str, Any]) -> list[DateCandidate]:
    """The date candidates of one JSON-LD object."""
    label = obj.get("@type") if isinstance(obj.get("@type"), str) else "Thing"
    out = []
    for key, kind in KEYS:
        value = _value(obj.get(key))
        if value:
            out.append(DateCandidate(kind, value, "jsonld", f"{label}.{key}"))
    return out


def _parse_block(text: str) -> tuple[list[DateCandidate], list[DateCandidate]] | None:
    """Candidates of one block as (article objects, other objects); None if not JSON."""
    try:
        data = json.loads(text.strip().rstrip(";"), strict=False)
    except (ValueError, RecursionError):
        return None
    articles: list[DateCandidate] = []
    others: list[DateCandidate] = []
    for obj in _objects(data):
        (articles if _is_article(obj) else others).extend(_from_object(obj))
    return articles, others


def _regex_block(text: str) -> list[DateCandidate]:
    """Date keys of a block that is not valid JSON, read with a regex."""
    kinds = dict(KEYS)
    pairs = _KEY_RE.findall(text)
    return [DateCandidate(kinds[k], v.strip(), "jsonld", f"regex.{k}") for k, v in pairs]


def jsonld_candidates(blocks: Iterable[str]) -> list[DateCandidate]:
    """Date candidates from JSON-LD script texts: article objects first, then the rest."""
    first: list[DateCandidate] = []
    rest: list[DateCandidate] = []
    for text in blocks:
        parsed = _parse_block(text)
        if parsed is None:
            rest.extend(_regex_block(text))
        else:
            first.extend(parsed[0])
            rest.extend(parsed[1])
    return _by_key(first) + _by_key(rest)


def _by_key(cands: list[DateCandidate]) -> list[DateCandidate]:
    """Stable sort so datePublished comes before dateCreated/uploadDate."""
    rank = {key: i for i, (key, _) in enumerate(KEYS)}
    return sorted(cands, key=lambda c: rank.get(c.detail.rsplit(".", 1)[-1], len(rank)))
