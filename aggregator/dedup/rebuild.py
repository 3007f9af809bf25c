"""Rebuild every story cluster from scratch (after changing the clustering parameters).

The LSH rows in `lsh_buckets` depend on `BANDS`, `ROWS`, the shingle size and the
MinHash scheme; once any of them changes, old rows no longer meet new ones.  This
clears clusters, signatures and buckets, then clusters all articles again in order of
publication, in batches, exactly as the store pipeline would have.  The caller owns the
transaction (one is fine for a few hundred thousand articles on SQLite).
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from aggregator.dedup.clusters import assign_clusters
from aggregator.storage.models import Article
from aggregator.storage.models_dedup import ArticleSignature, LshBucket

__all__ = ["rebuild_clusters"]


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
