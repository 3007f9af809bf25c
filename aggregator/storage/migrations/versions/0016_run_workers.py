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
down_revision: str | None = "0014_source_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases: SQLite's batch mode would copy the table, which
# the views over crawl_runs forbid; SQLite (3.35+) adds and drops columns in place.
def upgrade() -> None:
    """Add the two nullable columns (runs without a frontier keep NULL)."""
    op.add_column("crawl_runs", sa.Column("frontier_job", sa.String(length=200), nullable=True))
    op.add_column("crawl_runs", sa.Column("worker_id", sa.String(length=200), nullable=True))
    op.create_index("ix_crawl_runs_frontier_job", "crawl_runs", ["frontier_job"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_crawl_runs_frontier_job", table_name="crawl_runs")
    op.drop_column("crawl_runs", "worker_id")
    op.drop_column("crawl_runs", "frontier_job")
