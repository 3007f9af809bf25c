"""Dead-letter file: where it lives, that it falls back, and replay stores it exactly once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from aggregator.cli.main import main
from aggregator.storage.deadletter import DeadLetter, default_path, item_record
from aggregator.storage.models import Article
from aggregator.storage.models_runs import CrawlRun, FailedFetch
from aggregator.storage.replay import item_from_dict, replay
from aggregator.storage.runs import json_safe
from aggregator.storage.writer import BatchWriter
from tests.storage.factories import T0, item


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:////srv/news/crawl.db", "/srv/news/crawl.dead-letter.jsonl"),
    ("sqlite:////srv/news/x.sqlite3", "/srv/news/x.dead-letter.jsonl"),
])  # fmt: skip
def test_dead_letter_lives_beside_the_sqlite_file(
    url: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AGGREGATOR_DEAD_LETTER_DIR", raising=False)
    assert default_path(url) == Path(expected)


def test_configured_directory_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_path("sqlite:////srv/a.db", tmp_path) == tmp_path / "a.dead-letter.jsonl"
    monkeypatch.setenv("AGGREGATOR_DEAD_LETTER_DIR", str(tmp_path / "env"))
    assert default_path("sqlite:////srv/a.db") == tmp_path / "env" / "a.dead-letter.jsonl"
    pg = default_path("postgresql+psycopg://u@db.example:5432/news")
    assert pg == tmp_path / "env" / "db.example-news.dead-letter.jsonl"


def test_unwritable_place_falls_back_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    dead = DeadLetter(blocker / "crawl.dead-letter.jsonl")  # its parent is a file
    assert dead.write([item_record(item(1), "r", "store", "db gone")]) == 1
    assert dead.path == tmp_path / "state" / "aggregator" / "crawl.dead-letter.jsonl"
    assert (dead.records, dead.items) == (1, 1)
    assert json.loads(dead.path.read_text())["item"]["url"] == item(1).url


def test_item_round_trips_through_json() -> None:
    original = item(7)
    rebuilt = item_from_dict(json.loads(json.dumps(json_safe(original))))
    assert rebuilt == original


def _dead_lettered(tmp_path: Path, n: int) -> tuple[str, Path]:
    """A writer whose database refuses everything: `n` articles and one fetch dead-lettered."""
    url = f"sqlite:///{tmp_path / 'a.db'}"
    dead = tmp_path / "a.dead-letter.jsonl"
    w = BatchWriter(url, dead_letter=dead)
    w.open()
    w.session = sessionmaker(bind=create_engine("postgresql+psycopg://u@127.0.0.1:1/x",
                                                connect_args={"connect_timeout": 2}))  # fmt: skip
    w.queue_failed_fetch("https://x.example.id/hilang", "http_404", status=404, source="x")
    assert w.write_batch([item(i) for i in range(n)]).counts["failed"] == n
    assert w.finish_run(T0, {"store/failed": n}, ["x"], "finished") is None
    return url, dead


def test_replay_twice_stores_everything_exactly_once(tmp_path: Path) -> None:
    url, dead = _dead_lettered(tmp_path, 3)
    first = replay(url, dead)
    assert (first.articles, first.inserted, first.fetches_recorded, first.runs_recorded) == (
        3, 3, 1, 1)  # fmt: skip
    second = replay(url, dead)
    assert (second.inserted, second.unchanged, second.fetches_recorded) == (0, 3, 0)
    assert second.already_present == 2  # the fetch and the run
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Article)) == 3
        assert conn.scalar(select(func.count()).select_from(FailedFetch)) == 1
        assert conn.scalar(select(func.count()).select_from(CrawlRun)) == 1
    engine.dispose()


def test_replay_skips_a_torn_last_line(tmp_path: Path) -> None:
    url, dead = _dead_lettered(tmp_path, 2)
    with dead.open("a", encoding="utf-8") as fh:
        fh.write('{"stage": "store", "item": {"url": "https://x')  # a crash mid-write
    report = replay(url, dead)
    assert report.inserted == 2
    assert len(report.bad_lines) == 1


def test_replay_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, dead = _dead_lettered(tmp_path, 2)
    assert main(["replay-dead-letter", str(dead), "--db", url]) == 0
    assert "2 new" in capsys.readouterr().out
    assert main(["replay-dead-letter", str(tmp_path / "missing.jsonl"), "--db", url]) == 2
    assert main(["replay-dead-letter", str(dead), "--db", "sqlite://"]) == 2
