"""Tell a download cancelled at DOWNLOAD_MAXSIZE from any other cancellation.

Scrapy cancels a body that grows past `DOWNLOAD_MAXSIZE` without a Content-Length with
a bare `CancelledError` (only its log line says why), while a declared size over the
limit fails with a message naming the limit.  `OversizeMarker` counts the bytes of each
download (`bytes_received` signal) and marks the request once they pass the limit, so
`aggregator.extensions.failure_reason` reports both as `too_large`.  Setting
`AGGREGATOR_MARK_OVERSIZE = False` switches it off.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

#: Request meta keys: bytes received so far, and the flag set past the limit.
RECEIVED_META = "aggregator_bytes_received"
OVERSIZE_META = "aggregator_oversize"


class OversizeMarker:
    """Sum received bytes per request; flag the request when they exceed its limit."""

    def __init__(self, default_limit: int) -> None:
        self.default_limit = default_limit

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OversizeMarker:
        """Connect to bytes_received (unless switched off)."""
        if not crawler.settings.getbool("AGGREGATOR_MARK_OVERSIZE", True):
            raise NotConfigured("AGGREGATOR_MARK_OVERSIZE is off")
        ext = cls(crawler.settings.getint("DOWNLOAD_MAXSIZE", 0))
        crawler.signals.connect(ext.bytes_received, signal=signals.bytes_received)
        return ext

    def bytes_received(self, data: bytes, request: Any, spider: Any = None) -> None:
        """Add this chunk; past the limit, mark the request."""
        received = request.meta.get(RECEIVED_META, 0) + len(data)
        request.meta[RECEIVED_META] = received
        limit = int(request.meta.get("download_maxsize") or self.default_limit)
        if limit and received > limit:
            request.meta[OVERSIZE_META] = True


def was_oversize(failure: Any) -> bool:
    """True when the failed request had received more than its size limit."""
    request = getattr(failure, "request", None)
    meta = getattr(request, "meta", None) or {}
    return bool(meta.get(OVERSIZE_META))
