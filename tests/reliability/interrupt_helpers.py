"""A crawl run as a real subprocess that a test can signal, and the ledger that checks it.

The site: one RSS feed listing N distinct articles; every `slow_every`-th article answers
only after `slow_seconds` (so a signal finds downloads on the wire).  `discovered` is
the feed's URL list: the accounting check is that every one of them ends stored,
dead-lettered, failed (with a reason) or counted as dropped/duplicate.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aggregator.mirror import MirrorRequest, MirrorServer, Reply
from aggregator.storage.replay import iter_article_urls
from tests.fixtures.hostile.make_hostile import article_html
from tests.mockserver import make_mirror
from tests.reliability.helpers import FAST, env, table_rows

STARTUP_TIMEOUT = 120.0  # seconds for the crawl to fetch its first articles (busy CI)


@dataclass(slots=True)
class Site:
    """The feed server and the article URLs it lists."""

    server: MirrorServer
    feed: str
    articles: list[str]

    def served(self) -> int:
        """Article pages answered so far."""
        base = self.server.base_url
        return sum(self.server.hits(url.removeprefix(base)) for url in self.articles)


@contextmanager
def feed_site(n: int = 30, *, slow_every: int = 0, slow_seconds: float = 6.0,
              hook: Callable[[int], None] | None = None,
              padding: int = 0) -> Iterator[Site]:  # fmt: skip
    """Serve a feed of `n` articles; `hook(i)` runs before article i is answered.

    `padding` adds that many distinct paragraphs to each body (big rows fill pages).
    """
    with make_mirror() as server:
        urls = []
        for i in range(n):
            path = f"/news/{i}.html"
            html = article_html(f"Berita nomor {i} dari Jakarta", i, meta_charset="utf-8")
            extra = "".join(f"<p>Paragraf tambahan {i}-{k}: warga Bandung menunggu hasil "
                            f"rapat ke-{k * 7 + i} di balai kota hingga malam.</p>"
                            for k in range(padding))  # fmt: skip
            data = html.replace("</article>", extra + "</article>", 1).encode()
            slow = slow_seconds if slow_every and i % slow_every == slow_every - 1 else 0.0
            server.add_route(path, _article(data, slow, i, hook))
            urls.append(server.url(path))
        entries = "".join(f"<item><title>Berita {i}</title><link>{u}</link></item>"
                          for i, u in enumerate(urls))  # fmt: skip
        feed = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                f"<title>Berita</title>{entries}</channel></rss>").encode()  # fmt: skip
        server.add_route("/feed.xml", lambda r: Reply(200, feed, {}, "application/rss+xml"))
        yield Site(server, server.url("/feed.xml"), urls)


def _article(data: bytes, slow: float, i: int, hook: Callable[[int], None] | None) -> Any:
    def answer(request: MirrorRequest) -> Reply:
        if hook is not None:
            hook(i)
        if slow:
            time.sleep(slow)
        return Reply(200, data)

    return answer


@dataclass(slots=True)
class Run:
    """A finished crawl subprocess."""

    rc: int
    stdout: str
    stderr: str
    db: Path
    stats: dict[str, Any]
    signal_to_exit: float | None  # seconds from the last signal sent to the exit
    dead_letter: Path

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of `table`."""
        return table_rows(self.db, table)

    def crawl_runs(self) -> list[dict[str, Any]]:
        """The crawl_runs rows."""
        return self.rows("crawl_runs")


def start_crawl(
    folder: Path, site: Site, *args: str, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], Path]:
    """Start `aggregator crawl --feed` into `folder/crawl.db`; returns (process, db)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "crawl.db"
    cmd = [sys.executable, "-m", "aggregator.cli.main", "crawl", "--feed", site.feed,
           "--db", f"sqlite:///{db}", "--stats-file", str(folder / "stats.json"), *FAST,
           "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
           *args]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**env(), **(extra_env or {})})  # fmt: skip
    return proc, db


def wait_for(condition: Callable[[], bool], timeout: float = STARTUP_TIMEOUT) -> None:
    """Poll `condition` every 50 ms until true (AssertionError after `timeout`)."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "condition not reached in time"
        time.sleep(0.05)


def finish(proc: subprocess.Popen[str], db: Path, *, signals: tuple[int, ...] = (),
           gap: float = 0.5, timeout: float = 120) -> Run:  # fmt: skip
    """Send `signals` (`gap` s apart), wait for the exit, collect what the run left."""
    sent_at = None
    for i, signum in enumerate(signals):
        if i:
            time.sleep(gap)
        proc.send_signal(signum)
        sent_at = time.monotonic()
    out, err = proc.communicate(timeout=timeout)
    took = None if sent_at is None else time.monotonic() - sent_at
    stats_file = db.parent / "stats.json"
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return Run(proc.returncode, out, err, db, stats, took, db.parent / "crawl.dead-letter.jsonl")


@dataclass(slots=True)
class Ledger:
    """Where each discovered URL ended."""

    stored: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)  # url -> reason
    dead_lettered: set[str] = field(default_factory=set)
    failed_items: set[str] = field(default_factory=set)

    def missing(self, discovered: list[str]) -> list[str]:
        """Discovered URLs that are nowhere: must be empty."""
        seen = self.stored | set(self.failed) | self.dead_lettered | self.failed_items
        return [u for u in discovered if u not in seen]


def ledger(db: Path, dead_letter: Path) -> Ledger:
    """Read the database and the dead-letter file."""
    out = Ledger()
    with sqlite3.connect(db) as conn:
        out.stored = {r[0] for r in conn.execute("SELECT url FROM articles")}
        out.stored |= {r[0] for r in conn.execute("SELECT url FROM article_aliases")}
        out.failed = dict(conn.execute("SELECT url, reason FROM failed_fetches").fetchall())
        out.failed_items = {r[0] for r in conn.execute("SELECT url FROM failed_items")}
    if dead_letter.exists():
        out.dead_lettered = set(iter_article_urls(dead_letter))
    return out


def stats_balance(stats: dict[str, Any], starts: int = 0) -> tuple[int, int]:
    """(URLs discovered, URLs accounted for) from a crawl's stats alone.

    accounted = stored + refused by the store (failed_items or dead letter)
              + failed fetches of articles (every reason, `interrupted` included)
              + drops counted with a reason + duplicates counted
    """

    def total(prefix: str) -> int:
        return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))

    discovered = int(stats.get("discovery/links", 0)) + starts
    accounted = (int(stats.get("store/stored", 0)) + int(stats.get("store/failed", 0))
                 + total("spider/failed/article/") + total("validate/dropped/")
                 + total("spider/not_article/") + total("dedup/duplicate/"))  # fmt: skip
    return discovered, accounted


SIGINT, SIGTERM = signal.SIGINT, signal.SIGTERM
