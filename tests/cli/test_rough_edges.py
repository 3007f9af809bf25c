"""The command line's small promises: version, help, errors, widths, formats, modes.

Each test is one rough edge a new user hit (issue 19), checked the way a user meets it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main

from aggregator import __version__
from aggregator.cli.main import app, main
from tests.storage.cli_helpers import ROOT, assert_one_line_error, fill, run_cli
from tests.storage.dbs import sqlite_url  # noqa: F401
from tests.storage.factories import T0, item

# One long title so that tables have something wider than 80 columns to show.
LONG = "Pemerintah Kota Surabaya Menguji Coba Bus Listrik Baru di Tiga Rute Menuju Pelabuhan"
ITEMS = [
    item(0, title=LONG, body="Bus listrik baru melayani tiga rute kota. " * 5, source="kota"),
    item(1, title="Kereta cepat", body="Kereta cepat dan bus kota beroperasi. " * 5,
         source="kota"),
    item(2, title="Banjir pesisir", body="Banjir rob merendam rumah warga pesisir. " * 5,
         source="pesisir"),
]  # fmt: skip


@pytest.fixture
def filled(sqlite_url: str, tmp_path: Path) -> str:  # noqa: F811
    fill(sqlite_url, ITEMS, tmp_path)
    return sqlite_url


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- version and help


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--version"], capsys) == (0, f"aggregator {__version__}\n", "")


def test_bare_command_prints_help_and_exits_zero() -> None:
    proc = subprocess.run([str(Path(sys.prefix) / "bin" / "aggregator")], capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Usage: aggregator" in proc.stdout
    assert "crawl" in proc.stdout
    assert "error" not in proc.stderr
    assert proc.stderr.strip() == ""


def test_bare_group_prints_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["db"], capsys)
    assert code == 0
    assert "upgrade" in out
    assert "error" not in err


def _commands() -> Iterator[list[str]]:
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        yield [name]
        for sub in getattr(command, "commands", {}):
            yield [name, sub]


@pytest.mark.parametrize("command", [[], *_commands()], ids=lambda c: " ".join(c) or "top")
def test_help_names_values_not_python_types(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run([*command, "--help"], capsys)
    assert code == 0
    assert "--help" in out
    assert not re.search(r"<(bool|str|int|float|list\[|Path)", out), out


def test_check_site_timeout_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(["check-site", "--help"], capsys)
    line = next(line for line in out.splitlines() if "--timeout" in line)
    assert "SECONDS" in line
    assert "wait" in line


# ---------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("args", "titles"),
    [
        (["bus", "AND", "listrik"], {LONG}),
        (["bus -listrik"], {"Kereta cepat"}),
        (["-listrik", "bus"], {"Kereta cepat"}),  # a leading -word is a query word
        (["bus NOT listrik"], {"Kereta cepat"}),
        (["bus"], {LONG, "Kereta cepat"}),
    ],
)
def test_search_operators(
    filled: str, args: list[str], titles: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(["search", *args, "--db", filled, "--format", "json"], capsys)
    assert code == 0, err
    assert {hit["title"] for hit in json.loads(out)} == titles


@pytest.mark.parametrize(
    ("query", "fragment"),
    [("NOT bus", "only exclude"), ("-bus", "only exclude"), ("AND", "no words"),
     ("OR", "no words"), ("bus NOT", "must be followed")],
)  # fmt: skip
def test_lone_operators_are_one_line_errors(filled: str, query: str, fragment: str) -> None:
    assert_one_line_error(run_cli("search", query, "--db", filled), fragment)


def test_mistyped_option_is_not_a_query_word(filled: str) -> None:
    assert_one_line_error(run_cli("search", "bus", "--sourc", "kota", "--db", filled),
                          "no such option: --sourc")  # fmt: skip


@pytest.mark.parametrize("option", ["--source", "--author", "--tag"])
def test_invalid_utf8_filter_is_one_line(filled: str, option: str) -> None:
    # A shell passes bytes that are not UTF-8 as they are; Python reads them as surrogates.
    proc = subprocess.run(
        [sys.executable.encode(), b"-m", b"aggregator.cli.main", b"search", b"bus",
         option.encode(), b"kota\xff", b"--db", filled.encode()],
        cwd=ROOT, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {option} is not valid UTF-8 text")


# ---------------------------------------------------------------- export


@pytest.mark.parametrize(("name", "first"), [("a.csv", "id,url,"), ("a.jsonl", '{"id": '),
                                              ("a.NDJSON", '{"id": ')])  # fmt: skip
def test_export_format_follows_the_extension(filled: str, tmp_path: Path, name: str,
                                             first: str) -> None:  # fmt: skip
    out = tmp_path / name
    assert main(["export", "--db", filled, "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith(first)


def test_export_parquet_from_the_extension(filled: str, tmp_path: Path) -> None:
    out = tmp_path / "a.parquet"
    assert main(["export", "--db", filled, "--out", str(out)]) == 0
    assert out.read_bytes()[:4] == b"PAR1"


def test_export_unknown_extension_is_refused(filled: str, tmp_path: Path) -> None:
    out = tmp_path / "a.txt"
    assert_one_line_error(run_cli("export", "--db", filled, "--out", str(out)),
                          "cannot tell the export format")  # fmt: skip
    assert not out.exists()
    # --format still decides when given
    assert main(["export", "--db", filled, "--out", str(out), "--format", "csv"]) == 0
    assert out.read_text(encoding="utf-8").startswith("id,url,")


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_export_file_mode_follows_the_umask(filled: str, tmp_path: Path, umask: int,
                                            mode: int) -> None:  # fmt: skip
    out = tmp_path / "a.csv"
    old = os.umask(umask)
    try:
        assert main(["export", "--db", filled, "--out", str(out)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == mode


# ---------------------------------------------------------------- stats


def test_stats_explains_an_empty_window(filled: str, capsys: pytest.CaptureFixture[str]) -> None:
    # The stored articles are from January 2026 (T0); "today" is later than 14 days after.
    code, out, _ = _run(["stats", "--db", filled], capsys)
    assert code == 0
    newest = max(i.published_at for i in ITEMS if i.published_at)
    day = newest.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    assert f"No articles published in the last 14 day(s) (WIB); the newest is from {day}" in out
    needed = int(re.search(r"try --days (\d+)", out).group(1))  # type: ignore[union-attr]
    code, out, _ = _run(["stats", "--db", filled, "--days", str(needed)], capsys)
    assert "No articles" not in out
    assert day.isoformat() in out
    code, out, _ = _run(["stats", "--db", filled, "--source", "nowhere", "--format", "json"],
                        capsys)  # fmt: skip
    assert json.loads(out)["note"] == "No articles of nowhere stored yet."


def test_stats_totals_follow_source(filled: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(["stats", "--db", filled, "--format", "json"], capsys)
    assert json.loads(out)["totals"]["articles"] == 3
    _, out, _ = _run(["stats", "--db", filled, "--format", "json", "--source", "kota"], capsys)
    totals = json.loads(out)["totals"]
    assert (totals["articles"], totals["sources"], totals["crawl_runs"]) == (2, 1, 1)
    _, out, _ = _run(["stats", "--db", filled, "--source", "pesisir"], capsys)
    assert out.splitlines()[0].startswith("articles: 1  sources: 1")


# ---------------------------------------------------------------- widths


def _widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@pytest.mark.parametrize("args", [["search", "bus"], ["stats", "--days", "3660"], ["sites"]])
def test_piped_tables_share_one_width_rule(filled: str, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.run([sys.executable, "-m", "aggregator.cli.main", *args, "--db", filled]
                          if args[0] != "sites" else
                          [sys.executable, "-m", "aggregator.cli.main", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
                          check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert 80 < _widest(proc.stdout) <= 160  # not folded at rich's default 80
    narrow = subprocess.run(proc.args, cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**env, "COLUMNS": "100"}, check=False)  # fmt: skip
    assert _widest(narrow.stdout) <= 100


# ---------------------------------------------------------------- db and scrapy


@pytest.mark.parametrize("command", ["check", "optimize"])
def test_db_commands_do_not_create_a_missing_database(tmp_path: Path, command: str) -> None:
    target = tmp_path / "nowhere" / "news.db"
    assert_one_line_error(run_cli("db", command, "--db", f"sqlite:///{target}"), "no database at")
    assert not target.parent.exists()


def test_db_current_reports_a_missing_database_without_creating_it(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "news.db"
    proc = run_cli("db", "current", "--db", f"sqlite:///{target}")
    assert (proc.returncode, proc.stdout) == (0, "- (empty)\n")
    assert proc.stderr.strip() == f"note: no database file at {target}; nothing was created"
    assert not target.parent.exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["-a", "site=bogus"], "unknown site 'bogus'"), ([], "nothing to crawl"),
     (["-a", "feed=notaurl"], "not an http(s) URL"),
     (["-a", "site=detik", "-a", "index_pages=x"], "whole number")],
)  # fmt: skip
def test_scrapy_crawl_bad_arguments_are_one_line(args: list[str], fragment: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert_one_line_error(proc, fragment)
    assert proc.stdout == ""


def test_scrapy_unknown_spider_is_one_line() -> None:
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "nosuch"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert_one_line_error(proc, "unknown spider 'nosuch'")


def test_t0_is_older_than_the_default_window() -> None:
    """The empty-window test relies on T0 lying outside the last 14 days."""
    assert dt.datetime.now(dt.UTC) - T0 > dt.timedelta(days=15)
