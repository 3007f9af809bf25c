"""PostgreSQL full-text index in its own narrow table, kept by statement triggers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 16:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from aggregator.storage.search_table import create_search_table, drop_search_table

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision (PostgreSQL only; SQLite's FTS5 index is already a table)."""
    create_search_table(op.get_bind())


def downgrade() -> None:
    """Revert this revision."""
    drop_search_table(op.get_bind())
