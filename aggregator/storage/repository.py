"""Write path: batched, idempotent upserts of articles, with aliases, revisions, authors, tags.

Functions take a `Session` and never commit: the caller owns the transaction (one
`with session.begin():` per batch).  Writers are serialised per database (SQLite:
`BEGIN IMMEDIATE`; PostgreSQL: a transaction-scoped advisory lock), so the
read-then-write below sees a stable state and concurrent crawls lose nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, select, text, update
from sqlalchemy.orm import Session

from aggregator.items import ArticleItem
from aggregator.storage import bulk, links
from aggregator.storage.dialect import dialect_name, insert_for
from aggregator.storage.hashing import item_hash
from aggregator.storage.models import Article, ArticleAlias, ArticleRevision, Source
from aggregator.storage.runs import (  # re-exported: part of this module's contract
    record_crawl_run,
    record_failed_fetch,
    record_failed_item,
)

__all__ = [
    "UpsertResult",
    "record_crawl_run",
    "record_failed_fetch",
    "record_failed_item",
    "upsert_articles",
]

#: A same-source same-hash copy is an alias only with a body this long (as the dedup
#: stage): short bodies (photo captions, "video" stubs) repeat across distinct articles.
ALIAS_MIN_WORDS = 20
#: Key of the PostgreSQL advisory lock that serialises article writers ("agrg").
WRITER_LOCK_KEY = 0x61677267
_CONTENT_FIELDS = ("title", "body", "description", "published_at", "modified_at",
                   "published_raw", "published_source", "modified_raw", "modified_source",
                   "authors", "editors", "credit_codes", "tags", "wire_source", "language",
                   "section", "image_url", "content_hash", "page_count", "extractor",
                   "timezone", "fetched_at")  # fmt: skip


@dataclass(slots=True)
class UpsertResult:
    """What one batch did; `article_ids` follows the order of the distinct input URLs."""

    inserted: int = 0
    updated: int = 0  # content changed: a revision was kept
    unchanged: int = 0  # seen again, same content: only `last_seen_at` moved
    aliased: int = 0  # same source and body under another URL: recorded as an alias
    collapsed: int = 0  # duplicates inside the batch itself
    article_ids: list[int] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)  # inserted or updated
    ids_by_url: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Plan:
    """One distinct item and what it resolves to in the database."""

    item: ArticleItem
    hash: str | None
    target_id: int | None = None
    via: str = "new"  # new | url | alias | hash
    extra_aliases: list[str] = field(default_factory=list)

    @property
    def aliasable(self) -> bool:
        """Whether a same-source same-hash article may absorb this one as an alias."""
        # maxsplit: counting stops at the threshold (this runs several times per item).
        words = (self.item.body or "").split(None, ALIAS_MIN_WORDS)
        return bool(self.hash) and len(words) >= ALIAS_MIN_WORDS


def upsert_articles(
    session: Session, items: list[ArticleItem], *, changed_urls: frozenset[str] = frozenset()
) -> UpsertResult:
    """Insert new articles, update changed ones (keeping a revision), alias same-body copies.

    A stored article is "changed" when its body hash differs; `changed_urls` names items
    whose other fields changed under the same body (re-extraction compares every field).
    """
    result = UpsertResult()
    plans = _collapse(items, result)
    if not plans:
        return result
    now = dt.datetime.now(dt.UTC)
    _lock_writers(session)
    _ensure_sources(session, {p.item.source for p in plans}, now)
    existing = _resolve(session, plans)
    new_plans = [p for p in plans if p.target_id is None]
    ids = _insert_new(session, new_plans, now)
    for plan in new_plans:
        plan.target_id = ids[plan.item.url]
    touched = _apply_updates(session, [p for p in plans if p.via != "new"], existing, now, result,
                             changed_urls)  # fmt: skip
    result.inserted = len(new_plans)
    result.changed_ids = [ids[p.item.url] for p in new_plans] + touched
    _record_aliases(session, plans, existing, now)
    link_ids = set(result.changed_ids)  # unchanged content keeps its authors and tags
    links.replace_links(session, [p for p in plans if p.target_id in link_ids],
                        fresh={ids[p.item.url] for p in new_plans})  # fmt: skip
    for plan in plans:
        assert plan.target_id is not None
        result.ids_by_url[plan.item.url] = plan.target_id
        if plan.target_id not in result.article_ids:
            result.article_ids.append(plan.target_id)
    return result


def _collapse(items: Iterable[ArticleItem], result: UpsertResult) -> list[_Plan]:
    """One plan per URL (the last item wins); a same-source same-body copy becomes an alias."""
    by_url: dict[str, _Plan] = {}
    for item in items:
        if not item.url or not item.source:
            raise ValueError("an article needs a url and a source")
        previous = by_url.pop(item.url, None)
        plan = _Plan(item=item, hash=item_hash(item))
        if previous is not None:
            result.collapsed += 1
            plan.extra_aliases = previous.extra_aliases + previous.item.aliases
        by_url[item.url] = plan
    by_hash: dict[tuple[str, str], _Plan] = {}
    plans: list[_Plan] = []
    for plan in by_url.values():
        key = (plan.item.source, plan.hash or "")
        first = by_hash.get(key) if plan.aliasable else None
        if first is None:
            if plan.aliasable:
                by_hash[key] = plan
            plans.append(plan)
        else:
            result.collapsed += 1
            first.extra_aliases += [plan.item.url, *plan.item.aliases, *plan.extra_aliases]
    return plans


def _lock_writers(session: Session) -> None:
    """Serialise writers on PostgreSQL (SQLite already has BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK_KEY})


