"""A crawl of the loopback mirror with `--archive`, plus a relative-date article."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from aggregator.config import normalize_url
from aggregator.mirror import MirrorServer
from tests.mockserver import SITE_DIR, make_mirror

RELATIVE_PAGE = Path(__file__).with_name("relative_page.html")
RELATIVE_PATH = "/relatif/gempa-garut"
FAST = ["-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0"]
#: Columns compared after re-extraction (the article as readers see it).
COLUMNS = ("url", "source", "title", "body", "description", "published_at", "modified_at",
           "published_raw", "published_source", "modified_raw", "modified_source", "authors",
           "editors", "tags", "section", "image_url", "page_count", "language", "timezone",
           "fetched_at", "content_hash", "extractor")  # fmt: skip


def site_with_relative_article(root: Path) -> Path:
    """The mirror site plus one article dated only "2 jam yang lalu"."""
    site = root / "site"
    shutil.copytree(SITE_DIR, site)
    target = site / RELATIVE_PATH.lstrip("/")
    target.parent.mkdir(parents=True)
    shutil.copy(RELATIVE_PAGE, target)
    return site


def start_mirror(root: Path) -> MirrorServer:
    """A started mirror of the site with the relative-date article."""
    return make_mirror(site_with_relative_article(root)).start()


def crawl(mirror: MirrorServer, db_url: str, archive: Path, *extra: str) -> str:
    """`aggregator crawl --archive` over the mirror's feed, sitemap and the extra article."""
    cmd = [sys.executable, "-m", "aggregator.cli.main", "crawl",
           "--feed", mirror.url("/feed.xml"), "--sitemap", mirror.url("/sitemap.xml"),
           "--url", mirror.url(RELATIVE_PATH), "--db", db_url, "--archive", str(archive),
           "--stats-file", str(archive.parent / f"{archive.name}-stats.json"),
           *FAST, *extra]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False,
                          cwd=archive.parent)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def copy_sqlite(source: Path, target: Path) -> str:
    """A consistent copy of a SQLite database (WAL included); returns its URL."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


def articles(db_url: str) -> dict[str, dict[str, Any]]:
    """Every article's compared columns, by URL."""
    engine = create_engine(normalize_url(db_url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(f"SELECT id, cluster_id, revision_count, updated_at, "
                                     f"last_seen_at, {', '.join(COLUMNS)} FROM articles"))
            return {r.url: dict(r._mapping) for r in rows}
    finally:
        engine.dispose()


def scalar(db_url: str, sql: str) -> Any:
    """One value."""
    engine = create_engine(normalize_url(db_url))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def execute(db_url: str, sql: str) -> None:
    """Run one statement and commit (foreign keys on for SQLite, as the app runs)."""
    engine = create_engine(normalize_url(db_url))
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys = ON")
            conn.execute(text(sql))
    finally:
        engine.dispose()


def clusters(rows: dict[str, dict[str, Any]]) -> set[frozenset[str]]:
    """Cluster membership as sets of URLs (ids differ after re-insertion; groups must not)."""
    groups: dict[Any, set[str]] = {}
    for url, row in rows.items():
        groups.setdefault(row["cluster_id"], set()).add(url)
    return {frozenset(g) for g in groups.values()}
