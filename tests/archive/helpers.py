"""Shared helpers for the archive tests: exchanges, warcio's own checker."""

from __future__ import annotations

import datetime as dt
import gzip
import subprocess
import sys
from pathlib import Path

from aggregator.archive.records import Exchange

PAGE = (b"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>Judul</title>"
        b"</head><body><article><h1>Judul</h1><p>" + b"Isi berita yang cukup panjang. " * 40
        + b"</p></article></body></html>")  # fmt: skip


def exchange(url: str = "http://127.0.0.1:9/berita/satu", *, body: bytes = PAGE,
             status: int = 200, when: dt.datetime | None = None, gzipped: bool = False,
             chunked: bool = False, kind: str = "article") -> Exchange:  # fmt: skip
    """An exchange as the middleware builds it (optionally content-encoded, chunked)."""
    headers = [("Content-Type", "text/html; charset=utf-8")]
    if gzipped:
        body = gzip.compress(body, mtime=0)
        headers.append(("Content-Encoding", "gzip"))
    if chunked:  # Twisted removed the chunking; the header is still there
        headers.append(("Transfer-Encoding", "chunked"))
    else:
        headers.append(("Content-Length", str(len(body))))
    return Exchange(url=url, status=status, body=body,
                    fetched_at=when or dt.datetime(2026, 12, 1, 3, 4, 5, 678901, tzinfo=dt.UTC),
                    request_headers=[("User-Agent", "aggregator-test"),
                                     ("Accept-Encoding", "gzip, deflate")],
                    response_headers=headers, reason="OK",
                    meta={"aggregator_kind": kind, "article_url": url})  # fmt: skip


def warcio_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    """`warcio check -v PATHS` in a subprocess (warcio's own verifier)."""
    code = "import sys; from warcio.cli import main; main(sys.argv[1:])"
    return subprocess.run([sys.executable, "-c", code, "check", "-v", *map(str, paths)],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
