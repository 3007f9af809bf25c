"""Database fixtures for storage and CLI tests: a fresh SQLite file, a fresh PG schema.

PostgreSQL: `AGGREGATOR_TEST_PG_URL`, else `postgres@127.0.0.1:5432/test`, else
`root@...`.  Each test gets its own schema (random name, via `search_path` in the URL)
dropped afterwards, so parallel runs never collide.  Unreachable server: skip locally,
fail under `CI=true`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.migrate import upgrade

_CANDIDATES = (
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgresql://root@127.0.0.1:5432/test",
)
_ADMIN: list[str | None] = []  # memo: the reachable admin URL, or None


def pg_admin_url() -> str | None:
    """The first PostgreSQL URL that accepts a connection, or None."""
    if _ADMIN:
        return _ADMIN[0]
    override = os.environ.get("AGGREGATOR_TEST_PG_URL")
    found = None
    for url in (override,) if override else _CANDIDATES:
        try:
            with psycopg.connect(url.replace("+psycopg", ""), connect_timeout=3):
                found = url
                break
        except psycopg.Error:
            continue
    _ADMIN.append(found)
    return found


def require_pg() -> str:
    """The admin URL; skip (locally) or fail (under CI) when the server is unreachable."""
    url = pg_admin_url()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL at 127.0.0.1:5432 is unreachable under CI=true")
        pytest.skip("PostgreSQL is unreachable (set CI=true to make this a failure)")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose search_path is a brand-new schema (dropped after the test)."""
    admin = require_pg()
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in admin else "?"
    yield f"{admin}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file in the test's temporary directory (not created yet)."""
    return f"sqlite:///{tmp_path / 'db' / 'aggregator.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend in turn."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a migrated database (schema at head)."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Writer sessions on the migrated database."""
    return session_factory(engine)
