"""per-source per-run metrics for source health (the dashboard and `aggregator health`)

Revision ID: 0014_source_runs
Revises: 0003
Create Date: 2026-12-06 17:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aggregator.storage.db import TZDateTime

revision: str = "0014_source_runs"
down_revision: str | None = "0013_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTERS = ("pages_fetched", "articles_scraped", "articles_stored", "articles_failed",
             "fetch_failures", "not_articles", "bot_challenges", "zone_corrections",
             "with_title", "with_date", "with_author", "with_body")  # fmt: skip
_MAPS = ("status_counts", "failure_reasons", "reject_reasons", "drop_reasons", "rule_hits")


def upgrade() -> None:
    """Create `source_runs`."""
    op.create_table(
        "source_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("started_at", TZDateTime(), nullable=False),
        sa.Column("finished_at", TZDateTime(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _COUNTERS),
        sa.Column("median_body_chars", sa.Integer(), nullable=True),
        sa.Column("lag_p50_seconds", sa.Integer(), nullable=True),
        sa.Column("lag_p95_seconds", sa.Integer(), nullable=True),
        *(sa.Column(name, sa.JSON(), nullable=False) for name in _MAPS),
        sa.ForeignKeyConstraint(["crawl_run_id"], ["crawl_runs.id"], ondelete="CASCADE",
                                name=op.f("fk_source_runs_crawl_run_id_crawl_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_runs")),
        sa.UniqueConstraint("crawl_run_id", "source",
                            name=op.f("uq_source_runs_crawl_run_id_source")),
    )  # fmt: skip
    op.create_index(op.f("ix_source_runs_crawl_run_id"), "source_runs", ["crawl_run_id"])
    op.create_index("ix_source_runs_source_started_at", "source_runs", ["source", "started_at"])


def downgrade() -> None:
    """Drop `source_runs`."""
    op.drop_index("ix_source_runs_source_started_at", table_name="source_runs")
    op.drop_index(op.f("ix_source_runs_crawl_run_id"), table_name="source_runs")
    op.drop_table("source_runs")
