"""Clustering quality on the labelled set built from the fixture pages.

tests/fixtures/clusters/labelled.json (built by build.py there) holds the real fixture
articles, syndicated copies with realistic edits, and follow-up stories that reuse one
background paragraph.  The floors below are pinned from the measured figures (README).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.dedup.clusters import assign_clusters
from aggregator.dedup.evaluate import pairwise_scores
from aggregator.storage.models import Article
from tests.dedup.conftest import add_article

SETS = Path(__file__).resolve().parents[1] / "fixtures" / "clusters"
DOCS: list[dict[str, Any]] = json.loads((SETS / "labelled.json").read_text("utf-8"))
HELDOUT: list[dict[str, Any]] = json.loads((SETS / "heldout.json").read_text("utf-8"))
PRECISION_FLOOR = 0.99
RECALL_FLOOR = 0.95


def _cluster(sessions: sessionmaker[Session], docs: list[dict[str, Any]], batch: int) -> dict:
    """Store docs in the given order, clustering after each batch; return id -> (cid, origin)."""
    ids: dict[int, str] = {}
    for start in range(0, len(docs), batch):
        with sessions.begin() as s:
            new = []
            for d in docs[start : start + batch]:
                when = dt.datetime.fromisoformat(d["published_at"])
                art = add_article(s, f"https://{d['source']}.example/{d['id']}", d["body"],
                                  source=d["source"], published_at=when, first_seen_at=when)
                ids[art] = d["id"]
                new.append(art)
            assign_clusters(s, new)
    with sessions() as s:
        rows = s.execute(select(Article.id, Article.cluster_id, Article.is_cluster_origin))
        return {ids[r.id]: (r.cluster_id, r.is_cluster_origin) for r in rows}


def test_set_is_well_formed() -> None:
    kinds = {d["kind"] for d in DOCS}
    assert kinds == {"original", "copy", "followup", "roundup"}
    assert len({d["id"] for d in DOCS}) == len(DOCS)
    assert sum(d["kind"] == "copy" for d in DOCS) >= 40


@pytest.mark.parametrize(
    ("labelled", "order", "batch"),
    [(DOCS, "published", 20), (DOCS, "shuffled", 7), (HELDOUT, "published", 20),
     (HELDOUT, "shuffled", 7)],
)
def test_pairwise_precision_recall(
    sessions: sessionmaker[Session], labelled: list[dict[str, Any]], order: str, batch: int
) -> None:
    docs = sorted(labelled, key=lambda d: d["published_at"])
    if order == "shuffled":  # late discovery: copies may be stored before their origin
        random.Random(7).shuffle(docs)
    got = _cluster(sessions, docs, batch)
    scores = pairwise_scores({d["id"]: d["cluster"] for d in labelled},
                             {k: cid for k, (cid, _) in got.items()})
    assert scores.precision >= PRECISION_FLOOR
    assert scores.recall >= RECALL_FLOOR
    # the original (published first) is the one origin of its cluster
    for d in labelled:
        if d["kind"] == "original":
            members = [k for k, (cid, _) in got.items() if cid == got[d["id"]][0]]
            assert [k for k in members if got[k][1]] == [d["id"]]


def test_hard_negatives_stay_apart(sessions: sessionmaker[Session]) -> None:
    got = _cluster(sessions, DOCS, 50)
    followups = [d["id"] for d in DOCS if d["kind"] in ("followup", "roundup")]
    for f in followups:
        assert sum(cid == got[f][0] for cid, _ in got.values()) == 1, f


def test_scores_arithmetic() -> None:
    s = pairwise_scores({1: "a", 2: "a", 3: "b"}, {1: "x", 2: "y", 3: "y"})
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (1, 1, 0)
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)
    perfect = pairwise_scores({1: "a", 2: "a"}, {1: 5, 2: 5})
    assert (perfect.precision, perfect.recall) == (1.0, 1.0)
    with pytest.raises(ValueError, match="same documents"):
        pairwise_scores({1: "a"}, {2: "a"})
