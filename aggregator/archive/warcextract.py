"""The HTML pages of any WARC file (ours, CC-NEWS, Heritrix, wget), one at a time.

Streaming: records are read and handed over one by one, so memory stays flat whatever
the file's size.  In our own files, each page carries the crawl context of its
`metadata` record, so pages 2.. of multi-page articles can be told from first pages.
Pages come out as the spider would have received them (content
decoding and encoding detection by Scrapy's own code, `responses`).  Revisit records
carry no payload of their own and are counted, not resolved (that needs an index: our
own archive's `reextract` resolves them through the `captures` table).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aggregator.archive.reader import ArchivedRecord, ArchiveReadError, iter_records
from aggregator.archive.replay import FetchedPage


@dataclass(slots=True)
class WarcPage:
    """One archived HTML page and where it is."""

    path: str
    offset: int
    page: FetchedPage


def warc_pages(path: str | Path, skipped: Counter[str]) -> Iterator[WarcPage]:
    """The successful HTML responses of `path`; other records are counted in `skipped`.

    A page is handed over once the records written with it have been read, so the crawl
    context of our own `metadata` records (request kind, discovery entry) comes with it:
    a one-record look-ahead, memory stays flat.  A damaged record raises
    `ArchiveReadError` (file and offset) and ends the file.
    """
    pending: tuple[str, WarcPage] | None = None
    records = iter_records(path)
    while True:
        try:
            record = next(records, None)
        except ArchiveReadError:
            if pending is not None:  # read whole before the damage: still handed over
                yield pending[1]
            raise
        if record is None:
            break
        if record.rec_type == "metadata" and pending is not None \
                and record.header("WARC-Concurrent-To") == pending[0]:  # fmt: skip
            pending[1].page.meta = _json_object(record.payload)
            continue
        if record.rec_type not in ("response", "revisit"):
            continue
        if pending is not None:
            yield pending[1]
        pending = None
        page = _page(record, skipped)
        if page is not None:
            pending = (record.record_id, WarcPage(str(path), record.offset, page))
    if pending is not None:
        yield pending[1]


def _page(record: ArchivedRecord, skipped: Counter[str]) -> FetchedPage | None:
    """The page the spider would have received, or None (counted) for anything else."""
    from aggregator.archive.responses import is_text, spider_response

    if record.rec_type == "revisit":
        skipped["revisit"] += 1
        return None
    if not record.url.startswith(("http:", "https:")):
        return None
    if not 200 <= record.status < 300:
        skipped[f"status_{record.status}"] += 1
        return None
    response = spider_response(record)
    if not is_text(response):
        skipped["not_text"] += 1
        return None
    assert record.date is not None  # every WARC record has a WARC-Date
    return FetchedPage(url=response.url, status=response.status, body=response.body,
                       fetched_at=record.date, encoding=getattr(response, "encoding", None))


def _json_object(data: bytes) -> dict[str, Any]:
    """A metadata record's JSON object ({} when it is something else)."""
    try:
        value = json.loads(data.decode("utf-8"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
