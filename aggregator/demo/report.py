"""Read back what a crawl stored and show it as a table (WIB and UTC side by side)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from sqlalchemy import or_, select

from aggregator.storage.db import make_engine, session_factory, storage_errors
from aggregator.storage.models import Article, ArticleAlias

WIB: Final = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """The columns of one stored article that the demo shows."""

    source: str
    url: str
    title: str | None
    authors: list[str]
    published_at: dt.datetime | None
    cluster_id: int | None
    page_count: int
    body_chars: int


def load_articles(db_url: str, url_prefix: str = "") -> list[StoredArticle]:
    """Stored articles reached under `url_prefix`, oldest first (undated last).

    An article counts when its own URL or one of its aliases starts with the prefix: a
    page seen again at a new address (the demo serves on a new port each run) is stored
    as an alias of the row it duplicates.
    """
    engine = make_engine(db_url)
    query = select(Article)
    if url_prefix:
        aliased = select(ArticleAlias.article_id).where(
            ArticleAlias.url.startswith(url_prefix, autoescape=True)
        )
        query = query.where(
            or_(Article.url.startswith(url_prefix, autoescape=True), Article.id.in_(aliased))
        )
    try:
        with storage_errors(db_url), session_factory(engine, readonly=True)() as session:
            rows = session.scalars(query).all()
            found = [_to_stored(row) for row in rows]
    finally:
        engine.dispose()
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(found, key=lambda a: (a.published_at or far, a.url))


def _to_stored(row: Article) -> StoredArticle:
    """Copy the shown columns out of an ORM row."""
    return StoredArticle(
        source=row.source,
        url=row.url,
        title=row.title,
        authors=list(row.authors or []),
        published_at=row.published_at,
        cluster_id=row.cluster_id,
        page_count=row.page_count,
        body_chars=len(row.body or ""),
    )


def format_wib(value: dt.datetime | None) -> str:
    """`2022-01-08 15:40`, in WIB, or `-` when unknown."""
    return "-" if value is None else value.astimezone(WIB).strftime("%Y-%m-%d %H:%M")


def format_utc(value: dt.datetime | None) -> str:
    """`2022-01-08 08:40Z`, or `-` when unknown."""
    return "-" if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%MZ")


def cluster_labels(articles: list[StoredArticle]) -> dict[int, str]:
    """Cluster id -> label; clusters holding several stored articles are marked `xN`."""
    sizes = Counter(a.cluster_id for a in articles if a.cluster_id is not None)
    return {cid: f"#{cid}" + (f" x{n}" if n > 1 else "") for cid, n in sizes.items()}


def articles_table(articles: list[StoredArticle], title: str | None = None) -> Table:
    """A rich table of stored articles (dates never wrap; long titles fold)."""
    table = Table(title=title or f"{len(articles)} articles stored")
    table.add_column("source", no_wrap=True)
    table.add_column("published (WIB)", no_wrap=True)
    table.add_column("published (UTC)", no_wrap=True)
    table.add_column("title", overflow="fold", min_width=20)
    table.add_column("authors", overflow="fold")
    table.add_column("pages", justify="right")
    table.add_column("cluster", no_wrap=True)
    labels = cluster_labels(articles)
    for a in articles:
        table.add_row(
            a.source,
            format_wib(a.published_at),
            format_utc(a.published_at),
            a.title or "-",
            ", ".join(a.authors) or "-",
            str(a.page_count),
            labels[a.cluster_id] if a.cluster_id is not None else "-",
        )
    return table


def print_articles(
    articles: list[StoredArticle], console: Console | None = None, title: str | None = None
) -> None:
    """Print the table to the console (stdout by default)."""
    (console or Console()).print(articles_table(articles, title))
