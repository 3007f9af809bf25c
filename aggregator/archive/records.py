"""One HTTP exchange as archived, and the header rules that keep its digests honest."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

#: Hop-by-hop framing already undone by the HTTP client: the stored payload is no longer
#: chunked, so a `Transfer-Encoding: chunked` header would make readers de-chunk it again
#: and payload digests would not verify (warcio#74).  Renamed, as Common Crawl does.
RENAMED_HEADERS: Final = {"transfer-encoding": "X-Crawler-Transfer-Encoding"}
#: Request metadata keys copied into the capture (the crawl context re-extraction needs).
META_KEYS: Final = ("aggregator_kind", "aggregator_site", "aggregator_discovery",
                    "redirect_urls", "aggregator_single")  # fmt: skip


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of `body`: `sha1:` + base32, as warcio writes it."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")  # noqa: S324


def archived_headers(
    headers: Iterable[tuple[str, str]], body_length: int
) -> list[tuple[str, str]]:
    """Response headers as stored: framing headers that no longer describe the body renamed.

    The body is stored as received after transfer decoding (still content-encoded when
    `Content-Encoding` says so, which is what a WARC payload is), so `Content-Encoding`
    stays; `Transfer-Encoding` and a `Content-Length` that does not match are renamed.
    """
    out: list[tuple[str, str]] = []
    for name, value in headers:
        lower = name.lower()
        if lower in RENAMED_HEADERS:
            out.append((RENAMED_HEADERS[lower], value))
        elif lower == "content-length" and value.strip() != str(body_length):
            out.append(("X-Crawler-Content-Length", value))
        else:
            out.append((name, value))
    return out


@dataclass(slots=True)
class Exchange:
    """One request and its response, as the crawler sent and received them."""

    url: str
    status: int
    body: bytes  # transfer-decoded, content encoding untouched
    fetched_at: dt.datetime  # aware UTC, microseconds
    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    reason: str = ""
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # META_KEYS + article_url

    @property
    def kind(self) -> str | None:
        """The spider's request kind (feed, sitemap, article, article_page ...)."""
        value = self.meta.get("aggregator_kind")
        return str(value) if value else None


@dataclass(slots=True)
class CaptureRow:
    """A written `response` or `revisit` record: the values of one `captures` row."""

    url: str
    fetched_at: dt.datetime
    status: int
    kind: str | None
    site: str | None
    record_type: str
    payload_digest: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    record_id: str
    refers_to: str | None = None
    article_url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        """The column values for an insert."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class PriorCapture:
    """The last capture of a URL, for revisit decisions."""

    record_id: str
    payload_digest: str
    fetched_at: dt.datetime
    url: str
