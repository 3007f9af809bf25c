"""`aggregator stats`: per-source per-day counts and the latest crawl per source."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from aggregator.cli.main import main
from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.repository import record_crawl_run
from tests.storage.cli_helpers import fill
from tests.storage.dbs import db_url, pg_url, sqlite_url  # noqa: F401
from tests.storage.factories import item

NOW = dt.datetime.now(dt.UTC)


def test_stats_json(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    # 17:30 UTC is already the next day in WIB: the day must follow WIB.
    late = dt.datetime.combine(NOW.date() - dt.timedelta(days=1), dt.time(17, 30), dt.UTC)
    items = [item(n, source="antara", published_at=late) for n in range(3)]
    items += [item(n, source="detik", published_at=late - dt.timedelta(hours=12))
              for n in range(3, 5)]  # fmt: skip
    fill(db_url, items, tmp_path)
    engine = make_engine(db_url)
    with session_factory(engine).begin() as session:  # a later, failed run for detik only
        record_crawl_run(session, started_at=NOW, finished_at=NOW, sites=["detik"], stats={},
                         finish_reason="finished",
                         per_source={"detik": {"stored": 0, "fetch_failures": 4}})  # fmt: skip
    engine.dispose()
    assert main(["stats", "--db", db_url, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["articles"] == 5
    assert data["totals"]["crawl_runs"] == 2
    days = {(d["source"], d["day"]): d["articles"] for d in data["per_source_day"]}
    wib_day = (late + dt.timedelta(hours=7)).date().isoformat()
    assert days[("antara", wib_day)] == 3
    assert sum(v for (s, _), v in days.items() if s == "detik") == 2
    runs = {r["source"]: r for r in data["latest_runs"]}
    assert runs["antara"]["outcome"] == "ok"
    assert runs["antara"]["items_stored"] == 3
    assert (runs["detik"]["outcome"], runs["detik"]["fetch_failures"]) == ("failed", 4)
    assert main(["stats", "--db", db_url, "--source", "antara"]) == 0
    out = capsys.readouterr().out
    assert "antara" in out
    assert "detik" not in out
