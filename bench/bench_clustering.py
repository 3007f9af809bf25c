"""Clustering benchmark: quality on the labelled set, throughput of `assign_clusters`.

    python bench/bench_clustering.py [--n 10000] [--batch 100]

1. Quality: the labelled sets (tests/fixtures/clusters/{labelled,heldout}.json: fixture
   articles, syndicated copies with realistic edits, follow-ups sharing one background
   paragraph, round-ups quoting two; parameters were tuned on `labelled` only) are
   stored into a temp SQLite file in publication order and in a shuffled order, and
   clustered batch by batch.  Reports pairwise precision / recall / F1 and, per edit
   set, the share of copies placed in their original's cluster, plus an exact-hash
   baseline.
2. Throughput: N synthetic articles (words drawn from the labelled set's vocabulary,
   20 % of them edited copies of earlier ones) are inserted in batches and clustered
   after each batch, as the store pipeline does.  Reports articles/s for the insert alone
   and for `assign_clusters`, their ratio (same run), the LSH row count and the pairwise
   precision / recall against the known copies; then the
   time of one incremental skip lookup (`IncrementalStore.stored_article`) on that
   database, for 1 000 stored (as tracking-parameter variants) and 1 000 unknown URLs.

Prints a summary and writes `bench/results/clustering.json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aggregator.dedup.clusters import (  # noqa: E402
    BANDS,
    CONTAINMENT_THRESHOLD,
    JACCARD_THRESHOLD,
    ROWS,
    assign_clusters,
)
from aggregator.dedup.evaluate import pairwise_scores  # noqa: E402
from aggregator.dedup.fingerprint import SHINGLE_WORDS, content_hash  # noqa: E402
from aggregator.incremental.state import IncrementalStore  # noqa: E402
from aggregator.storage.db import make_engine, session_factory  # noqa: E402
from aggregator.storage.models import Article, Base, Source  # noqa: E402
from aggregator.storage.models_dedup import LshBucket  # noqa: E402

SETS = {name: ROOT / "tests" / "fixtures" / "clusters" / f"{name}.json"
        for name in ("labelled", "heldout")}
RESULTS = ROOT / "bench" / "results"
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _sessions(path: Path) -> sessionmaker[Session]:
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    return session_factory(engine)


def _insert(s: Session, rows: list[dict[str, Any]], sources: set[str]) -> list[int]:
    """Insert articles (and unseen sources) and return their ids."""
    for name in {r["source"] for r in rows} - sources:
        s.add(Source(name=name, first_seen_at=T0))
        sources.add(name)
    s.flush()
    arts = [Article(url=r["url"], source=r["source"], body=r["body"], published_at=r["at"],
                    authors=[], editors=[], credit_codes=[], tags=[], fetched_at=r["at"],
                    first_seen_at=r["at"], last_seen_at=r["at"], updated_at=r["at"])
            for r in rows]
    s.add_all(arts)
    s.flush()
    return [a.id for a in arts]


def quality(name: str, docs: list[dict[str, Any]], tmp: Path, order: str) -> dict[str, Any]:
    """Cluster the labelled set in one order; pairwise scores and recall per edit set."""
    ordered = sorted(docs, key=lambda d: d["published_at"])
    if order == "shuffled":
        random.Random(7).shuffle(ordered)
    sessions, sources, ids = _sessions(tmp / f"quality-{name}-{order}.db"), set(), {}
    for start in range(0, len(ordered), 20):
        chunk = ordered[start : start + 20]
        rows = [{"url": f"https://{d['source']}.example/{d['id']}", "source": d["source"],
                 "body": d["body"], "at": dt.datetime.fromisoformat(d["published_at"])}
                for d in chunk]
        with sessions.begin() as s:
            new = _insert(s, rows, sources)
            ids.update(zip(new, (d["id"] for d in chunk), strict=True))
            assign_clusters(s, new)
    with sessions() as s:
        got = {ids[r.id]: r.cluster_id for r in s.execute(select(Article.id, Article.cluster_id))}
    scores = pairwise_scores({d["id"]: d["cluster"] for d in docs}, got)
    per_edit: dict[str, list[bool]] = defaultdict(list)
    for d in docs:
        if d["kind"] == "copy":
            per_edit["+".join(d["edits"])].append(got[d["id"]] == got[d["cluster"]])
    return {"set": name, "order": order, "documents": len(docs), "true_pairs": scores.true_pairs,
            "predicted_pairs": scores.predicted_pairs, "correct_pairs": scores.correct_pairs,
            "precision": round(scores.precision, 4), "recall": round(scores.recall, 4),
            "f1": round(scores.f1, 4),
            "copy_recall_by_edits": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(per_edit.items())}}


def hash_baseline(name: str, docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Exact-duplicate baseline: documents grouped by `content_hash` only."""
    scores = pairwise_scores({d["id"]: d["cluster"] for d in docs},
                             {d["id"]: content_hash(d["body"]) for d in docs})
    return {"set": name, "method": "content_hash only", "precision": round(scores.precision, 4),
            "recall": round(scores.recall, 4)}


