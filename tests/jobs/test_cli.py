"""`aggregator schedule ...` end to end: a real crawl against the loopback mirror, bad input,
the option pass-through, export, the daemon's SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.jobs.models import JobRun
from aggregator.mirror import MirrorServer
from aggregator.storage.models import Article, CrawlRun
from tests.jobs.conftest import cli

FAST = ["-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_real_run_due_stores_articles_linked_to_the_job(
    db_url: str, sessions: sessionmaker[Session], mirror: MirrorServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AGGREGATOR_SCHEDULE_CRAWL_CMD", raising=False)
    added = cli("schedule", "add", "mirror-feed", "--feed", mirror.url("/feed.xml"), "--every",
                "1h", *FAST, "--db", db_url, cwd=tmp_path)  # fmt: skip
    assert added.returncode == 0, added.stderr
    proc = cli("schedule", "run-due", "--db", db_url, cwd=tmp_path, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.split() == ["mirror-feed", "schedule", "success"]
    with sessions() as session:
        articles = session.scalar(select(func.count()).select_from(Article))
        (crawl,) = session.scalars(select(CrawlRun)).all()
        (run,) = session.scalars(select(JobRun)).all()
    assert articles
    assert articles >= 3
    assert (crawl.job_id, crawl.job_run_id, crawl.trigger) == (run.schedule_id, run.id, "schedule")
    assert (run.crawl_run_id, run.articles_new, run.outcome) == (crawl.id, crawl.items_inserted,
                                                                 "success")  # fmt: skip
    assert crawl.items_inserted == articles
    shown = cli("schedule", "show", "mirror-feed", "--format", "json", "--db", db_url)
    (row,) = json.loads(shown.stdout)
    assert (row["crawl_run_id"], row["articles_new"]) == (crawl.id, articles)


def test_a_crawl_by_hand_is_recorded_as_manual(tmp_path: Path, mirror: MirrorServer) -> None:
    db = f"sqlite:///{tmp_path / 'm.db'}"
    proc = cli("crawl", "--url", mirror.url("/status/404"), *FAST, "--db", db, cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "m.db") as conn:
        assert conn.execute("SELECT job_id, trigger FROM crawl_runs").fetchall() == [(None,
                                                                                      "manual")]


BAD_INPUT = [
    (["add", "j", "--site", "nosuch", "--every", "15m"], "unknown site 'nosuch'"),
    (["add", "j", "--site", "detik", "--cron", "*/15 * * *"], "malformed cron expression"),
    (["add", "j", "--site", "detik", "--cron", "99 * * * *"], "malformed cron expression"),
    (["add", "j", "--site", "detik", "--every", "0"], "--every must be more than zero"),
    (["add", "j", "--site", "detik", "--every", "fortnightly"], "bad --every"),
    (["add", "j", "--site", "detik"], "exactly one of --every and --cron"),
    (["add", "j", "--every", "1h"], "nothing to crawl"),
    (["add", "j", "--feed", "ftp://x/feed", "--every", "1h"], "not an http(s) URL"),
    (["add", "j", "--site", "detik", "--cron", "0 * * * *", "--adaptive"], "--adaptive needs"),
    (["add", "j k", "--site", "detik", "--every", "1h"], "bad job name"),
    (["add", "dup", "--site", "detik", "--every", "1h"], "already exists"),
    (["pause", "nosuch"], "no job named 'nosuch'"),
    (["show", "nosuch"], "no job named 'nosuch'"),
    (["run-due", "--now", "yesterday"], "bad --now"),
    (["list", "--format", "xml"], "--format must be table or json"),
    (["export"], "exactly one of --systemd and --crontab"),
]
def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`aggregator ARGS` in this process (the CLI's own entry point): (status, out, err)."""
    from aggregator.cli.main import main

    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    db = f"sqlite:///{tmp_path / 'jobs.db'}"
    assert run_main(capsys, "schedule", "add", "dup", "--site", "detik", "--every", "1h",
                    "--db", db)[0] == 0  # fmt: skip
    for args, message in BAD_INPUT:
        code, out, err = run_main(capsys, "schedule", *args,
                                  *(["--db", db] if args[0] != "export" else []))  # fmt: skip
        lines = err.strip().splitlines()
        assert code == 2, (args, out, err)
        assert len(lines) == 1, lines
        assert lines[0].startswith("error: ")
        assert message in lines[0]


def test_unreachable_database_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["add", "j", "--site", "detik", "--every", "1h"], ["run-due"], ["list"]):
        code, _out, err = run_main(capsys, "schedule", *args, "--db",
                                   "postgresql://nobody@127.0.0.1:9/none")  # fmt: skip
        lines = err.strip().splitlines()
        assert code == 2, err
        assert len(lines) == 1, err
        assert "cannot connect to the database" in lines[0]
    proc = cli("schedule", "run-due", "--db", "postgresql://nobody@127.0.0.1:9/none")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


def _options(command: Any) -> set[str]:
    return {opt for param in command.params for opt in getattr(param, "opts", [])
            if opt.startswith("-")}  # fmt: skip


