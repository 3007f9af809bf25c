"""Story clusters: near-duplicate articles across outlets share one `cluster_id`.

`assign_clusters` is called by the store pipeline after each upserted batch, inside the
caller's transaction (it never commits).  For every article it:

1. computes the MinHash of the body and replaces the article's signature and LSH rows;
2. looks up candidates sharing at least one LSH band (`BANDS` x `ROWS`, persisted in
   `lsh_buckets`, so earlier runs and other processes are seen);
3. keeps candidates whose estimated Jaccard is >= `JACCARD_THRESHOLD`, or whose estimated
   containment is >= `CONTAINMENT_THRESHOLD` (a trimmed or extended copy);
4. merges the article with the clusters of its matches (and its own previous cluster):
   the cluster's origin is the earliest article (published_at, else first_seen_at, then
   first_seen_at, then id); `cluster_id` is the origin's id, `is_cluster_origin` marks it.

Bodies too short to compare (`fingerprint.minhash_signature` gives None) form their own
cluster unless they already belong to one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from aggregator.dedup.fingerprint import (
    Signature,
    band_keys,
    estimate_jaccard,
    minhash_signature,
)
from aggregator.dedup.matrix import SignatureMatrix, Thresholds, candidate_pairs, verify_pairs
from aggregator.storage.models import Article
from aggregator.storage.models_dedup import ArticleSignature, LshBucket

__all__ = ["BANDS", "CONTAINMENT_THRESHOLD", "JACCARD_THRESHOLD", "ROWS", "assign_clusters"]

BANDS, ROWS = 64, 2  # P(candidate): 0.9994 at Jaccard 0.33, 0.47 at 0.1, 0.006 at 0.01
JACCARD_THRESHOLD = 0.5
#: Shared bands needed before a candidate is verified.  2 would skip unrelated articles
#: (P = 2e-5 at Jaccard 0.01) but lose 0.6 % of pairs at 0.33; the bench showed no gain.
MIN_BAND_HITS = 1
CONTAINMENT_THRESHOLD = 0.6  # exact containment: copies >= 0.70, other stories <= 0.53
MIN_CONTAINMENT_SHINGLES = 40  # containment on a few sentences would join quotes
_CHUNK = 400  # bound parameters per IN (...) list, well under every driver's limit
_SQLITE_CHUNK = 900  # bucket keys per SQLite statement (999 is the oldest builds' limit)
_FETCH_ROWS = 20_000  # LSH rows turned into an array at a time
_LOOKUP_GROUP = 25  # batch articles whose candidates are looked up and verified together
_SIGNATURE_CHUNK = 4000  # candidate signatures loaded and verified at a time
_LIMITS = Thresholds(JACCARD_THRESHOLD, CONTAINMENT_THRESHOLD, MIN_CONTAINMENT_SHINGLES)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(slots=True)
class _Member:
    """The fields of an article that decide its cluster and origin."""

    id: int
    published_at: dt.datetime | None
    first_seen_at: dt.datetime | None
    cluster_id: int | None
    is_origin: bool

    def order(self) -> tuple[dt.datetime, dt.datetime, int]:
        """Sort key: earliest publication, then earliest sighting, then lowest id."""
        seen = self.first_seen_at or _EPOCH
        return (self.published_at or seen, seen, self.id)


def assign_clusters(session: Session, article_ids: list[int]) -> dict[int, int]:
    """Cluster the given articles against everything stored; return id -> cluster_id."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    members, texts = _load_batch(session, ids)
    signatures = {i: minhash_signature(body) for i, (body, _) in texts.items()}
    keys = {i: band_keys(sig.values, bands=BANDS, rows=ROWS)
            for i, sig in signatures.items() if sig is not None}
    _store_signatures(session, signatures, keys, {i: h for i, (_, h) in texts.items()})
    matches = _verified_matches(session, signatures, keys)
    groups = _components(session, members, matches)
    changed = _relabel(session, groups)
    _expire_stale(session, changed)
    return {i: m.cluster_id for i, m in members.items() if m.cluster_id is not None}


_MEMBER_COLS = (Article.id, Article.published_at, Article.first_seen_at, Article.cluster_id,
                Article.is_cluster_origin)


def _member(row: Any) -> _Member:
    """A member from a row selected with `_MEMBER_COLS`."""
    return _Member(row.id, row.published_at, row.first_seen_at, row.cluster_id,
                   bool(row.is_cluster_origin))


def _load_batch(
    session: Session, ids: list[int]
) -> tuple[dict[int, _Member], dict[int, tuple[str | None, str | None]]]:
    """Members of the batch and their (body, content_hash); unknown ids are ignored."""
    members: dict[int, _Member] = {}
    texts: dict[int, tuple[str | None, str | None]] = {}
    for chunk in _chunks(ids):
        stmt = select(*_MEMBER_COLS, Article.body, Article.content_hash).where(
            Article.id.in_(chunk))
        for row in session.execute(stmt):
            members[row.id] = _member(row)
            texts[row.id] = (row.body, row.content_hash)
    return members, texts


