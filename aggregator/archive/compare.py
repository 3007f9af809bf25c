"""Field-by-field differences between a re-extracted item and the stored article."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any, Final

from aggregator.items import ArticleItem

#: Article fields re-extraction compares (the content columns, minus bookkeeping).
COMPARED: Final = ("title", "body", "description", "published_at", "modified_at",
                   "published_raw", "published_source", "modified_raw", "modified_source",
                   "authors", "editors", "credit_codes", "tags", "wire_source", "language",
                   "section", "image_url", "page_count", "extractor", "timezone")  # fmt: skip


def _norm(value: Any) -> Any:
    """Comparable form: datetimes in UTC, sequences as lists, empty strings as None."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC)
    if isinstance(value, (list, tuple)):
        return list(value)
    if value == "":
        return None
    return value


def field_changes(item: ArticleItem, stored: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """{field: (stored, new)} for every compared field that differs."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name in COMPARED:
        old, new = _norm(stored.get(name)), _norm(getattr(item, name))
        if old != new:
            changes[name] = (old, new)
    return changes


def _json(value: Any) -> Any:
    """A JSON-ready value."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def diff_record(url: str, status: str, changes: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
    """One `--diff-out` line: the body as a unified diff, other fields as old/new."""
    fields: dict[str, Any] = {}
    for name, (old, new) in changes.items():
        if name == "body":
            lines = difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(),
                                         "stored", "reextracted", lineterm="", n=1)  # fmt: skip
            fields[name] = {"diff": "\n".join(lines)}
        else:
            fields[name] = {"old": _json(old), "new": _json(new)}
    return {"url": url, "status": status, "fields": fields}
