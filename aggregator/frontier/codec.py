"""Requests as JSON, never pickle: anyone who can write to Redis must not run code.

`dumps(obj) -> bytes` and `loads(bytes) -> obj` (the serializer interface scrapy-redis
expects) encode plain JSON plus a few tagged types: bytes, tuples, sets, Counters,
non-string-keyed dicts, datetimes, site specs (by registry name) and the project's own
dataclasses named in `DATACLASSES`.  Decoding builds only those types: a payload cannot
name a class to import, so a forged queue entry is at worst a bad request.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from collections import Counter
from typing import Any, Final

from aggregator.exceptions import AggregatorError

TAG: Final = "__t"


class CodecError(AggregatorError):
    """A value that cannot be sent through the frontier, or a payload that is not ours."""


def _dataclasses() -> dict[str, type]:
    """The dataclasses a request may carry in meta or cb_kwargs, by class name."""
    from aggregator.article import ArticleState
    from aggregator.discovery.paging import IndexWalk
    from aggregator.types import DateCandidate, PageFields, ResolvedDate

    return {cls.__name__: cls for cls in (ArticleState, IndexWalk, DateCandidate, PageFields,
                                          ResolvedDate)}  # fmt: skip


_REGISTRY: dict[str, type] = {}


def registry() -> dict[str, type]:
    """Allowed dataclasses (built once, lazily: the article module is heavy to import)."""
    if not _REGISTRY:
        _REGISTRY.update(_dataclasses())
    return _REGISTRY


def encode(value: Any) -> Any:
    """A JSON-ready form of `value`; CodecError for anything outside the allowed types."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes):
        return {TAG: "b", "v": base64.b64encode(value).decode("ascii")}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {TAG: "tuple", "v": [encode(v) for v in value]}
    if isinstance(value, set | frozenset):
        return {TAG: "set", "v": [encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, dt.datetime):
        return {TAG: "dt", "v": value.isoformat()}
    if isinstance(value, dict):
        return _encode_dict(value)
    return _encode_object(value)


def _encode_dict(value: dict[Any, Any]) -> Any:
    """Plain dicts with str keys stay dicts; Counters and other keys are tagged."""
    if isinstance(value, Counter):
        return {TAG: "counter", "v": [[encode(k), v] for k, v in value.items()]}
    if all(isinstance(k, str) for k in value) and TAG not in value:
        return {k: encode(v) for k, v in value.items()}
    return {TAG: "map", "v": [[encode(k), encode(v)] for k, v in value.items()]}


def _encode_object(value: Any) -> Any:
    """Site specs by name; allowed dataclasses field by field."""
    from aggregator.sites import SiteSpec

    if isinstance(value, SiteSpec):
        return {TAG: "site", "v": value.name}
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and registry().get(name) is type(value):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {TAG: "dc", "cls": name, "v": fields}
    raise CodecError(f"cannot send a {type(value).__qualname__} through the frontier")


def decode(value: Any) -> Any:
    """The inverse of `encode`."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(TAG)
    if tag is None:
        return {k: decode(v) for k, v in value.items()}
    return _decode_tagged(str(tag), value)


def _decode_tagged(tag: str, value: dict[str, Any]) -> Any:
    """One tagged value."""
    raw = value.get("v")
    if tag == "b":
        return base64.b64decode(str(raw))
    if tag == "tuple":
        return tuple(decode(v) for v in raw or [])
    if tag == "set":
        return {decode(v) for v in raw or []}
    if tag == "dt":
        return dt.datetime.fromisoformat(str(raw))
    if tag == "counter":
        return Counter({decode(k): int(v) for k, v in raw or []})
    if tag == "map":
        return {decode(k): decode(v) for k, v in raw or []}
    if tag == "site":
        from aggregator.sites import get_site

        return get_site(str(raw))
    if tag == "dc":
        cls = registry().get(str(value.get("cls")))
        if cls is None or not isinstance(raw, dict):
            raise CodecError(f"unknown type in a frontier payload: {value.get('cls')!r}")
        return cls(**{k: decode(v) for k, v in raw.items()})
    raise CodecError(f"unknown tag in a frontier payload: {tag!r}")


def dumps(obj: Any) -> bytes:
    """Serialise (a request dict) to compact UTF-8 JSON."""
    return json.dumps(encode(obj), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def loads(data: bytes | str) -> Any:
    """Parse what `dumps` wrote; CodecError for anything else (a pickle, say)."""
    try:
        parsed = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CodecError(f"frontier payload is not JSON: {exc}") from None
    return decode(parsed)
