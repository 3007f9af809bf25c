"""Index paging end to end: `aggregator crawl --index` twice and more against a loopback site.

A generated site (distinct article bodies) gets a four-page listing, newest first, two
stories a page; page 5 does not exist.  The tests count what the server was asked for.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aggregator.demo.synthetic import SyntheticArticle, generate_site
from aggregator.mirror import MirrorServer
from tests.crawl.test_crawl_e2e import run_cli

pytestmark = pytest.mark.slow

PAGES = 4
PER_PAGE = 2


def listing(page: int, articles: list[SyntheticArticle]) -> str:
    """One listing page: menus, stories, and a link to the next page."""
    items = "\n".join(f'<li><h3><a href="{{{{BASE_URL}}}}{a.path}">{a.title}</a></h3></li>'
                      for a in articles)  # fmt: skip
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Indeks Berita - Halaman {page}</title></head><body>
<nav><a href="/">Beranda</a> <a href="/kanal/news">News</a> <a href="/rss.xml">RSS</a></nav>
<h1>Indeks Berita</h1><ul>{items}</ul>
<div class="pagination"><a href="/indeks?page={page + 1}">Berikutnya</a></div>
</body></html>"""


def write_page(root: Path, page: int, articles: list[SyntheticArticle], bump: int = 0) -> None:
    """Write listing page `page` (moving its mtime `bump` seconds on, for a new ETag)."""
    file = root / f"indeks@page={page}"
    file.write_text(listing(page, articles), "utf-8")
    if bump:
        stat = file.stat()
        os.utime(file, (stat.st_atime + bump, stat.st_mtime + bump))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[MirrorServer, list[SyntheticArticle]]]:
    """The served site and its stories newest first; the newest is not listed yet."""
    root = tmp_path / "site"
    newest_first = list(reversed(generate_site(root, PAGES * PER_PAGE + 1).articles))
    listed = newest_first[1:]
    for page in range(1, PAGES + 1):
        write_page(root, page, listed[(page - 1) * PER_PAGE : page * PER_PAGE])
    with MirrorServer(root) as server:
        yield server, newest_first


def crawl(server: MirrorServer, tmp_path: Path) -> dict[str, Any]:
    """One `aggregator crawl --index` run into tmp_path/crawl.db; its final stats."""
    rc, output, stats, _ = run_cli(tmp_path, "--index", server.url("/indeks?page={page}"),
                                   "--index-pages", "10")  # fmt: skip
    assert rc == 0, output
    return stats


def page_hits(server: MirrorServer) -> list[int]:
    """Requests seen for listing pages 1..5."""
    return [server.hits(f"/indeks?page={n}") for n in range(1, PAGES + 2)]


def article_paths(server: MirrorServer) -> set[str]:
    """Article paths the server was asked for."""
    return {r.path for r in server.requests() if r.path.startswith("/berita/read/")}


def test_rerun_pages_only_as_far_as_the_watermark(
    site: tuple[MirrorServer, list[SyntheticArticle]], tmp_path: Path
) -> None:
    server, newest_first = site
    listed = newest_first[1:]
    first = crawl(server, tmp_path)
    assert page_hits(server) == [1, 1, 1, 1, 1]  # page 5 answers 404: the listing ended
    assert first["store/inserted"] == PAGES * PER_PAGE
    assert article_paths(server) == {a.path for a in listed}
    assert first["discovery/index_pages"] == PAGES
    assert first["discovery/paging_stopped/http_404"] == 1
    assert "spider/failed" not in first
    with sqlite3.connect(tmp_path / "crawl.db") as conn:
        [(mark,)] = conn.execute("SELECT newest_url FROM source_watermarks").fetchall()
    assert mark == server.url(listed[0].path)

    # unchanged listing: page 1 answers 304, nothing else is asked
    server.reset_hits()
    second = crawl(server, tmp_path)
    assert page_hits(server) == [1, 0, 0, 0, 0]
    assert second["incremental/not_modified"] == 1
    assert not article_paths(server)

    # page 1 re-served with the same stories (new ETag): it shows the watermark, so stop
    write_page(server.root, 1, listed[:PER_PAGE], bump=10)
    server.reset_hits()
    third = crawl(server, tmp_path)
    assert page_hits(server) == [1, 0, 0, 0, 0]
    assert third["incremental/paging_stopped"] == 1
    assert third["incremental/skipped_unchanged"] == PER_PAGE
    assert not article_paths(server)

    # a new story on top of page 1: just that story is fetched, still no page 2
    write_page(server.root, 1, [newest_first[0], *listed[:PER_PAGE]], bump=20)
    server.reset_hits()
    fourth = crawl(server, tmp_path)
    assert page_hits(server) == [1, 0, 0, 0, 0]
    assert article_paths(server) == {newest_first[0].path}
    assert fourth["store/inserted"] == 1
    assert fourth["incremental/paging_stopped"] == 1
    with sqlite3.connect(tmp_path / "crawl.db") as conn:
        [(mark,)] = conn.execute("SELECT newest_url FROM source_watermarks").fetchall()
    assert mark == server.url(newest_first[0].path)