def _ensure_sources(session: Session, names: set[str], now: dt.datetime) -> None:
    """Create missing `sources` rows."""
    stmt = insert_for(session, Source.__table__).on_conflict_do_nothing(index_elements=["name"])
    session.execute(stmt, [{"name": n, "first_seen_at": now} for n in sorted(names)])


def _resolve(session: Session, plans: list[_Plan]) -> dict[int, dict[str, Any]]:
    """Find each plan's existing article: by URL, by alias URL, then by source + body hash."""
    cols = [Article.id, Article.url, Article.revision_count, *(
        getattr(Article, f) for f in ("title", "body", "content_hash", "modified_at",
                                      "fetched_at", "authors", "tags"))]  # fmt: skip
    urls = [p.item.url for p in plans]
    rows = {r.url: r._asdict() for r in session.execute(select(*cols).where(Article.url.in_(urls)))}
    alias_stmt = select(ArticleAlias.url, ArticleAlias.article_id).where(
        ArticleAlias.url.in_([u for u in urls if u not in rows])
    )
    alias_of = {row.url: row.article_id for row in session.execute(alias_stmt)}
    existing = {r["id"]: r for r in rows.values()}
    missing_ids = set(alias_of.values()) - existing.keys()
    if missing_ids:
        for r in session.execute(select(*cols).where(Article.id.in_(missing_ids))):
            existing[r.id] = r._asdict()
    for plan in plans:
        if plan.item.url in rows:
            plan.target_id, plan.via = rows[plan.item.url]["id"], "url"
        elif plan.item.url in alias_of:
            plan.target_id, plan.via = alias_of[plan.item.url], "alias"
    _resolve_by_hash(session, [p for p in plans if p.target_id is None and p.aliasable], existing)
    return existing


def _resolve_by_hash(session: Session, plans: list[_Plan], existing: dict[int, Any]) -> None:
    """Same source and same body under a new URL: point the plan at the stored article."""
    if not plans:
        return
    pairs = sorted({(p.item.source, p.hash or "") for p in plans})
    found: dict[tuple[str, str], int] = {}
    for row in session.execute(*_first_by_hash(session, pairs)):
        key = (row.source, row.content_hash)
        if key not in found or row.id < found[key]:
            found[key] = row.id
        existing.setdefault(row.id, {"id": row.id, "url": row.url})
    for plan in plans:
        target = found.get((plan.item.source, plan.hash or ""))
        if target is not None:
            plan.target_id, plan.via = target, "hash"


def _first_by_hash(session: Session, pairs: list[tuple[str, str]]) -> tuple[Any, dict[str, Any]]:
    """The statement (and parameters) finding the stored articles with these (source, hash)."""
    if dialect_name(session) == "postgresql":
        # One index probe per pair, whatever the statistics say: on a table growing
        # in a bulk load they lag, and a plain `IN` list was planned as a sequential
        # scan (0.5 s a batch at 30k articles).
        sql = text(
            "SELECT a.id, a.url, k.source, k.content_hash"
            " FROM unnest(CAST(:sources AS text[]), CAST(:hashes AS text[]))"
            " AS k(source, content_hash) CROSS JOIN LATERAL ("
            "   SELECT id, url FROM articles WHERE articles.content_hash = k.content_hash"
            "   AND articles.source = k.source ORDER BY id LIMIT 1) AS a"
        )
        return sql, {"sources": [s for s, _ in pairs], "hashes": [h for _, h in pairs]}
    stmt = select(Article.id, Article.url, Article.source, Article.content_hash).where(
        Article.content_hash.in_({h for _, h in pairs})
    )
    return stmt, {}


