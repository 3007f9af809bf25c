"""WARC/1.1 files written with warcio: gzip per record, rotated by size, one writer per file.

Files are named `<prefix>-<UTC time>-<worker>-<serial>.warc.gz`, the worker being the
host name and process id unless given, so concurrent crawls never share a file.  Each
file starts with a `warcinfo` record (software, host, and the crawl settings that
re-extraction needs, as JSON).  Every exchange becomes a `request`, a `response` (or a
`revisit` when its payload digest equals the URL's last capture) and a `metadata`
record holding the crawl context (request kind, discovery entry, redirects).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import uuid
from io import BytesIO
from pathlib import Path
from typing import IO, Any, Final
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from aggregator.archive.records import (
    CaptureRow,
    Exchange,
    PriorCapture,
    archived_headers,
    payload_digest,
)

#: Rotate a file once it reaches this size (compressed bytes); the usual WARC size is 1 GB.
DEFAULT_MAX_BYTES: Final = 1_000_000_000
SOFTWARE: Final = "aggregator/0.1 (warcio)"
METADATA_TYPE: Final = "application/json"


def warc_date(moment: dt.datetime) -> str:
    """WARC/1.1 date: UTC with microseconds (relative dates resolve against this instant)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_warc_date(value: str) -> dt.datetime:
    """A `WARC-Date` (seconds or sub-second precision) as an aware UTC datetime."""
    return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).astimezone(dt.UTC)


def default_worker() -> str:
    """`<host>-<pid>`: unique among concurrent crawls on one machine or many."""
    host = socket.gethostname().split(".")[0] or "host"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in host)
    return f"{safe}-{os.getpid()}"


def _request_line(exchange: Exchange) -> str:
    """`GET /path?query HTTP/1.1` for the exchange's URL."""
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"{exchange.method} {target} {exchange.protocol}"


class WarcFileWriter:
    """Writes exchanges to rotating WARC files in `directory`; not thread-safe (one thread)."""

    def __init__(self, directory: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 worker: str | None = None, prefix: str = "aggregator",
                 info: dict[str, Any] | None = None) -> None:  # fmt: skip
        self.directory = Path(directory)
        self.max_bytes = max(max_bytes, 1)
        self.worker = worker or default_worker()
        self.prefix = prefix
        self.info = dict(info or {})
        self.serial = 0
        self.path: Path | None = None
        self.files: list[Path] = []
        self._fh: IO[bytes] | None = None
        self._warc: WARCWriter | None = None

    # -- files ---------------------------------------------------------------------------
    def _open_next(self) -> None:
        """Start a new file with its warcinfo record."""
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.serial += 1
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
        path = self.directory / f"{self.prefix}-{stamp}-{self.worker}-{self.serial:05d}.warc.gz"
        self._fh = path.open("xb")  # never append to (or share) an existing file
        self._warc = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        self.path = path
        self.files.append(path)
        fields = {"software": SOFTWARE, "hostname": socket.gethostname(),
                  "format": "WARC File Format 1.1",
                  "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                                "warc-format/warc-1.1/",
                  "aggregator-worker": self.worker,
                  "aggregator-settings": json.dumps(self.info, sort_keys=True)}  # fmt: skip
        self._warc.write_record(self._warc.create_warcinfo_record(path.name, fields))

    def _writer(self) -> WARCWriter:
        """The current file's writer, rotating first when the file is full."""
        if self._fh is None or self._fh.tell() >= self.max_bytes:
            self._open_next()
        assert self._warc is not None
        return self._warc

    def close(self) -> None:
        """Flush and close the current file (the next write opens a new one)."""
        if self._fh is not None:
            self._fh.close()
        self._fh, self._warc = None, None

    # -- records -------------------------------------------------------------------------
    def write(self, exchange: Exchange, prior: PriorCapture | None = None) -> CaptureRow:
        """Write request, response (or revisit) and metadata; return the capture row."""
        warc = self._writer()
        assert self._fh is not None
        assert self.path is not None
        digest = payload_digest(exchange.body)
        date = warc_date(exchange.fetched_at)
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        common = {"WARC-Date": date, "WARC-Record-ID": record_id}
        if exchange.ip_address:
            common["WARC-IP-Address"] = exchange.ip_address
        http = StatusAndHeaders(f"{exchange.status} {exchange.reason}".strip(),
                                archived_headers(exchange.response_headers, len(exchange.body)),
                                protocol=exchange.protocol)  # fmt: skip
        revisit = prior is not None and prior.payload_digest == digest and bool(exchange.body)
        if revisit:
            assert prior is not None
            record = warc.create_revisit_record(
                exchange.url, digest, prior.url, warc_date(prior.fetched_at),
                http_headers=http, warc_headers_dict={**common, "WARC-Refers-To": prior.record_id},
            )  # fmt: skip
        else:
            # The digest computed above is passed on: warcio would hash the body again.
            record = warc.create_warc_record(
                exchange.url, "response", payload=BytesIO(exchange.body),
                length=len(exchange.body), http_headers=http,
                warc_headers_dict={**common, "WARC-Payload-Digest": digest},
            )  # fmt: skip
        offset = self._fh.tell()
        warc.write_record(record)
        length = self._fh.tell() - offset
        self._write_request(warc, exchange, date, record_id)
        self._write_metadata(warc, exchange, date, record_id)
        return CaptureRow(
            url=exchange.url, fetched_at=exchange.fetched_at, status=exchange.status,
            kind=exchange.kind, site=exchange.meta.get("aggregator_site"),
            record_type="revisit" if revisit else "response", payload_digest=digest,
            warc_file=str(self.path.resolve()), warc_offset=offset, warc_length=length,
            record_id=record_id, refers_to=prior.record_id if revisit and prior else None,
            article_url=exchange.meta.get("article_url"), meta=dict(exchange.meta),
        )  # fmt: skip

    def _write_request(self, warc: WARCWriter, exchange: Exchange, date: str,
                       response_id: str) -> None:  # fmt: skip
        """The request as sent (headers the downloader middlewares set, plus Host)."""
        headers = list(exchange.request_headers)
        if not any(name.lower() == "host" for name, _ in headers):
            headers.insert(0, ("Host", urlsplit(exchange.url).netloc))
        http = StatusAndHeaders(_request_line(exchange), headers, is_http_request=True)
        record = warc.create_warc_record(
            exchange.url, "request", payload=BytesIO(b""), length=0, http_headers=http,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id},
        )  # fmt: skip
        warc.write_record(record)

    def _write_metadata(self, warc: WARCWriter, exchange: Exchange, date: str,
                        response_id: str) -> None:  # fmt: skip
        """The crawl context as JSON, so a WARC alone is enough to re-extract."""
        data = json.dumps(exchange.meta, ensure_ascii=False, default=str).encode("utf-8")
        record = warc.create_warc_record(
            exchange.url, "metadata", payload=BytesIO(data), length=len(data),
            warc_content_type=METADATA_TYPE,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id},
        )  # fmt: skip
        warc.write_record(record)
