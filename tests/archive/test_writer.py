"""WARC writing: records, digests (warcio check), encodings, rotation, revisits."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from aggregator.archive.reader import iter_records, read_record, verify_file
from aggregator.archive.records import PriorCapture, payload_digest
from aggregator.archive.responses import is_text, spider_response
from aggregator.archive.writer import WarcFileWriter, parse_warc_date
from tests.archive.helpers import PAGE, exchange, warcio_check


def test_records_pass_warcio_check_and_read_back(tmp_path: Path) -> None:
    writer = WarcFileWriter(tmp_path, worker="w1", info={"AGGREGATOR_MAX_ARTICLE_PAGES": 7})
    plain = writer.write(exchange())
    encoded = writer.write(exchange("http://127.0.0.1:9/b", gzipped=True, chunked=True))
    writer.close()
    [path] = writer.files
    check = warcio_check(path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout
    with path.open("rb") as fh:
        types = [r.rec_type for r in ArchiveIterator(fh)]
    assert types == ["warcinfo", *["response", "request", "metadata"] * 2]
    back = read_record(path, encoded.warc_offset)
    assert back.url == "http://127.0.0.1:9/b"
    assert back.date == dt.datetime(2026, 12, 1, 3, 4, 5, 678901, tzinfo=dt.UTC)
    names = {name.lower() for name, _ in back.http_headers}
    # The payload is no longer chunked: the header is kept under another name (warcio#74).
    assert "transfer-encoding" not in names
    assert "x-crawler-transfer-encoding" in names
    assert back.payload == gzip.compress(PAGE, mtime=0)  # stored as received
    assert encoded.payload_digest == payload_digest(back.payload)
    assert read_record(path, plain.warc_offset).payload == PAGE


def test_spider_response_undoes_content_encoding(tmp_path: Path) -> None:
    writer = WarcFileWriter(tmp_path)
    row = writer.write(exchange(gzipped=True, chunked=True))
    writer.close()
    response = spider_response(read_record(row.warc_file, row.warc_offset))
    assert is_text(response)
    assert response.body == PAGE
    assert response.encoding == "utf-8"


def test_files_rotate_by_size_with_unique_names(tmp_path: Path) -> None:
    writer = WarcFileWriter(tmp_path, max_bytes=2_000, worker="host-42")
    rows = [writer.write(exchange(f"http://127.0.0.1:9/{i}")) for i in range(6)]
    writer.close()
    assert len(writer.files) >= 3
    assert len({p.name for p in writer.files}) == len(writer.files)
    assert all("-host-42-" in p.name and p.name.endswith(".warc.gz") for p in writer.files)
    for row in rows:
        assert read_record(row.warc_file, row.warc_offset).url == row.url
    for path in writer.files:  # each file stands alone: warcinfo first, verifiable
        assert next(iter_records(path)).rec_type == "warcinfo"
        assert verify_file(path).ok


def test_same_payload_as_last_capture_is_a_revisit(tmp_path: Path) -> None:
    writer = WarcFileWriter(tmp_path)
    first = writer.write(exchange())
    prior = PriorCapture(first.record_id, first.payload_digest or "", first.fetched_at, first.url)
    later = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    again = writer.write(exchange(when=later), prior)
    changed = writer.write(exchange(body=PAGE + b"<!-- baru -->", when=later), prior)
    writer.close()
    assert (again.record_type, again.refers_to) == ("revisit", first.record_id)
    assert changed.record_type == "response"
    assert warcio_check(*writer.files).returncode == 0
    record = read_record(again.warc_file, again.warc_offset)
    assert record.rec_type == "revisit"
    assert record.payload == b""
    assert record.header("WARC-Refers-To") == first.record_id
    assert record.header("WARC-Refers-To-Target-URI") == first.url
    assert parse_warc_date(record.header("WARC-Refers-To-Date") or "") == first.fetched_at
    assert record.header("WARC-Payload-Digest") == first.payload_digest
    assert again.warc_length < first.warc_length  # no second copy of the body


def test_metadata_record_keeps_the_crawl_context(tmp_path: Path) -> None:
    writer = WarcFileWriter(tmp_path)
    ex = exchange()
    ex.meta["aggregator_discovery"] = {"title": "Judul dari feed", "published": "2 jam lalu"}
    writer.write(ex)
    writer.close()
    [meta] = [r for r in iter_records(writer.files[0]) if r.rec_type == "metadata"]
    assert b"Judul dari feed" in meta.payload
