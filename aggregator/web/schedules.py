"""The dashboard's one adapter to scheduled jobs (`aggregator.jobs`).

Everything the dashboard knows about schedules goes through these functions, so the
jobs stage can change its tables without touching the pages.  With no `schedules` table
(jobs not installed, or an older database) they return nothing and the pages say
"no scheduled jobs".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import MetaData, Table, inspect, select
from sqlalchemy.orm import Session

from aggregator.web.common import json_safe

SCHEDULES_TABLE = "schedules"
#: Stats keys under which a scheduled crawl records its job and trigger.
TRIGGER_KEYS = ("job/name", "job/trigger")


def _table(session: Session) -> Table | None:
    """The reflected schedules table, or None when the database has none."""
    conn = session.connection()
    if not inspect(conn).has_table(SCHEDULES_TABLE):
        return None
    return Table(SCHEDULES_TABLE, MetaData(), autoload_with=conn)


def list_schedules(session: Session) -> list[dict[str, Any]]:
    """Every scheduled job as a JSON-ready dict (column -> value); [] without the table."""
    table = _table(session)
    if table is None:
        return []
    return [json_safe(dict(row._mapping)) for row in session.execute(select(table).limit(500))]


def scheduler_lag_seconds(session: Session, now: dt.datetime) -> dict[str, float]:
    """Per job: how late its next run is (now - next_due_at, when overdue); {} without jobs."""
    table = _table(session)
    if table is None or "next_due_at" not in table.c or "name" not in table.c:
        return {}
    lag = {}
    for name, due in session.execute(select(table.c.name, table.c.next_due_at)):
        if isinstance(due, dt.datetime):
            due = due if due.tzinfo else due.replace(tzinfo=dt.UTC)
            lag[str(name)] = max(0.0, (now - due).total_seconds())
    return lag


def run_trigger(stats: dict[str, Any]) -> dict[str, Any] | None:
    """The scheduler's job and trigger behind a crawl run (from its stats), when recorded."""
    job, trigger = (stats.get(k) for k in TRIGGER_KEYS)
    if job is None and trigger is None:
        return None
    return {"job": job, "trigger": trigger}
