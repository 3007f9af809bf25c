"""`aggregator extract` on files that are not usable pages: one clear line, never a traceback."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from aggregator.cli.extract_cmd import MAX_FILE_BYTES
from aggregator.cli.main import main
from tests.fixtures.hostile.make_hostile import SPECIAL_SENTENCE, TITLES
from tests.reliability.helpers import HOSTILE, MOJIBAKE, assert_one_line_error, cli

pytestmark = pytest.mark.timeout(120)

PAGE = HOSTILE / "pages" / "enc-utf8.html"


def _make(kind: str, folder: Path) -> Path:
    """A hostile input file (or directory) of the given kind."""
    path = folder / f"{kind}.html"
    makers: dict[str, Callable[[], object]] = {
        "empty": lambda: path.write_bytes(b""),
        "blank": lambda: path.write_bytes(b" \n\r\n\t  \n"),
        "png": lambda: path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048)),
        "pdf": lambda: path.write_bytes(b"%PDF-1.7\n" + os.urandom(2048)),
        "gzip": lambda: path.write_bytes(gzip.compress(PAGE.read_bytes())),
        "random": lambda: path.write_bytes(bytes(range(256)) * 64),
        "no-tags": lambda: path.write_text("Hanya teks biasa tanpa tag HTML sama sekali.\n" * 20),
        "directory": lambda: path.mkdir(),
        # Sparse: st_size is over the limit without using the disk.
        "huge": lambda: os.truncate(path.open("wb").name, MAX_FILE_BYTES + 1),
    }
    makers[kind]()
    return path


#: kind -> a fragment the one error line must contain.
REFUSED = {
    "empty": "empty",
    "blank": "empty",
    "png": "binary",
    "pdf": "binary",
    "gzip": "binary",
    "random": "binary",
    "no-tags": "no HTML",
    "directory": "directory",
    "huge": "limit",
}


@pytest.mark.parametrize(("kind", "needle"), sorted(REFUSED.items()))
def test_unusable_file_gives_one_error_line(kind: str, needle: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = _make(kind, tmp_path)
    code = main(["extract", str(path)])
    out, err = capsys.readouterr()
    assert code != 0
    assert out == ""
    assert err.startswith("error: "), err
    assert err.count("\n") == 1, err
    assert needle in err
    assert str(path) in err  # the user learns which file


@pytest.mark.slow
def test_errors_in_a_real_process(tmp_path: Path) -> None:
    assert_one_line_error(cli("extract", str(_make("huge", tmp_path))))
    assert_one_line_error(cli("extract", str(tmp_path / "does-not-exist.html")))


def test_one_bad_file_among_good_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _make("png", tmp_path)
    code = main(["extract", str(PAGE), str(bad), str(PAGE)])
    out, err = capsys.readouterr()
    assert code != 0
    assert [json.loads(line)["title"] for line in out.splitlines()] == [TITLES["utf8"]] * 2
    lines = err.splitlines()
    assert len(lines) == 2, err  # the bad file, then the summary
    assert str(bad) in lines[0]
    assert "1 of 3" in lines[1]


@pytest.mark.parametrize("case", ["cp1252-header-utf8", "latin1-meta", "bom-header-cp1252",
                                  "utf8-meta-latin1"])  # fmt: skip
def test_non_utf8_files_decode_exactly(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = HOSTILE / "pages" / f"enc-{case}.html"
    assert main(["extract", str(path), "--url", f"https://kabar.example.id/{case}"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["title"] == TITLES[case]
    assert SPECIAL_SENTENCE in record["body"]
    for bad in MOJIBAKE:
        assert bad not in record["title"] + record["body"]


def test_utf16_page_with_bom(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "utf16.html"
    path.write_bytes(PAGE.read_text(encoding="utf-8").encode("utf-16"))  # BOM included
    assert main(["extract", str(path), "--url", "https://kabar.example.id/a"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == TITLES["utf8"]
