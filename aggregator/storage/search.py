"""Ranked full-text search over titles and bodies, with source, date, author and tag filters.

SQLite: FTS5 `MATCH` ranked by bm25 (title weighs 5x the body).  PostgreSQL: the
`search_vector` of the narrow `article_search` table with `@@`, ranked by `ts_rank`.
Everything is bound parameters; the query text goes through `aggregator.storage.query`
first.

Ranking window: scoring every match of a very common word costs time in proportion to
the match count, so results are ranked among the newest `RANK_WINDOW` matches (after
filters; `PG_RANK_WINDOW` on PostgreSQL).  A query with fewer matches than that is
ranked over all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from aggregator.exceptions import InputError
from aggregator.storage.fts import FTS_TABLE, SEARCH_COLUMN, TS_CONFIG
from aggregator.storage.links import name_key
from aggregator.storage.models import Article, ArticleAuthor, ArticleTag, Author, Tag
from aggregator.storage.query import Query, parse_query, to_fts5, to_tsquery
from aggregator.storage.search_table import SEARCH_TABLE
from aggregator.storage.snippets import make_snippet

MAX_LIMIT = 1000
RANK_WINDOW = 5000
#: PostgreSQL reads each candidate's tsvector from TOAST (about 12 us each at 100k
#: articles), so its window is smaller to keep search p95 under 50 ms.
PG_RANK_WINDOW = 2000
#: The newest ids looked at first (words in 10%+ of articles fill the window there).
PG_RECENT_SPAN = 10 * PG_RANK_WINDOW
_FTS = table(FTS_TABLE, column("rowid"), column("title"), column("body"))
_PG_INDEX = table(SEARCH_TABLE, column("article_id"), column("source"), column(SEARCH_COLUMN))
_TITLE_WEIGHT, _BODY_WEIGHT = 5.0, 1.0
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Optional filters; dates bound `coalesce(published_at, first_seen_at)`, until exclusive."""

    source: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    author: str | None = None  # case-insensitive substring of an author's name
    tag: str | None = None  # case-insensitive exact tag


@dataclass(slots=True)
class SearchHit:
    """One ranked result."""

    id: int
    url: str
    source: str
    title: str | None
    published_at: dt.datetime | None
    authors: list[str] = field(default_factory=list)
    score: float = 0.0
    snippet: str | None = None


