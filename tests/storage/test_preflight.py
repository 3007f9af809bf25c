"""Pre-flight: transient SQLite URLs refused, a write proven by a real commit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from aggregator.exceptions import ConfigError, StorageError
from aggregator.storage.preflight import (
    PROBE_TABLE,
    is_transient_sqlite,
    prove_writable,
    require_persistent,
)
from tests.storage.dbs import require_pg


@pytest.mark.parametrize(("url", "transient"), [
    ("sqlite://", True), ("sqlite:///", True), ("sqlite:///:memory:", True),
    ("sqlite:///file::memory:?cache=shared", True), ("sqlite:///file:x?mode=memory", True),
    ("sqlite:///data/a.db", False), ("sqlite:////tmp/a.db", False),
    ("postgresql://u@localhost/news", False),
])  # fmt: skip
def test_transient_urls(url: str, transient: bool) -> None:
    assert is_transient_sqlite(url) is transient
    if transient:
        with pytest.raises(ConfigError, match="in-memory"):
            require_persistent(url)
    else:
        assert require_persistent(url)


def test_probe_commits_and_leaves_no_trace(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    prove_writable(f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    assert not [n for n in names if n.startswith(PROBE_TABLE)]


def test_full_database_fails_the_probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "a.db"
    prove_writable(f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("VACUUM")  # no free page left: the next table needs a new one
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    monkeypatch.setenv("AGGREGATOR_SQLITE_MAX_PAGE_COUNT", str(pages))
    with pytest.raises(StorageError, match="full"):
        prove_writable(f"sqlite:///{db}")


def test_read_only_connection_fails_the_probe(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    prove_writable(f"sqlite:///{db}")
    # SQLite's own read-only open (works for root too, unlike file permissions).
    with pytest.raises(StorageError, match="cannot write"):
        prove_writable(f"sqlite:///file:{db}?mode=ro&uri=true")


@pytest.mark.postgres
def test_postgres_probe_commits_and_refuses_read_only() -> None:
    admin = require_pg()
    prove_writable(admin)
    sep = "&" if "?" in admin else "?"
    with pytest.raises(StorageError, match="read-only transaction"):
        prove_writable(f"{admin}{sep}options=-cdefault_transaction_read_only%3Don")
