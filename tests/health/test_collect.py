"""The per-source collector, and a real crawl filling `source_runs` at its end."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from aggregator.health.collect import SourceRunCollector
from aggregator.items import ArticleItem
from aggregator.mirror import MirrorServer
from tests.crawl.test_crawl_e2e import run_cli

T0 = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


def article(n: int, source: str = "Warta", **kw: object) -> ArticleItem:
    """An item with every field, published n hours before it was fetched."""
    fields: dict[str, object] = {
        "url": f"https://warta.example.id/{n}", "source": source, "fetched_at": T0,
        "title": f"Judul {n}", "body": "x" * (100 * n), "authors": ["A"],
        "published_at": T0 - dt.timedelta(hours=n), "rule_hits": {"baca-juga": 2, "ad": 0},
    }  # fmt: skip
    fields.update(kw)
    return ArticleItem(**fields)  # type: ignore[arg-type]


def test_rows_count_per_source() -> None:
    c = SourceRunCollector()
    for status in (200, 200, 200, 404):
        c.response("Warta", status)
    c.response("127.0.0.1", 200)  # a shared index page: not a source by itself
    c.rejected("Warta", "bot_challenge")
    c.rejected("Warta", "error_page")
    c.failure("Warta", "http_404")
    c.dropped("Warta", "duplicate same_body: https://warta.example.id/9")
    c.dropped("Warta", "published date 2026-12-02T00:00:00+00:00 is after the fetch time ...")
    c.dropped("Warta", "invalid item (no_body): https://warta.example.id/8")
    for n in (1, 2, 3):
        c.item(article(n))
    c.item(article(4, authors=[], published_at=None, title=" ", rule_hits={}))
    stats = {"dates/zone_corrected/Warta": 2, "dates/zone_corrected": 2}
    rows = c.rows({"Warta": {"stored": 4}, "Kabar": {"stored": 0}}, stats,
                  started_at=T0, finished_at=T0 + dt.timedelta(minutes=1), sites=["Kabar"])
    by_source = {r["source"]: r for r in rows}
    assert set(by_source) == {"Warta", "Kabar"}
    warta = by_source["Warta"]
    assert warta["pages_fetched"] == 4
    assert warta["status_counts"] == {"200": 3, "404": 1}
    assert warta["articles_scraped"] == 4
    assert warta["articles_stored"] == 4
    assert (warta["with_title"], warta["with_date"], warta["with_author"],
            warta["with_body"]) == (3, 3, 3, 4)  # fmt: skip
    assert warta["median_body_chars"] == 250  # 100, 200, 300, 400
    assert warta["bot_challenges"] == 1
    assert warta["not_articles"] == 2
    assert warta["reject_reasons"] == {"bot_challenge": 1, "error_page": 1}
    assert warta["fetch_failures"] == 1
    assert warta["failure_reasons"] == {"http_404": 1}
    assert warta["rule_hits"] == {"baca-juga": 3}  # articles matched, zero hits ignored
    assert warta["zone_corrections"] == 2
    assert warta["drop_reasons"] == {"duplicate_same_body": 1, "invalid_item_no_body": 1,
                                     "published_date": 1}
    assert warta["lag_p50_seconds"] == 2 * 3600
    assert warta["lag_p95_seconds"] == 3 * 3600
    kabar = by_source["Kabar"]
    assert kabar["articles_stored"] == 0
    assert kabar["median_body_chars"] is None


def test_crawl_records_source_runs(mirror: MirrorServer, tmp_path: Path) -> None:
    rc, output, _stats, db = run_cli(
        tmp_path, "--feed", mirror.url("/feed.xml"), "--url", mirror.url("/challenge"),
        "--url", mirror.url("/status/404"), "-s", "RETRY_TIMES=0")
    assert rc == 0, output
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        runs = [dict(r) for r in conn.execute("SELECT * FROM source_runs")]
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        run_ids = [r[0] for r in conn.execute("SELECT id FROM crawl_runs")]
    assert len(runs) == 1, runs  # every URL of the mirror is one source (its host)
    row = runs[0]
    assert row["crawl_run_id"] == run_ids[0]
    assert row["articles_stored"] == stored == 4
    assert row["articles_scraped"] == 4
    assert row["with_title"] == 4
    assert row["with_body"] == 4
    assert row["bot_challenges"] == 1
    statuses = json.loads(row["status_counts"])
    assert statuses["404"] == 2
    assert statuses["200"] >= 6
    reasons = json.loads(row["failure_reasons"])
    assert reasons["http_404"] == 2
    assert sum(reasons.values()) == row["fetch_failures"]
    assert json.loads(row["reject_reasons"])["bot_challenge"] == 1
    assert row["median_body_chars"] > 200
    # The same crawl judged from the command line: one run is too little history.
    health = subprocess.run([sys.executable, "-m", "aggregator.cli.main", "health", "--db",
                             f"sqlite:///{db}", "--format", "json"],
                            capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert health.returncode == 0, health.stderr
    [verdict] = json.loads(health.stdout)
    assert verdict["status"] == "ok"
    assert any("too little history" in r for r in verdict["reasons"])


class _Broken(SourceRunCollector):
    def rows(self, *args: object, **kwargs: object) -> list[dict[str, object]]:
        raise RuntimeError("boom")


def test_health_rows_never_cost_the_run_row(tmp_path: Path) -> None:
    from aggregator.storage.writer import BatchWriter

    for collector, expected in ((_Broken(), 0), (SourceRunCollector(), 1)):
        db = tmp_path / f"{expected}.db"
        writer = BatchWriter(f"sqlite:///{db}", dead_letter=tmp_path / "dead.jsonl")
        writer.open()
        writer.per_source["Warta"]["stored"] += 3
        run_id = writer.finish_run(T0, {"store/stored": 3}, ["Warta"], "finished",
                                   source_metrics=collector)  # fmt: skip
        assert run_id is not None  # the crawl run is recorded either way
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] == 1
            rows = conn.execute("SELECT articles_stored FROM source_runs").fetchall()
        assert len(rows) == expected
