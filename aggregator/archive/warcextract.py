"""The HTML pages of any WARC file (ours, CC-NEWS, Heritrix, wget), one at a time.

Streaming: records are read and handed over one by one, so memory stays flat whatever
the file's size.  Pages come out as the spider would have received them (content
decoding and encoding detection by Scrapy's own code, `responses`).  Revisit records
carry no payload of their own and are counted, not resolved (that needs an index: our
own archive's `reextract` resolves them through the `captures` table).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from aggregator.archive.reader import iter_records
from aggregator.archive.replay import FetchedPage


@dataclass(slots=True)
class WarcPage:
    """One archived HTML page and where it is."""

    path: str
    offset: int
    page: FetchedPage


def warc_pages(path: str | Path, skipped: Counter[str]) -> Iterator[WarcPage]:
    """The successful HTML responses of `path`; other records are counted in `skipped`.

    A damaged record raises `ArchiveReadError` (file and offset) and ends the file.
    """
    from aggregator.archive.responses import is_text, spider_response

    for record in iter_records(path):
        if record.rec_type == "revisit":
            skipped["revisit"] += 1
            continue
        if record.rec_type != "response" or not record.url.startswith(("http:", "https:")):
            continue
        if not 200 <= record.status < 300:
            skipped[f"status_{record.status}"] += 1
            continue
        response = spider_response(record)
        if not is_text(response):
            skipped["not_text"] += 1
            continue
        assert record.date is not None  # every WARC record has a WARC-Date
        page = FetchedPage(url=response.url, status=response.status, body=response.body,
                           fetched_at=record.date, encoding=getattr(response, "encoding", None))
        yield WarcPage(str(path), record.offset, page)
