"""Before a crawl or a migration: refuse databases that cannot keep what is written.

`require_persistent(url)` refuses SQLite URLs that name no file (`sqlite://`,
`sqlite:///`, `sqlite:///:memory:`, `mode=memory`): everything written there vanishes
when the process exits, and an unset shell variable in `sqlite:///$DB` produces one.

`prove_writable(url)` commits a real (self-cancelling) write: on SQLite it creates and
drops a probe table in one `BEGIN IMMEDIATE` transaction, which needs the write lock,
a writable file and directory (the WAL lives beside it) and one free page (a full disk,
or a `max_page_count` quota, refuses it).  PostgreSQL runs the same create/insert/drop
and commits: a read-only transaction, a standby or a missing privilege refuses it.
Failures are one-line `StorageError`s.
"""

from __future__ import annotations

import os

from aggregator.config import normalize_url, parse_url
from aggregator.exceptions import ConfigError, StorageError
from aggregator.storage.db import BEGIN_OPTION, make_engine, storage_errors

PROBE_TABLE = "aggregator_write_probe"


def is_transient_sqlite(url: str) -> bool:
    """True for SQLite URLs whose data lives only in memory."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    database = (parsed.database or "").strip()
    if database in ("", ":memory:"):
        return True
    if "mode=memory" in database or parsed.query.get("mode") == "memory":
        return True
    return database.startswith("file::memory:")


def require_persistent(url: str) -> str:
    """The normalised URL, or a `ConfigError` for an in-memory or empty SQLite URL."""
    normalized = normalize_url(url)
    if is_transient_sqlite(normalized):
        raise ConfigError(
            f"{url.strip()!r} is an in-memory SQLite database: everything stored would be lost at "
            "exit; give a file, e.g. --db sqlite:///data/aggregator.db (is a variable in "
            "the URL unset?)"
        )
    return normalized


def prove_writable(url: str) -> None:
    """Commit a write that leaves no trace, or raise a one-line `StorageError`."""
    engine = make_engine(url)
    try:
        with storage_errors(engine.url), engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            table = f"{PROBE_TABLE}_{os.getpid()}"  # two crawls starting at once never meet
            conn.exec_driver_sql(f"CREATE TABLE {table} (x INTEGER)")
            conn.exec_driver_sql(f"INSERT INTO {table} VALUES (1)")  # noqa: S608
            conn.exec_driver_sql(f"DROP TABLE {table}")
            conn.commit()
    except StorageError as exc:
        text = str(exc)
        if text.startswith(("cannot connect", "database is locked")):
            raise  # already says what is wrong
        raise StorageError(f"cannot write to the database: {text}") from None
    finally:
        engine.dispose()
