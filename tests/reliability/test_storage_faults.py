"""The database refuses writes (locked by another process): clear failure, nothing lost.

A locked SQLite file is the failure users meet (a second crawl, a DB browser holding a
write transaction).  Busy timeout is cut to 1 s through AGGREGATOR_SQLITE_BUSY_TIMEOUT.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from aggregator.cli.main import main
from aggregator.mirror import MirrorRequest, Reply
from tests.reliability.helpers import Crawl, crawl, fixture_route, hostile_mirror

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

FAST_BUSY = {"AGGREGATOR_SQLITE_BUSY_TIMEOUT": "1"}
PAGE = "/pages/enc-utf8.html"


def _fresh_db(folder: Path) -> Path:
    """An empty database at the current schema."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "crawl.db"
    assert main(["db", "upgrade", "--db", f"sqlite:///{db}"]) == 0
    return db


def _lock(db: Path) -> sqlite3.Connection:
    """Hold a write transaction on `db` (until the connection rolls back)."""
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN EXCLUSIVE")
    return conn


@pytest.fixture(scope="module")
def locked_at_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, int]:
    """A crawl started while another process holds the database."""
    folder = tmp_path_factory.mktemp("locked-start")
    conn = _lock(_fresh_db(folder))
    try:
        with hostile_mirror() as server:
            run = crawl(folder, "--url", server.url(PAGE), extra_env=FAST_BUSY)
            hits = server.hits(PAGE)
    finally:
        conn.rollback()
        conn.close()
    return run, hits


def test_locked_database_at_start_stops_the_crawl(locked_at_start: tuple[Crawl, int]) -> None:
    run, hits = locked_at_start
    assert run.rc != 0
    assert "database is locked" in run.output
    assert hits == 0  # nothing is fetched that could not be stored


def test_locked_database_at_start_has_no_traceback(locked_at_start: tuple[Crawl, int]) -> None:
    run, _ = locked_at_start
    assert "Traceback" not in run.output


@pytest.fixture(scope="module")
def locked_mid_crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A crawl whose database is locked by another process once the first page is served."""
    folder = tmp_path_factory.mktemp("locked-mid")
    db = _fresh_db(folder)
    held: list[sqlite3.Connection] = []
    page = fixture_route(PAGE[1:])

    def lock_then_page(request: MirrorRequest) -> Reply:
        held.append(_lock(db))
        return page(request)

    dead = folder / "dead.jsonl"
    try:
        with hostile_mirror() as server:
            server.add_route("/locker", lock_then_page)
            urls = {"article": server.url("/locker"), "missing": server.url("/status/404")}
            run = crawl(folder, "--url", urls["article"], "--url", urls["missing"],
                        "-s", f"AGGREGATOR_STORE_DEAD_LETTER={dead}", extra_env=FAST_BUSY)
    finally:
        for conn in held:
            conn.rollback()
            conn.close()
    lines = [json.loads(x) for x in dead.read_text().splitlines()] if dead.exists() else []
    return {"run": run, "urls": urls, "dead": lines}


def test_unstorable_article_goes_to_the_dead_letter(locked_mid_crawl: dict[str, Any]) -> None:
    run, urls, dead = locked_mid_crawl["run"], locked_mid_crawl["urls"], locked_mid_crawl["dead"]
    assert "Traceback" not in run.output
    assert run.rows("articles") == []
    items = [d["item"] for d in dead if d.get("stage") == "store"]
    assert [i["url"] for i in items] == [urls["article"]]
    assert "’ramai sekali’" in items[0]["body"]  # the whole item, replayable
    assert run.stat("store/failed") == 1


def test_unrecordable_failed_fetch_goes_to_the_dead_letter(
    locked_mid_crawl: dict[str, Any],
) -> None:
    dead_text = json.dumps(locked_mid_crawl["dead"])
    assert locked_mid_crawl["urls"]["missing"] in dead_text


def test_crawl_with_unstored_items_exits_nonzero(locked_mid_crawl: dict[str, Any]) -> None:
    assert locked_mid_crawl["run"].rc != 0
