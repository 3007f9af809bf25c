"""Re-runs of the real crawl (`aggregator crawl` in a subprocess) against the loopback mirror.

Each test copies the mock site to a temp dir, serves it, crawls its feed twice into one
SQLite file and counts what the server saw and what the database gained.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aggregator.mirror import MirrorServer
from tests.mockserver import SITE_DIR, fault_routes

pytestmark = pytest.mark.slow

BANJIR = "/berita/d-7101234/banjir-rob-genangi-pesisir-utara-jakarta-ratusan-warga-mengungsi"
COPY = "/nasional/banjir-rob-pesisir-utara-jakarta"
DISCOVERY = {"/feed.xml", "/robots.txt"}
TABLES = ("articles", "article_aliases", "article_revisions", "article_signatures",
          "lsh_buckets", "failed_fetches")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[MirrorServer]:
    """A private, editable copy of the mock site, served on loopback."""
    root = tmp_path / "site"
    shutil.copytree(SITE_DIR, root)
    with MirrorServer(root, routes=fault_routes()) as server:
        yield server


def crawl(site: MirrorServer, tmp_path: Path) -> dict[str, Any]:
    """One `aggregator crawl --feed` run into tmp_path/crawl.db; returns its final stats."""
    stats_file = tmp_path / "stats.json"
    stats_file.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "aggregator.cli.main", "crawl", "--feed", site.url("/feed.xml"),
           "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0",
           "--db", f"sqlite:///{tmp_path / 'crawl.db'}", "--stats-file", str(stats_file)]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          check=False)
    # A re-run that stores nothing because everything is unchanged is a success, even
    # though a dead link of the mock site fails (404) on every run.
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert stats_file.exists(), proc.stdout + proc.stderr
    stats: dict[str, Any] = json.loads(stats_file.read_text("utf-8"))
    return stats


def counts(tmp_path: Path) -> dict[str, int]:
    """Row count of every table a re-run must leave alone, plus crawl_runs."""
    with sqlite3.connect(tmp_path / "crawl.db") as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in (*TABLES, "crawl_runs")}


def query(tmp_path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Rows of one query on the crawl database."""
    with sqlite3.connect(tmp_path / "crawl.db") as conn:
        return conn.execute(sql, args).fetchall()


def paths(site: MirrorServer) -> list[str]:
    """Paths the server was asked for since the last reset."""
    return [r.path for r in site.requests()]


def edit(site: MirrorServer, path: str, old: str, new: str) -> None:
    """Change a served file and move its mtime forward (new ETag and Last-Modified)."""
    file = site.root / path.lstrip("/")
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), "utf-8")
    stat = file.stat()
    os.utime(file, (stat.st_atime + 10, stat.st_mtime + 10))


def test_unchanged_site_rerun_fetches_no_articles(site: MirrorServer, tmp_path: Path) -> None:
    first = crawl(site, tmp_path)
    assert first["store/inserted"] == 4
    before = counts(tmp_path)
    site.reset_hits()
    second = crawl(site, tmp_path)
    assert set(paths(site)) <= DISCOVERY  # the feed answered 304: nothing else was asked
    assert second["incremental/not_modified"] == 1
    assert second.get("store/stored", 0) == 0
    after = counts(tmp_path)
    assert {t: after[t] for t in TABLES} == {t: before[t] for t in TABLES}
    assert after["crawl_runs"] == before["crawl_runs"] + 1


def test_changed_feed_skips_stored_articles(site: MirrorServer, tmp_path: Path) -> None:
    crawl(site, tmp_path)
    stored = {u for (u,) in query(tmp_path, "SELECT url FROM articles")}
    before = counts(tmp_path)
    edit(site, "/feed.xml", "</channel>", "<!-- diperbarui -->\n</channel>")
    site.reset_hits()
    second = crawl(site, tmp_path)
    asked = {site.url(p) for p in paths(site)}
    assert not asked & stored  # every stored article was skipped
    assert second["incremental/skipped_unchanged"] == len(stored) == 4
    assert {t: counts(tmp_path)[t] for t in TABLES} == {t: before[t] for t in TABLES}


def test_changed_article_is_updated_in_place_with_a_revision(
    site: MirrorServer, tmp_path: Path
) -> None:
    crawl(site, tmp_path)
    [(art_id, old_body)] = query(tmp_path, "SELECT id, body FROM articles WHERE url = ?",
                                 site.url(BANJIR))
    before = counts(tmp_path)
    edit(site, BANJIR, "sedikitnya 312 warga", "sedikitnya 415 warga")
    edit(site, "/feed.xml", "<pubDate>Thu, 14 Mar 2024 07:30:00 +0700</pubDate>",
         "<pubDate>Thu, 14 Mar 2024 11:00:00 +0700</pubDate>")
    site.reset_hits()
    second = crawl(site, tmp_path)
    assert paths(site).count(BANJIR) == 1
    assert second["incremental/skipped_unchanged"] == 3
    assert second["store/updated"] == 1
    [(same_id, body, revisions)] = query(
        tmp_path, "SELECT id, body, revision_count FROM articles WHERE url = ?", site.url(BANJIR))
    assert (same_id, revisions) == (art_id, 1)
    assert "415 warga" in body
    [(rev_body, number)] = query(
        tmp_path, "SELECT body, revision FROM article_revisions WHERE article_id = ?", art_id)
    assert (rev_body, number) == (old_body, 1)
    assert "312 warga" in rev_body
    assert counts(tmp_path)["articles"] == before["articles"]


