"""Several processes write overlapping batches into one database: nothing lost, no duplicate."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.models import Article, ArticleAuthor, Author, FailedItem, Source
from tests.storage.concurrent_writer import COUNT, STEP
from tests.storage.factories import item

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4


def test_concurrent_writers_lose_nothing(db_url: str, tmp_path: Path) -> None:
    start_at = time.time() + 4  # every process imports first, then all start together
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.storage.concurrent_writer", db_url, str(w),
             str(start_at), str(tmp_path / f"dead-{w}.jsonl")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for w in range(WORKERS)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-3000:]
        assert "database is locked" not in err
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
    assert not list(tmp_path.glob("dead-*.jsonl"))
