"""The captures table: revisits across runs, revisit payloads, article links, pruning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from aggregator.archive import index
from aggregator.archive.manage import apply_prune, list_files, plan_prune, remove_files
from aggregator.archive.recorder import Recorder
from aggregator.archive.source import ArchivePages
from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.models_archive import Capture
from tests.archive.helpers import PAGE, exchange

DAY1 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
DAY2 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def record_run(tmp_path: Path, db_url: str, name: str, when: dt.datetime,
               bodies: dict[str, bytes]) -> Recorder:  # fmt: skip
    """One "crawl": a recorder writing these URL -> body exchanges at `when`."""
    recorder = Recorder(tmp_path / name, db_url, worker=name)
    recorder.open()
    for i, (url, body) in enumerate(bodies.items()):
        recorder.record(exchange(url, body=body, when=when + dt.timedelta(seconds=i)))
    recorder.close()
    return recorder


def test_revisit_across_runs_and_its_payload(tmp_path: Path, db_url: str) -> None:
    a, b = "http://127.0.0.1:9/a", "http://127.0.0.1:9/b"
    record_run(tmp_path, db_url, "run1", DAY1, {a: PAGE, b: PAGE + b"v1"})
    second = record_run(tmp_path, db_url, "run2", DAY2, {a: PAGE, b: PAGE + b"v2"})
    assert (second.counts["revisits"], second.counts["responses"]) == (1, 1)
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        rows = session.scalars(select(Capture).order_by(Capture.id)).all()
        assert [(r.url, r.record_type) for r in rows] == [
            (a, "response"), (b, "response"), (a, "revisit"), (b, "response")]
        assert rows[2].refers_to == rows[0].record_id
        pages = ArchivePages(session, on_error=lambda exc: None)
        revisit = index.CaptureRef.of(rows[2])
        record, payload = pages.record(revisit)
        assert record.rec_type == "revisit"
        assert payload == PAGE
        assert pages.page(revisit).body == PAGE
        assert pages.original(revisit).fetched_at == DAY1
    engine.dispose()


def test_prune_deletes_old_files_but_keeps_revisit_originals(tmp_path: Path,
                                                             db_url: str) -> None:  # fmt: skip
    a, b = "http://127.0.0.1:9/a", "http://127.0.0.1:9/b"
    old = record_run(tmp_path, db_url, "old", DAY1, {a: PAGE + b"1", b: PAGE + b"2"})
    old_only = record_run(tmp_path, db_url, "older", DAY1 - dt.timedelta(days=1),
                          {"http://127.0.0.1:9/c": PAGE + b"3"})  # fmt: skip
    record_run(tmp_path, db_url, "new", DAY2, {a: PAGE + b"1"})  # a revisit into "old"
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        assert len(list_files(session)) == 3
        plan = plan_prune(session, DAY2 - dt.timedelta(days=1))
        assert [Path(f.summary.warc_file) for f in plan.files] == old_only.writer.files
        assert [Path(f.summary.warc_file) for f in plan.kept] == old.writer.files
        assert apply_prune(session, plan) == 1
    remove_files(plan)
    assert not old_only.writer.files[0].exists()
    assert old.writer.files[0].exists()
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Capture)) == 3
        assert session.scalar(select(func.count()).where(Capture.url.like("%/c"))) == 0
    engine.dispose()


def test_page_capture_prefers_the_answer_the_crawl_used(tmp_path: Path, sqlite_url: str) -> None:
    page2 = "http://127.0.0.1:9/a?page=2"
    recorder = Recorder(tmp_path / "w", sqlite_url)
    recorder.open()
    recorder.record(exchange(page2, body=b"old", when=DAY1 - dt.timedelta(days=1)))
    recorder.record(exchange(page2, status=503, body=b"busy", when=DAY1 + dt.timedelta(seconds=1)))
    recorder.record(exchange(page2, body=PAGE, when=DAY1 + dt.timedelta(seconds=3)))  # the retry
    recorder.record(exchange("http://127.0.0.1:9/gone", status=404, body=b"", when=DAY1))
    recorder.close()
    engine = make_engine(sqlite_url)
    with session_factory(engine)() as session:
        used = index.page_capture(session, page2, DAY1)
        assert used is not None
        assert (used.status, used.fetched_at) == (200, DAY1 + dt.timedelta(seconds=3))
        later = index.page_capture(session, page2, DAY2)  # nothing after: the last good one
        assert later is not None
        assert later.fetched_at == DAY1 + dt.timedelta(seconds=3)
        gone = index.page_capture(session, "http://127.0.0.1:9/gone", DAY1)
        assert gone is not None
        assert gone.status == 404
        assert index.page_capture(session, "http://127.0.0.1:9/never", DAY1) is None
    engine.dispose()
