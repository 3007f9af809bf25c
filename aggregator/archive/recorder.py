"""The archive's write side: WARC records plus `captures` rows, one thread, Scrapy-free.

`Recorder.record(exchange)` decides response or revisit (the URL's last capture, from
this run's memory or the database), writes the records and buffers the row; rows are
inserted every `flush_every` captures and at `close()`, which also links the captures to
the articles the crawl stored.
"""

from __future__ import annotations

import logging
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from aggregator.archive import index
from aggregator.archive.records import CaptureRow, Exchange, PriorCapture
from aggregator.archive.writer import DEFAULT_MAX_BYTES, WarcFileWriter

log = logging.getLogger(__name__)

#: URLs whose last capture is remembered in memory (older ones are looked up in the DB).
RECENT_URLS: Final = 50_000


class Recorder:
    """Writes exchanges to WARC files and their rows to the `captures` table."""

    def __init__(self, directory: str | Path, db_url: str | None, *,
                 max_bytes: int = DEFAULT_MAX_BYTES, worker: str | None = None,
                 info: dict[str, Any] | None = None, flush_every: int = 200) -> None:  # fmt: skip
        self.writer = WarcFileWriter(directory, max_bytes=max_bytes, worker=worker, info=info)
        self.db_url = db_url
        self.flush_every = max(flush_every, 1)
        self.counts: Counter[str] = Counter()
        self.pending: list[CaptureRow] = []
        self.recent: OrderedDict[str, PriorCapture] = OrderedDict()
        self.engine: Engine | None = None
        self.sessions: sessionmaker[Session] | None = None
        self.lookups: Connection | None = None  # read-only use: takes no write lock

    def open(self) -> None:
        """Connect to the database (schema brought to head) when there is one."""
        if self.db_url is None:
            return
        from aggregator.storage.db import make_engine, session_factory
        from aggregator.storage.migrate import ensure_schema

        self.engine = make_engine(self.db_url)
        ensure_schema(self.engine)
        self.sessions = session_factory(self.engine)
        self.lookups = self.engine.connect()

    def _prior(self, url: str) -> PriorCapture | None:
        """The URL's last full capture: this run's, else the database's."""
        if url in self.recent:
            return self.recent[url]
        if self.lookups is None:
            return None
        try:
            return index.last_capture_on(self.lookups, url)
        finally:
            self.lookups.rollback()  # end the read transaction: WAL checkpoints go on

    def _remember(self, row: CaptureRow) -> None:
        """Keep the last full capture of the URL (bounded memory)."""
        if row.record_type != "response" or not 200 <= row.status < 300:
            return
        assert row.payload_digest is not None
        self.recent[row.url] = PriorCapture(row.record_id, row.payload_digest,
                                            row.fetched_at, row.url)  # fmt: skip
        self.recent.move_to_end(row.url)
        if len(self.recent) > RECENT_URLS:
            self.recent.popitem(last=False)

    def record(self, exchange: Exchange) -> CaptureRow:
        """Archive one exchange; returns its capture row."""
        ok = 200 <= exchange.status < 300
        prior = self._prior(exchange.url) if ok else None
        row = self.writer.write(exchange, prior)
        self._remember(row)
        self.counts["records"] += 1
        self.counts[row.record_type + "s"] += 1
        self.pending.append(row)
        if len(self.pending) >= self.flush_every:
            self.flush()
        return row

    def flush(self) -> None:
        """Insert the buffered capture rows."""
        rows, self.pending = self.pending, []
        if not rows or self.sessions is None:
            return
        try:
            with self.sessions.begin() as session:
                index.insert_captures(session, rows)
        except Exception as exc:
            # The records are safe in the WARC file; keep the rows for the next attempt.
            self.pending = rows + self.pending
            self.counts["index_errors"] += 1
            log.error("archive: cannot insert %d capture rows (%s); retrying later",
                      len(rows), exc)  # fmt: skip
            return
        self.counts["rows"] += len(rows)

    def close(self) -> None:
        """Insert what is buffered, link captures to stored articles, close the file."""
        try:
            self.flush()
            if self.sessions is not None:
                with self.sessions.begin() as session:
                    self.counts["linked"] += index.link_articles(session)
        finally:
            self.writer.close()
            self.counts["files"] = len(self.writer.files)
            self.counts["bytes"] = sum(p.stat().st_size for p in self.writer.files if p.exists())
            if self.lookups is not None:
                self.lookups.close()
            if self.engine is not None:
                self.engine.dispose()
