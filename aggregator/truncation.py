"""Refuse gzip bodies cut short, instead of storing a silently partial article.

Scrapy's gunzip keeps whatever a truncated gzip stream yields (its `gunzip` stops at the
first error once it has output), so a body cut mid-transfer with a matching
Content-Length arrived as a partial article with no log line.  `TruncatedGzipMiddleware`
sees the response before `HttpCompressionMiddleware` (priority 595 > 590; responses go
through middlewares from high to low), runs the body through zlib in bounded chunks
(output discarded) and checks that the stream reached its end.  A truncated body is
retried like any transient failure (`RETRY_TIMES`); after the last try the request
fails with the reason `truncated` (stats `truncation/retried`, `truncation/failed`).
`AGGREGATOR_CHECK_TRUNCATION = False` switches it off.
"""

from __future__ import annotations

import zlib
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured

CHUNK = 64 * 1024


class TruncatedBody(IgnoreRequest):
    """A compressed body ended before its end-of-stream marker."""


def gzip_is_complete(body: bytes, limit: int) -> bool:
    """True when `body` is a gzip/zlib stream that ends properly (or output passes `limit`).

    Past `limit` decompressed bytes the check stops: Scrapy refuses such a body anyway.
    """
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, auto-detected
    produced, data = 0, body
    try:
        while data and not decoder.eof:
            produced += len(decoder.decompress(data, CHUNK))
            data = decoder.unconsumed_tail
            if limit and produced > limit:
                return True
        if not decoder.eof:
            produced += len(decoder.flush())
    except zlib.error:
        return True  # not truncation: a corrupt stream; Scrapy's middleware reports it
    return decoder.eof


class TruncatedGzipMiddleware:
    """Retry, then fail with `truncated`, a gzip-encoded response cut short."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limit = crawler.settings.getint("DOWNLOAD_MAXSIZE", 0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TruncatedGzipMiddleware:
        """Active unless AGGREGATOR_CHECK_TRUNCATION is off."""
        if not crawler.settings.getbool("AGGREGATOR_CHECK_TRUNCATION", True):
            raise NotConfigured("AGGREGATOR_CHECK_TRUNCATION is off")
        return cls(crawler)

    def process_response(self, request: Any, response: Any) -> Any:
        """Pass complete bodies; retry or fail truncated gzip ones."""
        encoding = (response.headers.get(b"Content-Encoding") or b"").strip().lower()
        if encoding not in (b"gzip", b"x-gzip") or not response.body:
            return response
        if gzip_is_complete(response.body, self.limit):
            return response
        stats = self.crawler.stats
        spider = self.crawler.spider
        retry = None
        if spider is not None:
            retry = get_retry_request(request, spider=spider, reason="truncated_body")
        if retry is not None:
            if stats is not None:
                stats.inc_value("truncation/retried")
            return retry
        if stats is not None:
            stats.inc_value("truncation/failed")
        raise TruncatedBody(f"gzip body truncated ({len(response.body)} bytes received)")
