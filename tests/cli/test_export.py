"""`aggregator export`: JSONL, CSV and Parquet, filters, and unwritable paths."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from aggregator.cli.main import main
from tests.storage.cli_helpers import assert_one_line_error, fill, run_cli
from tests.storage.dbs import db_url, pg_url, sqlite_url  # noqa: F401
from tests.storage.factories import T0, item

ITEMS = [item(n, published_at=T0.replace(day=1 + n)) for n in range(12)]
ITEMS[0].title = "@SUM(A1:A9) judul"


@pytest.fixture
def filled(db_url: str, tmp_path: Path) -> str:  # noqa: F811
    fill(db_url, ITEMS, tmp_path)
    return db_url


def test_jsonl_with_filters(filled: str, tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    assert main(["export", "--db", filled, "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["url"] for r in rows] == [i.url for i in ITEMS]
    assert rows[3]["authors"] == ITEMS[3].authors
    assert rows[3]["published_at"] == ITEMS[3].published_at.isoformat()
    assert main(["export", "--db", filled, "--out", str(out), "--since", "2026-01-03",
                 "--until", "2026-01-05", "--source", "s0"]) == 0  # fmt: skip
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["url"] for r in rows] == [ITEMS[3].url]


def test_csv_defuses_formulas(filled: str, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    assert main(["export", "--db", filled, "--format", "csv", "--out", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(ITEMS)
    assert rows[0]["title"] == "'@SUM(A1:A9) judul"
    assert rows[1]["tags"] == "; ".join(ITEMS[1].tags)


def test_parquet(filled: str, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "a.parquet"
    assert main(["export", "--db", filled, "--format", "parquet", "--out", str(out)]) == 0
    table = pq.read_table(out)
    assert table.num_rows == len(ITEMS)
    assert table.column("authors").to_pylist()[2] == ITEMS[2].authors
    assert str(table.schema.field("published_at").type) == "timestamp[us, tz=UTC]"
    first = table.column("published_at").to_pylist()[0]
    assert first == ITEMS[0].published_at


def test_unwritable_paths(filled: str, tmp_path: Path) -> None:
    missing_dir = tmp_path / "no" / "x.jsonl"
    assert_one_line_error(run_cli("export", "--db", filled, "--out", str(missing_dir)),
                          "cannot write export")  # fmt: skip
    assert_one_line_error(run_cli("export", "--db", filled, "--out", str(tmp_path)),
                          "is a directory")  # fmt: skip
    if os.geteuid() != 0:  # root ignores directory permissions
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        assert_one_line_error(run_cli("export", "--db", filled, "--out", str(ro / "x.csv")),
                              "cannot write export")  # fmt: skip
    assert not list(tmp_path.glob(".*.part"))
