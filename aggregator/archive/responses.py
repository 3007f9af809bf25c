"""An archived response as the spider received it: Scrapy's response classes and decoding.

The one Scrapy-dependent piece of re-extraction, on purpose: the spider's input is the
response *after* `HttpCompressionMiddleware` (Content-Encoding undone) and Scrapy's
choice of class (`TextResponse` or not) and encoding (headers, BOM, `<meta>`, then
detection).  Re-implementing either would drift; running the same code cannot.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager

from aggregator.archive.reader import ArchivedRecord
from aggregator.archive.records import RENAMED_HEADERS

#: Header names the archive renamed (see `records.archived_headers`): not the response's.
_ARCHIVE_ONLY = {name.lower() for name in RENAMED_HEADERS.values()} | {"x-crawler-content-length"}



def _decoder() -> HttpCompressionMiddleware:
    """Scrapy's decompression middleware with the project's size limits, as in the crawl."""
    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    crawler = SimpleNamespace(stats=None, settings=settings, signals=SignalManager())
    return HttpCompressionMiddleware(crawler=crawler)  # type: ignore[arg-type]


_DECODER = _decoder()


def _headers(pairs: list[tuple[str, str]]) -> Headers:
    """Scrapy headers from (name, value) pairs (repeated names keep every value)."""
    headers = Headers()
    for name, value in pairs:
        if name.lower() not in _ARCHIVE_ONLY:
            headers.appendlist(name, value.encode("latin-1", errors="replace"))
    return headers


def spider_response(record: ArchivedRecord, payload: bytes | None = None,
                    meta: dict[str, Any] | None = None) -> Response:  # fmt: skip
    """The response the spider would have got for this record (`payload`: a revisit's)."""
    body = record.payload if payload is None else payload
    headers = _headers(record.http_headers)
    request = Request(record.url, meta=dict(meta or {}))
    cls = responsetypes.from_args(headers=headers, url=record.url, body=body)
    response = cls(url=record.url, status=record.status or 200, headers=headers, body=body,
                   request=request)  # fmt: skip
    decoded = _DECODER.process_response(request, response)
    assert isinstance(decoded, Response)
    return decoded


def is_text(response: Response) -> bool:
    """True for the responses the spider extracts from (Scrapy's `TextResponse`)."""
    from scrapy.http import TextResponse

    return isinstance(response, TextResponse)
