"""same-body lookup index led by the hash; full-text index tuning

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

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


def downgrade() -> None:
    """Revert this revision."""
    untune_fts(op.get_bind())
    op.drop_index("ix_articles_content_hash_source", table_name="articles")
    op.create_index("ix_articles_source_content_hash", "articles", ["source", "content_hash"])
