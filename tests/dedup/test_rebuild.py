"""rebuild_clusters gives the same clusters as clustering batch by batch."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.dedup.clusters import BANDS, assign_clusters
from aggregator.dedup.rebuild import prune_index, rebuild_clusters
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


def test_prune_index_drops_only_old_articles(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        old = add_article(s, "https://a.com/old", make_text(40), published_at=T0 - 90 * 24 * H)
        new = add_article(s, "https://a.com/new", make_text(41), published_at=T0)
        assign_clusters(s, [old, new])
        assert prune_index(s, before=T0 - 30 * 24 * H) == BANDS
        left = s.execute(select(LshBucket.article_id).distinct()).scalars().all()
        assert left == [new]
        # a late copy of the pruned article no longer finds it: its own cluster
        late = add_article(s, "https://b.com/late", _edit(make_text(40)), source="b")
        assert assign_clusters(s, [late]) == {late: late}
        with pytest.raises(ValueError, match="timezone-aware"):
            prune_index(s, before=dt.datetime(2026, 1, 1))