def search_articles(
    session: Session, query_text: str, filters: SearchFilters | None = None, *, limit: int = 20
) -> list[SearchHit]:
    """The best `limit` articles matching `text`, best first."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be between 1 and {MAX_LIMIT}")
    query = parse_query(query_text)
    filters = filters or SearchFilters()
    postgres = session.get_bind().dialect.name == "postgresql"
    text_q = to_tsquery(query) if postgres else _fts5_match(query, filters.source)
    try:
        if postgres:
            rows = _search_pg(session, text_q, filters, limit)
        else:
            where = _filters(filters)
            stmt = _ranked_sqlite(text_q).where(*where, _window(text_q, where)).limit(limit)
            rows = list(session.execute(stmt).all())
    except (OperationalError, ProgrammingError) as exc:
        if "syntax" in str(exc.orig).lower() or "tsquery" in str(exc.orig).lower():
            raise InputError(f"invalid search query: {query_text[:80]!r}") from None
        raise
    hits = [_hit(row) for row in rows]
    if hits:
        _add_snippets(session, hits, query)
    return hits


def _fts5_match(query: Query, source: str | None) -> str:
    """The MATCH text: the query on title and body, plus the source's words when filtered.

    The source words only narrow the candidates through the index (an exact
    `articles.source = :source` filter still applies).
    """
    match = "{title body} : (" + to_fts5(query) + ")"
    words = _WORDS.findall(source or "")
    if words:
        match += ' AND source : "' + " ".join(w.casefold() for w in words) + '"'
    return match


def _columns() -> list[Any]:
    """The article columns a hit carries."""
    return [Article.id, Article.url, Article.source, Article.title, Article.published_at,
            Article.authors]  # fmt: skip


def _ranked_sqlite(match: str) -> Select[Any]:
    """FTS5 match joined to articles, ordered by bm25 (lower is better)."""
    rank = func.bm25(literal_column(FTS_TABLE), _TITLE_WEIGHT, _BODY_WEIGHT, 0.0)
    return (
        select(*_columns(), (-rank).label("score"))
        .select_from(_FTS.join(Article.__table__, Article.id == _FTS.c.rowid))
        .where(literal_column(FTS_TABLE).op("MATCH")(bindparam("q", match)))
        .order_by(rank, Article.id)
    )


def _window(text_q: str, where: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    """SQLite: `rowid >=` the RANK_WINDOW-th newest filtered match (0 when there are fewer)."""
    # FTS5 hands matches newest first (rowid order), so SQLite stops after the window.
    match = literal_column(FTS_TABLE).op("MATCH")(bindparam("q", text_q))
    source = _FTS.join(Article.__table__, Article.id == _FTS.c.rowid) if where else _FTS
    nth_fts = select(_FTS.c.rowid).select_from(source).where(match, *where)
    nth_fts = nth_fts.order_by(_FTS.c.rowid.desc()).offset(RANK_WINDOW - 1).limit(1)
    return _FTS.c.rowid >= func.coalesce(nth_fts.scalar_subquery(), 0)


def _tsquery(text: str) -> ColumnElement[Any]:
    """`to_tsquery('aggregator_fts', :q)`."""
    return func.to_tsquery(literal_column(f"'{TS_CONFIG}'::regconfig"), bindparam("q", text))


def _search_pg(session: Session, text_q: str, filters: SearchFilters,
               limit: int) -> list[Any]:  # fmt: skip
    """Rank the newest PG_RANK_WINDOW filtered matches; return the best `limit` rows."""
    # The planner cannot see that a sequential scan or a backward primary-key walk
    # detoasts every tsvector it tests; the GIN bitmap must drive the search (a word in
    # 4% of 100k articles: 190 ms walking the key, 30 ms through the bitmap).
    top = session.execute(select(func.max(Article.id))).scalar()  # a key lookup: first
    if top is None:
        return []
    for setting in ("enable_seqscan", "enable_indexscan"):
        session.execute(text(f"SET LOCAL {setting} = off"))
    # Parallel workers cost more than they save on these bitmap scans.
    session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    ids = _window_ids_pg(session, text_q, filters, top)
    if not ids:
        return []
    # Rank in the narrow table, then read the article columns of the best `limit` only.
    article_id = _PG_INDEX.c.article_id
    rank = func.ts_rank(_PG_INDEX.c[SEARCH_COLUMN], _tsquery(text_q))
    best = (select(article_id, rank.label("score"))
            .where(article_id == any_(bindparam("ids", ids, type_=ARRAY(Integer))))
            .order_by(rank.desc(), article_id).limit(limit).subquery())  # fmt: skip
    stmt = (select(*_columns(), best.c.score).join(best, best.c.article_id == Article.id)
            .order_by(best.c.score.desc(), Article.id))  # fmt: skip
    return list(session.execute(stmt).all())


def _window_ids_pg(session: Session, text_q: str, filters: SearchFilters,
                   top: int) -> list[int]:  # fmt: skip
    """Ids of the newest PG_RANK_WINDOW matches: first among recent ids, then among all.

    The bitmap heap scan reads every matching row; bounding the ids first (a BitmapAnd
    with the primary key) reads only recent pages, which is enough for common words.
    The answer is the same: if the recent span holds a full window, it holds the newest.
    The source filter is a column of the narrow table; the other filters join `articles`.
    """
    article_id = _PG_INDEX.c.article_id
    tsquery = _tsquery(text_q)
    # Estimating a prefix at most rows, the planner scans the id span alone and tests
    # every row's tsvector; a scalar subquery hides the tsquery so the GIN index drives
    # (it needs no recheck of words and prefixes).  Phrases keep the estimate: GIN must
    # recheck their positions, and over all its candidates that costs more than the span.
    if "<->" not in text_q:
        tsquery = select(tsquery).scalar_subquery()
    base = select(article_id).where(_PG_INDEX.c[SEARCH_COLUMN].op("@@")(tsquery))
    if filters.source:
        base = base.where(_PG_INDEX.c.source == filters.source)
    others = _filters(replace(filters, source=None))
    if others:
        base = base.join(Article.__table__, Article.id == article_id).where(*others)
    base = base.order_by(article_id.desc()).limit(PG_RANK_WINDOW)
    if top > PG_RECENT_SPAN:
        ids = list(session.execute(base.where(article_id > top - PG_RECENT_SPAN)).scalars())
        if len(ids) >= PG_RANK_WINDOW:
            return ids
    return list(session.execute(base).scalars())


def _filters(f: SearchFilters) -> list[ColumnElement[bool]]:
    """WHERE clauses for the filters that are set."""
    out: list[ColumnElement[bool]] = []
    day = func.coalesce(Article.published_at, Article.first_seen_at)
    if f.source:
        out.append(Article.source == f.source)
    if f.since:
        out.append(day >= f.since)
    if f.until:
        out.append(day < f.until)
    if f.author:
        out.append(exists().where(and_(
            ArticleAuthor.article_id == Article.id, ArticleAuthor.author_id == Author.id,
            Author.name_key.contains(name_key(f.author), autoescape=True))))  # fmt: skip
    if f.tag:
        out.append(exists().where(and_(
            ArticleTag.article_id == Article.id, ArticleTag.tag_id == Tag.id,
            Tag.name_key == name_key(f.tag))))  # fmt: skip
    return out


def _hit(row: Any) -> SearchHit:
    """A result row as a hit."""
    return SearchHit(id=row.id, url=row.url, source=row.source, title=row.title,
                     published_at=row.published_at, authors=list(row.authors or []),
                     score=float(row.score))  # fmt: skip


def _add_snippets(session: Session, hits: list[SearchHit], query: Query) -> None:
    """Excerpts for the returned hits only: one small query for their bodies."""
    rows = session.execute(
        select(Article.id, Article.body).where(Article.id.in_([h.id for h in hits]))
    )
    bodies = {row.id: row.body for row in rows}
    for hit in hits:
        hit.snippet = make_snippet(bodies.get(hit.id), query)