def _store_signatures(
    session: Session,
    signatures: dict[int, Signature | None],
    keys: dict[int, list[int]],
    hashes: dict[int, str | None],
) -> None:
    """Replace the signature and LSH rows of every article in the batch."""
    ids = list(signatures)
    for chunk in _chunks(ids):
        session.execute(delete(LshBucket).where(LshBucket.article_id.in_(chunk)))
        session.execute(delete(ArticleSignature).where(ArticleSignature.article_id.in_(chunk)))
    now = dt.datetime.now(dt.UTC)
    sig_rows: list[dict[str, Any]] = []
    bucket_rows: list[dict[str, Any]] = []
    for article_id, sig in signatures.items():
        if sig is None:
            continue
        sig_rows.append({"article_id": article_id, "minhash": sig.values,
                         "shingle_count": sig.size, "content_hash": hashes.get(article_id),
                         "computed_at": now})
        bucket_rows.extend({"bucket": k, "band": b, "article_id": article_id}
                           for b, k in enumerate(keys[article_id]))
    if sig_rows:  # Core inserts: the ORM bulk path costs more than SQLite itself here
        session.execute(insert(_table(ArticleSignature)), sig_rows)
        session.execute(insert(_table(LshBucket)), bucket_rows)


def _verified_matches(
    session: Session, signatures: dict[int, Signature | None], keys: dict[int, list[int]]
) -> list[tuple[int, int]]:
    """Pairs (batch article, other article) whose signatures pass verification.

    The batch is looked up `_LOOKUP_GROUP` articles at a time: an article's candidates
    depend only on its own buckets, so the pairs are the same as in one lookup, while the
    bucket rows and candidate signatures held at once stay bounded by the group, not by
    the batch (on a large archive they are thousands per article).
    """
    own = SignatureMatrix.from_rows((i, s.values, s.size) for i, s in signatures.items() if s)
    matches: list[tuple[int, int]] = []
    article_ids = list(keys)
    for start in range(0, len(article_ids), _LOOKUP_GROUP):
        group = article_ids[start : start + _LOOKUP_GROUP]
        wanted = np.array([(key, band, article_id) for article_id in group
                           for band, key in enumerate(keys[article_id])],
                          dtype=np.int64).reshape(-1, 3)  # fmt: skip
        rows = _bucket_rows(session, sorted(set(wanted[:, 0].tolist())))
        pairs = candidate_pairs(wanted, rows, MIN_BAND_HITS)
        del rows  # the group's largest array: gone before the signatures are loaded
        same = _verify(session, own, pairs)
        matches += [(int(m), int(o)) for m, o in pairs[same].tolist()]
    return matches


def _verify(session: Session, own: SignatureMatrix, pairs: np.ndarray) -> np.ndarray:
    """`verify_pairs` over the stored signatures, `_SIGNATURE_CHUNK` candidates at a time.

    Each candidate's signature is read once, as before; only the number held in memory
    at once is bounded (a signature is about 1 KB as bytes plus matrix row, and a group
    can have tens of thousands of distinct candidates on a large archive).
    """
    same = np.zeros(len(pairs), dtype=bool)
    others = np.unique(pairs[:, 1])
    for start in range(0, len(others), _SIGNATURE_CHUNK):
        part = others[start : start + _SIGNATURE_CHUNK]
        sel = np.flatnonzero((pairs[:, 1] >= part[0]) & (pairs[:, 1] <= part[-1]))
        stored = _load_signatures(session, set(part.tolist()))
        same[sel] = verify_pairs(own, stored, pairs[sel], _LIMITS)
    return same


def _bucket_rows(session: Session, buckets: list[int]) -> np.ndarray:
    """(bucket, band, article_id) of every LSH row in these buckets, as an int64 array."""
    # The DB-API cursor of the session's connection (same transaction): these rows are the
    # bulk of the clustering's reads (hundreds to thousands per article on a large
    # archive), and SQLAlchemy's row objects cost more than the read itself.  They are
    # fetched a slice at a time into arrays: a Python tuple per row would take ~150 bytes
    # (measured: the writer grew by 120 MB between 10,000 and 50,000 stored).
    conn = session.connection()
    cursor = conn.connection.cursor()
    parts: list[np.ndarray] = []
    try:
        if conn.dialect.name == "postgresql":
            cursor.execute("SELECT bucket, band, article_id FROM lsh_buckets"
                           " WHERE bucket = ANY(CAST(%s AS bigint[]))", (buckets,))
            parts += _drain(cursor)
        else:
            for chunk in _chunks(buckets, _SQLITE_CHUNK):
                marks = ",".join("?" * len(chunk))  # placeholders only: values are bound
                sql = f"SELECT bucket, band, article_id FROM lsh_buckets WHERE bucket IN ({marks})"  # noqa: S608
                cursor.execute(sql, chunk)
                parts += _drain(cursor)
    finally:
        cursor.close()
    return np.concatenate(parts) if parts else np.zeros((0, 3), dtype=np.int64)


