"""Shared helpers: run `aggregator` in a subprocess, read back its SQLite database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from aggregator.mirror import MirrorServer, Reply
from tests.mockserver import make_mirror

ROOT: Final = Path(__file__).resolve().parents[2]
HOSTILE: Final = ROOT / "tests" / "fixtures" / "hostile"
#: No start delay against loopback; everything else is the shipped settings.
FAST: Final = ("-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0")
#: What must never reach stored text: the replacement character and UTF-8-as-cp1252 debris.
MOJIBAKE: Final = ("\ufffd", "Ã©", "Ã¨", "â€™", "â€œ", "â€“", "Â ")


@dataclass(slots=True)
class Crawl:
    """The outcome of one `aggregator crawl` subprocess."""

    rc: int
    output: str
    stats: dict[str, Any]
    db: Path
    peak_rss_kib: int

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of `table` as a dict (empty when the table does not exist)."""
        return table_rows(self.db, table)

    def failed(self) -> dict[str, str]:
        """failed_fetches as url -> reason."""
        return {r["url"]: r["reason"] for r in self.rows("failed_fetches")}

    def stat(self, key: str) -> int:
        """An integer stat, 0 when absent."""
        return int(self.stats.get(key, 0))

    def stat_sum(self, prefix: str) -> int:
        """Sum of every integer stat whose key starts with `prefix`."""
        return sum(int(v) for k, v in self.stats.items()
                   if k.startswith(prefix) and isinstance(v, int))  # fmt: skip


def env() -> dict[str, str]:
    """The environment for subprocesses: the repo importable, no proxies."""
    clean = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    clean["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), clean.get("PYTHONPATH")]))
    return clean


def crawl(
    workdir: Path, *args: str, timeout: float = 150, extra_env: dict[str, str] | None = None,
    db: Path | None = None,
) -> Crawl:  # fmt: skip
    """`aggregator crawl ARGS` into `db` (default `workdir/crawl.db`), with stats and peak RSS."""
    workdir.mkdir(parents=True, exist_ok=True)
    db = db or workdir / "crawl.db"
    stats_file, rss = workdir / "stats.json", workdir / "rss.txt"
    cmd = [sys.executable, "-m", "tests.reliability.rss_main", str(rss), "crawl", *args,
           *FAST, "--db", f"sqlite:///{db}", "--stats-file", str(stats_file)]  # fmt: skip
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=timeout,
                          check=False, env={**env(), **(extra_env or {})})  # fmt: skip
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    peak = int(rss.read_text()) if rss.exists() else 0
    return Crawl(proc.returncode, proc.stdout + proc.stderr, stats, db, peak)


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `aggregator ARGS` the way a user does."""
    return subprocess.run([sys.executable, "-m", "aggregator.cli.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env=env())  # fmt: skip


def assert_one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """Nonzero exit, no traceback, stderr is exactly one `error: ...` line; returns it."""
    assert proc.returncode != 0, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


def table_rows(db: Path, table: str) -> list[dict[str, Any]]:
    """Rows of `table` in a SQLite file."""
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in names:
            return []
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]


def db_text(db: Path) -> str:
    """Every text value of every table, joined: what any stored field could leak."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        parts = []
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                parts += [v if isinstance(v, str) else v.decode("latin-1")
                          for v in row if isinstance(v, (str, bytes))]  # fmt: skip
    return "\n".join(parts)


def hostile_mirror() -> MirrorServer:
    """The fixtures folder on loopback, with the mock server's fault routes."""
    return make_mirror(HOSTILE)


def fixture_route(
    path: str, content_type: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None
) -> Any:
    """A route answering the fixture file `path` as stored, with these headers."""
    data = (HOSTILE / path).read_bytes()
    return lambda request: Reply(200, data, dict(headers or {}), content_type)


def article_route(title: str, n: int) -> Any:
    """A route answering a small, distinct UTF-8 article page (`n` varies the body)."""
    from tests.fixtures.hostile.make_hostile import article_html

    data = article_html(title, n, meta_charset="utf-8").encode()
    return lambda request: Reply(200, data)
