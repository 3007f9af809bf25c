"""StorePipeline inside a real Scrapy crawl: every item is stored or recorded as failed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.models import Article, CrawlRun, CrawlRunSource, FailedFetch, FailedItem

ROOT = Path(__file__).resolve().parents[2]


def run_crawl(url: str, n: int, offset: int = 0, batch: int = 10, writer: str = "") -> None:
    """Run `tests.storage.crawl_items` in a subprocess, as a user's crawl would."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.storage.crawl_items", url, str(n), str(offset), str(batch),
         *([writer] if writer else [])],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.mark.parametrize("writer", ["", "process", "thread"])  # "": the default (process)
def test_crawl_stores_everything_and_records_the_run(db_url: str, writer: str) -> None:
    run_crawl(db_url, 25, writer=writer)  # two full batches of 10 and a flush at close
    run_crawl(db_url, 25, writer=writer)  # a re-run adds nothing
    engine = make_engine(db_url)
    with session_factory(engine, readonly=True)() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 24  # all but 7
        failed = session.scalars(select(FailedItem)).all()
        assert [f.url for f in failed] == [failed[0].url] * 2
        assert failed[0].url.endswith("/read/7")
        assert failed[0].stage == "pipeline"
        assert "boom on seven" in failed[0].reason
        runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert [r.items_stored for r in runs] == [24, 24]
        assert [r.items_inserted for r in runs] == [24, 0]
        assert runs[0].finish_reason == "finished"
        assert runs[0].sites == ["s0", "s1", "s2"]
        assert runs[1].finished_at is not None
        assert runs[1].finished_at >= runs[1].started_at
        fetch = session.scalars(select(FailedFetch)).one()
        assert (fetch.attempts, fetch.status) == (2, 404)
        sources = session.scalars(
            select(CrawlRunSource).where(CrawlRunSource.crawl_run_id == runs[1].id)
        ).all()
        assert sum(s.items_stored for s in sources) == 24
    engine.dispose()


def run_slow_store(url: str, n: int, max_pending: int) -> dict[str, int]:
    """`tests.storage.slow_store_crawl` in a subprocess; its stats line."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.storage.slow_store_crawl", url, str(n), str(max_pending)],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_a_store_slower_than_the_crawl_slows_the_crawl(tmp_path: Path) -> None:
    # Without backpressure every item of the crawl piles up waiting for the writer
    # (checked below with an unreachable limit); with it, the engine is paused while 2
    # batches wait, so the pipeline holds those, the batch being filled, and the items
    # of the downloads that were under way (which may complete up to 2 more batches).
    n = 600
    bounded = run_slow_store(f"sqlite:///{tmp_path / 'bounded.db'}", n, max_pending=2)
    unbounded = run_slow_store(f"sqlite:///{tmp_path / 'unbounded.db'}", n, max_pending=10**6)
    batch, concurrency = 10, 16
    assert bounded["test/peak_held"] <= (2 + 2) * batch + batch + concurrency
    assert bounded["store/backpressure_pauses"] > 0
    assert unbounded["test/peak_held"] > n // 2
    assert "store/backpressure_pauses" not in unbounded
    for stats in (bounded, unbounded):
        assert stats["store/stored"] == n
