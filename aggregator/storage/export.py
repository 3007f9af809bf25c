"""Streaming export of articles to JSONL, CSV or Parquet, in constant memory.

Rows are read with `yield_per` (a server-side cursor on PostgreSQL) and written as
they come; the file appears under its final name only when complete.  CSV cells that
a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.exceptions import InputError
from aggregator.storage.models import Article

FORMATS = ("jsonl", "csv", "parquet")
CHUNK = 2000
FIELDS = ("id", "url", "source", "title", "description", "body", "published_at",
          "modified_at", "published_raw", "authors", "editors", "credit_codes", "tags",
          "section", "language", "wire_source", "image_url", "cluster_id",
          "is_cluster_origin", "content_hash", "page_count", "revision_count",
          "first_seen_at", "last_seen_at")  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def iter_rows(
    session: Session, *, since: dt.datetime | None = None, until: dt.datetime | None = None,
    source: str | None = None, chunk: int = CHUNK,
) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Article rows as dicts, oldest id first, fetched `chunk` at a time."""
    stmt = select(*(getattr(Article, f) for f in FIELDS)).order_by(Article.id)
    day = func.coalesce(Article.published_at, Article.first_seen_at)
    if since:
        stmt = stmt.where(day >= since)
    if until:
        stmt = stmt.where(day < until)
    if source:
        stmt = stmt.where(Article.source == source)
    for row in session.execute(stmt.execution_options(yield_per=chunk)):
        yield row._asdict()


def csv_cell(value: Any) -> Any:
    """A CSV-safe cell: lists joined with "; ", formulas defused, times in ISO 8601."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _json_default(value: Any) -> Any:
    """JSON for datetimes."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _write_jsonl(rows: Iterator[dict[str, Any]], fh: IO[str]) -> int:
    """One JSON object per line."""
    n = 0
    for n, row in enumerate(rows, 1):  # noqa: B007 - n is the count afterwards
        fh.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
    return n


def _write_csv(rows: Iterator[dict[str, Any]], fh: IO[str]) -> int:
    """A header and one line per article."""
    writer = csv.DictWriter(fh, fieldnames=FIELDS)
    writer.writeheader()
    n = 0
    for n, row in enumerate(rows, 1):  # noqa: B007
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return n


def export_articles(session: Session, fmt: str, out: str, **filters: Any) -> int:
    """Write the selected articles to `out` (`-` is stdout for jsonl/csv); returns the count."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    rows = iter_rows(session, **filters)
    if out == "-":
        if fmt == "parquet":
            raise InputError("parquet cannot be written to standard output: use --out FILE")
        return (_write_jsonl if fmt == "jsonl" else _write_csv)(rows, sys.stdout)
    with _atomic_target(Path(out)) as tmp:
        if fmt == "parquet":
            from aggregator.storage.parquet import write_parquet

            return write_parquet(rows, tmp, FIELDS)
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            return (_write_jsonl if fmt == "jsonl" else _write_csv)(rows, fh)


def _umask() -> int:
    """The process umask (read by setting it, so set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: File extensions of `--out` and the format each implies.
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def infer_format(out: str) -> str:
    """The export format named by `out`'s extension; `-` (stdout) is JSON lines."""
    if out == "-":
        return "jsonl"
    if Path(out).is_dir():  # the more useful message of the two
        raise InputError(f"cannot write export to {out}: it is a directory")
    suffix = Path(out).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    known = ", ".join(EXTENSIONS)
    raise InputError(f"cannot tell the export format from {out!r}: give --format, "
                     f"or end the file name in {known}")  # fmt: skip


@contextlib.contextmanager
def _atomic_target(path: Path) -> Iterator[Path]:
    """A temporary file beside `path`, renamed onto it on success, removed on failure."""
    if path.is_dir():
        raise InputError(f"cannot write export to {path}: it is a directory")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
        os.close(fd)
    except OSError as exc:
        raise InputError(f"cannot write export to {path}: {exc.strerror or exc}") from None
    tmp = Path(name)
    try:
        # mkstemp makes the file 0600; an export is an ordinary file, so it gets the mode
        # any program's new file gets under the user's umask (0644 under umask 022).
        os.chmod(tmp, 0o666 & ~_umask())
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"cannot write export to {path}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
