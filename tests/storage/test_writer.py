"""BatchWriter: batches land whole, a bad item fails alone, nothing is ever lost."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

import aggregator.storage.writer as writer_mod
from aggregator.storage.models import Article, CrawlRun, CrawlRunSource, FailedFetch, FailedItem
from aggregator.storage.writer import BatchWriter
from tests.storage.factories import T0, item


def _count(w: BatchWriter, model: type) -> int:
    assert w.session is not None
    with w.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def writer(db_url: str, tmp_path: Path) -> BatchWriter:
    w = BatchWriter(db_url, dead_letter=tmp_path / "dead.jsonl")
    w.open()  # creates the schema
    return w


def test_batch_then_run_summary(writer: BatchWriter) -> None:
    outcome = writer.write_batch([item(n) for n in range(10)])
    assert (outcome.counts["stored"], outcome.counts["inserted"]) == (10, 10)
    writer.queue_failed_fetch("https://berita1.example.id/404", "HTTP 404", status=404,
                              source="s1", kind="article")  # fmt: skip
    writer.queue_failed_fetch("https://berita1.example.id/404", "HTTP 404", status=404,
                              source="s1", kind="article")  # fmt: skip
    stats = {"downloader/response_count": 12, "item_scraped_count": 10, "store/stored": 10,
             "dedup/duplicate/url": 2, "dedup/duplicate/content": 1,
             "validate/dropped/missing_body": 1,
             # Scrapy's per-class count holds the 3 duplicates and the validate drop again
             "item_dropped_reasons_count/DropItem": 4, "log_count/ERROR": 1}  # fmt: skip
    run_id = writer.finish_run(T0, stats, ["s0", "s1", "s2"], "finished")
    assert run_id is not None
    assert writer.session is not None
    with writer.session() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        assert (run.pages_fetched, run.items_stored, run.duplicates, run.items_dropped) == (
            12, 10, 3, 1)  # fmt: skip  (issue 12: duplicates were counted as drops too)
        assert run.drops_by_reason == {"validate/dropped/missing_body": 1}
        assert (run.finish_reason, run.errors, run.sites) == ("finished", 1, ["s0", "s1", "s2"])
        fetch = session.scalars(select(FailedFetch)).one()
        assert (fetch.attempts, fetch.status, fetch.crawl_run_id) == (2, 404, run_id)
        per_source = {r.source: r for r in session.scalars(select(CrawlRunSource))}
        assert per_source["s1"].fetch_failures == 2
        assert sum(r.items_stored for r in per_source.values()) == 10


def test_a_bad_item_fails_alone(writer: BatchWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    real = writer_mod.upsert_articles

    def flaky(session: Session, items: list[Any]) -> Any:
        if any(i.url.endswith("/read/3") for i in items):
            raise RuntimeError("simulated constraint failure")
        return real(session, items)

    monkeypatch.setattr(writer_mod, "upsert_articles", flaky)
    outcome = writer.write_batch([item(n) for n in range(6)])
    assert (outcome.counts["stored"], outcome.counts["failed"]) == (5, 1)
    assert _count(writer, Article) == 5
    assert writer.session is not None
    with writer.session() as session:
        failed = session.scalars(select(FailedItem)).one()
    assert failed.url == item(3).url
    assert failed.payload["title"] == item(3).title
    assert "simulated" in failed.reason


def test_unreachable_database_dead_letters(tmp_path: Path) -> None:
    w = BatchWriter(f"sqlite:///{tmp_path / 'a.db'}", dead_letter=tmp_path / "dead.jsonl")
    w.open()
    from sqlalchemy.orm import sessionmaker

    # A database that refuses every connection, after the writer was opened.
    w.session = sessionmaker(bind=create_engine("postgresql+psycopg://u@127.0.0.1:1/x",
                                                connect_args={"connect_timeout": 2}))  # fmt: skip
    outcome = w.write_batch([item(1), item(2)])
    assert outcome.counts["failed"] == 2
    lines = (tmp_path / "dead.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert sorted(r["item"]["url"] for r in records) == sorted([item(1).url, item(2).url])
    assert all(r["stage"] == "store" for r in records)
    assert records[0]["item"]["fetched_at"].startswith(str(T0.date()))


def test_unreachable_database_dead_letters_failed_fetches(tmp_path: Path) -> None:
    w = BatchWriter(f"sqlite:///{tmp_path / 'a.db'}", dead_letter=tmp_path / "dead.jsonl")
    w.open()
    from sqlalchemy.orm import sessionmaker

    w.session = sessionmaker(bind=create_engine("postgresql+psycopg://u@127.0.0.1:1/x",
                                                connect_args={"connect_timeout": 2}))  # fmt: skip
    w.queue_failed_fetch("https://x.example.id/hilang", "HTTP 404", status=404, source="x")
    w.flush_queued()
    records = [json.loads(x) for x in (tmp_path / "dead.jsonl").read_text().splitlines()]
    assert [(r["stage"], r["url"], r["fetch"]["status"]) for r in records] == [
        ("fetch", "https://x.example.id/hilang", 404)]


def test_clustering_failure_keeps_the_articles(
    writer: BatchWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(session: Session, ids: list[int]) -> None:
        raise RuntimeError("clustering bug")

    monkeypatch.setattr(writer, "cluster_fn", broken)
    outcome = writer.write_batch([item(n) for n in range(3)])
    assert (outcome.counts["stored"], outcome.counts["cluster_errors"]) == (3, 1)
    assert _count(writer, Article) == 3


def test_clusters_are_assigned(writer: BatchWriter) -> None:
    body = item(1).body
    copy = item(2, url="https://lain.example.id/x", source="lain", body=body,
                fetched_at=T0 + dt.timedelta(hours=1))  # fmt: skip
    writer.write_batch([item(1), copy])
    assert writer.session is not None
    with writer.session() as session:
        clusters = session.execute(select(Article.cluster_id, Article.is_cluster_origin)).all()
    assert len({c for c, _ in clusters}) == 1
    assert sorted(o for _, o in clusters) == [False, True]