def test_schedule_add_takes_exactly_crawls_start_options() -> None:
    from aggregator.cli.main import app

    group: Any = typer.main.get_command(app)
    crawl = group.commands["crawl"]
    add = group.commands["schedule"].commands["add"]
    start_options = _options(crawl) - {"--db", "--stats-file"}
    timing_options = {"--every", "--cron", "--jitter", "--max-runtime", "--adaptive", "--now"}
    assert _options(add) - timing_options == start_options | {"--db"}


def test_list_pause_resume_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'jobs.db'}"]
    now = ["--now", "2026-03-01T00:00:00Z"]

    def run(*args: str) -> Any:
        code, out, err = run_main(capsys, *args)
        return subprocess.CompletedProcess(args, code, out, err)

    assert run("schedule", "add", "a", "--site", "detik", "--every", "30m", "--adaptive", *db,
               *now).returncode == 0  # fmt: skip
    assert run("schedule", "add", "b", "--site", "kompas,tempo", "--cron", "0 6 * * *",
               "--jitter", "2m", "--max-runtime", "20m", *db, *now).returncode == 0  # fmt: skip
    assert run("schedule", "pause", "a", *db).returncode == 0
    listed = json.loads(run("schedule", "list", "--format", "json", *db, *now).stdout)
    by_name = {j["name"]: j for j in listed}
    assert by_name["a"]["paused"]
    assert not by_name["b"]["paused"]
    assert by_name["b"]["sites"] == ["kompas", "tempo"]
    assert by_name["b"]["cadence"] == "cron 0 6 * * *"
    assert by_name["b"]["next_due_at"].startswith("2026-03-01T06:0")
    assert by_name["a"]["crawl_args"] == ["--site", "detik"]
    resumed = run("schedule", "resume", "a", *db, "--now", "2026-03-01T10:10:00Z")
    assert resumed.returncode == 0
    listed = json.loads(run("schedule", "list", "--format", "json", *db).stdout)
    a = next(j for j in listed if j["name"] == "a")
    assert not a["paused"]
    assert a["next_due_at"] == "2026-03-01T10:30:00+00:00"
    table = run("schedule", "list", *db)
    assert table.returncode == 0
    assert "every 30m" in table.stdout
    assert "never" in table.stdout
    assert run("schedule", "remove", "a", *db).returncode == 0
    names = [j["name"] for j in json.loads(run("schedule", "list", "--format", "json", *db).stdout)]
    assert names == ["b"]


def test_archive_and_frontier_options_pass_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'jobs.db'}"]
    code, _, _ = run_main(capsys, "schedule", "add", "dist", "--site", "detik", "--every", "1h",
                          "--archive", str(tmp_path / "warc"), "--frontier",
                          "redis://127.0.0.1:6379/0", "--workers", "3", *db)  # fmt: skip
    assert code == 0
    code, out, _ = run_main(capsys, "schedule", "list", "--format", "json", *db)
    args = json.loads(out)[0]["crawl_args"]
    assert args == ["--site", "detik", "--archive", str((tmp_path / "warc").resolve()),
                    "--frontier", "redis://127.0.0.1:6379/0", "--workers", "3"]  # fmt: skip
    code, _, err = run_main(capsys, "schedule", "add", "bad", "--site", "detik", "--every", "1h",
                            "--workers", "2", *db)  # fmt: skip
    assert code == 2
    assert "--workers needs --frontier" in err


def test_export_systemd_and_crontab(tmp_path: Path) -> None:
    unit = cli("schedule", "export", "--systemd", "--db", "sqlite:////srv/news.db", cwd=tmp_path)
    assert unit.returncode == 0, unit.stderr
    assert "ExecStart=" in unit.stdout
    assert "schedule run-due --db sqlite:////srv/news.db" in unit.stdout
    assert "OnCalendar=minutely" in unit.stdout
    assert "Persistent=true" in unit.stdout
    assert f"WorkingDirectory={tmp_path}" in unit.stdout
    cron = cli("schedule", "export", "--crontab", cwd=tmp_path)
    lines = [line for line in cron.stdout.splitlines() if not line.startswith("#")]
    assert len(lines) == 1
    assert lines[0].startswith("* * * * * cd ")
    assert "run-due" in lines[0]


@pytest.mark.slow
def test_daemon_lets_the_running_crawl_finish_on_sigterm(
    tmp_path: Path, fake_crawl: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'jobs.db'}"
    added = cli("schedule", "add", "a", "--site", "detik", "--every", "1h", "--db", db)
    assert added.returncode == 0
    env = {**os.environ, "FAKE_CRAWL_SLEEP": "3"}
    proc = subprocess.Popen([sys.executable, "-m", "aggregator.cli.main", "schedule", "daemon",
                             "--db", db, "--tick", "1s", "--grace", "30s"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (fake_crawl.exists() and fake_crawl.read_text()):
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "scheduler stopped" in err
    events = [line.split()[0] for line in fake_crawl.read_text().splitlines()]
    assert events == ["start", "end"]  # the crawl was allowed to finish
    shown = json.loads(cli("schedule", "show", "a", "--format", "json", "--db", db).stdout)
    assert [r["outcome"] for r in shown] == ["success"]
