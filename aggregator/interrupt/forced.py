"""The forced stop (second signal, or the grace period over): save what is held, then exit.

Runs on its own daemon thread, so it works whatever the reactor thread is waiting on.

1. Downloads still in progress are recorded as failed with the reason `interrupted`
   (counted under `spider/failed/<kind>/interrupted`, like the graceful stop does).
2. The store pipeline hands over every item not yet committed (its buffer and the batch
   the writer thread may be committing) and seals itself.
3. Those items, the queued failure records and the `crawl_runs` row (finish reason
   `interrupted_forced`) are written to the database on a helper thread, given
   `force_timeout` seconds.  Whatever is not confirmed written by then is appended to
   the dead-letter file (fsync'ed), and so is any item that arrived after step 2.
4. One line on stderr, then `os._exit(128 + first signal)`.

The process therefore ends within `force_timeout` + EXIT_SLACK_SECONDS of the forced
stop whatever holds the database.  An item both committed and dead-lettered (the writer
thread finished its commit after the deadline) is harmless: replaying it is a no-op.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from aggregator.interrupt.glue import ABANDONED_META, hand_back
from aggregator.interrupt.signals import Interrupts, _exit
from aggregator.storage.deadletter import fetch_record, item_record, run_record

log = logging.getLogger(__name__)
FORCED_REASON = "interrupted_forced"


def forced_stop(crawler: Any, say: Callable[[str], None] | None = None) -> Callable[
        [Interrupts, str], None]:  # fmt: skip
    """The `Interrupts.on_force` callback for this crawler."""

    def run(state: Interrupts, why: str) -> None:
        try:
            line = save_and_report(crawler, state, why)
        except Exception as exc:  # never let a bug here keep the process alive
            line = f"crawl interrupted by {state.name}: forced stop failed ({exc!r})"
        (say or _stderr)(line)
        _exit(state.code or 1)

    return run


def save_and_report(crawler: Any, state: Interrupts, why: str) -> str:
    """Steps 1-3; returns the line to print."""
    deadline = time.monotonic() + state.force_timeout
    store = getattr(crawler, "aggregator_store", None)
    abandoned = _abandon_in_flight(crawler)
    if store is None:
        return (f"crawl interrupted by {state.name} ({why}): forced stop, store disabled; "
                f"{len(abandoned)} downloads abandoned")  # fmt: skip
    items = store.take_unconfirmed()
    writer = store.writer
    for url, kind in abandoned:
        writer.queue_failed_fetch(url, "interrupted", kind=kind)
    done = threading.Event()

    def write() -> None:
        if items:
            outcome = writer.write_batch(items)
            if crawler.stats is not None:
                for key, value in outcome.counts.items():
                    crawler.stats.inc_value(f"store/{key}", value)
        if store.run_state == "forced":
            writer.finish_run(store.started_at, _run_stats(crawler, state, why),
                              store.sites(crawler.spider), FORCED_REASON, store.job)  # fmt: skip
        else:  # spider_closed is recording the run on the writer thread: let it finish
            while store.run_state == "finishing" and time.monotonic() < deadline:
                time.sleep(0.05)
        writer.flush_queued()
        done.set()

    threading.Thread(target=write, name="aggregator-forced-write", daemon=True).start()
    done.wait(max(0.0, deadline - time.monotonic()))
    unsaved = [] if done.is_set() else items
    late = store.take_late()
    queued_items, queued_fetches = writer.take_queued() if not done.is_set() else ([], [])
    why_dl = "forced stop" if done.is_set() else "forced stop: database write not confirmed in time"
    records = [item_record(i, "interrupted", "interrupted", why_dl) for i in [*unsaved, *late]]
    records += [item_record(i, r, s, why_dl) for i, r, s in queued_items]
    records += [fetch_record(u, r, e, why_dl) for u, r, e in queued_fetches]
    if not done.is_set() and store.run_state == "forced":  # the crawl_runs row, too
        stats = _run_stats(crawler, state, why)
        records.append(run_record(started_at=store.started_at, finished_at=_now(),
                                  sites=store.sites(crawler.spider), stats=stats,
                                  finish_reason=FORCED_REASON,
                                  per_source=writer.per_source, why=why_dl))  # fmt: skip
    writer.dead_letters.write(records)
    if not done.is_set() and callable(abort := getattr(writer, "abort", None)):
        abort()  # a writer process must not go on committing after we exit
    held = len(items) + len(late)
    saved = "dead-lettered to " + str(writer.dead_letter) if records else "stored"
    return (f"crawl interrupted by {state.name} ({why}): forced stop after "
            f"{state.elapsed():.1f} s; {held} items held were {saved}; "
            f"{len(abandoned)} downloads abandoned (exit {state.code})")  # fmt: skip


def _abandon_in_flight(crawler: Any) -> list[tuple[str, str]]:
    """Requests started and not finished: counted as failed (`interrupted`)."""
    engine = getattr(crawler, "engine", None)
    # `_slot.inprogress` also holds requests whose response is still being parsed;
    # fall back to the downloader's public `active` sets if Scrapy renames it.
    slot = getattr(engine, "_slot", None)
    requests = list(getattr(slot, "inprogress", ()) or ())
    if not requests:
        for dl_slot in list(getattr(getattr(engine, "downloader", None), "slots", {}).values()):
            requests += list(dl_slot.active)
    out = []
    for request in requests:
        if request.meta.get(ABANDONED_META):  # already failed through the spider's errback
            continue
        if hand_back(crawler, request):  # a shared frontier's: another worker fetches it
            continue
        kind = request.meta.get("aggregator_kind", "article")
        url = request.meta.get("redirect_urls", [request.url])[0]
        out.append((url, kind))
        if crawler.stats is not None:
            crawler.stats.inc_value("spider/failed")
            crawler.stats.inc_value(f"spider/failed/{kind}/interrupted")
    return out


def _run_stats(crawler: Any, state: Interrupts, why: str) -> dict[str, Any]:
    """The stats a forced stop records with its crawl_runs row."""
    stats = _stats(crawler)
    stats.update({"finish_reason": FORCED_REASON, "interrupt/forced": why,
                  "interrupt/signal": state.name})  # fmt: skip
    return stats


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stats(crawler: Any) -> dict[str, Any]:
    """A copy of the stats (the reactor thread may be writing them meanwhile)."""
    for _ in range(5):
        try:
            return dict(crawler.stats.get_stats()) if crawler.stats is not None else {}
        except RuntimeError:  # changed size during iteration: try again
            continue
    return {}


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
