"""When does a job end?  When nothing is queued, nothing is leased, seeding is over and
every live worker has been idle for `idle_seconds`.  No worker ends the job for others.

scrapy-redis as shipped closes a worker as soon as its own scheduler is empty and, unless
SCHEDULER_PERSIST is set, flushes the shared queue and seen set on close: the first idle
worker ends the job for everyone.  `decide` is the replacement rule, on a snapshot of the
job read from Redis by `read_snapshot`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from aggregator.frontier.keys import JobKeys

State = Literal["busy", "idle", "closed"]
SEED_DONE: Final = "done"


@dataclass(frozen=True, slots=True)
class WorkerState:
    """What a worker last said about itself."""

    state: State
    since: float  # when it entered `state` (epoch s, worker clock)
    beat: float  # its last heartbeat

    def to_json(self) -> str:
        """The form stored in the job's `workers` hash."""
        return json.dumps({"state": self.state, "since": self.since, "beat": self.beat})

    @classmethod
    def from_json(cls, raw: bytes | str) -> WorkerState:
        """Parse what `to_json` wrote (a damaged entry reads as a long-dead worker)."""
        try:
            data = json.loads(raw)
            return cls(data["state"], float(data["since"]), float(data["beat"]))
        except (ValueError, KeyError, TypeError):
            return cls("closed", 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The job as Redis sees it."""

    queued: int
    leased: int
    seed: str | None  # None: nobody claimed seeding yet; SEED_DONE; else the seeder's id
    workers: dict[str, WorkerState] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether the job is over, and why not when it is not."""

    finished: bool
    reason: str


def decide(snap: Snapshot, *, now: float, idle_seconds: float, dead_after: float) -> Decision:
    """The job's end rule (see the module docstring).  Dead workers (no heartbeat for
    `dead_after` seconds) do not hold the job open: their leases expire and return."""
    if snap.queued:
        return Decision(False, f"{snap.queued} requests queued")
    if snap.leased:
        return Decision(False, f"{snap.leased} requests leased")
    if snap.seed != SEED_DONE:
        return Decision(False, "start requests not all queued yet")
    for worker, ws in sorted(snap.workers.items()):
        if ws.state == "closed" or now - ws.beat > dead_after:
            continue
        if ws.state == "busy":
            return Decision(False, f"worker {worker} is busy")
        if now - ws.since < idle_seconds:
            return Decision(False, f"worker {worker} idle for less than {idle_seconds:g}s")
    return Decision(True, "queue empty, nothing leased, every worker idle")


def read_snapshot(server: Any, keys: JobKeys) -> Snapshot:
    """Read the job's state in one round trip."""
    pipe = server.pipeline(transaction=False)
    pipe.zcard(keys.queue)
    pipe.zcard(keys.inflight)
    pipe.get(keys.seed)
    pipe.hgetall(keys.workers)
    queued, leased, seed, workers = pipe.execute()
    return Snapshot(
        queued=int(queued), leased=int(leased),
        seed=seed.decode() if isinstance(seed, bytes) else seed,
        workers={(k.decode() if isinstance(k, bytes) else k): WorkerState.from_json(v)
                 for k, v in workers.items()},
    )  # fmt: skip


def redis_now(server: Any) -> float:
    """The Redis server's clock (epoch s): every worker's beats and idle times use it."""
    seconds, micros = server.time()
    return float(seconds) + float(micros) / 1e6