def _row(item: ArticleItem, content_hash: str | None) -> dict[str, Any]:
    """The content columns of an item."""
    row = {f: getattr(item, f) for f in _CONTENT_FIELDS}
    row["content_hash"] = content_hash
    for key in ("authors", "editors", "credit_codes", "tags"):
        row[key] = list(row[key] or [])
    return row


def _insert_new(session: Session, plans: list[_Plan], now: dt.datetime) -> dict[str, int]:
    """Insert new articles in one bulk statement per batch; returns url -> id."""
    if not plans:
        return {}
    params = [
        {**_row(p.item, p.hash), "url": p.item.url, "source": p.item.source,
         "cluster_id": p.item.cluster_id, "is_cluster_origin": False, "first_seen_at": now,
         "last_seen_at": now, "updated_at": now, "revision_count": 0}
        for p in plans
    ]  # fmt: skip
    postgres = dialect_name(session) == "postgresql"
    if postgres or bulk.RETURNING_SUPPORTED:
        insert_rows = bulk.insert_unnest if postgres else bulk.insert_returning
        returned = insert_rows(
            session, cast(Table, Article.__table__), params, returning=("id", "url"),
            conflict="(url) DO UPDATE SET last_seen_at = excluded.last_seen_at",
        )  # fmt: skip
        return {url: id_ for id_, url in returned}
    # SQLite without RETURNING (before 3.35): an executemany, then one indexed lookup.
    stmt = insert_for(session, Article.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=["url"], set_={"last_seen_at": stmt.excluded.last_seen_at}
    )
    session.execute(stmt, params)
    urls = [p.item.url for p in plans]
    rows = session.execute(select(Article.id, Article.url).where(Article.url.in_(urls)))
    return {row.url: row.id for row in rows}


def _apply_updates(
    session: Session,
    plans: list[_Plan],
    existing: dict[int, dict[str, Any]],
    now: dt.datetime,
    result: UpsertResult,
    changed_urls: frozenset[str] = frozenset(),
) -> list[int]:
    """Touch seen articles; rewrite changed ones and keep their previous text as a revision."""
    seen: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    revisions: list[dict[str, Any]] = []
    for plan in plans:
        assert plan.target_id is not None
        old = existing[plan.target_id]
        if plan.via == "hash":
            result.aliased += 1
        same = plan.hash == old.get("content_hash") and plan.item.url not in changed_urls
        if plan.via == "hash" or not plan.hash or same:
            seen.append({"id": plan.target_id, "last_seen_at": now})
            result.unchanged += plan.via != "hash"
            continue
        number = old["revision_count"] + 1
        revisions.append({"article_id": plan.target_id, "revision": number,
                          "title": old["title"], "body": old["body"],
                          "content_hash": old["content_hash"], "modified_at": old["modified_at"],
                          "fetched_at": old["fetched_at"], "superseded_at": now})  # fmt: skip
        changed.append({**_row(plan.item, plan.hash), "id": plan.target_id,
                        "revision_count": number, "last_seen_at": now,
                        "updated_at": now})  # fmt: skip
        old["revision_count"] = number  # a second change in this batch is impossible (collapsed)
    if seen:
        session.execute(update(Article), _dedupe_by_id(seen))
    if changed:
        session.execute(insert_for(session, ArticleRevision.__table__), revisions)
        session.execute(update(Article), changed)
    result.updated = len(changed)
    return [row["id"] for row in changed]


def _dedupe_by_id(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Several items may touch one article (an alias and its target): update it once."""
    return list({row["id"]: row for row in rows}.values())


def _record_aliases(
    session: Session, plans: list[_Plan], existing: dict[int, dict[str, Any]], now: dt.datetime
) -> None:
    """Store every other URL an article was reached by (never its own canonical URL)."""
    canonical = {p.target_id: p.item.url for p in plans if p.via in ("new", "url")}
    canonical.update({i: r["url"] for i, r in existing.items()})
    rows: dict[str, dict[str, Any]] = {}
    for plan in plans:
        urls = [*plan.item.aliases, *plan.extra_aliases]
        if plan.via == "hash":
            urls.append(plan.item.url)
        for url in urls:
            if url and url != canonical.get(plan.target_id) and len(url) <= 2048:
                rows.setdefault(url, {"url": url, "article_id": plan.target_id,
                                      "first_seen_at": now})  # fmt: skip
    if rows:
        stmt = insert_for(session, ArticleAlias.__table__).on_conflict_do_nothing(
            index_elements=["url"]
        )
        session.execute(stmt, list(rows.values()))
