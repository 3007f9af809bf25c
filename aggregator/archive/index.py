"""The `captures` table: insert rows, find a URL's captures, link articles, drop files.

Functions take a `Session` and never commit: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, String, and_, delete, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from aggregator.archive.records import CaptureRow, PriorCapture
from aggregator.storage.db import TZDateTime
from aggregator.storage.models import Article, ArticleAlias
from aggregator.storage.models_archive import Capture

#: The kind the spider gives an article's first page.
FIRST_PAGE_KIND = "article"


@dataclass(frozen=True, slots=True)
class CaptureRef:
    """Where one capture lives and what the crawl knew when it fetched it."""

    id: int
    url: str
    fetched_at: dt.datetime
    status: int
    kind: str | None
    site: str | None
    record_type: str
    record_id: str
    refers_to: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    meta: dict[str, Any]

    @classmethod
    def of(cls, row: Capture) -> CaptureRef:
        """From an ORM row."""
        return cls(id=row.id, url=row.url, fetched_at=row.fetched_at, status=row.status,
                   kind=row.kind, site=row.site, record_type=row.record_type,
                   record_id=row.record_id, refers_to=row.refers_to, warc_file=row.warc_file,
                   warc_offset=row.warc_offset, warc_length=row.warc_length,
                   meta=dict(row.meta or {}))  # fmt: skip


def insert_captures(session: Session, rows: list[CaptureRow]) -> None:
    """Insert written captures."""
    if rows:
        session.execute(insert(Capture), [r.as_row() for r in rows])


#: The URL's latest full successful capture, for revisit decisions.  Plain SQL: it runs
#: for every archived response, and building an ORM statement each time cost ~2 ms a
#: call against ~0.3 ms for this one.
_LAST_CAPTURE = text(
    "SELECT record_id, payload_digest, fetched_at, url FROM captures"
    " WHERE url = :url AND record_type = 'response' AND status BETWEEN 200 AND 299"
    " AND payload_digest IS NOT NULL ORDER BY fetched_at DESC, id DESC LIMIT 1"
).columns(record_id=String(), payload_digest=String(), fetched_at=TZDateTime(), url=String())


def last_capture_on(conn: Connection, url: str) -> PriorCapture | None:
    """The URL's latest full (non-revisit) 2xx capture, on a plain connection."""
    row = conn.execute(_LAST_CAPTURE, {"url": url}).first()
    if row is None:
        return None
    return PriorCapture(record_id=row.record_id, payload_digest=row.payload_digest,
                        fetched_at=row.fetched_at, url=row.url)  # fmt: skip


def by_record_id(session: Session, record_id: str) -> CaptureRef | None:
    """The capture with this WARC-Record-ID (a revisit's original)."""
    row = session.scalars(select(Capture).where(Capture.record_id == record_id)).first()
    return CaptureRef.of(row) if row is not None else None


def page_capture(session: Session, url: str, near: dt.datetime) -> CaptureRef | None:
    """The capture of `url` fetched with an article's first page at `near`.

    The first answer at or after `near` that is not an error (pages follow their first
    page; a 503 retried into a 200 counts as the 200), else the last such answer before
    it; with none, the last error, which the crawl saw as a failure too.
    """
    base = select(Capture).where(Capture.url == url)
    ok = Capture.status < 400
    choices = (
        base.where(ok, Capture.fetched_at >= near).order_by(Capture.fetched_at, Capture.id),
        base.where(ok).order_by(Capture.fetched_at.desc(), Capture.id.desc()),
        base.order_by(Capture.fetched_at.desc(), Capture.id.desc()),
    )
    for stmt in choices:
        row = session.scalars(stmt.limit(1)).first()
        if row is not None:
            return CaptureRef.of(row)
    return None


def first_pages(
    session: Session,
    *,
    site: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[CaptureRef]:
    """The latest successful first-page capture of each article URL in the window, by time."""
    conditions = [Capture.kind == FIRST_PAGE_KIND, Capture.status.between(200, 299)]
    if site is not None:  # a registered site's name, or the host of an unregistered one
        hosts = [f"{scheme}://{www}{site}{end}" for scheme in ("http", "https")
                 for www in ("", "www.") for end in ("/%", ":%")]  # fmt: skip
        conditions.append(or_(Capture.site == site, *(Capture.url.like(h) for h in hosts)))
    if since is not None:
        conditions.append(Capture.fetched_at >= since)
    if until is not None:
        conditions.append(Capture.fetched_at < until)
    latest = (select(Capture.url, func.max(Capture.id).label("id"))
              .where(*conditions).group_by(Capture.url).subquery())  # fmt: skip
    stmt = (select(Capture).join(latest, latest.c.id == Capture.id)
            .order_by(Capture.fetched_at, Capture.id))  # fmt: skip
    return [CaptureRef.of(row) for row in session.scalars(stmt)]


def link_articles(session: Session) -> int:
    """Set `article_id` on captures whose article is stored (by its URL or an alias)."""
    key = func.coalesce(Capture.article_url, Capture.url)
    by_url = select(Article.id).where(Article.url == key).scalar_subquery()
    by_alias = select(ArticleAlias.article_id).where(ArticleAlias.url == key).scalar_subquery()
    stmt = (update(Capture)
            .where(Capture.article_id.is_(None), Capture.status.between(200, 299),
                   or_(Capture.kind == FIRST_PAGE_KIND, Capture.article_url.is_not(None)))
            .values(article_id=func.coalesce(by_url, by_alias))
            .execution_options(synchronize_session=False))  # fmt: skip
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class FileSummary:
    """One WARC file as the captures table knows it."""

    warc_file: str
    captures: int
    articles: int
    first: dt.datetime
    last: dt.datetime


def file_summaries(session: Session) -> list[FileSummary]:
    """Every WARC file with captures, oldest first."""
    stmt = (select(Capture.warc_file, func.count(), func.count(Capture.article_id),
                   func.min(Capture.fetched_at), func.max(Capture.fetched_at))
            .group_by(Capture.warc_file).order_by(func.min(Capture.fetched_at)))  # fmt: skip
    return [FileSummary(f, n, a, lo, hi) for f, n, a, lo, hi in session.execute(stmt)]


def delete_files(session: Session, files: list[str]) -> int:
    """Delete the capture rows of these WARC files; returns how many."""
    if not files:
        return 0
    stmt = delete(Capture).where(Capture.warc_file.in_(files))
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def orphaned_revisits(session: Session, files: list[str], *, exclude: Sequence[str] = ()) -> int:
    """Revisits outside `files` (and `exclude`) whose original is inside `files`."""
    original = Capture.__table__.alias("original")
    outside = [*files, *exclude]
    stmt = (select(func.count()).select_from(Capture)
            .join(original, and_(original.c.record_id == Capture.refers_to,
                                 original.c.warc_file.in_(files)))
            .where(Capture.warc_file.not_in(outside)))  # fmt: skip
    return int(session.execute(stmt).scalar() or 0)
