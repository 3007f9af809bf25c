"""End to end: `aggregator crawl` in a subprocess against the loopback mirror, into SQLite."""

from __future__ import annotations

import itertools
import json
import socket
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from aggregator.mirror import MirrorServer, Reply
from tests.mockserver import SITE_DIR, make_mirror, site_truth
from tests.scorecard import record

#: Fast but otherwise default settings: no start delay on a loopback server.
FAST = ["-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0"]


def run_cli(tmp_path: Path, *args: str) -> tuple[int, str, dict[str, Any], Path]:
    """Run `aggregator crawl ARGS` into tmp_path/crawl.db; (rc, output, stats, db)."""
    db = tmp_path / "crawl.db"
    stats_file = tmp_path / "stats.json"
    stats_file.unlink(missing_ok=True)  # a re-run into the same directory reports afresh
    cmd = [sys.executable, "-m", "aggregator.cli.main", "crawl", *args, *FAST,
           "--db", f"sqlite:///{db}", "--stats-file", str(stats_file)]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          check=False)
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return proc.returncode, proc.stdout + proc.stderr, stats, db


def rows(db: Path, table: str) -> list[dict[str, Any]]:
    """All rows of `table` as dicts."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]


def by_path(db: Path, table: str, base_url: str) -> dict[str, dict[str, Any]]:
    """Rows of `table` keyed by their URL's path (the mirror's base URL removed)."""
    return {r["url"].removeprefix(base_url): r for r in rows(db, table)}


def utc_naive(iso: str) -> datetime:
    """An ISO timestamp as naive UTC, the way SQLite stores aware datetimes."""
    return datetime.fromisoformat(iso).astimezone(UTC).replace(tzinfo=None)


def check_article(row: dict[str, Any], truth: dict[str, Any]) -> None:
    """Every stored field against the mirror site's truth."""
    assert row["title"] == truth["title"]
    assert datetime.fromisoformat(row["published_at"]) == utc_naive(truth["published"])
    assert datetime.fromisoformat(row["modified_at"]) == utc_naive(truth["modified"])
    assert json.loads(row["authors"]) == truth["authors"]
    assert json.loads(row["tags"]) == truth["tags"]
    assert row["section"] == truth["section"]
    assert row["page_count"] == truth["page_count"]
    assert row["image_url"] == truth["image_url"]
    paragraphs = row["body"].split("\n\n")
    assert truth["body_first_sentence_contains"] in paragraphs[0]
    assert paragraphs[-1].startswith(truth["body_last_paragraph_contains"])  # no trailer
    assert "Baca juga" not in row["body"]
    assert (row["source"], row["language"], row["timezone"]) == ("127.0.0.1", "id",
                                                                 "Asia/Jakarta")
    assert row["fetched_at"]


def test_feed_crawl_stores_every_field(mirror: MirrorServer, tmp_path: Path) -> None:
    mirror.reset_hits()
    rc, output, stats, db = run_cli(tmp_path, "--feed", mirror.url("/feed.xml"))
    assert rc == 0, output
    truth = site_truth(mirror.base_url)
    stored = by_path(db, "articles", mirror.base_url)
    feed_articles = [p for p in truth["articles"] if p != "/berita/d-7101300/"
                     "timnas-indonesia-menang-2-0-atas-vietnam-di-gbk"]
    assert sorted(stored) == sorted(feed_articles)
    for path in feed_articles:
        check_article(stored[path], truth["articles"][path])
    failed_rows = by_path(db, "failed_fetches", mirror.base_url)
    failed = {path: r["reason"] for path, r in failed_rows.items()}
    assert failed == {truth["missing"]: "http_404", truth["private"]: "robots_forbidden"}
    assert mirror.hits(truth["private"]) == 0  # robots.txt obeyed: never fetched
    not_article = {k: v for k, v in stats.items() if k.startswith("spider/not_article/")}
    assert sum(not_article.values()) == 1  # the index page (reason named by extraction)
    # Nothing lost: every discovered URL is stored, dropped with a reason, or failed.
    assert stats["discovery/links"] == len(stored) + 1 + len(failed)
    assert "Crawl summary" in output


def test_sitemap_index_crawl(mirror: MirrorServer, tmp_path: Path) -> None:
    mirror.reset_hits()
    rc, output, stats, db = run_cli(tmp_path, "--sitemap", mirror.url("/sitemap.xml"))
    assert rc == 0, output
    truth = site_truth(mirror.base_url)
    stored = by_path(db, "articles", mirror.base_url)
    assert sorted(stored) == sorted(truth["articles"])
    for path, expected in truth["articles"].items():
        check_article(stored[path], expected)
    assert stats["discovery/documents/sitemapindex"] == 1
    assert stats["discovery/documents/urlset"] == 3  # plain, gzipped and Google News
    assert stats["discovery/duplicate_url"] == 1  # listed in two sitemaps, fetched once
    assert mirror.hits("/sitemap-archive.xml.gz") == 1
    assert stats["spider/failed/article/http_404"] == 1
    two_page = next(r for r in stored.values() if r["page_count"] == 2)
    assert "Puncak arus mudik" in two_page["body"]  # text from page 2, stitched once
    assert mirror.hits(two_page["url"].removeprefix(mirror.base_url) + "?page=2") == 1


