"""Storage benchmark: batched insert throughput and search latency on SQLite and PostgreSQL.

For each backend: insert 10,000 generated articles (batches of --batch through the real
`upsert_articles`, full-text index maintained), run `aggregator db optimize`'s
maintenance (timed apart), run the query mix, grow to 100,000, run it again; then
time a streaming JSONL export in a subprocess and read its peak RSS.
Text is Indonesian-looking: real common words plus a Zipf-distributed long tail.

    python bench/bench_storage.py [--sizes 10000,100000] [--backends sqlite,postgres] [--repeat 3]

Prints a table and writes bench/results/storage.json.  PostgreSQL is skipped (and said
so) when 127.0.0.1:5432 is unreachable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg

from aggregator.dedup import content_hash
from aggregator.items import ArticleItem
from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.maintenance import optimize
from aggregator.storage.migrate import upgrade
from aggregator.storage.repository import upsert_articles
from aggregator.storage.search import SearchFilters, search_articles

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "storage.json"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
COMMON = (  # noqa: SIM905 - a word list reads better as text
    "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena tersebut "
    "bisa ada mereka lebih sudah kata saat oleh para telah menjadi atau seperti hingga "
    "pemerintah presiden menteri warga polisi banjir hujan kota provinsi ekonomi harga pasar "
    "beras minyak listrik sekolah guru siswa rumah sakit dokter jalan kereta bandara nelayan "
    "petani desa gubernur bupati dewan partai pemilu hukum hakim korupsi rupiah saham pabrik "
    "buruh gaji sepak bola pelatih gempa gunung longsor bantuan relawan jakarta surabaya "
    "bandung medan makassar bali papua kalimantan sumatera jawa indonesia nasional daerah"
).split()
LONG_WORDS = [w for w in COMMON if len(w) >= 6]
SYLLABLES = [c + v for c in "bcdgjklmnprstw" for v in "aiueo"] + ["ng", "ny", "an", "in", "ah"]
SOURCES = [f"portal{i}" for i in range(20)]
T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
#: The kind of query i of the mix is QUERY_KINDS[i % 10].
QUERY_KINDS = ["word"] * 4 + ["two words"] * 3 + ["phrase", "prefix", "word + source"]


class Corpus:
    """A vocabulary with Zipf frequencies and a deterministic article generator."""

    def __init__(self, seed: int = 7, tail: int = 20000) -> None:
        rng = random.Random(seed)
        tail_words = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(tail)}
        self.vocab = COMMON + sorted(tail_words - set(COMMON))
        rng.shuffle(self.vocab[len(COMMON) :])
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.vocab))]
        self.cum_weights = list(itertools.accumulate(weights))
        self.rng = rng

    def words(self, k: int) -> list[str]:
        """k words drawn by frequency."""
        return self.rng.choices(self.vocab, cum_weights=self.cum_weights, k=k)

    def article(self, n: int) -> ArticleItem:
        """Article number n: a title of 8 words and a body of ~300 words in 5 paragraphs."""
        paras = [" ".join(self.words(60)).capitalize() + "." for _ in range(5)]
        return ArticleItem(
            url=f"https://{SOURCES[n % 20]}.example.id/berita/{n}", source=SOURCES[n % 20],
            fetched_at=T0 + dt.timedelta(minutes=n), title=" ".join(self.words(8)).title(),
            body="\n\n".join(paras), published_at=T0 + dt.timedelta(minutes=n),
            authors=[f"Penulis {n % 300}"], tags=self.words(2), language="id",
        )  # fmt: skip

    def queries(self, count: int) -> list[tuple[str, SearchFilters]]:
        """The query mix (see docs/benchmarks.md): words, pairs, phrases, prefixes, filtered.

        Query i is of kind `QUERY_KINDS[i % 10]`."""
        out: list[tuple[str, SearchFilters]] = []
        mid = self.vocab[60:3000]
        for i in range(count):
            kind = i % 10
            if kind < 4:
                out.append((self.rng.choice(mid), SearchFilters()))
            elif kind < 7:
                out.append((" ".join(self.rng.sample(self.vocab[20:1000], 2)), SearchFilters()))
            elif kind == 7:
                out.append((f'"{" ".join(self.words(2))}"', SearchFilters()))
            elif kind == 8:  # a prefix of a real word: the synthetic tail has no morphology
                out.append((self.rng.choice(LONG_WORDS)[:5] + "*", SearchFilters()))
            else:
                word = self.rng.choice(COMMON[40:])
                out.append((word, SearchFilters(source=self.rng.choice(SOURCES))))
        return out


def insert(url: str, corpus: Corpus, start: int, stop: int, batch: int) -> float:
    """Insert articles start..stop-1; returns articles per second."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    elapsed = 0.0
    for lo in range(start, stop, batch):
        items = [corpus.article(n) for n in range(lo, min(stop, lo + batch))]
        for one in items:  # the dedup stage sets it before the store in a crawl
            one.content_hash = content_hash(one.body or "")
        began = time.perf_counter()  # generation is not part of the measure
        with sessions.begin() as session:
            upsert_articles(session, items)
        elapsed += time.perf_counter() - began
    engine.dispose()
    return (stop - start) / elapsed


