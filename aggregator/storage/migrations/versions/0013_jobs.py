"""scheduled jobs: schedules, job runs (leases), site locks, backfill days; crawl_runs job link

Revision ID: 0013_jobs
Revises: 0003
Create Date: 2026-12-06 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aggregator.storage.db import TZDateTime

revision: str = "0013_jobs"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("crawl_args", sa.JSON(), nullable=False),
        sa.Column("sites", sa.JSON(), nullable=False),
        sa.Column("every_s", sa.Integer(), nullable=True),
        sa.Column("cron", sa.String(length=200), nullable=True),
        sa.Column("jitter_s", sa.Integer(), nullable=False),
        sa.Column("max_runtime_s", sa.Integer(), nullable=True),
        sa.Column("adaptive", sa.Boolean(), nullable=False),
        sa.Column("interval_s", sa.Integer(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZDateTime(), nullable=False),
        sa.Column("next_slot_at", TZDateTime(), nullable=False),
        sa.Column("next_due_at", TZDateTime(), nullable=False),
        sa.Column("current_run_id", sa.Integer(), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_run_at", TZDateTime(), nullable=True),
        sa.Column("last_outcome", sa.String(length=20), nullable=True),
        sa.Column("last_success_at", TZDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
        sa.UniqueConstraint("name", name=op.f("uq_schedules_name")),
    )
    op.create_index(op.f("ix_schedules_next_due_at"), "schedules", ["next_due_at"])
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("slot_at", TZDateTime(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("claimed_at", TZDateTime(), nullable=False),
        sa.Column("lease_expires_at", TZDateTime(), nullable=False),
        sa.Column("finished_at", TZDateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("exit_code", sa.Integer(), nullable=True),
        sa.Column("signal", sa.Integer(), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("crawl_run_id", sa.Integer(), nullable=True),
        sa.Column("articles_new", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedules.id"], ondelete="CASCADE",
                                name=op.f("fk_job_runs_schedule_id_schedules")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("schedule_id", "slot_at", name=op.f("uq_job_runs_schedule_id_slot_at")),
    )
    op.create_index(op.f("ix_job_runs_schedule_id"), "job_runs", ["schedule_id"])
    op.create_index("ix_job_runs_outcome_lease", "job_runs", ["outcome", "lease_expires_at"])
    op.create_table(
        "site_locks",
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("job_run_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", TZDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["job_run_id"], ["job_runs.id"], ondelete="CASCADE",
                                name=op.f("fk_site_locks_job_run_id_job_runs")),
        sa.PrimaryKeyConstraint("site", name=op.f("pk_site_locks")),
    )
    op.create_table(
        "backfill_days",
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("job_run_id", sa.Integer(), nullable=True),
        sa.Column("crawl_run_id", sa.Integer(), nullable=True),
        sa.Column("articles_new", sa.Integer(), nullable=True),
        sa.Column("updated_at", TZDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["job_run_id"], ["job_runs.id"], ondelete="SET NULL",
                                name=op.f("fk_backfill_days_job_run_id_job_runs")),
        sa.PrimaryKeyConstraint("site", "day", name=op.f("pk_backfill_days")),
    )
    # Plain ADD COLUMN (no batch rebuild): rebuilding crawl_runs on SQLite would cascade
    # deletes into the tables that reference it.  No foreign key, for the same reason.
    op.add_column("crawl_runs", sa.Column("job_id", sa.Integer(), nullable=True))
    op.add_column("crawl_runs", sa.Column("job_run_id", sa.Integer(), nullable=True))
    op.add_column("crawl_runs", sa.Column("trigger", sa.String(length=20), nullable=True))
    op.create_index(op.f("ix_crawl_runs_job_id"), "crawl_runs", ["job_id"])
    op.create_index(op.f("ix_crawl_runs_job_run_id"), "crawl_runs", ["job_run_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_crawl_runs_job_run_id"), table_name="crawl_runs")
    op.drop_index(op.f("ix_crawl_runs_job_id"), table_name="crawl_runs")
    with op.batch_alter_table("crawl_runs", recreate="never") as batch:
        batch.drop_column("trigger")
        batch.drop_column("job_run_id")
        batch.drop_column("job_id")
    op.drop_table("backfill_days")
    op.drop_table("site_locks")
    op.drop_index("ix_job_runs_outcome_lease", table_name="job_runs")
    op.drop_index(op.f("ix_job_runs_schedule_id"), table_name="job_runs")
    op.drop_table("job_runs")
    op.drop_index(op.f("ix_schedules_next_due_at"), table_name="schedules")
    op.drop_table("schedules")
