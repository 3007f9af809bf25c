"""Engines, sessions and the timezone-safe datetime type, for SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.engine import URL, Dialect
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator, TypeEngine

from aggregator.config import normalize_url, parse_url
from aggregator.exceptions import StorageError

#: Seconds a SQLite writer waits for the lock before "database is locked".
SQLITE_BUSY_TIMEOUT_S = 30.0
#: Seconds to wait for a PostgreSQL connection before giving up.
PG_CONNECT_TIMEOUT_S = 5
#: Execution option read by the SQLite "begin" hook: "IMMEDIATE" for writers.
BEGIN_OPTION = "aggregator_begin"
#: Page size of new SQLite files.  Articles are 2-4 KB rows: on the 4 KB default most
#: spill into overflow pages, and a 500-article commit wrote ~1,000 WAL frames.  32 KB
#: pages: inserts at 90k articles 3,800 -> 4,500/s (64 KB: slower again).
SQLITE_PAGE_SIZE = 32768
#: WAL size that triggers an automatic checkpoint (bytes; turned into pages per file).
SQLITE_CHECKPOINT_BYTES = 40 * 1024 * 1024
#: Page cache per SQLite connection (MiB), unless `AGGREGATOR_SQLITE_CACHE_MB` says
#: otherwise.  The OS caches the file too, so SQLite's own cache mainly saves decoding
#: pages: 8 MiB stored 10,000 articles as fast as 64 MiB, and 64 MiB was most of the
#: writer's growth between 1,000 and 50,000 stored (docs/store-performance.md).
SQLITE_CACHE_MB = 16


class TZDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, UTC stored, aware UTC out; naive values are rejected."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """`timestamptz` on PostgreSQL, naive UTC `DATETIME` text on SQLite."""
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TIMESTAMP(timezone=True))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """Convert to UTC; refuse naive values, which would be silently misread."""
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise TypeError("naive datetime rejected: pass a timezone-aware value")
        if value.tzinfo is not dt.UTC:  # most values already are UTC: skip the conversion
            value = value.astimezone(dt.UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """Attach (or convert to) UTC on the way out."""
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL results on SQLite come back as text
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _json_dumps(value: Any) -> str:
    """`json.dumps`, with the empty list (half the list columns of an article) made free."""
    if isinstance(value, list) and not value:
        return "[]"
    return json.dumps(value)


def make_engine(url: str | URL, *, echo: bool = False, readonly: bool = False) -> Engine:
    """Create an engine for a SQLite or PostgreSQL URL, configured for safe concurrent use.

    `readonly` opens a SQLite file with `mode=ro`, so reading never writes to it.
    """
    raw = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    parsed = parse_url(normalize_url(raw))
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, echo=echo, readonly=readonly)
    return create_engine(
        parsed,
        echo=echo,
        pool_pre_ping=True,
        # psycopg's own executemany (pipeline mode) beats one huge multi-VALUES statement
        # that psycopg must re-parse every time (measured 2x on batched upserts).
        use_insertmanyvalues=False,
        json_serializer=_json_dumps,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S},
    )


def _sqlite_engine(url: URL, *, echo: bool, readonly: bool = False) -> Engine:
    """SQLite with WAL, a busy timeout, foreign keys and explicit BEGIN [IMMEDIATE]."""
    is_file = bool(url.database) and url.database != ":memory:" and not str(
        url.database).startswith("file:")  # fmt: skip
    busy = _busy_timeout()
    if readonly and is_file:
        target = Path(str(url.database)).expanduser().absolute()
        uri = f"file:{urllib.parse.quote(str(target))}?mode=ro"
        engine = create_engine(url, echo=echo, json_serializer=_json_dumps, creator=lambda: (
            sqlite3.connect(uri, uri=True, timeout=busy, check_same_thread=False)))  # fmt: skip
    else:
        if is_file:
            with contextlib.suppress(OSError):  # an unwritable dir: a clear error later
                Path(str(url.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, json_serializer=_json_dumps,
                               connect_args={"timeout": busy})  # fmt: skip

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Legacy pysqlite transaction control emits BEGIN lazily and late; we take over.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {int(busy * 1000)}")
            cur.execute("PRAGMA foreign_keys = ON")
            if not readonly:  # switching to WAL writes the file header
                # Only a new (empty) file takes it; an existing one keeps its page size.
                cur.execute(f"PRAGMA page_size = {SQLITE_PAGE_SIZE}")
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: faster commits
                cur.execute(f"PRAGMA wal_autocheckpoint = {_checkpoint_pages(cur)}")
            cur.execute(f"PRAGMA cache_size = -{_cache_mb() * 1024}")  # negative: KiB
            if (pages := _max_pages()) is not None:  # a size quota (and a "disk full" drill)
                cur.execute(f"PRAGMA max_page_count = {pages}")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer must take the lock up front: upgrading a read lock later fails at once
        # with "database is locked" whatever the busy timeout (docs/reliability.md §6).
        mode = conn.get_execution_options().get(BEGIN_OPTION, "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip() if mode in ("", "IMMEDIATE") else "BEGIN")

    return engine


def _checkpoint_pages(cur: Any) -> int:
    """SQLITE_CHECKPOINT_BYTES in this file's pages (older files keep 4 KB pages)."""
    page_size = int(cur.execute("PRAGMA page_size").fetchone()[0] or 4096)
    return max(1000, SQLITE_CHECKPOINT_BYTES // page_size)


def _positive_env(name: str) -> int | None:
    """The environment variable `name` when it is a positive whole number, else None."""
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def _max_pages() -> int | None:
    """`AGGREGATOR_SQLITE_MAX_PAGE_COUNT`: cap the file at that many pages (None: no cap)."""
    return _positive_env("AGGREGATOR_SQLITE_MAX_PAGE_COUNT")


def _cache_mb() -> int:
    """`AGGREGATOR_SQLITE_CACHE_MB` when it is a positive whole number, else the default."""
    return _positive_env("AGGREGATOR_SQLITE_CACHE_MB") or SQLITE_CACHE_MB


def _busy_timeout() -> float:
    """`AGGREGATOR_SQLITE_BUSY_TIMEOUT` seconds when set (scripts that fail fast), else 30."""
    raw = os.environ.get("AGGREGATOR_SQLITE_BUSY_TIMEOUT", "")
    try:
        return max(0.0, float(raw)) if raw.strip() else SQLITE_BUSY_TIMEOUT_S
    except ValueError:
        return SQLITE_BUSY_TIMEOUT_S


def session_factory(engine: Engine, *, readonly: bool = False) -> sessionmaker[Session]:
    """A sessionmaker; writers (the default) start SQLite transactions with BEGIN IMMEDIATE."""
    options = {} if readonly else {BEGIN_OPTION: "IMMEDIATE"}
    return sessionmaker(bind=engine, expire_on_commit=False, execution_options=options)


@contextlib.contextmanager
def storage_errors(url: str | URL | None = None) -> Iterator[None]:
    """Turn driver errors (unreachable, locked, refused) into a one-line `StorageError`."""
    try:
        yield
    except (OperationalError, DBAPIError) as exc:
        raise StorageError(describe_error(exc, url)) from None
    except SQLAlchemyError as exc:
        raise StorageError(_first_line(str(exc))) from None


def describe_error(exc: BaseException, url: str | URL | None = None) -> str:
    """One readable line for a database error, with the password masked."""
    orig = getattr(exc, "orig", None) or exc
    text = _first_line(str(orig)) or type(orig).__name__
    where = ""
    if url is not None:
        with contextlib.suppress(Exception):
            where = f" ({parse_url(str(url)).render_as_string(hide_password=True)})"
    if "database is locked" in text:
        return f"database is locked by another process{where}; try again later"
    if "connection" in text.lower() and ("refused" in text or "failed" in text):
        return f"cannot connect to the database{where}: {text}"
    return f"database error{where}: {text}"


def _first_line(text: str) -> str:
    """The first non-empty line of a message, trimmed."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


def check_connection(engine: Engine) -> None:
    """Open and close one connection, raising `StorageError` when that fails."""
    with storage_errors(engine.url), engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
