"""`assign_clusters` on a real SQLite file: matching, origins, persistence, merges."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.dedup import clusters
from aggregator.dedup.clusters import BANDS, assign_clusters
from aggregator.storage.models import Article
from aggregator.storage.models_dedup import ArticleSignature, LshBucket
from tests.dedup.conftest import T0, add_article, make_text

H = dt.timedelta(hours=1)


def _edit(text: str) -> str:
    """A syndicated copy: other dateline, one typo fixed, a 'Baca juga' line, last para cut."""
    paras = text.split("\n\n")
    paras[0] = "Surabaya (ANTARA) - " + paras[0].replace("jakarta", "Jakarta", 1)
    paras.insert(2, "Baca juga: Banjir rendam ratusan rumah di Bekasi")
    return "\n\n".join(paras[:-1])


def _state(session: Session, ids: list[int]) -> dict[int, tuple[int | None, bool]]:
    rows = session.execute(
        select(Article.id, Article.cluster_id, Article.is_cluster_origin).where(Article.id.in_(ids))
    )
    return {r.id: (r.cluster_id, r.is_cluster_origin) for r in rows}


def test_copies_share_cluster_and_earliest_is_origin(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        late = add_article(s, "https://a.com/1", make_text(1), published_at=T0 + 2 * H)
        early = add_article(s, "https://b.com/1", _edit(make_text(1)), source="b", published_at=T0)
        other = add_article(s, "https://c.com/9", make_text(9), source="c")
        out = assign_clusters(s, [late, early, other])
        assert out[late] == out[early] == early
        assert out[other] == other
        st = _state(s, [late, early, other])
        assert st[early] == (early, True)
        assert st[late] == (early, False)
        assert st[other] == (other, True)


def test_clusters_persist_across_sessions(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        first = add_article(s, "https://a.com/1", make_text(2))
        assign_clusters(s, [first])
    with sessions.begin() as s:  # a later run, in another session
        copy = add_article(s, "https://b.com/1", _edit(make_text(2)), source="b",
                           published_at=T0 + H, first_seen_at=T0 + 5 * H)
        different = add_article(s, "https://b.com/2", make_text(3), source="b")
        out = assign_clusters(s, [copy, different])
    assert out == {copy: first, different: different}


def test_earlier_copy_found_later_becomes_origin(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        a = add_article(s, "https://a.com/1", make_text(4), published_at=T0 + 3 * H)
        b = add_article(s, "https://b.com/1", _edit(make_text(4)), source="b",
                        published_at=T0 + 4 * H)
        assign_clusters(s, [a, b])
    with sessions.begin() as s:
        origin = add_article(s, "https://c.com/1", _edit(make_text(4)), source="c",
                             published_at=T0, first_seen_at=T0 + 9 * H)
        assign_clusters(s, [origin])
        assert _state(s, [a, b, origin]) == {
            a: (origin, False), b: (origin, False), origin: (origin, True)}


def test_missing_published_at_falls_back_to_first_seen(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        a = add_article(s, "https://a.com/1", make_text(5), published_at=None,
                        first_seen_at=T0 - H)
        b = add_article(s, "https://b.com/1", make_text(5) + " tambahan.", source="b",
                        published_at=T0)
        assert assign_clusters(s, [a, b]) == {a: a, b: a}


def test_article_bridging_two_clusters_merges_them(sessions: sessionmaker[Session]) -> None:
    one, two = make_text(6, 300), make_text(7, 300)
    with sessions.begin() as s:
        a = add_article(s, "https://a.com/1", one, published_at=T0 + H)
        c = add_article(s, "https://c.com/1", two, source="c", published_at=T0 + 2 * H)
        first = assign_clusters(s, [a, c])
        assert first[a] != first[c]
        bridge = add_article(s, "https://b.com/1", one + "\n\n" + two, source="b",
                             published_at=T0 + 3 * H)
        out = assign_clusters(s, [bridge])
        assert out[bridge] == a
        assert {cid for cid, _ in _state(s, [a, c, bridge]).values()} == {a}


def test_short_or_empty_bodies_are_singletons(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        ids = [add_article(s, f"https://a.com/{i}", body)
               for i, body in enumerate(["", None, "Foto: banjir", "Foto: banjir"])]
        out = assign_clusters(s, ids)
        assert out == {i: i for i in ids}
        assert s.scalar(select(func.count()).select_from(ArticleSignature)) == 0


def test_changed_body_replaces_signature_and_keeps_cluster(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        a = add_article(s, "https://a.com/1", make_text(8))
        b = add_article(s, "https://b.com/1", _edit(make_text(8)), source="b",
                        published_at=T0 + H)
        assign_clusters(s, [a, b])
        before = s.scalar(select(ArticleSignature.minhash).where(ArticleSignature.article_id == b))
        s.get_one(Article, b).body = make_text(8) + "\n\nRalat: judul diperbaiki."
        s.flush()
        assert assign_clusters(s, [b]) == {b: a}
        after = s.scalar(select(ArticleSignature.minhash).where(ArticleSignature.article_id == b))
        assert before != after
        rows = select(func.count()).select_from(LshBucket).where(LshBucket.article_id == b)
        assert s.scalar(rows) == BANDS


def test_never_commits_caller_transaction(sessions: sessionmaker[Session]) -> None:
    s = sessions()
    a = add_article(s, "https://a.com/1", make_text(10))
    assign_clusters(s, [a])
    s.rollback()
    s.close()
    with sessions() as s2:
        assert s2.scalar(select(func.count()).select_from(Article)) == 0
        assert s2.scalar(select(func.count()).select_from(LshBucket)) == 0


def test_unknown_ids_and_empty_list(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        assert assign_clusters(s, []) == {}
        assert assign_clusters(s, [12345]) == {}


def test_loaded_orm_objects_see_new_cluster(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        a = add_article(s, "https://a.com/1", make_text(11), published_at=T0 + H)
        b = add_article(s, "https://b.com/1", _edit(make_text(11)), source="b")
        obj = s.get_one(Article, a)
        assign_clusters(s, [a, b])
        assert (obj.cluster_id, obj.is_cluster_origin) == (b, False)


@pytest.mark.parametrize(("group", "chunk"), [(1, 1), (7, 3), (1000, 4000)])
def test_lookup_groups_find_the_same_clusters(sessions: sessionmaker[Session],
                                              monkeypatch: pytest.MonkeyPatch,
                                              group: int, chunk: int) -> None:  # fmt: skip
    """Candidates looked up a few batch articles at a time, and their signatures verified
    a few at a time: no pair is lost between groups or chunks.

    Each story and its copy are stored in one batch, the copy several positions later, so
    with small groups the two sit in different groups (and a third copy from an earlier
    run is only found through the stored rows).
    """
    monkeypatch.setattr(clusters, "_LOOKUP_GROUP", group)
    monkeypatch.setattr(clusters, "_SIGNATURE_CHUNK", chunk)
    with sessions.begin() as s:
        earlier = add_article(s, "https://old.com/0", _edit(make_text(100)), source="old",
                              published_at=T0 - H)  # fmt: skip
        assign_clusters(s, [earlier])
    with sessions.begin() as s:
        stories = [add_article(s, f"https://a.com/{k}", make_text(100 + k)) for k in range(12)]
        copies = [add_article(s, f"https://b.com/{k}", _edit(make_text(100 + k)), source="b",
                              published_at=T0 + H) for k in range(12)]  # fmt: skip
        out = assign_clusters(s, [*stories, *copies])
    assert out[stories[0]] == out[copies[0]] == earlier
    for story, copy in zip(stories[1:], copies[1:], strict=True):
        assert out[story] == out[copy] == story
    assert len(set(out.values())) == 12
