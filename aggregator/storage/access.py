"""What the analyst commands share: open a database for reading, parse date options."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from aggregator.config import database_url, parse_url
from aggregator.exceptions import InputError, StorageError
from aggregator.storage.db import make_engine, session_factory, storage_errors
from aggregator.storage.migrate import current_revision

#: Dates given without an offset are read in Western Indonesian Time.
LOCAL_TZ = ZoneInfo("Asia/Jakarta")


def missing_sqlite_file(url: str) -> Path | None:
    """The path of a SQLite URL whose file does not exist (reading must not create it)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    path = Path(parsed.database).expanduser()
    return None if path.exists() else path


@contextlib.contextmanager
def open_engine(db: str | None, *, readonly: bool = False) -> Iterator[Engine]:
    """An engine for the chosen URL, disposed afterwards."""
    engine = make_engine(database_url(db), readonly=readonly)
    try:
        yield engine
    finally:
        engine.dispose()


def require_existing(db: str | None) -> str:
    """The database URL; a `StorageError` when it names a SQLite file that does not exist.

    Commands that only read or tidy a database call this first, so a mistyped path gives
    one line instead of a new empty file (and its directory).
    """
    url = database_url(db)
    missing = missing_sqlite_file(url)
    if missing is not None:
        raise StorageError(f"no database at {missing}: run a crawl or `aggregator db upgrade`")
    return url


@contextlib.contextmanager
def reader(db: str | None) -> Iterator[Session]:
    """A read-only session on an existing aggregator database, or a clear `StorageError`."""
    url = require_existing(db)
    with open_engine(url, readonly=True) as engine:
        require_schema(engine)
        with storage_errors(url), session_factory(engine, readonly=True)() as session:
            yield session


def require_schema(engine: Engine) -> None:
    """Raise a one-line `StorageError` when the database has no aggregator schema."""
    if current_revision(engine) is None:
        raise StorageError("the database has no aggregator schema: run `aggregator db upgrade`")


def parse_when(text: str | None, *, end: bool = False) -> dt.datetime | None:
    """`2026-01-20` (a WIB day; as an end bound, the day is included) or ISO 8601."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            start = dt.datetime.combine(day, dt.time(), LOCAL_TZ)
            return start + dt.timedelta(days=1) if end else start
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"invalid date {text!r}: use YYYY-MM-DD or ISO 8601") from None
    return value.replace(tzinfo=LOCAL_TZ) if value.tzinfo is None else value

