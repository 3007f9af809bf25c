"""Generate a large archive database in bulk (minutes), outside any crawl.

    python bench/gen_archive.py PATH.db [--articles 1000000] [--words 150]

A SQLite file at the schema's head with N articles, their full-text index, signatures
and LSH rows, as if N articles had been stored by earlier crawls:

- articles of five sources, one a minute, with bodies of `--words` words drawn from a
  30,000-word vocabulary (Zipf-like), so the full-text index has a realistic size;
- one 128-value signature and 64 LSH rows per article.  The signatures are random: the
  archive's stories are unrelated to each other and to the benchmark's crawl, so the
  archive adds depth to every index (64 million LSH rows at a million articles) but no
  candidate pairs.  (How many candidates real news shares is discussed in
  docs/store-performance.md.)

Speed comes from plain DB-API executemany in key order and from building the LSH
article-id index after the load (one sort instead of 64 million random inserts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))

SOURCES = ("kompas", "detik", "tempo", "antaranews", "cnnindonesia")
BANDS, NUM_PERM = 64, 128
CHUNK = 20_000
T0 = dt.datetime(2020, 1, 1)


def vocabulary(rng: np.random.Generator, size: int = 30_000) -> np.ndarray:
    """Pseudo-words of 3 to 10 letters."""
    letters = np.array(list("abcdeghijklmnoprstuwy"))
    lengths = rng.integers(3, 11, size)
    return np.array(["".join(rng.choice(letters, n)) for n in lengths])


def create_schema(path: Path) -> None:
    """A new file at head (through the project's own migrations and engine settings)."""
    from aggregator.storage.db import make_engine
    from aggregator.storage.migrate import ensure_schema

    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    engine.dispose()


def fill(path: Path, n: int, words: int, seed: int) -> None:
    """Articles (the FTS triggers index them), signatures, then LSH rows."""
    rng = np.random.default_rng(seed)
    vocab = vocabulary(rng)
    zipf = 1.0 / np.arange(1, len(vocab) + 1)
    zipf /= zipf.sum()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA cache_size = -1000000")  # 1 GB while loading
    con.execute("PRAGMA synchronous = OFF")
    con.execute("BEGIN")
    con.executemany("INSERT OR IGNORE INTO sources (name, first_seen_at) VALUES (?, ?)",
                    [(s, str(T0)) for s in SOURCES])  # fmt: skip
    con.execute("COMMIT")
    started = time.perf_counter()
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        con.execute("BEGIN")
        con.executemany(ARTICLE_SQL, article_rows(rng, vocab, zipf, start, stop, words))
        con.executemany("INSERT INTO article_signatures (article_id, minhash, shingle_count,"
                        " content_hash, computed_at) VALUES (?, ?, ?, ?, ?)",
                        signature_rows(rng, start, stop))  # fmt: skip
        con.execute("COMMIT")
        progress("articles", stop, n, started)
    con.execute("DROP INDEX IF EXISTS ix_lsh_buckets_article_id")
    lsh_rows(con, rng, n, started)
    print("indexing lsh_buckets.article_id ...", file=sys.stderr)
    con.execute("CREATE INDEX ix_lsh_buckets_article_id ON lsh_buckets (article_id)")
    con.execute("ANALYZE")
    con.close()


ARTICLE_SQL = (
    "INSERT INTO articles (id, url, source, published_at, authors, editors, credit_codes,"
    " tags, content_hash, is_cluster_origin, cluster_id, page_count, extractor, timezone,"
    " language, fetched_at, first_seen_at, last_seen_at, updated_at, revision_count, title,"
    " body) VALUES (?, ?, ?, ?, '[]', '[]', '[]', '[]', ?, 1, ?, 1, 'generic',"
    " 'Asia/Jakarta', 'id', ?, ?, ?, ?, 0, ?, ?)"
)


def article_rows(rng: np.random.Generator, vocab: np.ndarray, zipf: np.ndarray, start: int,
                 stop: int, words: int) -> list[tuple[object, ...]]:  # fmt: skip
    """Rows of articles start+1..stop (ids), each its own cluster."""
    drawn = rng.choice(len(vocab), size=(stop - start, words + 8), p=zipf)
    rows = []
    for k, i in enumerate(range(start + 1, stop + 1)):
        text = vocab[drawn[k]]
        when = str(T0 + dt.timedelta(minutes=i))
        title = " ".join(text[:8]).capitalize()
        rows.append((i, f"https://{SOURCES[i % 5]}.example/arsip/{i:09d}", SOURCES[i % 5],
                     when, f"{i:032x}", i, when, when, when, when, title,
                     " ".join(text[8:]) + "."))  # fmt: skip
    return rows


def signature_rows(rng: np.random.Generator, start: int,
                   stop: int) -> list[tuple[object, ...]]:  # fmt: skip
    """Random signatures (unrelated stories)."""
    values = rng.integers(0, 2**32, size=(stop - start, NUM_PERM), dtype=np.uint32)
    when = str(T0)
    return [(i, values[k].astype("<u4").tobytes(), 200, f"{i:032x}", when)
            for k, i in enumerate(range(start + 1, stop + 1))]  # fmt: skip


def lsh_rows(con: sqlite3.Connection, rng: np.random.Generator, n: int, started: float) -> None:
    """64 rows per article, inserted in primary-key order (appends, not random inserts)."""
    total = n * BANDS
    buckets = rng.integers(-(2**63), 2**63 - 1, size=total, dtype=np.int64)
    bands = np.tile(np.arange(BANDS, dtype=np.int64), n)
    ids = np.repeat(np.arange(1, n + 1, dtype=np.int64), BANDS)
    order = np.lexsort((ids, bands, buckets))
    step = 1_000_000
    for start in range(0, total, step):
        sel = order[start : start + step]
        rows = np.stack((buckets[sel], bands[sel], ids[sel]), axis=1).tolist()
        con.execute("BEGIN")
        con.executemany("INSERT INTO lsh_buckets (bucket, band, article_id) VALUES (?, ?, ?)",
                        rows)  # fmt: skip
        con.execute("COMMIT")
        progress("lsh rows", min(total, start + step), total, started)


def progress(what: str, done: int, total: int, started: float) -> None:
    """One line on stderr."""
    print(f"  {what}: {done:,}/{total:,} ({time.perf_counter() - started:.0f} s)",
          file=sys.stderr)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--words", type=int, default=150)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    if args.path.exists():
        print(f"error: {args.path} exists; choose a new file", file=sys.stderr)
        return 2
    started = time.perf_counter()
    create_schema(args.path)
    fill(args.path, args.articles, args.words, args.seed)
    size = args.path.stat().st_size / 2**30
    print(f"{args.articles:,} articles in {time.perf_counter() - started:.0f} s;"
          f" {args.path} is {size:.1f} GiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
