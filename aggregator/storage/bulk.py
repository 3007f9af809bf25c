"""Multi-row `INSERT ... RETURNING` (SQLite: VALUES lists; PostgreSQL: `unnest` of arrays),
with SQLAlchemy's own value conversion.

Why not `session.execute(insert(...), rows)`: SQLAlchemy's per-row parameter handling
costs ~50 us an article, a quarter of a batched insert.  Here the column types' bind
processors (the same functions SQLAlchemy would call, so stored values are identical)
are applied in one tight loop, and rows go out in multi-row VALUES statements: SQLite's
FTS5 trigger then flushes its pending terms once per statement instead of once per row.
"""

# SQL here is built from the table's column names only; values are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.orm import Session

#: SQLite's default bound-parameter limit since 3.32 (older builds have 999).
_DEFAULT_MAX_PARAMS = 32766
#: `RETURNING` arrived in SQLite 3.35; older libraries take the executemany path.
RETURNING_SUPPORTED = sqlite3.sqlite_version_info >= (3, 35, 0)


def insert_returning(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *,
    conflict: str, returning: tuple[str, ...],
) -> list[tuple[Any, ...]]:  # fmt: skip
    """Insert `rows` (dicts with the same keys) and return the `returning` columns of each.

    `conflict` is the SQL after `ON CONFLICT`, e.g. `(url) DO UPDATE SET ...`.
    """
    if not rows:
        return []
    columns = list(rows[0])
    convert = _converters(session, table, columns)
    values = [[f(row[c]) for c, f in zip(columns, convert, strict=True)] for row in rows]
    tail = f" ON CONFLICT {conflict} RETURNING {', '.join(returning)}"
    return _insert_chunked(session, table, columns, values, tail)


def insert_unnest(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *,
    conflict: str, returning: tuple[str, ...],
) -> list[tuple[Any, ...]]:  # fmt: skip
    """PostgreSQL: insert `rows` in one statement, one array per column through `unnest`.

    An executemany sends one INSERT per row: per-row parse/bind/execute on the server,
    a statement-level trigger fired per row, ~150 us of client work per article.
    """
    if not rows:
        return []
    columns = list(rows[0])
    dialect = session.get_bind().dialect
    convert = _converters(session, table, columns)
    arrays = {f"c{i}": [f(row[c]) for row in rows]
              for i, (c, f) in enumerate(zip(columns, convert, strict=True))}  # fmt: skip
    casts = ", ".join(f"CAST(:c{i} AS {table.c[c].type.compile(dialect=dialect)}[])"
                      for i, c in enumerate(columns))  # fmt: skip
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({casts})"
           f" ON CONFLICT {conflict} RETURNING {', '.join(returning)}")  # fmt: skip
    return [tuple(r) for r in session.execute(text(sql), arrays)]


def _converters(session: Session, table: Table, columns: list[str]) -> list[Callable[[Any], Any]]:
    """Per column, the dialect's bind processor for its type (identity when it has none)."""
    dialect = session.get_bind().dialect
    out: list[Callable[[Any], Any]] = []
    for name in columns:
        processor = table.c[name].type._cached_bind_processor(dialect)
        out.append(_memoized(processor) if processor is not None else _identity)
    return out


def _memoized(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The processor with a cache for one batch.  Values repeat within a batch (first
    seen, last seen and updated are one `now` for every row) and formatting a timestamp
    costs ~3 us.  Lists and dicts (JSON) are converted every time."""
    cache: dict[tuple[type, Any], Any] = {}

    def convert(value: Any) -> Any:
        if isinstance(value, (list, dict)):
            return processor(value)
        key = (type(value), value)  # the type too: True == 1, but not as JSON
        converted = cache.get(key, _MISSING)
        if converted is _MISSING:
            converted = cache[key] = processor(value)
        return converted

    return convert


_MISSING = object()


def _identity(value: Any) -> Any:
    return value


def _max_params(dbapi: Any) -> int:
    """The connection's bound-parameter limit (Python 3.11+ can ask), else the default."""
    try:
        return int(dbapi.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except (AttributeError, TypeError):
        return _DEFAULT_MAX_PARAMS


def insert_plain(session: Session, table: Table, columns: Sequence[str],
                 rows: Sequence[Sequence[Any]]) -> None:  # fmt: skip
    """SQLite: insert values that need no conversion (ids, small integers), many per statement."""
    if rows:
        _insert_chunked(session, table, columns, rows, "")


def _insert_chunked(
    session: Session, table: Table, columns: Sequence[str],
    values: Sequence[Sequence[Any]], tail: str,
) -> list[tuple[Any, ...]]:  # fmt: skip
    """Multi-row INSERTs of ready values, as many rows per statement as the parameter
    limit allows; returns what the statements return (`tail` may add RETURNING)."""
    dbapi = session.connection().connection.dbapi_connection
    assert dbapi is not None
    per_statement = max(1, _max_params(dbapi) // len(columns))
    group = "(" + ", ".join("?" * len(columns)) + ")"
    head = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES "
    out: list[tuple[Any, ...]] = []
    cursor = dbapi.cursor()
    try:
        for lo in range(0, len(values), per_statement):
            chunk = values[lo : lo + per_statement]
            cursor.execute(head + ", ".join([group] * len(chunk)) + tail,
                           [v for row in chunk for v in row])  # fmt: skip
            out.extend(tuple(r) for r in cursor.fetchall())
    finally:
        cursor.close()
    return out
