"""crawl_runs: the frontier job and worker a run belonged to (scale-out)

Revision ID: 0016_run_workers
Revises: 0003
Create Date: 2026-12-06 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_run_workers"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the two nullable columns (runs without a frontier keep NULL)."""
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("frontier_job", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("worker_id", sa.String(length=200), nullable=True))
        batch.create_index("ix_crawl_runs_frontier_job", ["frontier_job"])


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_index("ix_crawl_runs_frontier_job")
        batch.drop_column("worker_id")
        batch.drop_column("frontier_job")
