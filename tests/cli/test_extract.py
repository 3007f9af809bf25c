"""`aggregator extract`: saved fixture pages through the offline stages, checked against truth."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aggregator.cli.main import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "id-news"
PAGES = FIXTURES / "pages"
TRUTH = FIXTURES / "truth"
NOW = "2026-01-01T00:00:00+00:00"

#: A spread of layouts (site parsers and generic extraction, a paginated page 1, a
#: document holding every page, English pages) whose checked fields the stages get right;
#: this tests the command's wiring, the extraction tests measure quality on all 52 pages.
GOOD_PAGES = [
    "detik-1",
    "detik-6",
    "kompas-1",
    "kompas-2",
    "liputan6-1",
    "liputan6-6",
    "mediaindonesia-2",
    "republika-1",
    "tempoen-1",
    "thejakartapost-1",
]


def norm(text: str) -> str:
    """The fixture README's normalisation: collapse whitespace (and NBSP), trim."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def truth(name: str) -> dict[str, Any]:
    """The hand-checked truth of one fixture page."""
    return json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]], str]:
    """Run the CLI in-process: (exit code, JSON lines parsed, stderr)."""
    code = main(["extract", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


def instant(text: str) -> dt.datetime:
    """An ISO 8601 string with offset or `Z` as an aware datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def minute(text: str) -> dt.datetime:
    """The instant to the minute: truth keeps seconds only where the page's metadata has
    them, while a visible date line (minute precision) may win the resolver's vote."""
    return instant(text).replace(second=0, microsecond=0)


@pytest.mark.parametrize("name", GOOD_PAGES)
def test_fields_match_truth(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, records, err = run(capsys, str(PAGES / f"{name}.html"), "--now", NOW)
    assert code == 0, err
    assert len(records) == 1
    rec, want = records[0], truth(name)
    assert rec["file"].endswith(f"{name}.html")
    assert rec["url"] == want["url"]
    assert norm(rec["title"]) in {want["title"], *want.get("title_alt", [])}
    assert rec["published_at"].endswith("Z")
    allowed = {minute(want["published"]), *map(minute, want.get("published_alt", []))}
    assert minute(rec["published_at"]) in allowed
    body = norm(rec["body"])
    assert want["body_first_sentence"] in body
    assert want["body_last_sentence"] in body
    for sample in want["boilerplate_samples"]:
        assert sample not in body, sample
    if want["authors"]:
        got = [a.casefold() for a in rec["authors"]]
        assert want["authors"][0].casefold() in got
        allowed_names = {a.casefold() for a in want["authors"] + want.get("authors_alt", [])}
        assert set(got) <= allowed_names


def test_record_has_every_documented_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, records, _ = run(capsys, str(PAGES / "detik-1.html"), "--now", NOW)
    assert code == 0
    for key in ("file", "url", "title", "body", "published_at", "modified_at", "authors",
                "editors", "credit_codes", "wire_source", "section", "tags", "language",
                "image_url", "published_raw", "published_source", "is_article"):
        assert key in records[0], key
    assert records[0]["is_article"] is True
    assert records[0]["published_raw"]
    assert records[0]["published_source"]


def test_index_page_is_flagged_not_an_article(capsys: pytest.CaptureFixture[str]) -> None:
    code, records, err = run(capsys, str(PAGES / "kompas-index-1.html"), "--now", NOW)
    assert code == 0, err
    assert records[0]["is_article"] is False
    assert records[0]["reject_reason"]


def test_url_option_overrides_canonical(capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://news.detik.com/berita/d-1/dipindah"
    code, records, _ = run(capsys, str(PAGES / "detik-1.html"), "--url", url, "--now", NOW)
    assert code == 0
    assert records[0]["url"] == url


def test_xhtml_with_xml_declaration_is_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "halaman.xhtml"
    page.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0'
        ' Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html><head>'
        "<title>Judul</title></head><body><p>Isi berita.</p></body></html>",
        "utf-8",
    )
    code, records, err = run(capsys, str(page), "--now", NOW)
    assert code == 0, err
    assert len(records) == 1


def test_page_without_canonical_gets_a_file_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "bare.html"
    paragraph = "Ini kalimat yang cukup panjang untuk menjadi isi berita contoh. " * 6
    page.write_text(f"<html><body><h1>Judul</h1><p>{paragraph}</p></body></html>", "utf-8")
    code, records, err = run(capsys, str(page), "--now", NOW)
    assert code == 0, err
    assert records[0]["url"] == page.resolve().as_uri()


def relative_page(path: Path) -> Path:
    """A page whose only date is "2 jam yang lalu" (two hours before the fetch)."""
    paragraph = "Warga memadati alun-alun untuk menyaksikan pertunjukan wayang semalam. " * 5
    path.write_text(
        "<html><head><title>Wayang di Alun-alun</title></head><body><h1>Wayang di Alun-alun"
        f"</h1><div class='date'>2 jam yang lalu</div><article><p>{paragraph}</p>"
        "</article></body></html>",
        "utf-8",
    )
    return path


def test_relative_dates_count_from_now_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = relative_page(tmp_path / "relatif.html")
    code, records, err = run(capsys, str(page), "--now", "2026-03-01T17:00:00+07:00")
    assert code == 0, err
    assert records[0]["published_at"] == "2026-03-01T08:00:00Z"


def test_relative_dates_count_from_file_mtime_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = relative_page(tmp_path / "relatif.html")
    saved = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC).timestamp()
    os.utime(page, (saved, saved))
    code, records, err = run(capsys, str(page))
    assert code == 0, err
    assert records[0]["published_at"] == "2025-06-01T10:00:00Z"


def test_url_option_gives_a_page_without_canonical_its_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    want = truth("antara-1")  # no rel=canonical, no og:url
    code, records, _ = run(capsys, str(PAGES / "antara-1.html"), "--url", want["url"], "--now", NOW)
    assert code == 0
    assert records[0]["url"] == want["url"]
    assert records[0]["title"] == want["title"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_unicode_page_with_bom_is_extracted(
    codec: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """UTF-16/32 pages are full of NUL bytes; their byte-order mark says they are text."""
    bom = "\ufeff".encode(codec)
    page = (PAGES / "kompas-2.html").read_text(encoding="utf-8")
    path = _write(tmp_path / f"{codec}.html", bom + page.encode(codec))
    code, records, err = run(capsys, str(path), "--now", NOW)
    assert code == 0, err
    want = truth("kompas-2")
    assert records[0]["url"] == want["url"]
    assert norm(records[0]["title"]) in {want["title"], *want.get("title_alt", [])}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "nope.html", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "empty.html", b""), "file is empty"),
        (lambda d: _write(d / "blank.html", b"  \n\t "), "file is empty"),
        (lambda d: _write(d / "image.html", b"\x89PNG\r\n\x1a\n" + bytes(200)), "binary"),
        (lambda d: _write(d / "nul.html", b"<html>\x00\x00\x01</html>"), "binary"),
        (lambda d: _write(d / "bom16-nul.html", "<html>\x00\x00</html>".encode("utf-16")),
         "binary"),
        (lambda d: _write(d / "bom16-blank.html", "  \n ".encode("utf-16")), "file is empty"),
        (lambda d: _write(d / "bom32-text.html", "catatan biasa".encode("utf-32")),
         "no HTML tags"),
        (lambda d: _write(d / "bom16-feed.xml", (FIXTURES / "feeds" / "antara-rss-1.xml")
                          .read_text(encoding="utf-8").encode("utf-16")), "an XML document"),
        (lambda d: _write(d / "notes.txt", b"catatan biasa tanpa tag"), "no HTML tags"),
        (lambda d: FIXTURES / "feeds" / "antara-rss-1.xml", "an XML document"),
        (lambda d: FIXTURES / "feeds" / "kapanlagi-rss-1.xml", "an XML document"),
    ],
)
def test_bad_input_is_one_line_and_exit_two(
    make: Any, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make(tmp_path)
    code, records, err = run(capsys, str(path))
    assert code == 2
    assert records == []
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert message in lines[0]


def test_several_files_process_the_good_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.html"
    args = [str(PAGES / "detik-1.html"), str(missing), str(PAGES / "kompas-2.html")]
    code, records, err = run(capsys, *args, "--now", NOW)
    assert code == 2
    assert [r["url"] for r in records] == [truth("detik-1")["url"], truth("kompas-2")["url"]]
    assert f"{missing}: no such file" in err
    assert "1 of 3 files could not be extracted" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "kemarin sore"], "--now"),
        (["--site", "no-such-site"], "no-such-site"),
        (["--url", "https://example.com/a", str(PAGES / "kompas-2.html")], "--url"),
    ],
)
def test_bad_options_fail_before_any_output(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, records, err = run(capsys, str(PAGES / "detik-1.html"), *args)
    assert code == 2
    assert records == []
    assert message in err


def test_console_script_prints_jsonl(tmp_path: Path) -> None:
    """The real entry point, in a subprocess: UTF-8 JSONL on stdout, nothing on stderr."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "aggregator.cli.main", "extract", "--now", NOW,
         str(PAGES / "detik-1.html"), str(PAGES / "kompas-2.html")],
        capture_output=True, text=True, timeout=120, check=False, env=env, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["url"] for line in lines] == [
        truth("detik-1")["url"], truth("kompas-2")["url"]
    ]


def _write(path: Path, data: bytes) -> Path:
    """Write bytes and return the path."""
    path.write_bytes(data)
    return path


def test_syndication_note_is_not_in_the_body(capsys: pytest.CaptureFixture[str]) -> None:
    """detik-5 is a detikTravel copy closing with 'Artikel ini telah naik di detikBali'."""
    assert b"Artikel ini telah naik di" in (PAGES / "detik-5.html").read_bytes()
    code, records, err = run(capsys, str(PAGES / "detik-5.html"), "--now", NOW)
    assert code == 0, err
    assert "telah naik di" not in records[0]["body"]
    # The detik parser drops the note's <p> by XPath before the cleaner can read the
    # outlet from it, so wire_source stays empty here (see the syndication rule's tests).
