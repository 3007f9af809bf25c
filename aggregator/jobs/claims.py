"""`claim_due`: one tick's claim, in a few set-based statements whatever the number of jobs.

Inside the caller's write transaction (SQLite `BEGIN IMMEDIATE`; PostgreSQL with the due
rows locked `FOR UPDATE SKIP LOCKED`):

1. reclaim runs whose lease lapsed (`abandoned`);
2. select the due, idle, unpaused jobs, oldest due first;
3. drop those whose sites a live run holds, or an earlier job of this batch takes;
4. insert their job runs (one multi-row INSERT ... RETURNING per chunk);
5. take their site locks (one multi-row INSERT ... ON CONFLICT DO UPDATE WHERE expired
   ... RETURNING); a lock another scheduler took meanwhile (PostgreSQL: we waited for its
   commit) undoes that job's claim, which stays due for the next tick;
6. move each claimed job to its next slot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, delete, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from aggregator.jobs.leases import Claim, cadence_of, due_time, locking, reclaim_expired
from aggregator.jobs.models import RUNNING, JobRun, Schedule, SiteLock
from aggregator.storage.dialect import dialect_name, insert_for

#: Rows per multi-row statement (well under SQLite's bound-parameter limit).
CHUNK = 400
T = TypeVar("T")


def _chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def claim_due(session: Session, now: dt.datetime, owner: str, lease_s: int,
              limit: int | None = None) -> list[Claim]:  # fmt: skip
    """Claim every due job (at most `limit`) whose sites are free; see the module doc."""
    reclaim_expired(session, now)
    stmt = (select(Schedule)
            .where(Schedule.paused.is_(False), Schedule.next_due_at <= now,
                   Schedule.current_run_id.is_(None))
            .order_by(Schedule.next_due_at, Schedule.id))  # fmt: skip
    due: list[Schedule] = list(session.scalars(locking(session, stmt)))
    chosen = _free_of_conflicts(session, due, now, limit)
    if not chosen:
        return []
    expires = now + dt.timedelta(seconds=lease_s)
    slots = {s.id: cadence_of(s).slot_at(s.next_slot_at, now, s.interval_s) for s in chosen}
    run_ids = _insert_runs(session, chosen, slots, now, expires, owner)
    lost = _lock_sites(session, chosen, run_ids, expires, now)
    claims = []
    moved = []
    for schedule in chosen:
        if schedule.id in lost:
            continue
        slot = slots[schedule.id]
        # Values set as "committed" (no ORM flush per row): one bulk UPDATE writes them.
        set_committed_value(schedule, "current_run_id", run_ids[schedule.id])
        set_committed_value(schedule, "next_slot_at",
                            cadence_of(schedule).next_after(slot.at, now, schedule.interval_s))
        set_committed_value(schedule, "next_due_at", due_time(schedule))
        moved.append(schedule)
        claims.append(Claim(run_ids[schedule.id], schedule.id, schedule.name,
                            "catch-up" if slot.missed else "schedule", slot.at,
                            list(schedule.crawl_args), schedule.max_runtime_s))  # fmt: skip
    _move_to_next_slot(session, moved)
    return claims


def _move_to_next_slot(session: Session, moved: list[Schedule]) -> None:
    """Write the claimed jobs' run id and next slot: one statement on PostgreSQL."""
    if not moved:
        return
    if dialect_name(session) == "postgresql":
        session.execute(text(
            "UPDATE schedules AS s SET current_run_id = v.run_id, next_slot_at = v.slot_at,"
            " next_due_at = v.due_at FROM unnest(CAST(:ids AS integer[]),"
            " CAST(:runs AS integer[]), CAST(:slots AS timestamptz[]),"
            " CAST(:dues AS timestamptz[])) AS v(id, run_id, slot_at, due_at)"
            " WHERE s.id = v.id"),
            {"ids": [s.id for s in moved], "runs": [s.current_run_id for s in moved],
             "slots": [s.next_slot_at for s in moved], "dues": [s.next_due_at for s in moved]})
        return
    table = Schedule.__table__
    assert isinstance(table, Table)
    stmt = (update(table).where(table.c.id == bindparam("sid"))
            .values(current_run_id=bindparam("run"), next_slot_at=bindparam("slot"),
                    next_due_at=bindparam("due")))  # fmt: skip
    session.execute(stmt, [{"sid": s.id, "run": s.current_run_id, "slot": s.next_slot_at,
                            "due": s.next_due_at} for s in moved])  # fmt: skip


