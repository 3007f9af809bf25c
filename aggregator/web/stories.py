"""The largest current stories across outlets, and search (the `aggregator search` engine)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
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
    # Rows of the window through the first_seen_at index, counted here: SQLite's planner
    # would otherwise walk every clustered article through the cluster_id index.
    stmt = select(Article.cluster_id, Article.source, Article.first_seen_at).where(
        Article.first_seen_at >= since, Article.cluster_id.is_not(None))
    sizes: Counter[int] = Counter()
    outlets: dict[int, set[str]] = defaultdict(set)
    latest: dict[int, dt.datetime] = {}
    for cluster_id, source, seen in session.execute(stmt):
        if cluster_id is None:  # filtered out above; this narrows the type
            continue
        sizes[cluster_id] += 1
        outlets[cluster_id].add(source)
        latest[cluster_id] = max(seen, latest.get(cluster_id, seen))
    ranked = sorted((c for c, n in sizes.items() if n > 1),
                    key=lambda c: (-len(outlets[c]), -sizes[c], c))[:limit]  # fmt: skip
    heads = {}
    if ranked:
        head_stmt = (select(Article.cluster_id, Article.id, Article.title, Article.source)
                     .where(Article.cluster_id.in_(ranked), Article.is_cluster_origin))  # fmt: skip
        heads = {c: (i, t, s) for c, i, t, s in session.execute(head_stmt)}
    clusters = []
    for c in ranked:
        head = heads.get(c, (None, None, None))
        clusters.append({"cluster_id": c, "articles": sizes[c], "outlets": len(outlets[c]),
                         "latest": iso(latest[c]), "origin_id": head[0], "title": head[1],
                         "origin_source": head[2]})  # fmt: skip
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
