"""Several processes write overlapping batches into one database: nothing lost, no duplicate."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.models import Article, ArticleAuthor, Author, FailedItem, Source
from tests.storage.concurrent_cluster_writer import STORIES, copy_of
from tests.storage.concurrent_writer import COUNT, STEP
from tests.storage.factories import item

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4


def test_concurrent_writers_lose_nothing(db_url: str, tmp_path: Path) -> None:
    _run_together("tests.storage.concurrent_writer", db_url, tmp_path)
    expected = {item(n).url for n in range((WORKERS - 1) * STEP + COUNT)}
    engine = make_engine(db_url)
    with session_factory(engine, readonly=True)() as session:
        urls = session.scalars(select(Article.url)).all()
        assert len(urls) == len(set(urls)) == len(expected)  # no duplicate, nothing extra
        assert set(urls) == expected  # nothing lost
        assert session.scalar(select(func.count()).select_from(FailedItem)) == 0
        assert session.scalar(select(func.count()).select_from(Source)) == 3
        assert session.scalar(select(func.count()).select_from(Author)) == 5
        links = session.scalar(select(func.count()).select_from(ArticleAuthor))
        assert links == len(expected)
    engine.dispose()


def _run_together(module: str, db_url: str, tmp_path: Path) -> None:
    """Start WORKERS processes of `module` at one wall-clock instant; all must succeed."""
    start_at = time.time() + 4  # every process imports first, then all start together
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", module, db_url, str(w), str(start_at),
             str(tmp_path / f"dead-{w}.jsonl")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for w in range(WORKERS)
    ]  # fmt: skip
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-3000:]
        assert "database is locked" not in err
    assert not list(tmp_path.glob("dead-*.jsonl"))  # nothing dead-lettered


def test_concurrent_outlets_of_one_story_end_in_one_cluster(db_url: str, tmp_path: Path) -> None:
    """Copies of a story stored at once by several processes join one cluster, whose
    origin is the earliest copy: clustering runs inside each writer's locked transaction."""
    _run_together("tests.storage.concurrent_cluster_writer", db_url, tmp_path)
    engine = make_engine(db_url)
    with session_factory(engine, readonly=True)() as session:
        rows = session.execute(select(Article.id, Article.url, Article.cluster_id,
                                      Article.is_cluster_origin)).all()  # fmt: skip
    engine.dispose()
    by_url = {row.url: row for row in rows}
    assert len(rows) == STORIES * WORKERS
    clusters = set()
    for story in range(STORIES):
        copies = [by_url[copy_of(story, outlet).url] for outlet in range(WORKERS)]
        assert len({c.cluster_id for c in copies}) == 1, f"story {story} split: {copies}"
        origins = [c for c in copies if c.is_cluster_origin]
        # The earliest publication is outlet 0's (minute 0), whichever process stored first.
        assert [o.url for o in origins] == [copy_of(story, 0).url]
        assert copies[0].cluster_id == origins[0].id
        clusters.add(copies[0].cluster_id)
    assert len(clusters) == STORIES  # distinct stories never merge