def search_latency(url: str, corpus: Corpus, count: int) -> dict[str, float]:
    """p50/p95/max in ms over the query mix, after a warm-up."""
    engine = make_engine(url)
    queries = corpus.queries(count + 20)
    timings: list[float] = []
    by_kind: dict[str, list[float]] = {}
    hits = 0
    with session_factory(engine, readonly=True)() as session:
        for i, (text, filters) in enumerate(queries):
            began = time.perf_counter()
            found = search_articles(session, text, filters, limit=20)
            if i >= 20:
                timings.append((time.perf_counter() - began) * 1000)
                by_kind.setdefault(QUERY_KINDS[i % 10], []).append(timings[-1])
                hits += len(found)
            session.rollback()
    engine.dispose()
    kinds = {kind: _percentiles(values) for kind, values in by_kind.items()}
    return {**_percentiles(timings), "queries": len(timings),
            "mean_hits": round(hits / len(timings), 1), "by_kind": kinds}  # fmt: skip


def _percentiles(timings: list[float]) -> dict[str, float]:
    """p50, p95 (nearest rank) and max, in ms."""
    ordered = sorted(timings)
    p95 = ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2),
            "max_ms": round(ordered[-1], 2)}  # fmt: skip


# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across execve (it would be the bench's own).
_CHILD = (
    "import re, sys\n"
    "from aggregator.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read()\n"
    "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
    "sys.exit(code)\n"
)


def cli_peak(*args: str) -> tuple[float, float]:
    """Run an `aggregator` command in a fresh process: (seconds, its own peak RSS in MiB)."""
    began = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, *args], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return time.perf_counter() - began, int(proc.stdout.split()[-1]) / 1024


def export_run(url: str, out: Path) -> dict[str, float]:
    """Time a JSONL export; its peak RSS next to a trivial command's (the import baseline)."""
    _, baseline = cli_peak("db", "current", "--db", url)
    seconds, peak = cli_peak("export", "--db", url, "--out", str(out))
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1),
            "baseline_rss_mb": round(baseline, 1), "bytes": out.stat().st_size}  # fmt: skip


