"""Dialect switches: the right `INSERT ... ON CONFLICT` construct for the session's database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_name(session: Session) -> str:
    """`sqlite` or `postgresql`."""
    return session.get_bind().dialect.name


def insert_for(session: Session, table: Table | Any) -> Any:
    """An insert construct that supports `on_conflict_do_*` on this session's dialect."""
    if dialect_name(session) == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
