"""Where the store's time goes, stage by stage, per article, as the archive grows.

    python bench/store_stages.py [--db sqlite|postgres|URL] [--stored 10000] [--batch 100]
                                 [--window 1000] [--archive PATH_OR_URL]

Stores `--stored` generated articles through `BatchWriter.write_batch` (the store
pipeline's writer: upsert, full-text index, signatures, LSH, clusters), in batches of
`--batch`, and times every stage of the last `--window` articles by wrapping the
module-level functions the writer calls.  With `--archive` (a database made by
`bench/gen_archive.py`) the window is written into that database instead.  Then it
times the incremental middleware's per-request lookup (`IncrementalStore.stored_article`)
for stored and unknown URLs.  Prints a table (ms per article) and, with `--out`, writes
it as JSON.  Timings are wall time on a shared machine: compare rows of one run.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # `aggregator` itself comes from the environment

from bench.synthetic_items import make_items  # noqa: E402

#: (module, function, stage label): the stages the writer's batch goes through.
STAGES: list[tuple[str, str, str]] = [
    ("aggregator.storage.repository", "_resolve", "upsert: resolve (url/alias/hash lookups)"),
    ("aggregator.storage.repository", "_insert_new", "upsert: insert new (+ full-text index)"),
    ("aggregator.storage.repository", "_apply_updates", "upsert: updates + revisions"),
    ("aggregator.storage.repository", "_record_aliases", "upsert: aliases"),
    ("aggregator.storage.links", "replace_links", "upsert: authors/tags links"),
    ("aggregator.storage.repository", "upsert_articles", "upsert: total"),
    ("aggregator.dedup.clusters", "_load_batch", "cluster: load bodies"),
    ("aggregator.dedup.clusters", "minhash_signature", "cluster: MinHash signatures"),
    ("aggregator.dedup.clusters", "band_keys", "cluster: LSH band keys"),
    ("aggregator.dedup.clusters", "_store_signatures", "cluster: signature + LSH inserts"),
    ("aggregator.dedup.clusters", "_verified_matches", "cluster: LSH lookups + verify"),
    ("aggregator.dedup.clusters", "_bucket_rows", "cluster:   LSH bucket rows"),
    ("aggregator.dedup.clusters", "candidate_pairs", "cluster:   rows -> candidate pairs"),
    ("aggregator.dedup.clusters", "verify_pairs", "cluster:   verify candidates"),
    ("aggregator.dedup.clusters", "_load_signatures", "cluster:   load candidate signatures"),
    ("aggregator.dedup.clusters", "_components", "cluster: merge (load members)"),
    ("aggregator.dedup.clusters", "_relabel", "cluster: relabel"),
    ("aggregator.dedup.clusters", "assign_clusters", "cluster: total"),
]


class StageTimer:
    """Accumulates wall time per stage label while `active`."""

    def __init__(self) -> None:
        self.totals: Counter[str] = Counter()  # wall seconds
        self.cpu: Counter[str] = Counter()  # this thread's CPU seconds (steadier when shared)
        self.active = False
        self._undo: list[tuple[Any, str, Any]] = []

    def install(self) -> None:
        """Wrap every function of `STAGES` (module attribute and every importer's copy)."""
        import importlib

        for mod_name, fn_name, label in STAGES:
            module = importlib.import_module(mod_name)
            original = getattr(module, fn_name, None)
            if original is None:  # an older or newer version of the code: not a stage there
                continue
            wrapped = self._wrap(original, label)
            for holder in _holders(original):
                self._undo.append((holder, fn_name, original))
                setattr(holder, fn_name, wrapped)

    def _wrap(self, fn: Callable[..., Any], label: str) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if not self.active:
                return fn(*args, **kwargs)
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.totals[label] += time.perf_counter() - started
                self.cpu[label] += time.thread_time() - cpu
        return timed

    @contextmanager
    def measuring(self, label: str) -> Iterator[None]:
        """Time a block under `label` and switch the wrappers on."""
        self.active = True
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.totals[label] += time.perf_counter() - started
            self.cpu[label] += time.thread_time() - cpu
            self.active = False


def _holders(fn: Any) -> list[Any]:
    """Modules of the aggregator that hold `fn` as a global (imported by name)."""
    return [m for name, m in list(sys.modules.items())
            if name.startswith("aggregator") and m is not None
            and getattr(m, fn.__name__, None) is fn]  # fmt: skip


def db_url(choice: str, tmp: Path) -> str:
    """A database URL: a temp SQLite file, a fresh PostgreSQL schema, or the given URL."""
    if choice == "sqlite":
        return f"sqlite:///{tmp / 'stages.db'}"
    if choice == "postgres":
        from bench.pg_schema import fresh_schema_url

        return fresh_schema_url("bench_stages")
    return choice


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Fill the database, time the window, time the incremental lookups."""
    from aggregator.storage.writer import BatchWriter

    with tempfile.TemporaryDirectory(prefix="bench-stages-") as tmp:
        url = args.archive or db_url(args.db, Path(tmp))
        writer = BatchWriter(url, dead_letter=Path(tmp) / "dead.jsonl")
        writer.open()
        timer = StageTimer()
        timer.install()
        offset = _article_offset(writer)
        total = args.window if args.archive else args.stored
        items = make_items(total, start=offset, seed=args.seed)
        fill = items[: total - args.window]
        window = items[total - args.window:]
        started = time.perf_counter()
        for start in range(0, len(fill), args.batch):
            writer.write_batch(fill[start : start + args.batch])
            if (start // args.batch) % 20 == 0:
                print(f"  filled {start + args.batch}/{len(fill)}"
                      f" ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        for start in range(0, len(window), args.batch):
            with timer.measuring("write_batch (whole transaction)"):
                writer.write_batch(window[start : start + args.batch])
        lookups = _time_lookups(url, window)
        stored = _article_count(writer)
        writer.engine.dispose()  # type: ignore[union-attr]
        if args.db == "postgres" and not args.archive:
            from bench.pg_schema import drop_schema_of

            drop_schema_of(url)
    per_article = {k: round(1000 * v / len(window), 3) for k, v in timer.totals.items()}
    cpu_per_article = {k: round(1000 * v / len(window), 3) for k, v in timer.cpu.items()}
    return {"db": args.archive or args.db, "stored_before_window": stored - len(window),
            "window": len(window), "batch": args.batch, "ms_per_article": per_article,
            "cpu_ms_per_article": cpu_per_article,
            "incremental_lookup_ms": lookups}


def _article_offset(writer: Any) -> int:
    """Numbering of generated articles continues after what is stored (archives)."""
    return _article_count(writer) + 10_000_000


def _article_count(writer: Any) -> int:
    from sqlalchemy import func, select

    from aggregator.storage.models import Article

    with writer.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Article)).scalar_one())


def _time_lookups(url: str, window: list[Any], n: int = 300) -> dict[str, float]:
    """Median ms of one `stored_article` lookup, for stored and for unknown URLs."""
    from aggregator.incremental.state import IncrementalStore
    from aggregator.storage.db import make_engine

    store = IncrementalStore(make_engine(url))
    rng = random.Random(1)
    known = [i.url for i in rng.sample(window, min(n, len(window)))]
    unknown = [u.replace("/read/", "/baru/") for u in known]
    out: dict[str, float] = {}
    for label, urls in (("stored", known), ("unknown", unknown)):
        times = []
        for u in urls:
            started = time.perf_counter()
            store.stored_article(u)
            times.append(1000 * (time.perf_counter() - started))
        out[label] = round(sorted(times)[len(times) // 2], 3)
    store.engine.dispose()
    return out


def print_table(result: dict[str, Any]) -> None:
    """Stage, ms per article."""
    print(f"# {result['db']}: {result['stored_before_window']} stored before a window of "
          f"{result['window']} articles (batches of {result['batch']})")
    print(f"{'stage':<45} {'wall':>8} {'cpu':>8}  (ms per article)")
    for label, ms in sorted(result["ms_per_article"].items(), key=lambda kv: kv[0]):
        print(f"{label:<45} {ms:8.3f} {result['cpu_ms_per_article'][label]:8.3f}")
    print(f"incremental lookup, median ms: {result['incremental_lookup_ms']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite", help="sqlite, postgres or a database URL")
    parser.add_argument("--stored", type=int, default=10_000)
    parser.add_argument("--window", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--archive", help="a pre-generated database to write the window into")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    args.window = min(args.window, args.stored)
    result = run(args)
    print_table(result)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())


