"""Compression bombs as pages and as sitemaps: refused with a counted reason, memory bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator import settings
from tests.reliability.helpers import HOSTILE, crawl, fixture_route, hostile_mirror
from tests.scorecard import record

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

MIB = 1024 * 1024
GOOD = "/pages/enc-utf8.html"
#: route -> (fixture, Content-Encoding); each expands to 8 MiB or more.
PAGE_BOMBS = {
    "/bomb/gzip": ("bombs/bomb-8m.gz", "gzip"),
    "/bomb/deflate": ("bombs/bomb-8m.deflate", "deflate"),
    "/bomb/br": ("bombs/bomb-1g.br", "br"),
}


def test_download_maxsize_is_a_real_bound() -> None:
    # Scrapy's default is 1 GiB; a bomb is only refused below the limit we ship.
    assert 1 * MIB <= settings.DOWNLOAD_MAXSIZE <= 32 * MIB
    assert settings.DOWNLOAD_WARNSIZE <= settings.DOWNLOAD_MAXSIZE


def test_page_and_sitemap_bombs_are_refused_and_counted(tmp_path: Path) -> None:
    if not (HOSTILE / "bombs/bomb-1g.br").exists():
        pytest.skip("brotli bomb not generated (brotli missing when make_hostile.py ran)")
    with hostile_mirror() as server:
        for route, (fixture, coding) in PAGE_BOMBS.items():
            server.add_route(route, fixture_route(fixture, headers={"Content-Encoding": coding}))
        # A sitemap sent with Content-Encoding: Scrapy decompresses it within the limit.
        server.add_route("/bomb/sitemap.xml", fixture_route(
            "bombs/sitemap-bomb-8m.xml.gz", "application/xml", {"Content-Encoding": "gzip"}))
        urls = [a for route in PAGE_BOMBS for a in ("--url", server.url(route))]
        run = crawl(tmp_path, *urls, "--url", server.url(GOOD),
                    "--sitemap", server.url("/bomb/sitemap.xml"),
                    "-s", f"DOWNLOAD_MAXSIZE={MIB}", "-s", f"DOWNLOAD_WARNSIZE={MIB // 2}")
        base = server.base_url
    assert run.rc == 0, run.output
    assert [r["url"] for r in run.rows("articles")] == [base + GOOD]  # the crawl went on
    failed = run.failed()
    for route in PAGE_BOMBS:
        assert failed[base + route] == "too_large", route
    assert failed[base + "/bomb/sitemap.xml"] == "too_large"
    assert run.stat("spider/failed/article/too_large") == len(PAGE_BOMBS)
    assert run.stat("spider/failed/sitemap/too_large") == 1
    assert "Traceback" not in run.output
    for route, (fixture, coding) in PAGE_BOMBS.items():
        record("bombs", f"{coding} page", compressed_bytes=(HOSTILE / fixture).stat().st_size,
               limit_bytes=MIB, outcome=failed[base + route], crashes=0)  # fmt: skip
    record("bombs", "gzip sitemap (Content-Encoding)", limit_bytes=MIB,
           outcome=failed[base + "/bomb/sitemap.xml"], crashes=0)  # fmt: skip


def test_raw_gzip_sitemap_obeys_download_maxsize(tmp_path: Path) -> None:
    with hostile_mirror() as server:
        run = crawl(tmp_path, "--sitemap", server.url("/bombs/sitemap-bomb-8m.xml.gz"),
                    "--url", server.url(GOOD), "-s", f"DOWNLOAD_MAXSIZE={MIB}")
        assert server.hits("/never-fetched") == 0
        sitemap = server.url("/bombs/sitemap-bomb-8m.xml.gz")
    assert run.rc == 0, run.output
    # The sitemap expands to 8 MiB, eight times the download limit.
    assert run.stat("discovery/too_large") == 1
    assert run.failed()[sitemap] == "too_large"


def test_brotli_gigabyte_bomb_under_shipped_settings_keeps_memory_bounded(
    tmp_path: Path,
) -> None:
    if not (HOSTILE / "bombs/bomb-1g.br").exists():
        pytest.skip("brotli bomb not generated")
    with hostile_mirror() as server:
        server.add_route("/bomb/br", fixture_route("bombs/bomb-1g.br", headers={
            "Content-Encoding": "br"}))
        bomb = server.url("/bomb/br")
        baseline = crawl(tmp_path / "baseline", "--url", server.url(GOOD))
        run = crawl(tmp_path / "bomb", "--url", bomb, "--url", server.url(GOOD))
    assert run.rc == 0, run.output
    assert run.failed() == {bomb: "too_large"}
    assert len(run.rows("articles")) == 1
    # 1 GiB decompressed would need >1 GiB; the shipped 16 MiB limit caps the growth.
    growth_mib = (run.peak_rss_kib - baseline.peak_rss_kib) / 1024
    assert baseline.peak_rss_kib > 0
    assert growth_mib < 64, growth_mib
    record("bombs", "1 GiB brotli bomb, shipped settings",
           compressed_bytes=(HOSTILE / "bombs/bomb-1g.br").stat().st_size,
           limit_bytes=settings.DOWNLOAD_MAXSIZE, outcome="too_large",
           rss_growth_mib=round(growth_mib, 1), target_mib=64)  # fmt: skip
