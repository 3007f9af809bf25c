"""Damaged WARC files: one clear error naming file and offset; other files go on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aggregator.archive.reader import ArchiveReadError, iter_records, read_record, verify_file
from aggregator.archive.records import CaptureRow
from aggregator.archive.writer import WarcFileWriter
from tests.archive.helpers import exchange

URLS = [f"http://127.0.0.1:9/berita/{i}" for i in range(4)]


def written(tmp_path: Path, name: str) -> tuple[Path, list[CaptureRow]]:
    """A WARC file with four responses (each with request and metadata records)."""
    writer = WarcFileWriter(tmp_path / name)
    rows = [writer.write(exchange(url)) for url in URLS]
    writer.close()
    return writer.files[0], rows


def truncate_inside(path: Path, row: CaptureRow) -> None:
    """Cut the file in the middle of `row`'s response record."""
    data = path.read_bytes()
    path.write_bytes(data[: row.warc_offset + row.warc_length // 2])


def corrupt_inside(path: Path, row: CaptureRow) -> None:
    """Overwrite bytes in the middle of `row`'s compressed response record."""
    data = bytearray(path.read_bytes())
    middle = row.warc_offset + row.warc_length // 2
    data[middle : middle + 40] = b"\x00" * 40
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [truncate_inside, corrupt_inside])
def test_damage_is_one_error_with_file_and_offset(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    path, rows = written(tmp_path, "a")
    damage(path, rows[2])
    seen: list[str] = []
    with pytest.raises(ArchiveReadError) as caught:
        seen.extend(r.url for r in iter_records(path) if r.rec_type == "response")
    assert seen == URLS[:2]  # everything before the damage was read
    assert caught.value.path == str(path)
    assert caught.value.offset == rows[2].warc_offset
    assert str(path) in str(caught.value)
    assert f"offset {rows[2].warc_offset}" in str(caught.value)
    with pytest.raises(ArchiveReadError, match=f"offset {rows[2].warc_offset}"):
        read_record(path, rows[2].warc_offset, rows[2].warc_length)
    assert read_record(path, rows[1].warc_offset).url == URLS[1]  # earlier records stay readable
    result = verify_file(path)
    assert not result.ok
    assert f"offset {rows[2].warc_offset}" in (result.error or "")


def test_record_read_checks_the_payload_digest(tmp_path: Path) -> None:
    path, rows = written(tmp_path, "a")
    data = path.read_bytes()
    # Re-compress one record with a changed payload but the old digest header.
    import gzip

    start, end = rows[0].warc_offset, rows[0].warc_offset + rows[0].warc_length
    raw = gzip.decompress(data[start:end]).replace(b"Isi berita", b"Isi BERITA", 1)
    path.write_bytes(data[:start] + gzip.compress(raw) + data[end:])
    with pytest.raises(ArchiveReadError, match="digest mismatch"):
        read_record(path, rows[0].warc_offset)
    assert not verify_file(path).ok


def test_extract_warc_reports_the_bad_file_and_processes_the_others(tmp_path: Path) -> None:
    good, _ = written(tmp_path, "good")
    bad, bad_rows = written(tmp_path, "bad")
    truncate_inside(bad, bad_rows[1])
    missing = tmp_path / "nope.warc.gz"
    cmd = [sys.executable, "-m", "aggregator.cli.main", "extract", "--warc", str(bad),
           "--warc", str(missing), "--warc", str(good)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["url"] for r in records if r["file"] == str(good)] == URLS
    assert [r["url"] for r in records if r["file"] == str(bad)] == URLS[:1]
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3, proc.stderr  # the damaged file, the missing one, the total
    assert f"{bad} at offset {bad_rows[1].warc_offset}" in errors[0]
    assert "Traceback" not in proc.stderr
    assert all(r["title"] == "Judul" and r["published_at"] is None for r in records)


def test_extract_warc_streams_a_copy_of_the_same_records(tmp_path: Path) -> None:
    good, _ = written(tmp_path, "good")
    copy = tmp_path / "copy.warc.gz"
    shutil.copy(good, copy)
    cmd = [sys.executable, "-m", "aggregator.cli.main", "extract", "--warc", str(copy)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["warc_offset"] for line in proc.stdout.splitlines()] == [
        r.offset for r in iter_records(copy) if r.rec_type == "response"
    ]
