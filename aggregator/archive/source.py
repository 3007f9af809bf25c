"""Archived captures as the pages the spider received (revisits and redirects resolved).

`ArchivePages` reads a capture's record, takes a revisit's payload from the capture it
refers to, turns it into the response the spider got (`responses.spider_response`)
and follows archived redirects, as Scrapy's RedirectMiddleware did during the crawl.
It also reads each file's `warcinfo` settings (source names, page cap ...) once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Final
from urllib.parse import urljoin

from sqlalchemy.orm import Session

from aggregator.archive import index
from aggregator.archive.index import CaptureRef
from aggregator.archive.reader import ArchivedRecord, ArchiveReadError, iter_records, read_record
from aggregator.archive.replay import FetchedPage

REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS: Final = 5  # REDIRECT_MAX_TIMES in settings.py


@lru_cache(maxsize=256)
def file_settings(path: str) -> dict[str, Any]:
    """The crawl settings stored in a file's warcinfo record ({} when absent)."""
    try:
        for record in iter_records(path):
            if record.rec_type != "warcinfo":
                return {}
            for line in record.payload.decode("utf-8", "replace").splitlines():
                name, _, value = line.partition(":")
                if name.strip() == "aggregator-settings":
                    data = json.loads(value.strip() or "{}")
                    return data if isinstance(data, dict) else {}
            return {}
    except (ArchiveReadError, ValueError):
        return {}
    return {}


class ArchivePages:
    """Looks up archived pages through the `captures` table."""

    def __init__(self, session: Session, on_error: Callable[[ArchiveReadError], None]) -> None:
        self.session = session
        self.on_error = on_error

    def record(self, ref: CaptureRef) -> tuple[ArchivedRecord, bytes]:
        """The capture's record and payload (a revisit's from its original)."""
        record = read_record(ref.warc_file, ref.warc_offset, ref.warc_length)
        if record.rec_type != "revisit":
            return record, record.payload
        original_id = ref.refers_to or record.header("WARC-Refers-To")
        original = index.by_record_id(self.session, original_id) if original_id else None
        if original is None:
            raise ArchiveReadError(ref.warc_file, ref.warc_offset,
                                   f"revisit of {original_id or 'an unknown record'}: the "
                                   "original capture is not in the archive (pruned?)")  # fmt: skip
        return record, read_record(original.warc_file, original.warc_offset,
                                   original.warc_length).payload

    def page(self, ref: CaptureRef, meta: dict[str, Any] | None = None) -> FetchedPage:
        """The page the spider received for this capture (with `meta` as its request's)."""
        from aggregator.archive.responses import is_text, spider_response

        record, payload = self.record(ref)
        response = spider_response(record, payload, meta)
        text = is_text(response)
        headers = {name: (response.headers.get(name) or b"").decode("latin-1")
                   for name in ("ETag", "Last-Modified")}  # fmt: skip
        return FetchedPage(url=response.url, status=response.status, body=response.body,
                           fetched_at=ref.fetched_at, is_text=text,
                           encoding=getattr(response, "encoding", None), headers=headers,
                           meta=dict(meta if meta is not None else ref.meta))  # fmt: skip

    def original(self, ref: CaptureRef) -> CaptureRef:
        """A revisit's original capture (payload, fetch time and crawl context), else `ref`.

        An identical payload changed nothing in the database when it was fetched again
        (the upsert saw the same body), so the article stored is the original's.
        """
        if ref.record_type != "revisit" or not ref.refers_to:
            return ref
        return index.by_record_id(self.session, ref.refers_to) or ref

    def first_page(self, ref: CaptureRef) -> FetchedPage:
        """An article's first page, with the crawl context its request carried."""
        return self.page(ref, ref.meta)

    def follow(self, url: str, single: bool, near: Any) -> FetchedPage | None:
        """Page 2.. (or the single view) of an article, as the crawl got it; None if it failed."""
        meta: dict[str, Any] = {"aggregator_kind": "article_page", "aggregator_single": single}
        for _ in range(MAX_REDIRECTS + 1):
            ref = index.page_capture(self.session, url, near)
            if ref is None:
                return None
            try:
                page = self.page(ref, meta)
            except ArchiveReadError as exc:
                self.on_error(exc)
                return None
            if page.status in REDIRECTS:
                location = self._location(ref)
                if not location:
                    return None
                url = urljoin(url, location)
                continue
            return page if 200 <= page.status < 300 else None
        return None

    def _location(self, ref: CaptureRef) -> str | None:
        """The Location header of an archived redirect."""
        record = read_record(ref.warc_file, ref.warc_offset, ref.warc_length)
        return next((v for k, v in record.http_headers if k.lower() == "location"), None)
