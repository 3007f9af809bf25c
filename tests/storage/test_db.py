"""Engines and the datetime type on both databases; errors become one clear line."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session, sessionmaker

from aggregator.exceptions import StorageError
from aggregator.storage.db import (
    SQLITE_CHECKPOINT_BYTES,
    SQLITE_PAGE_SIZE,
    check_connection,
    make_engine,
    session_factory,
)
from aggregator.storage.models import Source

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 1, 20, 18, 33, tzinfo=WIB),
        dt.datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(1999, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ],
)
def test_aware_datetimes_round_trip_as_utc(
    sessions: sessionmaker[Session], value: dt.datetime
) -> None:
    with sessions.begin() as session:
        session.add(Source(name="antara", first_seen_at=value))
    with sessions() as session:
        back = session.scalar(select(Source.first_seen_at))
    assert back == value
    assert back is not None
    assert back.utcoffset() == dt.timedelta(0)


def test_naive_datetime_is_rejected(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(StatementError, match="naive datetime"), sessions.begin() as session:
        session.add(Source(name="x", first_seen_at=dt.datetime(2026, 1, 1)))


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new' / 'dir' / 'a.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 30000
    assert (tmp_path / "new" / "dir" / "a.db").exists()


@pytest.mark.parametrize(("env", "kib"), [
    (None, 16 * 1024), ("8", 8 * 1024), ("64", 64 * 1024), ("0", 16 * 1024),
    ("lots", 16 * 1024), ("-5", 16 * 1024),
])  # fmt: skip
def test_sqlite_page_cache_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                env: str | None, kib: int) -> None:  # fmt: skip
    """16 MiB per connection unless AGGREGATOR_SQLITE_CACHE_MB is a positive whole number."""
    if env is None:
        monkeypatch.delenv("AGGREGATOR_SQLITE_CACHE_MB", raising=False)
    else:
        monkeypatch.setenv("AGGREGATOR_SQLITE_CACHE_MB", env)
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA cache_size")).scalar() == -kib
    engine.dispose()


def test_new_sqlite_files_get_large_pages_and_old_ones_keep_theirs(tmp_path: Path) -> None:
    """32 KB pages for a new file; a file made with 4 KB pages keeps them, and its
    automatic checkpoint still comes at the same WAL size in bytes."""
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA page_size")).scalar() == SQLITE_PAGE_SIZE
        pages = conn.execute(text("PRAGMA wal_autocheckpoint")).scalar()
    assert pages == SQLITE_CHECKPOINT_BYTES // SQLITE_PAGE_SIZE
    old = tmp_path / "old.db"
    with contextlib.closing(sqlite3.connect(old)) as raw:
        raw.execute("PRAGMA page_size = 4096")
        raw.execute("CREATE TABLE t (x)")
    with make_engine(f"sqlite:///{old}").connect() as conn:
        assert conn.execute(text("PRAGMA page_size")).scalar() == 4096
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == (
            SQLITE_CHECKPOINT_BYTES // 4096)


def test_writer_sessions_take_the_write_lock_up_front(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with session_factory(engine)() as session:
        session.execute(text("SELECT 1"))  # a read, but in a writer session
        other = sqlite3.connect(engine.url.database or "", timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    with session_factory(engine, readonly=True)() as session:
        session.execute(text("SELECT 1"))  # a reader leaves the write lock free
        other = sqlite3.connect(engine.url.database or "", timeout=0)
        other.execute("BEGIN IMMEDIATE")
        other.rollback()
        other.close()


def test_unreachable_postgres_is_a_storage_error() -> None:
    engine = make_engine("postgresql://postgres@127.0.0.1:1/test")
    with pytest.raises(StorageError, match="cannot connect") as info:
        check_connection(engine)
    assert "\n" not in str(info.value)


def test_locked_sqlite_is_a_storage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aggregator.storage.db as db

    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", 0.1)
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    try:
        engine = make_engine(f"sqlite:///{path}")
        with (
            pytest.raises(StorageError, match="locked"),
            db.storage_errors(engine.url),
            db.session_factory(engine).begin() as session,
        ):
            session.execute(text("INSERT INTO t VALUES (1)"))
    finally:
        holder.rollback()
        holder.close()