def _synthetic(n: int, vocab: list[str], rng: random.Random) -> list[dict[str, Any]]:
    """N articles; one in five is an edited copy of an earlier one."""
    out: list[dict[str, Any]] = []
    for i in range(n):
        at = T0 + dt.timedelta(minutes=i)
        if out and rng.random() < 0.2:
            source = rng.choice(out)
            paras = source["body"].split("\n\n")
            paras = [*paras[:-1], f"Baca juga: {' '.join(rng.sample(vocab, 6))}"]
            body, label = "\n\n".join(paras), source["label"]
        else:
            body = "\n\n".join(" ".join(rng.choices(vocab, k=50)) for _ in range(5))
            label = i
        out.append({"url": f"https://s{i % 40}.example/{i}", "source": f"s{i % 40}",
                    "body": body, "at": at, "label": label})
    return out


def throughput(n: int, batch: int, vocab: list[str], tmp: Path) -> dict[str, Any]:
    """Time inserts and clustering of N synthetic articles, batch by batch."""
    rows = _synthetic(n, vocab, random.Random(11))
    sessions, sources = _sessions(tmp / "throughput.db"), set()
    insert_s = cluster_s = 0.0
    for start in range(0, n, batch):
        with sessions.begin() as s:
            t = time.perf_counter()
            new = _insert(s, rows[start : start + batch], sources)
            t2 = time.perf_counter()
            assign_clusters(s, new)
            insert_s += t2 - t
            cluster_s += time.perf_counter() - t2
    with sessions() as s:
        buckets = s.scalar(select(func.count()).select_from(LshBucket))
        got = {r.url: r.cluster_id for r in s.execute(select(Article.url, Article.cluster_id))}
    scores = pairwise_scores({r["url"]: r["label"] for r in rows}, got)
    lookup = _lookups(sessions, rows, random.Random(5))
    return {**lookup, "precision": round(scores.precision, 4),
            "recall": round(scores.recall, 4), "clusters": len(set(got.values())),
            "true_clusters": len({r["label"] for r in rows}), "articles": n, "batch": batch,
            "insert_s": round(insert_s, 2),
            "assign_clusters_s": round(cluster_s, 2),
            "insert_per_s": round(n / insert_s), "assign_clusters_per_s": round(n / cluster_s),
            "cluster_over_insert": round(cluster_s / insert_s, 2),
            "lsh_rows": buckets}


def _lookups(
    sessions: sessionmaker[Session], rows: list[dict[str, Any]], rng: random.Random
) -> dict[str, Any]:
    """Time the incremental skip lookup (`stored_article`) on the filled database."""
    store = IncrementalStore(sessions.kw["bind"])
    urls = [r["url"] + "?utm_source=rss" for r in rng.sample(rows, 1000)]
    urls += [f"https://new.example/{i}" for i in range(1000)]
    t = time.perf_counter()
    found = sum(store.stored_article(u) is not None for u in urls)
    elapsed = time.perf_counter() - t
    return {"lookups": len(urls), "lookups_found": found,
            "lookup_us": round(elapsed / len(urls) * 1e6)}


def main() -> None:
    """Run both parts and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    sets = {name: json.loads(path.read_text("utf-8")) for name, path in SETS.items()}
    vocab = [w for d in sets["labelled"] if d["kind"] == "original" for w in d["body"].split()]
    with tempfile.TemporaryDirectory() as tmp:
        result = {
            "params": {"shingle_words": SHINGLE_WORDS, "bands": BANDS, "rows": ROWS,
                       "jaccard_threshold": JACCARD_THRESHOLD,
                       "containment_threshold": CONTAINMENT_THRESHOLD},
            "quality": [quality(name, docs, Path(tmp), order) for name, docs in sets.items()
                        for order in ("published", "shuffled")],
            "baseline": [hash_baseline(name, docs) for name, docs in sets.items()],
            "throughput": throughput(args.n, args.batch, vocab, Path(tmp)),
            "machine": {"python": platform.python_version(), "platform": platform.platform()},
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "clustering.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