def _free_of_conflicts(session: Session, due: list[Schedule], now: dt.datetime,
                       limit: int | None) -> list[Schedule]:  # fmt: skip
    """The due jobs whose sites no live run holds, none sharing a site with an earlier one."""
    wanted = sorted({site for s in due for site in s.sites})
    taken: set[str] = set()
    for chunk in _chunks(wanted):
        taken.update(session.scalars(select(SiteLock.site).where(
            SiteLock.site.in_(chunk), SiteLock.expires_at >= now)))  # fmt: skip
    chosen: list[Schedule] = []
    for schedule in due:
        if limit is not None and len(chosen) >= limit:
            break
        if taken.isdisjoint(schedule.sites):
            chosen.append(schedule)
            taken.update(schedule.sites)
    return chosen


def _insert_runs(session: Session, chosen: list[Schedule], slots: dict[int, Any],
                 now: dt.datetime, expires: dt.datetime, owner: str) -> dict[int, int]:  # fmt: skip
    """Insert one running JobRun per job; schedule id -> run id."""
    rows = [{"schedule_id": s.id, "slot_at": slots[s.id].at, "owner": owner, "claimed_at": now,
             "lease_expires_at": expires, "outcome": RUNNING,
             "trigger": "catch-up" if slots[s.id].missed else "schedule"}
            for s in chosen]  # fmt: skip
    # executemany: one cached statement sent in batches (our PostgreSQL engine turns off
    # executemany RETURNING), then the ids read back by the unique (schedule_id, slot_at).
    session.execute(insert(JobRun), rows)
    ids: dict[int, int] = {}
    slot_of = {s.id: slots[s.id].at for s in chosen}
    for chunk in _chunks(sorted(slot_of)):
        found = session.execute(select(JobRun.schedule_id, JobRun.slot_at, JobRun.id).where(
            JobRun.schedule_id.in_(chunk), JobRun.claimed_at == now, JobRun.owner == owner))
        ids.update((int(sid), int(rid)) for sid, slot, rid in found
                   if sid is not None and slot == slot_of[sid])  # fmt: skip
    return ids


def _lock_sites(session: Session, chosen: list[Schedule], run_ids: dict[int, int],
                expires: dt.datetime, now: dt.datetime) -> set[int]:  # fmt: skip
    """Take the site locks; returns the schedule ids that lost a race (their claims undone)."""
    owner_of = {site: s.id for s in chosen for site in s.sites}
    rows = sorted(({"site": site, "job_run_id": run_ids[sid], "expires_at": expires}
                   for site, sid in owner_of.items()), key=lambda r: str(r["site"]))  # fmt: skip
    table = SiteLock.__table__
    stmt = insert_for(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["site"],
        set_={"job_run_id": stmt.excluded.job_run_id, "expires_at": stmt.excluded.expires_at},
        where=table.c.expires_at < now,
    )
    session.execute(stmt, rows)  # executemany; rows in site order, so claimers cannot deadlock
    ours = {int(str(r["job_run_id"])) for r in rows}
    got: set[str] = set()
    for chunk in _chunks(sorted(ours)):
        got.update(session.scalars(select(SiteLock.site).where(SiteLock.job_run_id.in_(chunk))))
    lost = {owner_of[site] for site in owner_of if site not in got}
    if lost:
        _undo(session, [run_ids[sid] for sid in lost])
    return lost


def _undo(session: Session, run_ids: Iterable[int]) -> None:
    """Remove claims that lost a site-lock race (their locks first, then the runs)."""
    ids = list(run_ids)
    session.execute(delete(SiteLock).where(SiteLock.job_run_id.in_(ids)))
    session.execute(delete(JobRun).where(JobRun.id.in_(ids)))
