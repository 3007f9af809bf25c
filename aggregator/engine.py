"""Two reaches into Scrapy's engine that Scrapy has no public call for, kept in one place.

`pause`/`unpause` are public (`ExecutionEngine.pause`), but after `unpause` the engine
looks at its scheduler again only at its next 5 s heartbeat, or when a download ends;
`wake_engine` schedules that look now (the engine's own `nextcall`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["wake_engine"]


def wake_engine(crawler: Any) -> None:
    """Let the engine look at its queue (and at idleness) now, not at its next tick."""
    slot = getattr(getattr(crawler, "engine", None), "_slot", None)
    nextcall = getattr(slot, "nextcall", None)
    if nextcall is not None:
        nextcall.schedule()
