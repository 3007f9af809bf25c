"""`aggregator db upgrade|current|check`, and the database error paths of every command."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from aggregator.storage.migrate import head_revision
from tests.storage.cli_helpers import assert_one_line_error, run_cli
from tests.storage.dbs import db_url, pg_url, sqlite_url  # noqa: F401


def test_upgrade_current_check(db_url: str) -> None:  # noqa: F811
    before = run_cli("db", "current", "--db", db_url)
    assert before.returncode == 0
    assert "(empty)" in before.stdout
    up = run_cli("db", "upgrade", "--db", db_url)
    assert up.returncode == 0, up.stderr
    assert f"revision {head_revision()}" in up.stdout
    assert "(head)" in run_cli("db", "current", "--db", db_url).stdout
    check = run_cli("db", "check", "--db", db_url)
    assert (check.returncode, check.stdout.strip()) == (0, "schema matches the models")


def test_env_var_and_default_location(tmp_path: Path) -> None:
    db = tmp_path / "viaenv.db"
    proc = run_cli("db", "upgrade", env={"AGGREGATOR_DATABASE_URL": f"sqlite:///{db}"})
    assert proc.returncode == 0, proc.stderr
    assert db.exists()


def test_check_on_empty_database_fails(sqlite_url: str) -> None:  # noqa: F811
    # A missing file is not created (issue 19); an existing empty one has no schema.
    assert_one_line_error(run_cli("db", "check", "--db", sqlite_url), "no database at")
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    assert not path.parent.exists()
    path.parent.mkdir()
    sqlite3.connect(path).close()
    assert_one_line_error(run_cli("db", "check", "--db", sqlite_url), "no aggregator schema")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("db", "upgrade", "--db", "postgresql://postgres@127.0.0.1:1/test"), "cannot connect"),
        (("stats", "--db", "postgresql://postgres@127.0.0.1:1/test"), "cannot connect"),
        (("search", "x", "--db", "postgresql://postgres@127.0.0.1:1/test"), "cannot connect"),
        (("db", "upgrade", "--db", "postgresql://u@h:notaport/x"), "malformed database URL"),
        (("search", "x", "--db", "mysql://u:pw@h/x"), "unsupported database URL"),
        (("export", "--out", "x.csv", "--db", "::::"), "malformed database URL"),
    ],
)
def test_bad_database_is_one_line(args: tuple[str, ...], fragment: str) -> None:
    assert_one_line_error(run_cli(*args), fragment)


def test_password_never_echoed() -> None:
    proc = run_cli("stats", "--db", "postgresql://u:hunter2@127.0.0.1:1/x")
    assert_one_line_error(proc, "cannot connect")
    assert "hunter2" not in proc.stderr


def test_locked_sqlite_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # rollback-journal mode: nobody else can even read
    try:
        proc = run_cli("db", "upgrade", "--db", f"sqlite:///{path}",
                       env={"AGGREGATOR_SQLITE_BUSY_TIMEOUT": "0.2"})  # fmt: skip
    finally:
        holder.rollback()
        holder.close()
    assert_one_line_error(proc, "locked")
