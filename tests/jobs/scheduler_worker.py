"""One scheduler ticking over simulated time, run in its own process by the concurrency tests.

The processes tick in lockstep (a `multiprocessing.Barrier` before every tick), as schedulers
sharing one real clock would; each tick runs what it claimed to completion.  A lease longer
than the offset between the workers' clocks keeps one from reclaiming the other's live run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aggregator.jobs.runner import Clock, Scheduler


def tick_over(db_url: str, start: dt.datetime, ticks: int, step_s: float, owner: str,
              barrier: Any, results: Any) -> None:  # fmt: skip
    """Tick `ticks` times at start + i * step_s; put (owner, runs claimed) on `results`."""
    scheduler = Scheduler(db_url, owner=owner, lease_s=600, on_event=lambda _text: None)
    claimed = 0
    try:
        for i in range(ticks):
            barrier.wait(60)
            scheduler.clock = Clock(start + dt.timedelta(seconds=i * step_s))
            claimed += len(scheduler.tick())
            scheduler.wait()
    finally:
        scheduler.close()
        results.put((owner, claimed))