def _closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_bad_inputs_are_counted_and_the_crawl_finishes(mirror: MirrorServer,
                                                       tmp_path: Path) -> None:
    mirror.reset_hits()
    dead = f"http://127.0.0.1:{_closed_port()}/rss.xml"
    rc, output, stats, db = run_cli(
        tmp_path, "--feed", mirror.url("/notxml"), "--feed", dead,
        "--feed", mirror.url("/feed.xml"), "--url", mirror.url("/status/500"),
        "--url", mirror.url("/status/404"), "--url", mirror.url("/challenge"),
        "--url", mirror.url("/drop"), "--url", mirror.url("/loop"), "-s", "RETRY_TIMES=1",
    )
    assert rc == 0, output
    assert len(rows(db, "articles")) == 4  # every good article of the feed is stored
    assert stats["discovery/not_xml"] == 1
    assert stats["spider/failed/feed/connection_refused"] == 1
    assert stats["spider/failed/article/http_500"] == 1
    assert stats["spider/failed/article/http_404"] == 2  # /status/404 and the dead link
    assert stats["spider/failed/article/connection_lost"] == 1
    assert stats["spider/not_article/bot_challenge"] == 1
    assert stats["spider/failed/article/too_many_redirects"] == 1  # not dropped silently
    assert mirror.hits("/loop") == 6  # the request and REDIRECT_MAX_TIMES=5 redirects
    assert mirror.hits("/status/500") == 2  # one retry (RETRY_TIMES=1), then given up
    reasons = {r["url"]: r["reason"] for r in rows(db, "failed_fetches")}
    assert reasons[dead] == "connection_refused"
    assert reasons[mirror.url("/notxml")] == "not_xml"
    log_lines = [line for line in output.splitlines() if "[" in line and "] " in line]
    for url in (dead, mirror.url("/notxml"), mirror.url("/status/500"), mirror.url("/drop")):
        # One clear line per bad URL: no traceback, no extra "Gave up retrying" error.
        assert [line for line in log_lines if url in line] == [
            next(line for line in log_lines if url in line and "WARNING" in line)]
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("args", "counter"),
    [
        (["--feed", "/status/404"], "spider/failed/feed/http_404"),
        (["--url", "/" + "berita/d-7101300/timnas-indonesia-menang-2-0-atas-vietnam-di-gbk",
          "-s", "DOWNLOAD_MAXSIZE=2000"], "spider/failed/article/too_large"),
    ],
)
def test_crawl_with_only_errors_exits_nonzero(mirror: MirrorServer, tmp_path: Path,
                                              args: list[str], counter: str) -> None:
    args = [mirror.url(a) if a.startswith("/") else a for a in args]
    rc, output, stats, _ = run_cli(tmp_path, *args)
    assert rc == 1, output
    assert stats[counter] == 1


def ssrf_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """A start site with one article at /artikel, and another server's secret page."""
    site, other_dir = tmp_path / "site", tmp_path / "other"
    site.mkdir()
    other_dir.mkdir()
    (other_dir / "secret.html").write_text("<html><body><h1>rahasia</h1></body></html>")
    good = "berita/d-7101234/banjir-rob-genangi-pesisir-utara-jakarta-ratusan-warga-mengungsi"
    (site / "artikel").write_bytes((SITE_DIR / good).read_bytes())
    return site, other_dir


def test_ssrf_guard_refuses_other_private_destinations(tmp_path: Path) -> None:
    site, other_dir = ssrf_dirs(tmp_path)
    with make_mirror(site) as start, MirrorServer(other_dir) as other:
        port = other.port
        targets = [
            f"http://127.0.0.1:{port}/secret.html",  # another loopback port
            f"http://localhost:{port}/secret.html",  # a name resolving to loopback
            f"http://[::1]:{port}/secret.html",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/internal",
            # A redirect to a URL already refused: still checked and counted, not dropped
            # silently by the dupefilter (scrapy#1225).
            f"{start.base_url}/redirect?to=http://127.0.0.1:{port}/secret.html",
            f"{start.base_url}/artikel",
        ]
        items = "".join(f"<item><title>t</title><link>{t.replace('&', '&amp;')}</link></item>"
                        for t in targets)
        (site / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                       f"{items}</channel></rss>")
        rc, output, stats, db = run_cli(tmp_path, "--feed", start.url("/feed.xml"))
        assert rc == 0, output
        assert other.total_hits() == 0  # not one connection reached the other server
        assert start.hits("/redirect") == 1
    assert stats["ssrf/blocked"] == 6
    assert stats["spider/failed/article/ssrf_blocked"] == 6
    assert [r["title"] for r in rows(db, "articles")] == [
        "Banjir Rob Genangi Pesisir Utara Jakarta, Ratusan Warga Mengungsi"]