def backend_urls(backends: list[str], tmp: Path) -> Iterator[tuple[str, str | None]]:
    """(name, url) per backend; url None when PostgreSQL is unreachable."""
    for name in backends:
        if name == "sqlite":
            yield name, f"sqlite:///{tmp / 'bench.db'}"
            continue
        try:
            with psycopg.connect(PG_ADMIN, connect_timeout=3, autocommit=True) as conn:
                schema = "bench_" + uuid.uuid4().hex[:8]
                conn.execute(f'CREATE SCHEMA "{schema}"')
        except psycopg.Error:
            yield name, None
            continue
        try:
            yield name, f"{PG_ADMIN}?options=-csearch_path%3D{schema}"
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def run_backend(url: str, sizes: list[int], batch: int, queries: int, tmp: Path, *,
                fresh: bool = False) -> dict[str, Any]:  # fmt: skip
    """Insert up to each size; at each, measure search and a full export.

    `fresh`: empty the database first (a repeated run)."""
    corpus = Corpus()
    if fresh:
        empty_database(url)
    upgrade(make_engine(url))
    out: dict[str, Any] = {"sizes": {}}
    done = 0
    for size in sizes:
        rate = insert(url, corpus, done, size, batch)
        # The post-load maintenance an operator (or autovacuum, later) runs; timed apart.
        began = time.perf_counter()
        optimize(make_engine(url))
        row = {"insert_per_s": round(rate), "inserted": size - done,
               "optimize_s": round(time.perf_counter() - began, 1),
               "search": search_latency(url, corpus, queries),
               "export_jsonl": export_run(url, tmp / "export.jsonl")}  # fmt: skip
        out["sizes"][str(size)] = row
        done = size
        found = row["search"]
        print(f"  {size:>7} articles: {rate:,.0f}/s insert, search p50 {found['p50_ms']} ms,"
              f" p95 {found['p95_ms']} ms", flush=True)  # fmt: skip
    return out


def empty_database(url: str) -> None:
    """Drop everything in the bench database: the SQLite file, or the PostgreSQL schema's
    contents (the URL's search_path names the schema)."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{engine.url.database}{suffix}").unlink(missing_ok=True)
        return
    with engine.begin() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per size, the run with the median insert rate, plus every run's rate and search p95
    (on a shared 2-core machine one run can be 10% off the next)."""
    out: dict[str, Any] = {"sizes": {}}
    for size in runs[0]["sizes"]:
        rows = sorted((run["sizes"][size] for run in runs), key=lambda r: r["insert_per_s"])
        chosen = dict(rows[len(rows) // 2])
        chosen["insert_per_s_runs"] = [r["insert_per_s"] for r in rows]
        chosen["search_p95_ms_runs"] = sorted(r["search"]["p95_ms"] for r in rows)
        out["sizes"][size] = chosen
    return out


def main() -> None:
    """Parse options, run, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per backend, each from an empty database; the median is kept")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    report: dict[str, Any] = {"machine": platform.platform(), "python": platform.python_version(),
                              "batch": args.batch, "repeat": args.repeat,
                              "when": dt.datetime.now(dt.UTC).isoformat(),
                              "backends": {}}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in backend_urls(args.backends.split(","), Path(tmp)):
            print(f"{name}:", flush=True)
            if url is None:
                print("  skipped: PostgreSQL unreachable")
                report["backends"][name] = {"skipped": "unreachable"}
                continue
            runs = [run_backend(url, sizes, args.batch, args.queries, Path(tmp), fresh=i > 0)
                    for i in range(args.repeat)]  # fmt: skip
            report["backends"][name] = median_run(runs)
    print_table(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def print_table(report: dict[str, Any]) -> None:
    """A plain-text summary."""
    print(f"\n{'backend':<10} {'articles':>9} {'insert/s':>9} {'p50 ms':>7} {'p95 ms':>7}")
    for name, data in report["backends"].items():
        for size, row in data.get("sizes", {}).items():
            s = row["search"]
            rate = row["insert_per_s"]
            runs = row.get("insert_per_s_runs", [rate])
            print(f"{name:<10} {size:>9} {rate:>9} {s['p50_ms']:>7} {s['p95_ms']:>7}"
                  + (f"   runs: insert/s {runs}, p95 {row['search_p95_ms_runs']}"
                     if len(runs) > 1 else ""))  # fmt: skip
        for size, row in data.get("sizes", {}).items():
            print(f"{name:<10} export of {size}: {row['export_jsonl']}")
            kinds = row["search"].get("by_kind", {})
            print(f"{name:<10} p95 ms by kind at {size}: "
                  + ", ".join(f"{k} {v['p95_ms']}" for k, v in kinds.items()))  # fmt: skip


if __name__ == "__main__":
    main()
