"""`optimize` after a load: statistics exist, the FTS5 index is one segment, search unchanged."""

from __future__ import annotations

from sqlalchemy import Engine, text

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.fts import FTS_TABLE
from aggregator.storage.maintenance import optimize
from aggregator.storage.migrate import upgrade
from aggregator.storage.repository import upsert_articles
from aggregator.storage.search import search_articles
from tests.storage.cli_helpers import assert_one_line_error, run_cli
from tests.storage.factories import item


def _load(engine: Engine, batches: int) -> None:
    for b in range(batches):  # one FTS5 segment (at least) per committed batch
        with session_factory(engine).begin() as session:
            upsert_articles(session, [item(n) for n in range(b * 20, b * 20 + 20)])


def _hits(engine: Engine) -> list[int]:
    with session_factory(engine, readonly=True)() as session:
        return [h.id for h in search_articles(session, "banjir", limit=50)]


def _statistics_rows(engine: Engine) -> int:
    sql = "SELECT count(*) FROM sqlite_stat1"
    if engine.dialect.name == "postgresql":
        sql = "SELECT count(*) FROM pg_stats WHERE tablename = 'articles'"
        sql += " AND schemaname = current_schema()"
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar() or 0)


def _fts5_records(engine: Engine) -> int:
    """Records of the FTS5 index (structure, segment leaves): merging segments drops them."""
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {FTS_TABLE}_data")).scalar() or 0)


def test_optimize_keeps_results_and_gathers_statistics(engine: Engine) -> None:
    _load(engine, 6)
    before = _hits(engine)
    assert before
    report = optimize(engine)
    assert report.steps
    assert all(seconds >= 0 for seconds in report.steps.values())
    assert _hits(engine) == before
    assert _statistics_rows(engine) > 0


def test_fts5_optimize_compacts_the_index(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    _load(engine, 12)
    pages_before = _fts5_records(engine)
    optimize(engine)
    assert _fts5_records(engine) < pages_before
    engine.dispose()


def test_cli_optimize(sqlite_url: str) -> None:
    # A missing file is refused and not created (issue 19).
    assert_one_line_error(run_cli("db", "optimize", "--db", sqlite_url), "no database at")
    assert run_cli("db", "upgrade", "--db", sqlite_url).returncode == 0
    done = run_cli("db", "optimize", "--db", sqlite_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("optimized in ")
    assert "fts5 optimize" in done.stdout
