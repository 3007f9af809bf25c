"""captures: where each archived response lives in the WARC files

Revision ID: 0017_captures
Revises: 0003
Create Date: 2026-12-06 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import aggregator.storage.db

revision: str = "0017_captures"
down_revision: str | None = "0016_run_workers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("fetched_at", aggregator.storage.db.TZDateTime(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("site", sa.String(length=200), nullable=True),
        sa.Column("record_type", sa.String(length=10), nullable=False),
        sa.Column("payload_digest", sa.String(length=64), nullable=True),
        sa.Column("warc_file", sa.String(length=1024), nullable=False),
        sa.Column("warc_offset", sa.BigInteger(), nullable=False),
        sa.Column("warc_length", sa.BigInteger(), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("refers_to", sa.String(length=100), nullable=True),
        sa.Column("article_url", sa.String(length=2048), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"],
                                name=op.f("fk_captures_article_id_articles"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captures")),
        sa.UniqueConstraint("record_id", name=op.f("uq_captures_record_id")),
    )
    op.create_index("ix_captures_url_fetched_at", "captures", ["url", "fetched_at"])
    op.create_index(op.f("ix_captures_fetched_at"), "captures", ["fetched_at"])
    op.create_index(op.f("ix_captures_warc_file"), "captures", ["warc_file"])
    op.create_index(op.f("ix_captures_article_id"), "captures", ["article_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("captures")
