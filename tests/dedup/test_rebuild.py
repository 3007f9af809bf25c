"""rebuild_clusters gives the same clusters as clustering batch by batch."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.dedup.clusters import BANDS, assign_clusters
from aggregator.dedup.rebuild import rebuild_clusters
from aggregator.storage.models import Article
from aggregator.storage.models_dedup import LshBucket
from tests.dedup.conftest import T0, add_article, make_text
from tests.dedup.test_clusters import _edit

H = dt.timedelta(hours=1)


def _clusters(s: Session) -> dict[str, tuple[int | None, bool]]:
    rows = s.execute(select(Article.url, Article.cluster_id, Article.is_cluster_origin))
    return {r.url: (r.cluster_id, r.is_cluster_origin) for r in rows}


def test_rebuild_matches_incremental_clustering(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        ids = [add_article(s, f"https://a.com/{n}", make_text(30 + n), published_at=T0 + n * H)
               for n in range(4)]
        ids += [add_article(s, f"https://b.com/{n}", _edit(make_text(30 + n)), source="b",
                            published_at=T0 + (n + 5) * H) for n in range(2)]
        for one in ids:
            assign_clusters(s, [one])
        before = _clusters(s)
        s.execute(LshBucket.__table__.delete())  # a stale or damaged index
        assert rebuild_clusters(s, batch=4) == 6
        assert _clusters(s) == before
        assert s.scalar(select(func.count()).select_from(LshBucket)) == 6 * BANDS


def test_rebuild_on_empty_database(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        assert rebuild_clusters(s) == 0