def test_same_story_under_new_url_becomes_an_alias(site: MirrorServer, tmp_path: Path) -> None:
    crawl(site, tmp_path)
    before = counts(tmp_path)
    # the same page under another path of the same site, without a rel=canonical to follow
    original = (site.root / BANJIR.lstrip("/")).read_text("utf-8")
    copy = site.root / COPY.lstrip("/")
    copy.parent.mkdir(parents=True)
    copy.write_text(original.replace(BANJIR, COPY), "utf-8")
    edit(site, "/feed.xml", "<item>", f"<item>\n    <title>Banjir rob</title>\n"
         f"    <link>{{{{BASE_URL}}}}{COPY}</link>\n"
         f"    <pubDate>Thu, 14 Mar 2024 08:00:00 +0700</pubDate>\n  </item>\n  <item>")
    second = crawl(site, tmp_path)
    assert second["store/aliased"] == 1
    after = counts(tmp_path)
    assert after["articles"] == before["articles"]
    [(target,)] = query(tmp_path, "SELECT article_id FROM article_aliases WHERE url = ?",
                        site.url(COPY))
    [(banjir_id,)] = query(tmp_path, "SELECT id FROM articles WHERE url = ?", site.url(BANJIR))
    assert target == banjir_id
    # third run, feed changed again: the alias URL is known, so it is not fetched either
    edit(site, "/feed.xml", "</channel>", "<!-- lagi -->\n</channel>")
    site.reset_hits()
    third = crawl(site, tmp_path)
    assert COPY not in paths(site)
    assert third["incremental/skipped_unchanged"] == 5


def test_syndicated_copy_joins_the_original_cluster(site: MirrorServer, tmp_path: Path) -> None:
    syndicated = "/regional/banjir-rob-rendam-pesisir-jakarta"
    page = (site.root / BANJIR.lstrip("/")).read_text("utf-8").replace(BANJIR, syndicated)
    last = "<p>Hingga Kamis pagi, genangan"
    page = page[: page.index(last)] + page[page.index("</p>", page.index(last)) + 4 :]
    page = page.replace("07:30", "10:15").replace("<strong>Jakarta</strong> -",
                                                   "<strong>Surabaya</strong> (ANTARA) -")
    target = site.root / syndicated.lstrip("/")
    target.parent.mkdir(parents=True)
    target.write_text(page, "utf-8")
    edit(site, "/feed.xml", "<item>", f"<item>\n    <title>Banjir rob</title>\n"
         f"    <link>{{{{BASE_URL}}}}{syndicated}</link>\n"
         f"    <pubDate>Thu, 14 Mar 2024 10:15:00 +0700</pubDate>\n  </item>\n  <item>")
    crawl(site, tmp_path)
    rows = dict(query(tmp_path, "SELECT url, cluster_id || ':' || is_cluster_origin "
                                "FROM articles"))
    [(origin_id,)] = query(tmp_path, "SELECT id FROM articles WHERE url = ?", site.url(BANJIR))
    assert rows[site.url(BANJIR)] == f"{origin_id}:1"
    assert rows[site.url(syndicated)] == f"{origin_id}:0"
    clusters = [cid for (cid,) in query(tmp_path, "SELECT cluster_id FROM articles")]
    assert len(set(clusters)) == len(clusters) - 1  # the other stories stay apart


def test_redirected_link_is_not_fetched_again(site: MirrorServer, tmp_path: Path) -> None:
    """deltafetch#9: a feed link that redirects to a stored article is skipped next time."""
    link = f"<link>{{{{BASE_URL}}}}{BANJIR}</link>"
    moved = f"<link>{{{{BASE_URL}}}}/redirect?to={BANJIR}&amp;code=301</link>"
    edit(site, "/feed.xml", link, moved)
    crawl(site, tmp_path)
    assert site.hits("/redirect") == 1
    aliases = query(tmp_path, "SELECT article_id FROM article_aliases WHERE url LIKE ?",
                    "%/redirect?%")  # as reached, and in canonical form
    [(banjir_id,)] = query(tmp_path, "SELECT id FROM articles WHERE url = ?", site.url(BANJIR))
    assert aliases == [(banjir_id,), (banjir_id,)]
    edit(site, "/feed.xml", "</channel>", "<!-- lagi -->\n</channel>")
    site.reset_hits()
    second = crawl(site, tmp_path)
    assert site.hits("/redirect") == 0
    assert BANJIR not in paths(site)
    assert second["incremental/skipped_unchanged"] == 4
