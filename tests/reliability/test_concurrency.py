"""Two crawls writing the same SQLite file at once: no lost row, no duplicate, no lock error."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from aggregator.cli.main import main
from aggregator.mirror import MirrorRequest, Reply
from tests.fixtures.hostile.make_hostile import article_html
from tests.reliability.helpers import Crawl, crawl, hostile_mirror, table_rows
from tests.scorecard import record

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

PER_RUN = 30
OVERLAP = 15


def _title(n: int) -> str:
    return f"Laporan Banjir Daerah Nomor {n} dari Posko Terpadu"


def _article(request: MirrorRequest) -> Reply:
    """`/artikel/<n>`: a distinct small article per number."""
    n = int(request.path.rsplit("/", 1)[1])
    return Reply(200, article_html(_title(n), 200 + n, meta_charset="utf-8").encode())


def test_two_crawls_into_one_database(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    # The schema exists first: this test is about concurrent writes, not concurrent setup.
    assert main(["db", "upgrade", "--db", f"sqlite:///{db}"]) == 0
    with hostile_mirror() as server:
        server.add_route("/artikel/", _article)
        starts = [0, PER_RUN - OVERLAP]
        parts = [[server.url(f"/artikel/{n}") for n in range(s, s + PER_RUN)] for s in starts]

        def one(index: int) -> Crawl:
            args = [a for u in parts[index] for a in ("--url", u)]
            # One row per write transaction, so the two writers interleave as much as they can.
            return crawl(tmp_path / f"run{index}", *args, "-s", "AGGREGATOR_STORE_BATCH_SIZE=1",
                         db=db)  # fmt: skip

        with ThreadPoolExecutor(2) as pool:
            runs = list(pool.map(one, range(2)))
    for run in runs:
        assert run.rc == 0, run.output
        assert "database is locked" not in run.output
        assert run.stat("store/failed") == 0
    titles = sorted(r["title"] for r in table_rows(db, "articles"))
    expected = sorted(_title(n) for n in range(2 * PER_RUN - OVERLAP))
    assert titles == expected  # none lost, none doubled
    record("concurrency", "2 crawls into one SQLite file, 1 row per transaction",
           writers=2, expected_distinct=len(expected), stored=len(titles),
           lost=len(set(expected) - set(titles)), duplicated=len(titles) - len(set(titles)),
           lock_errors=sum("database is locked" in r.output for r in runs))  # fmt: skip
    assert len(table_rows(db, "crawl_runs")) == 2
