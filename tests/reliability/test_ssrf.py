"""SSRF: feed, sitemap and redirect targets on private addresses are refused before connecting."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.mirror import MirrorServer, Reply
from tests.reliability.helpers import HOSTILE, crawl, hostile_mirror
from tests.scorecard import record

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

GOOD = "/pages/enc-utf8.html"


def _targets(other: int, other2: str) -> list[str]:
    """Private destinations a hostile feed can list (`other`: a second loopback port)."""
    return [
        f"{other2}/secret",  # 127.0.0.2, another loopback address
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://10.1.2.3/internal",
        "http://100.64.0.1/cgnat",
        f"http://good.example@127.0.0.1:{other}/userinfo",  # the host is 127.0.0.1
        f"http://2130706433:{other}/decimal",  # 127.0.0.1 as one decimal number
        f"http://[::ffff:127.0.0.1]:{other}/mapped",
        f"http://localhost:{other}/name",
    ]


def _feed(links: list[str]) -> Reply:
    items = "".join(f"<item><title>t</title><link>{u.replace('&', '&amp;')}</link></item>"
                    for u in links)  # fmt: skip
    body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
    return Reply(200, body.encode(), content_type="application/rss+xml")


def _sitemap(links: list[str]) -> Reply:
    urls = "".join(f"<url><loc>{u}</loc></url>" for u in links)
    body = (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/'
            f'0.9">{urls}</urlset>')  # fmt: skip
    return Reply(200, body.encode(), content_type="application/xml")


def test_private_destinations_are_refused_and_counted(tmp_path: Path) -> None:
    with hostile_mirror() as start, MirrorServer(HOSTILE) as other, MirrorServer(
        HOSTILE, host="127.0.0.2"
    ) as other2:
        port = other.port
        targets = _targets(port, other2.base_url)
        redirect = f"{start.base_url}/redirect?to=http://127.0.0.1:{port}/redirected"
        start.add_route("/feed.xml", lambda r: _feed([*targets, redirect, start.url(GOOD)]))
        sitemap_target = f"http://127.0.0.1:{port}/from-sitemap"
        start.add_route("/sitemap.xml", lambda r: _sitemap([sitemap_target]))
        run = crawl(tmp_path, "--feed", start.url("/feed.xml"),
                    "--sitemap", start.url("/sitemap.xml"))  # fmt: skip
        assert other.total_hits() == 0  # not one request reached the other servers
        assert other2.total_hits() == 0
        assert start.hits("/redirect") == 1
        good = start.url(GOOD)
    assert run.rc == 0, run.output
    assert [r["url"] for r in run.rows("articles")] == [good]
    # A redirect refused at its hop is recorded under the URL the feed listed.
    refused = [*targets, redirect, sitemap_target]
    assert run.stat("ssrf/blocked") == len(refused)
    failed = run.failed()
    for url in refused:
        assert failed.get(url) == "ssrf_blocked", url
    assert f"http://127.0.0.1:{port}/redirected" not in failed
    record("ssrf", "private destinations (feed, sitemap, redirect)", attempted=len(refused),
           blocked=run.stat("ssrf/blocked"), connections_seen=0)  # fmt: skip


def test_non_http_links_are_refused_and_counted(tmp_path: Path) -> None:
    with hostile_mirror() as start:
        links = ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)",
                 start.url(GOOD)]  # fmt: skip
        start.add_route("/feed.xml", lambda r: _feed(links))
        run = crawl(tmp_path, "--feed", start.url("/feed.xml"))
    assert run.rc == 0, run.output
    assert len(run.rows("articles")) == 1
    assert run.stat_sum("discovery/skipped") == 3
    record("ssrf", "non-http links (file:, ftp:, javascript:)", attempted=3, blocked=3,
           connections_seen=0)  # fmt: skip
