"""`aggregator search`: formats, filters, and hostile queries."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from aggregator.cli.main import main
from tests.storage.cli_helpers import assert_one_line_error, fill, run_cli
from tests.storage.dbs import db_url, pg_url, sqlite_url  # noqa: F401
from tests.storage.factories import T0, item

DOCS = [
    item(1, title="=HYPERLINK(\"http://x\") Banjir Jakarta", body="Banjir besar di Jakarta.",
         authors=["Budi Santoso"], tags=["Banjir"]),
    item(2, title="Banjir di Bekasi", body="Air naik di Bekasi; banjir lagi.",
         authors=["Ani"], published_at=T0.replace(day=25)),
    item(3, title="Kopi di kafé", body="Kafe baru buka.", authors=["Citra"]),
]  # fmt: skip


@pytest.fixture
def filled(db_url: str, tmp_path: Path) -> str:  # noqa: F811
    fill(db_url, DOCS, tmp_path)
    return db_url


def _search(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["search", *args])
    return code, capsys.readouterr().out


def test_json_output_and_filters(filled: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _search(capsys, "banjir", "--db", filled, "--format", "json")
    assert code == 0
    hits = json.loads(out)
    assert {h["url"] for h in hits} == {DOCS[0].url, DOCS[1].url}
    for args, expected in [
        (("--author", "ani"), {DOCS[1].url}),
        (("--source", DOCS[1].source), {DOCS[1].url}),
        (("--since", "2026-01-24"), {DOCS[1].url}),
        (("--until", "2026-01-24"), {DOCS[0].url}),
        (("--since", "2026-01-25T10:00:00+07:00"), {DOCS[1].url}),
        (("--limit", "1"), {hits[0]["url"]}),
    ]:
        code, out = _search(capsys, "banjir", "--db", filled, "--format", "json", *args)
        assert code == 0
        assert {h["url"] for h in json.loads(out)} == expected, args


def test_table_and_csv(filled: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _search(capsys, "kafe", "--db", filled)
    assert code == 0
    assert "Kopi di kafé" in out
    assert "1 result(s)" in out
    code, out = _search(capsys, "jakarta", "--db", filled, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert rows[0]["title"].startswith("'=HYPERLINK")  # formula defused


@pytest.mark.parametrize(
    "evil", ["' OR 1=1 --", '"; DROP TABLE articles; --', "%", "_", "NEAR(", "*", "x" * 400]
)
def test_injection_strings(filled: str, capsys: pytest.CaptureFixture[str], evil: str) -> None:
    code, out = _search(capsys, evil, "--db", filled, "--format", "json")
    assert code in (0, 2)
    if code == 0:
        assert json.loads(out) == []
    code, out = _search(capsys, "banjir", "--db", filled, "--format", "json")
    assert len(json.loads(out)) == 2  # tables intact


def test_error_paths(filled: str, tmp_path: Path) -> None:
    assert_one_line_error(run_cli("search", '"banjir', "--db", filled), "unbalanced")
    assert_one_line_error(run_cli("search", "banjir", "--since", "kemarin", "--db", filled),
                          "invalid date")  # fmt: skip
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    assert_one_line_error(run_cli("search", "banjir", "--db", missing), "no database")
    assert not (tmp_path / "none.db").exists()
