"""Before/after proof for store changes: store the same articles, dump what was stored.

    python bench/compare_store.py dump --out before.json [--n 10000] [--db sqlite|postgres]
    python bench/compare_store.py diff before.json after.json

`dump` stores `--n` generated articles (`bench/synthetic_items.py`: one in ten an edited
copy from another source) through the store pipeline's writer in batches of 100, then a
second pass of changed bodies (revisions), alias URLs, same-body copies under new URLs
(hash aliases) and repeats (unchanged), and writes every row that matters as JSON:
articles (URL, source, title, hash, revision count, cluster origin), aliases, revisions,
signatures and the LSH rows (as a digest).  Timestamps are left out (they are "now").
`diff` prints the first differences and exits 1 when the dumps differ.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # `aggregator` itself comes from the environment

from bench.synthetic_items import make_items  # noqa: E402


def second_pass(items: list[Any]) -> list[Any]:
    """Changed bodies, alias URLs, same-body copies under new URLs, plain repeats."""
    out = []
    for k, item in enumerate(items[::7]):
        kind = k % 4
        if kind == 0:  # the outlet edited the story: a revision
            out.append(dataclasses.replace(item, body=item.body + "\n\nPembaruan: data terbaru.",
                                           content_hash=None))
        elif kind == 1:  # reached through another URL that redirected to it
            out.append(dataclasses.replace(item, aliases=[item.url + "?utm_source=x"]))
        elif kind == 2:  # the same body under a new URL of the same source
            out.append(dataclasses.replace(item, url=item.url + "-copy"))
        else:  # seen again, unchanged
            out.append(dataclasses.replace(item))
    return out


def store_all(url: str, n: int, tmp: Path) -> float:
    """Store the generated articles and the second pass; return the seconds it took."""
    from aggregator.storage.writer import BatchWriter

    writer = BatchWriter(url, dead_letter=tmp / "dead.jsonl")
    writer.open()
    first = make_items(n)
    started = time.perf_counter()
    for batch_items in (first, second_pass(first)):
        for start in range(0, len(batch_items), 100):
            outcome = writer.write_batch(batch_items[start : start + 100])
            if outcome.counts.get("failed") or outcome.counts.get("cluster_errors"):
                raise RuntimeError(f"store failures: {dict(outcome.counts)}")
    took = time.perf_counter() - started
    writer.engine.dispose()  # type: ignore[union-attr]
    return took


def dump_db(url: str) -> dict[str, Any]:
    """Every stored fact that a store change must not alter (no timestamps)."""
    from sqlalchemy import text

    from aggregator.storage.db import make_engine

    queries = {
        "articles": "SELECT a.id, a.url, a.source, a.title, a.content_hash, a.revision_count,"
                    " a.cluster_id, a.is_cluster_origin, a.authors, a.tags FROM articles a"
                    " ORDER BY a.id",
        "aliases": "SELECT url, article_id FROM article_aliases ORDER BY url",
        "revisions": "SELECT article_id, revision, content_hash, title FROM article_revisions"
                     " ORDER BY article_id, revision",
        "signatures": "SELECT article_id, minhash, shingle_count, content_hash"
                      " FROM article_signatures ORDER BY article_id",
        "lsh": "SELECT bucket, band, article_id FROM lsh_buckets"
               " ORDER BY bucket, band, article_id",
        "authors": "SELECT aa.article_id, au.name FROM article_authors aa"
                   " JOIN authors au ON au.id = aa.author_id ORDER BY 1, 2",
    }
    engine = make_engine(url)
    out: dict[str, Any] = {}
    with engine.connect() as conn:
        for name, sql in queries.items():
            rows = [[_plain(v) for v in row] for row in conn.execute(text(sql))]
            digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
            out[name] = {"count": len(rows), "sha256": digest,
                         "rows": rows if name in ("articles", "aliases", "revisions") else None}
    engine.dispose()
    clusters: dict[Any, int] = {}
    for row in out["articles"]["rows"]:
        clusters[row[6]] = clusters.get(row[6], 0) + 1
    out["cluster_sizes"] = sorted(clusters.values(), reverse=True)[:20]
    out["clusters"] = len(clusters)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, (bytes, memoryview)):
        return hashlib.sha256(bytes(value)).hexdigest()[:16]
    if isinstance(value, str) and value.startswith("["):
        return json.loads(value)
    if isinstance(value, bool):
        return int(value)
    return value


def diff(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Readable differences between two dumps."""
    problems = []
    for name in ("articles", "aliases", "revisions", "signatures", "lsh", "authors"):
        if a[name]["count"] != b[name]["count"] or a[name]["sha256"] != b[name]["sha256"]:
            problems.append(f"{name}: {a[name]['count']} rows vs {b[name]['count']}, "
                            "contents differ")
            rows_a, rows_b = a[name].get("rows") or [], b[name].get("rows") or []
            for ra, rb in zip(rows_a, rows_b, strict=False):
                if ra != rb:
                    problems.append(f"  first difference: {ra} != {rb}")
                    break
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--n", type=int, default=10_000)
    d.add_argument("--db", default="sqlite", help="sqlite or postgres")
    c = sub.add_parser("diff")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    if args.cmd == "diff":
        problems = diff(json.loads(args.a.read_text()), json.loads(args.b.read_text()))
        print("\n".join(problems) or "identical: articles, aliases, revisions, signatures, "
              "LSH rows, authors and clusters")
        return 1 if problems else 0
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        if args.db == "postgres":
            from bench.pg_schema import drop_schema_of, fresh_schema_url

            url = fresh_schema_url("bench_compare")
        else:
            url = f"sqlite:///{Path(tmp) / 'compare.db'}"
        took = store_all(url, args.n, Path(tmp))
        result = dump_db(url)
        if args.db == "postgres":
            drop_schema_of(url)
    result["store_seconds"] = round(took, 1)
    args.out.write_text(json.dumps(result) + "\n", encoding="utf-8")
    print(f"stored in {took:.1f} s: {result['articles']['count']} articles, "
          f"{result['aliases']['count']} aliases, {result['revisions']['count']} revisions, "
          f"{result['clusters']} clusters; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