@pytest.mark.parametrize("args", [["--url", "ftp://x/y"], [], ["--site", "no-such-site"]])
def test_bad_options_fail_fast(tmp_path: Path, args: list[str]) -> None:
    rc, output, _, _ = run_cli(tmp_path, *args)
    assert rc == 2
    assert output.startswith("error: ")


def test_rate_limited_site_is_retried_after_its_retry_after(mirror: MirrorServer,
                                                            tmp_path: Path) -> None:
    mirror.reset_hits()
    limited = "/status/429?retry_after=1"
    flaky = "/flaky/1/" + "berita/d-7101300/timnas-indonesia-menang-2-0-atas-vietnam-di-gbk"
    rc, output, stats, db = run_cli(tmp_path, "--url", mirror.url(limited),
                                    "--url", mirror.url(flaky))
    assert rc == 0, output
    assert [r["title"] for r in rows(db, "articles")] == [
        "Timnas Indonesia Menang 2-0 atas Vietnam di GBK"]  # 503 once, then served
    hits = [r.received_at for r in mirror.requests() if r.target == limited]
    assert len(hits) == 3  # first try + RETRY_TIMES=2 retries, then given up
    # Politeness, not speed: each retry waited at least the 1 s the server asked for.
    assert min(b - a for a, b in itertools.pairwise(hits)) >= 0.95
    assert stats["retry_after/backoff"] >= 3
    assert stats["spider/failed/article/http_429"] == 1
    gaps = [b - a for a, b in itertools.pairwise(hits)]
    record("throttling", "429 with Retry-After: 1", retry_after_s=1.0,
           shortest_gap_s=round(min(gaps), 2), early_retries=sum(g < 0.95 for g in gaps),
           attempts=len(hits), give_ups=stats["spider/failed/article/http_429"])  # fmt: skip


@pytest.mark.parametrize(("status", "stored"), [(503, 0), (404, 1), (403, 1)])
def test_robots_txt_server_error_means_disallow_all(tmp_path: Path, status: int,
                                                    stored: int) -> None:
    article = "/berita/d-7101300/timnas-indonesia-menang-2-0-atas-vietnam-di-gbk"
    with make_mirror(SITE_DIR) as server:
        server.add_route("/robots.txt", lambda r: Reply(status, b"<html>busy</html>"))
        rc, output, stats, db = run_cli(tmp_path, "--url", server.url(article),
                                        "-s", "RETRY_TIMES=0")
        assert server.hits(article) == stored  # RFC 9309: 5xx = no crawling at all
    assert len(rows(db, "articles")) == stored
    assert rc == (1 if stored == 0 else 0), output
    if stored == 0:
        assert stats["robotstxt/server_error_disallow"] == 1
        assert stats["spider/failed/article/robots_forbidden"] == 1


def test_resolver_refuses_private_answers_even_without_the_guard(tmp_path: Path) -> None:
    site, other_dir = ssrf_dirs(tmp_path)
    with make_mirror(site) as start, MirrorServer(other_dir) as other:
        links = [f"http://localhost:{other.port}/secret.html", start.url("/artikel")]
        items = "".join(f"<item><link>{link}</link></item>" for link in links)
        (site / "feed.xml").write_text(f"<rss><channel>{items}</channel></rss>")
        no_guard = '{"aggregator.middlewares.SafeDestinationMiddleware": null}'
        rc, output, stats, db = run_cli(tmp_path, "--feed", start.url("/feed.xml"),
                                        "-s", f"DOWNLOADER_MIDDLEWARES={no_guard}",
                                        "-s", "RETRY_TIMES=0")
        assert rc == 0, output
        assert other.total_hits() == 0  # refused when the downloader resolved "localhost"
    assert "ssrf/blocked" not in stats  # the middleware was off: the resolver did it
    assert stats["spider/failed/article/ssrf_blocked"] == 1
    assert len(rows(db, "articles")) == 1


def test_start_url_given_by_host_name_is_allowed(mirror: MirrorServer, tmp_path: Path) -> None:
    article = "/berita/d-7101300/timnas-indonesia-menang-2-0-atas-vietnam-di-gbk"
    rc, output, _, db = run_cli(tmp_path, "--url", f"http://localhost:{mirror.port}{article}")
    assert rc == 0, output
    assert [r["title"] for r in rows(db, "articles")] == [
        "Timnas Indonesia Menang 2-0 atas Vietnam di GBK"]


def test_unreachable_database_is_one_error_line(mirror: MirrorServer, tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "aggregator.cli.main", "crawl", "--feed",
           mirror.url("/feed.xml"), "--db", "postgresql://postgres@127.0.0.1:1/test"]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: cannot connect to the database")
    assert len(proc.stderr.strip().splitlines()) == 1
