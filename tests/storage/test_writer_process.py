"""ProcessWriter: the BatchWriter in a child process stores the same, and loses nothing."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.models import Article, CrawlRun, CrawlRunSource, FailedFetch, FailedItem
from aggregator.storage.writer import BatchWriter
from aggregator.storage.writer_process import ProcessWriter, make_writer
from tests.storage.factories import T0, item


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with session_factory(engine, readonly=True)() as session:
            return {model.__name__: int(session.scalar(
                select(func.count()).select_from(model)) or 0)
                for model in (Article, CrawlRun, FailedFetch, FailedItem)}  # fmt: skip
    finally:
        engine.dispose()


def test_same_outcome_as_the_thread_writer(db_url: str, tmp_path: Path) -> None:
    writer = ProcessWriter(db_url, dead_letter=tmp_path / "dead.jsonl")
    writer.open()
    assert writer._proc is not None
    assert writer._proc.pid != os.getpid()
    first = writer.write_batch([item(n) for n in range(12)])
    again = writer.write_batch([item(n) for n in range(6, 18)])
    assert (first.counts["inserted"], first.counts["stored"]) == (12, 12)
    assert (again.counts["inserted"], again.counts["unchanged"]) == (6, 6)
    assert sum(again.stored_by_source.values()) == 12
    writer.queue_failed_fetch("https://berita1.example.id/404", "HTTP 404", status=404,
                              source="s1", kind="article", signal=object(),
                              sender=threading.Lock())  # unpicklable signal kwargs: dropped
    run_id = writer.finish_run(T0, {"store/stored": 24}, ["s0", "s1", "s2"], "finished")
    assert run_id is not None
    assert writer._proc is None  # the child exited after finish_run
    assert _counts(db_url) == {"Article": 18, "CrawlRun": 1, "FailedFetch": 1, "FailedItem": 0}
    engine = make_engine(db_url)
    with session_factory(engine, readonly=True)() as session:
        sources = {s.source: s for s in session.scalars(select(CrawlRunSource))}
        assert sources["s1"].fetch_failures == 1
        assert sum(s.items_stored for s in sources.values()) == 24
    engine.dispose()


def test_a_dead_child_falls_back_in_process(sqlite_url: str, tmp_path: Path) -> None:
    writer = ProcessWriter(sqlite_url, dead_letter=tmp_path / "dead.jsonl")
    writer.open()
    writer.write_batch([item(n) for n in range(5)])
    assert writer._proc is not None
    os.kill(writer._proc.pid, signal.SIGKILL)
    writer._proc.join(10)
    outcome = writer.write_batch([item(n) for n in range(5, 10)])  # retried in-process
    assert outcome.counts["stored"] == 5
    assert isinstance(writer._local, BatchWriter)
    assert writer.finish_run(T0, {}, ["s0"], "finished") is not None
    assert _counts(sqlite_url)["Article"] == 10


def test_ctrl_c_does_not_kill_the_child(sqlite_url: str, tmp_path: Path) -> None:
    writer = ProcessWriter(sqlite_url, dead_letter=tmp_path / "dead.jsonl")
    writer.open()
    assert writer._proc is not None
    os.kill(writer._proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends the group
    outcome = writer.write_batch([item(n) for n in range(3)])
    assert outcome.counts["stored"] == 3
    assert writer._local is None  # still the child
    writer.finish_run(T0, {}, [], "shutdown")


def test_unpicklable_failed_item_is_recorded(sqlite_url: str, tmp_path: Path) -> None:
    writer = ProcessWriter(sqlite_url, dead_letter=tmp_path / "dead.jsonl")
    writer.open()
    writer.queue_failed_item({"url": "https://x.example/1", "lock": threading.Lock()},
                             "pipeline error: boom", stage="pipeline")  # fmt: skip
    writer.flush_queued()
    assert writer._local is None
    writer.finish_run(T0, {}, [], "finished")
    assert _counts(sqlite_url)["FailedItem"] == 1


def test_errors_in_the_child_reach_the_caller(tmp_path: Path) -> None:
    writer = ProcessWriter(f"sqlite:///{tmp_path / 'x.db'}", dead_letter=tmp_path / "d.jsonl")
    writer.open()
    with pytest.raises(AttributeError, match="no_such_method"):
        writer._call("no_such_method")  # raised in the child, re-raised here
    assert writer._local is None  # an error answer is not a dead child
    writer.finish_run(T0, {}, [], "finished")


def test_make_writer_modes(tmp_path: Path) -> None:
    assert isinstance(make_writer("sqlite://", dead_letter=tmp_path / "d", mode="thread"),
                      BatchWriter)  # fmt: skip
    assert isinstance(make_writer("sqlite://", dead_letter=tmp_path / "d"), ProcessWriter)
    with pytest.raises(ValueError, match="unknown store writer mode"):
        make_writer("sqlite://", dead_letter=tmp_path / "d", mode="fork")


def test_dead_letters_written_by_the_child_are_counted_here(tmp_path: Path) -> None:
    writer = ProcessWriter(f"sqlite:///{tmp_path / 'ok.db'}", dead_letter=tmp_path / "d.jsonl")
    writer.open()
    writer.write_batch([item(1)])
    # The child's database goes away: failures it records are dead-lettered by the child.
    writer._call("__setattr__", "session", None)
    writer.queue_failed_item(item(2), "pipeline error: boom", stage="pipeline")
    writer.flush_queued()
    assert (writer.dead_letters.records, writer.dead_letters.items) == (1, 1)
    assert writer.dead_letter == tmp_path / "d.jsonl"
    assert (tmp_path / "d.jsonl").read_text(encoding="utf-8").count("\n") == 1
    writer.abort()


def test_abort_kills_the_child(sqlite_url: str, tmp_path: Path) -> None:
    writer = ProcessWriter(sqlite_url, dead_letter=tmp_path / "dead.jsonl")
    writer.open()
    proc = writer._proc
    assert proc is not None
    assert proc.is_alive()
    writer.abort()
    assert not proc.is_alive()


def test_fallback_keeps_per_source_counts_once(sqlite_url: str, tmp_path: Path) -> None:
    writer = ProcessWriter(sqlite_url, dead_letter=tmp_path / "dead.jsonl")
    writer.open()
    writer.write_batch([item(n) for n in range(3)])
    writer.queue_failed_fetch("https://x.example/a", "HTTP 500", status=500, source="s1")
    writer.abort()  # the child dies with a failure still queued here
    writer.write_batch([item(n) for n in range(3, 6)])  # in-process from now on
    writer.queue_failed_fetch("https://x.example/b", "HTTP 500", status=500, source="s1")
    writer.finish_run(T0, {}, ["s0", "s1", "s2"], "finished")
    assert writer.per_source["s1"]["fetch_failures"] == 2
    assert sum(c["stored"] for c in writer.per_source.values()) == 6
    assert _counts(sqlite_url) == {"Article": 6, "CrawlRun": 1, "FailedFetch": 2,
                                   "FailedItem": 0}  # fmt: skip
