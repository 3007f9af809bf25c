"""Database side of incremental crawling (Scrapy-free): lookups and buffered writes.

Reads are single indexed lookups (primary key or unique index), cheap enough to run in
the reactor thread.  Writes (`fetch_state` rows, watermarks) are buffered and written in
one short transaction by `flush`, which the middleware runs in a worker thread.  Nothing
here keeps a set of seen URLs in memory: the seen set is the database.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Engine, Table, bindparam, insert, inspect, select, union_all, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from aggregator.dedup import URLError, canonicalize_url
from aggregator.incremental.policy import StoredArticle
from aggregator.storage.db import session_factory
from aggregator.storage.models import Article, ArticleAlias
from aggregator.storage.models_dedup import FetchState, SourceWatermark

__all__ = ["FetchRecord", "IncrementalStore", "Validators", "state_key"]

_NEEDED = {"articles", "article_aliases", "fetch_state", "source_watermarks"}
# One indexed statement: the article by URL, else by alias, plus its fetch state.  Built
# once (it runs for every article request; building it cost as much as running it).
_TARGET = union_all(
    select(Article.id).where(Article.url == bindparam("key")),
    select(ArticleAlias.article_id).where(
        ArticleAlias.url.in_([bindparam("key"), bindparam("raw")])),
).limit(1).scalar_subquery()
_STORED_ARTICLE = (
    select(Article.id, Article.first_seen_at, Article.published_at, Article.modified_at,
           Article.last_seen_at, FetchState.last_fetched_at, FetchState.lastmod_seen)
    .outerjoin(FetchState, FetchState.url == bindparam("key")).where(Article.id == _TARGET))
_RECHECK_TABLES_S = 2.0


def state_key(url: str, *, kind: str) -> str:
    """The `fetch_state` key of a URL: canonical, keeping `?page=N` except for articles."""
    try:
        return canonicalize_url(url, keep_paging=kind != "article")
    except URLError:
        return url.strip()[:2048]


@dataclass(frozen=True, slots=True)
class Validators:
    """HTTP validators stored for a URL."""

    etag: str | None
    last_modified: str | None


@dataclass(slots=True)
class FetchRecord:
    """One fetch to remember: what came back and which discovery date it answered."""

    key: str
    kind: str
    fetched_at: dt.datetime
    status: int
    etag: str | None = None
    last_modified: str | None = None
    lastmod_seen: dt.datetime | None = None
    not_modified: bool = False


class IncrementalStore:
    """Lookups for skip/conditional decisions, and a write buffer flushed in one batch."""

    def __init__(self, engine: Engine) -> None:
        """Use `engine`; tables are checked lazily (the store pipeline creates them)."""
        self.engine = engine
        #: Lookups are cheap enough to run inline: SQLite answers an indexed read in
        #: about 0.2 ms in-process (a concurrent writer never blocks a WAL reader), less
        #: than a hop to a worker thread and back costs the reactor.  A server database
        #: is a network round trip away, so its lookups go to a worker thread.
        self.inline_reads = engine.dialect.name == "sqlite"
        self._reader: sessionmaker[Session] = session_factory(engine, readonly=True)
        self._writer: sessionmaker[Session] = session_factory(engine)
        self._pending: dict[str, FetchRecord] = {}
        self._marks: dict[tuple[str, str], tuple[str | None, dt.datetime | None]] = {}
        self._seen: dict[int, dt.datetime] = {}  # article id -> when a crawl last saw it
        self._lock = threading.Lock()
        # Separate from the buffer lock: a slow table check must not hold up `record`.
        self._ready_lock = threading.Lock()
        self._ready = False
        self._checked_at = 0.0

    def ready(self) -> bool:
        """True once the tables exist (checked at most every few seconds until they do)."""
        if self._ready:
            return True
        # Callers arriving during a check wait for its answer instead of taking the stale
        # "not ready" (a stored article would otherwise be refetched as new at crawl start).
        with self._ready_lock:
            if self._ready or time.monotonic() - self._checked_at < _RECHECK_TABLES_S:
                return self._ready
            try:
                self._ready = set(inspect(self.engine).get_table_names()) >= _NEEDED
            except SQLAlchemyError:
                self._ready = False
            self._checked_at = time.monotonic()
            return self._ready

    def validators(self, key: str) -> Validators | None:
        """Stored ETag / Last-Modified for a feed, sitemap, index or article key."""
        if not self.ready():
            return None
        stmt = select(FetchState.etag, FetchState.last_modified).where(FetchState.url == key)
        with self._reader() as session:
            row = session.execute(stmt).first()
        if row is None or not (row.etag or row.last_modified):
            return None
        return Validators(row.etag, row.last_modified)

    def stored_article(self, url: str) -> StoredArticle | None:
        """The stored article reached by `url` (canonical or alias), with its fetch state."""
        if not self.ready():
            return None
        key = state_key(url, kind="article")
        with self.engine.connect() as conn:
            row = conn.execute(_STORED_ARTICLE, {"key": key, "raw": url}).first()
        if row is None:
            return None
        return StoredArticle(
            article_id=row.id, first_seen_at=row.first_seen_at, published_at=row.published_at,
            modified_at=row.modified_at, last_fetched_at=row.last_fetched_at or row.last_seen_at,
            lastmod_seen=row.lastmod_seen,
        )

    def known_urls(self, urls: list[str]) -> set[str]:
        """Which of `urls` (any form) lead to a stored article; one query per 400 URLs."""
        if not self.ready() or not urls:
            return set()
        # Aliases are stored as reached (raw) and canonical: look both forms up.
        forms: dict[str, set[str]] = {}
        for u in urls:
            for form in (state_key(u, kind="article"), u):
                forms.setdefault(form, set()).add(u)
        found: set[str] = set()
        names = list(forms)
        with self._reader() as session:
            for start in range(0, len(names), 400):
                chunk = names[start : start + 400]
                found.update(session.scalars(select(Article.url).where(Article.url.in_(chunk))))
                found.update(session.scalars(
                    select(ArticleAlias.url).where(ArticleAlias.url.in_(chunk))))
        return {u for form in found for u in forms.get(form, ())}

    def watermark(self, source: str, index_url: str) -> tuple[str | None, dt.datetime | None]:
        """The newest article URL and date recorded for one index of one source."""
        if not self.ready():
            return None, None
        stmt = select(SourceWatermark.newest_url, SourceWatermark.newest_at).where(
            SourceWatermark.source == source,
            SourceWatermark.index_url == state_key(index_url, kind="index"))
        with self._reader() as session:
            row = session.execute(stmt).first()
        return (row.newest_url, row.newest_at) if row else (None, None)

    def record(self, rec: FetchRecord) -> None:
        """Buffer one fetch outcome (the last one per key wins)."""
        with self._lock:
            self._pending[rec.key] = rec

    def record_watermark(
        self, source: str, index_url: str, newest_url: str | None, newest_at: dt.datetime | None
    ) -> None:
        """Buffer a new watermark; written by `flush(watermarks=True)`."""
        with self._lock:
            self._marks[(source, state_key(index_url, kind="index"))] = (newest_url, newest_at)

    def mark_seen(self, article_id: int, when: dt.datetime) -> None:
        """Buffer "still listed": a stored article skipped as unchanged, or answered 304.

        Its `last_seen_at` moves as it would have had the page been fetched and stored
        again, so analysts can tell live articles from ones the outlet dropped."""
        with self._lock:
            if when > self._seen.get(article_id, when - dt.timedelta(seconds=1)):
                self._seen[article_id] = when

    def pending(self) -> int:
        """Number of buffered fetch records and seen articles."""
        return len(self._pending) + len(self._seen)

    def flush(self, *, watermarks: bool = False) -> int:
        """Write buffered records (and watermarks if asked) in one transaction; return rows."""
        with self._lock:
            records, self._pending = list(self._pending.values()), {}
            seen, self._seen = self._seen, {}
            marks = dict(self._marks) if watermarks else {}
            if watermarks:
                self._marks = {}
        if not (records or marks or seen) or not self.ready():
            return 0
        with self._writer.begin() as session:
            _merge_fetches(session, records)
            _touch_seen(session, seen)
            now = dt.datetime.now(dt.UTC)
            for (source, index_url), (url, at) in marks.items():
                session.merge(SourceWatermark(source=source, index_url=index_url,
                                              newest_url=url, newest_at=at, updated_at=now))
        return len(records) + len(marks) + len(seen)


def _touch_seen(session: Session, seen: dict[int, dt.datetime]) -> None:
    """Move `last_seen_at` forward (never back) for articles a crawl saw but did not fetch."""
    if not seen:
        return
    table = cast(Table, Article.__table__)
    stmt = (update(table)
            .where(table.c.id == bindparam("b_id"), table.c.last_seen_at < bindparam("b_when"))
            .values(last_seen_at=bindparam("b_when")))  # fmt: skip
    session.execute(stmt, [{"b_id": i, "b_when": when} for i, when in sorted(seen.items())])


def _merge_fetches(session: Session, records: list[FetchRecord]) -> None:
    """Insert or update the `fetch_state` rows of these records (distinct keys).

    One read per 400 keys and two bulk statements, instead of an ORM load and flush per
    record: this runs for every fetched page, in the crawl's own interpreter."""
    if not records:
        return
    table = cast(Table, FetchState.__table__)
    old: dict[str, Any] = {}
    keys = [rec.key for rec in records]
    for start in range(0, len(keys), 400):
        stmt = select(table.c.url, table.c.lastmod_seen, table.c.not_modified_count,
                      table.c.etag, table.c.last_modified).where(
            table.c.url.in_(keys[start : start + 400]))  # fmt: skip
        old.update({row.url: row for row in session.execute(stmt)})
    new_rows, changed = [], []
    for rec in records:
        row = _merged(rec, old.get(rec.key))
        if rec.key in old:
            changed.append({f"b_{k}": v for k, v in row.items()})
        else:
            new_rows.append(row)
    if new_rows:
        session.execute(insert(table), new_rows)
    if changed:
        columns = ("kind", "last_fetched_at", "http_status", "lastmod_seen",
                   "not_modified_count", "etag", "last_modified")  # fmt: skip
        rewrite = (update(table).where(table.c.url == bindparam("b_url"))
                   .values({c: bindparam(f"b_{c}") for c in columns}))  # fmt: skip
        session.execute(rewrite, changed)


def _merged(rec: FetchRecord, old: Any) -> dict[str, Any]:
    """The row a record leaves: `old` (None for a new key) updated by it."""
    row: dict[str, Any] = {
        "url": rec.key, "kind": rec.kind, "last_fetched_at": rec.fetched_at,
        "http_status": rec.status,
        "lastmod_seen": old.lastmod_seen if old is not None else None,
        "not_modified_count": (old.not_modified_count or 0) if old is not None else 0,
        "etag": old.etag if old is not None else None,
        "last_modified": old.last_modified if old is not None else None,
    }  # fmt: skip
    if old is None:
        row["first_fetched_at"] = rec.fetched_at
    if rec.lastmod_seen is not None:
        row["lastmod_seen"] = max(filter(None, (row["lastmod_seen"], rec.lastmod_seen)))
    if rec.not_modified:  # a 304 keeps the validators it confirmed
        row["not_modified_count"] += 1
    else:
        row["etag"], row["last_modified"] = rec.etag, rec.last_modified
    return row
