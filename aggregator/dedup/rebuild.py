"""Maintenance of the clustering index: rebuild it, or bound its size.

`rebuild_clusters` starts over, after a change of the clustering parameters: the LSH
rows in `lsh_buckets` depend on `BANDS`, `ROWS`, the shingle size and the MinHash
scheme, and once any of them changes old rows no longer meet new ones.  It clears
clusters, signatures and buckets, then clusters all articles again in order of
publication, in batches, exactly as the store pipeline would have.  The caller owns the
transaction (one is fine for a few hundred thousand articles on SQLite).

`prune_index` bounds the index: each article costs `BANDS` rows in `lsh_buckets`
(64 M rows for a million articles), but copies of a story appear within days of each
other, so articles older than a retention window can leave the index.  Their signatures
and clusters stay; a late copy of one of them then starts its own cluster.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from aggregator.dedup.clusters import assign_clusters
from aggregator.storage.models import Article
from aggregator.storage.models_dedup import ArticleSignature, LshBucket

__all__ = ["prune_index", "rebuild_clusters"]


def rebuild_clusters(session: Session, *, batch: int = 500) -> int:
    """Recompute every signature and cluster; return the number of articles clustered."""
    session.execute(delete(LshBucket))
    session.execute(delete(ArticleSignature))
    session.execute(update(Article).values(cluster_id=None, is_cluster_origin=False))
    order = (Article.published_at.is_(None), Article.published_at, Article.first_seen_at,
             Article.id)
    ids = list(session.scalars(select(Article.id).order_by(*order)))
    for start in range(0, len(ids), max(1, batch)):
        assign_clusters(session, ids[start : start + batch])
    return len(ids)


def prune_index(session: Session, *, before: dt.datetime) -> int:
    """Drop the LSH rows of articles published (else first seen) before `before`."""
    if before.tzinfo is None:
        raise ValueError("before must be timezone-aware")
    when = func.coalesce(Article.published_at, Article.first_seen_at)
    old = select(Article.id).where(when < before)
    result = session.execute(delete(LshBucket).where(LshBucket.article_id.in_(old)))
    return int(getattr(result, "rowcount", 0) or 0)