def _drain(cursor: Any, size: int = _FETCH_ROWS) -> Iterable[np.ndarray]:
    """The cursor's remaining rows, `size` at a time, as (n, 3) int64 arrays."""
    while rows := cursor.fetchmany(size):
        yield np.array(rows, dtype=np.int64).reshape(-1, 3)


def _load_signatures(session: Session, ids: set[int]) -> SignatureMatrix:
    """Stored signatures of the given articles, as one matrix."""
    rows: list[tuple[int, bytes, int]] = []
    for chunk in _chunks(sorted(ids)):
        stmt = select(ArticleSignature.article_id, ArticleSignature.minhash,
                      ArticleSignature.shingle_count).where(ArticleSignature.article_id.in_(chunk))
        rows.extend((r.article_id, r.minhash, r.shingle_count) for r in session.execute(stmt))
    return SignatureMatrix.from_rows(rows)


def _similar(a: Signature, b: Signature) -> bool:
    """Same story: high Jaccard, or one body (long enough) mostly contained in the other."""
    jaccard = estimate_jaccard(a.values, b.values)
    if jaccard >= JACCARD_THRESHOLD:
        return True
    smaller = min(a.size, b.size)
    if smaller < MIN_CONTAINMENT_SHINGLES or jaccard <= 0:
        return False
    # |A n B| = J (|A| + |B|) / (1 + J), from the definition of Jaccard.
    overlap = jaccard * (a.size + b.size) / (1 + jaccard)
    return overlap / smaller >= CONTAINMENT_THRESHOLD


def _components(
    session: Session, batch: dict[int, _Member], matches: list[tuple[int, int]]
) -> list[list[_Member]]:
    """Connected groups of the batch, their matches and all members of touched clusters."""
    matched_ids = {other for _, other in matches if other not in batch}
    outside = _load_members(session, Article.id.in_, matched_ids)
    clusters = {m.cluster_id for m in [*batch.values(), *outside.values()] if m.cluster_id}
    everyone = {**_load_members(session, Article.cluster_id.in_, clusters), **outside, **batch}
    parent = {i: i for i in everyone}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    by_cluster: dict[int, int] = {}
    for m in everyone.values():
        if m.cluster_id is not None:
            union(m.id, by_cluster.setdefault(m.cluster_id, m.id))
    for a, b in matches:
        union(a, b)
    groups: dict[int, list[_Member]] = defaultdict(list)
    for m in everyone.values():
        groups[find(m.id)].append(m)
    return [g for g in groups.values() if any(m.id in batch for m in g)]


def _load_members(session: Session, where: Any, values: Iterable[int]) -> dict[int, _Member]:
    """Articles selected by `where(chunk)` (e.g. `Article.id.in_`), as members."""
    out: dict[int, _Member] = {}
    for chunk in _chunks(sorted(values)):
        out.update({r.id: _member(r) for r in session.execute(
            select(*_MEMBER_COLS).where(where(chunk)))})
    return out


def _relabel(session: Session, groups: list[list[_Member]]) -> set[int]:
    """Point each group at its earliest member; write only rows that change."""
    updates: list[dict[str, Any]] = []
    for group in groups:
        origin = min(group, key=_Member.order)
        for m in group:
            is_origin = m.id == origin.id
            if m.cluster_id != origin.id or m.is_origin != is_origin:
                m.cluster_id, m.is_origin = origin.id, is_origin
                updates.append({"b_id": m.id, "b_cluster": origin.id, "b_origin": is_origin})
    if updates:
        table = _table(Article)
        stmt = (update(table).where(table.c.id == bindparam("b_id"))
                .values(cluster_id=bindparam("b_cluster"), is_cluster_origin=bindparam("b_origin")))
        session.connection().execute(stmt, updates)
    return {u["b_id"] for u in updates}


def _expire_stale(session: Session, changed: set[int]) -> None:
    """Expire cluster fields of loaded Article objects that the Core UPDATE changed."""
    if not changed:
        return
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Article) and obj.id in changed:
            session.expire(obj, ["cluster_id", "is_cluster_origin"])


def _table(model: type[Any]) -> Table:
    """The Core table of a mapped class."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _chunks(values: Sequence[int] | list[int], size: int = _CHUNK) -> Iterable[list[int]]:
    """Slices of at most `size` values."""
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]
