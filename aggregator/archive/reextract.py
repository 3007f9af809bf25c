"""Re-extraction: archived captures -> articles, through the crawl's own code and upsert.

For each article's latest first-page capture in the window (`--site`, `--since`,
`--until`), the spider's article flow is replayed over the archived pages
(`replay`), the item goes through the crawl's stages (`stages`) with `now` = the
capture's fetch time, and is compared field by field with the stored article.  Only
articles whose output differs are written, through `upsert_articles` (a changed article
gets one revision; a missing one is inserted and clustered); unchanged articles are
not touched at all.  `dry_run` writes nothing and reports what would change.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.archive import index
from aggregator.archive.compare import COMPARED, diff_record, field_changes
from aggregator.archive.index import CaptureRef
from aggregator.archive.reader import ArchiveReadError
from aggregator.archive.replay import replay_article
from aggregator.archive.source import ArchivePages, file_settings
from aggregator.archive.stages import Stages
from aggregator.items import ArticleItem
from aggregator.storage.db import session_factory
from aggregator.storage.hashing import item_hash
from aggregator.storage.models import Article, ArticleAlias
from aggregator.storage.repository import upsert_articles

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ReextractReport:
    """What a re-extraction did (or, with `dry_run`, would do)."""

    dry_run: bool = False
    captures: int = 0  # first-page captures considered
    pages: int = 0  # archived pages read, following pages included
    articles: int = 0  # articles rebuilt
    unchanged: int = 0
    changed: int = 0  # stored articles whose output differs
    inserted: int = 0  # articles not in the database (deleted, or never stored)
    revisions: int = 0  # revisions written
    dropped: Counter[str] = field(default_factory=Counter)  # reason -> count
    errors: list[str] = field(default_factory=list)  # unreadable records (file, offset)
    elapsed_seconds: float = 0.0

    @property
    def pages_per_second(self) -> float:
        """Archived pages processed per second."""
        return self.pages / self.elapsed_seconds if self.elapsed_seconds > 0 else 0.0


ProgressFn = Callable[[int, int], None]  # (done, total)


class Reextractor:
    """One re-extraction run over a database and the WARC files its captures point to."""

    def __init__(self, engine: Engine, *, dry_run: bool = False,
                 diff_out: IO[str] | None = None, batch_size: int = 100) -> None:  # fmt: skip
        self.sessions: sessionmaker[Session] = session_factory(engine)
        self.reader: sessionmaker[Session] = session_factory(engine, readonly=True)
        self.diff_out = diff_out
        self.batch_size = max(batch_size, 1)
        self.report = ReextractReport(dry_run=dry_run)
        self.stages: dict[str, Stages] = {}

    def _error(self, exc: ArchiveReadError) -> None:
        """An unreadable record: one line, and the run goes on."""
        self.report.errors.append(str(exc))
        log.error("reextract: %s", exc)

    def _stages(self, settings: dict[str, Any]) -> Stages:
        """The stages for a crawl's settings (one set per distinct settings)."""
        key = json.dumps(settings, sort_keys=True, default=str)
        if key not in self.stages:
            self.stages[key] = Stages(settings)
        return self.stages[key]

    def run(self, *, site: str | None = None, since: dt.datetime | None = None,
            until: dt.datetime | None = None,
            progress: ProgressFn | None = None) -> ReextractReport:  # fmt: skip
        """Re-extract every article captured in the window."""
        started = time.perf_counter()
        with self.reader() as reading:
            refs = index.first_pages(reading, site=site, since=since, until=until)
            pages = ArchivePages(reading, self._error)
            batch: list[ArticleItem] = []
            for done, ref in enumerate(refs, 1):
                item = self._rebuild(pages, ref)
                if item is not None:
                    batch.append(item)
                if len(batch) >= self.batch_size:
                    self._write(batch)
                    batch = []
                if progress is not None:
                    progress(done, len(refs))
            self._write(batch)
        self.report.elapsed_seconds = time.perf_counter() - started
        return self.report

    def _rebuild(self, pages: ArchivePages, ref: CaptureRef) -> ArticleItem | None:
        """The article of one first-page capture, through every stage (None if none)."""
        self.report.captures += 1
        ref = pages.original(ref)
        try:
            first = pages.first_page(ref)
        except ArchiveReadError as exc:
            self._error(exc)
            return None
        settings = file_settings(ref.warc_file)
        replay = replay_article(
            first, lambda url, single: pages.follow(url, single, ref.fetched_at),
            max_pages=int(settings.get("AGGREGATOR_MAX_ARTICLE_PAGES") or 20),
            names=settings.get("AGGREGATOR_SOURCE_NAMES") or {},
        )  # fmt: skip
        self.report.pages += replay.pages
        if replay.item is None:
            self.report.dropped[replay.reason or "no_item"] += 1
            return None
        result = self._stages(settings).run(replay.item)
        if result.item is None:
            self.report.dropped[f"stage: {(result.dropped or '').split(':')[0]}"] += 1
            return None
        self.report.articles += 1
        return result.item

    def _write(self, batch: list[ArticleItem]) -> None:
        """Compare a batch with the database; write what changed (unless a dry run)."""
        if not batch:
            return
        with self.sessions.begin() as session:
            stored = _stored(session, [item.url for item in batch])
            to_write: list[ArticleItem] = []
            same_body: set[str] = set()
            for item in batch:
                row = stored.get(item.url)
                changes = field_changes(item, row) if row is not None else {}
                if row is not None and not changes:
                    self.report.unchanged += 1
                    continue
                status = "changed" if row is not None else "new"
                self.report.changed += row is not None
                self.report.inserted += row is None
                if row is not None and item_hash(item) == row.get("content_hash"):
                    same_body.add(item.url)  # only metadata changed: still a revision
                if self.diff_out is not None:
                    record = diff_record(item.url, status, changes)
                    self.diff_out.write(json.dumps(record, ensure_ascii=False) + "\n")
                to_write.append(item)
            if self.report.dry_run or not to_write:
                return
            result = upsert_articles(session, to_write, changed_urls=frozenset(same_body))
            self.report.revisions += result.updated
            _cluster(session, result.changed_ids)
            index.link_articles(session)


def _stored(session: Session, urls: list[str]) -> dict[str, dict[str, Any]]:
    """The stored articles for these URLs (by URL, else by alias), keyed by the given URL."""
    cols = [Article.id, Article.url, Article.content_hash, *(getattr(Article, f) for f in COMPARED)]
    rows = session.execute(select(*cols).where(Article.url.in_(urls)))
    found = {r.url: r._asdict() for r in rows}
    rest = [u for u in urls if u not in found]
    if rest:
        aliases = session.execute(select(ArticleAlias.url, ArticleAlias.article_id)
                                  .where(ArticleAlias.url.in_(rest))).all()  # fmt: skip
        by_id = {r.id: r._asdict() for r in session.execute(
            select(*cols).where(Article.id.in_({a.article_id for a in aliases})))}  # fmt: skip
        found.update({a.url: by_id[a.article_id] for a in aliases if a.article_id in by_id})
    return found


def _cluster(session: Session, article_ids: list[int]) -> None:
    """Cluster new and changed articles as the store stage does (in a savepoint)."""
    if not article_ids:
        return
    from aggregator.dedup.clusters import assign_clusters

    try:
        with session.begin_nested():
            assign_clusters(session, article_ids)
    except Exception:
        log.exception("reextract: clustering failed for %d articles", len(article_ids))
