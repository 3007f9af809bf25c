"""The largest current stories across outlets, and search (the `aggregator search` engine)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from aggregator.storage.access import parse_when
from aggregator.storage.models import Article
from aggregator.storage.search import SearchFilters, search_articles
from aggregator.web.common import iso

CLUSTER_DAYS = 7
CLUSTER_LIMIT = 30


def largest_clusters(
    session: Session, *, now: dt.datetime | None = None, days: int = CLUSTER_DAYS,
    limit: int = CLUSTER_LIMIT,
) -> dict[str, Any]:
    """Clusters with the most outlets among articles first seen in the last `days` days."""
    now = now or dt.datetime.now(dt.UTC)
    since = now - dt.timedelta(days=days)
    recent = (select(Article.cluster_id, Article.source, Article.first_seen_at)
              .where(Article.first_seen_at >= since, Article.cluster_id.is_not(None))
              .subquery())  # fmt: skip
    stmt = (select(recent.c.cluster_id, func.count().label("articles"),
                   func.count(distinct(recent.c.source)).label("outlets"),
                   func.max(recent.c.first_seen_at).label("latest"))
            .group_by(recent.c.cluster_id).having(func.count() > 1)
            .order_by(func.count(distinct(recent.c.source)).desc(), func.count().desc())
            .limit(limit))  # fmt: skip
    rows = session.execute(stmt).all()
    ids = [r.cluster_id for r in rows]
    heads = {}
    if ids:
        head_stmt = (select(Article.cluster_id, Article.id, Article.title, Article.source)
                     .where(Article.cluster_id.in_(ids), Article.is_cluster_origin))  # fmt: skip
        heads = {c: (i, t, s) for c, i, t, s in session.execute(head_stmt)}
    clusters = []
    for r in rows:
        head = heads.get(r.cluster_id, (None, None, None))
        clusters.append({"cluster_id": r.cluster_id, "articles": r.articles,
                         "outlets": r.outlets, "latest": iso(r.latest), "origin_id": head[0],
                         "title": head[1], "origin_source": head[2]})  # fmt: skip
    return {"days": days, "since": iso(since), "clusters": clusters}


def search_page(session: Session, params: dict[str, str]) -> dict[str, Any]:
    """`/search?q=...&source=&since=&until=&author=&tag=&limit=`; InputError on bad input."""
    q = (params.get("q") or "").strip()
    keys = ("q", "source", "since", "until", "author", "tag", "limit")
    echo = {k: params.get(k, "") for k in keys}
    if not q:
        return {"query": echo, "hits": []}
    filters = SearchFilters(source=params.get("source") or None,
                            since=parse_when(params.get("since")),
                            until=parse_when(params.get("until"), end=True),
                            author=params.get("author") or None,
                            tag=params.get("tag") or None)  # fmt: skip
    try:
        limit = int(params.get("limit") or 20)
    except ValueError:
        limit = 20
    hits = search_articles(session, q, filters, limit=min(max(limit, 1), 200))
    return {"query": echo, "hits": [
        {**dataclasses.asdict(h), "published_at": iso(h.published_at)} for h in hits]}
