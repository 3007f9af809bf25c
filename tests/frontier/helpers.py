"""Shared pieces of the frontier end-to-end tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from aggregator.crawler import CrawlOptions
from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.models import Article

#: Loopback crawl settings: no adaptive slow-down, the politeness under test is ours.
FAST: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "RANDOMIZE_DOWNLOAD_DELAY": False,
    "CONCURRENT_REQUESTS": 4,  # each worker's own cap
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,  # each worker alone may hit a host this hard
    "AGGREGATOR_FRONTIER_HOST_CONCURRENCY": 2,  # ... and so may all workers together
    "AGGREGATOR_FRONTIER_IDLE_SECONDS": 1.0,
    "AGGREGATOR_FRONTIER_HEARTBEAT": 0.5,
    "AGGREGATOR_FRONTIER_DEAD_AFTER": 5.0,
    "DOWNLOAD_TIMEOUT": 10,
}


def options(sitemaps: list[str], db_url: str, tmp: Any, **extra: Any) -> CrawlOptions:
    """Crawl options for the slow site into `db_url`."""
    settings = {**FAST, "AGGREGATOR_STORE_DEAD_LETTER": str(tmp / "dead.jsonl"), **extra}
    return CrawlOptions(sitemaps=sitemaps, db_url=db_url, log_level="WARNING",
                        settings=settings)  # fmt: skip


def stored(db_url: str) -> tuple[int, set[str]]:
    """(article rows, distinct article URLs) in the database."""
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            rows = session.scalar(select(func.count()).select_from(Article)) or 0
            urls = set(session.scalars(select(Article.url)))
            return int(rows), urls
    finally:
        engine.dispose()


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `check` (bounded); AssertionError naming `what` on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
