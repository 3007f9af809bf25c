"""Dashboard fixtures: a seeded database on each backend."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.storage.dbs import db_url, engine, pg_url, sessions, sqlite_url  # noqa: F401
from tests.web.seed import seed


@pytest.fixture
def seeded(engine: Engine, sessions: sessionmaker[Session], db_url: str) -> dict[str, Any]:  # noqa: F811
    """A seeded database: {'url': ..., 'ids': ...}."""
    with sessions.begin() as session:
        ids = seed(session)
    return {"url": db_url, "ids": ids}
