"""Counts that add up (issue 12, item 6): one reason per outcome, nothing counted twice.

- a body cut at DOWNLOAD_MAXSIZE is `too_large` whether or not it declared its size;
- `crawl_runs.items_dropped` and `crawl_runs.duplicates` do not count the same item;
- a URL listed twice in one feed is a counted `discovery/duplicate_url`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aggregator.mirror import Reply
from tests.reliability.helpers import crawl, hostile_mirror
from tests.reliability.interrupt_helpers import stats_balance
from tests.reliability.rawserver import RawServer
from tests.scorecard import record

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

MIB = 1024 * 1024


def test_oversize_body_is_too_large_with_or_without_content_length(tmp_path: Path) -> None:
    with RawServer() as raw:
        run = crawl(tmp_path, "--url", raw.url("/big-sized"), "--url", raw.url("/big-unsized"),
                    "-s", f"DOWNLOAD_MAXSIZE={MIB}", "-s", f"DOWNLOAD_WARNSIZE={MIB // 2}")
        sized, unsized = raw.url("/big-sized"), raw.url("/big-unsized")
    assert run.failed() == {sized: "too_large", unsized: "too_large"}
    assert run.stat("spider/failed/article/too_large") == 2
    assert run.stat("spider/failed/article/cancelled") == 0


def test_duplicates_are_not_counted_as_drops_and_repeats_in_a_feed_are(tmp_path: Path) -> None:
    with hostile_mirror() as server:
        page = (Path(__file__).parents[1] / "fixtures/hostile/pages/enc-utf8.html").read_bytes()
        for path in ("/a/satu.html", "/a/satu-salinan.html"):  # same body, same site
            server.add_route(path, lambda request, body=page: Reply(200, body))
        links = [server.url("/a/satu.html"), server.url("/a/satu.html"),
                 server.url("/a/satu-salinan.html")]  # the first listed twice
        items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in links)
        feed = f"<rss version='2.0'><channel><title>x</title>{items}</channel></rss>".encode()
        server.add_route("/feed.xml", lambda request: Reply(200, feed, {}, "application/rss+xml"))
        run = crawl(tmp_path, "--feed", server.url("/feed.xml"))
    assert run.rc == 0, run.output
    assert run.stat("discovery/duplicate_url") == 1  # listed twice in the same feed
    assert run.stat("discovery/links") == 2
    [row] = run.rows("crawl_runs")
    duplicates = run.stat_sum("dedup/duplicate/")
    assert row["duplicates"] == duplicates
    assert row["items_dropped"] == run.stat_sum("validate/dropped/") + run.stat_sum(
        "spider/not_article/")  # fmt: skip
    assert row["items_stored"] + row["duplicates"] + row["items_dropped"] == 2
    assert stats_balance(run.stats) == (2, 2)
    record("accounting", "feed repeat + same-body copy", discovered=2,
           accounted=stats_balance(run.stats)[1], listed_twice_counted=1)


def test_link_redirecting_to_an_article_of_the_run_becomes_an_alias(tmp_path: Path) -> None:
    """Issue 12, item 7: stored as an alias, so the re-run does not fetch it again."""
    page = (Path(__file__).parents[1] / "fixtures/hostile/pages/enc-utf8.html").read_bytes()
    with hostile_mirror() as server:
        server.add_route("/a/asli.html", lambda request: Reply(200, page))
        # The redirect answers late: the article it leads to is already through the pipeline.
        server.add_route("/a/lama.html", lambda request: (time.sleep(1.5), Reply(301, b"", {
            "Location": server.url("/a/asli.html")}))[1])  # fmt: skip
        links = [server.url("/a/asli.html"), server.url("/a/lama.html")]
        items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in links)
        feed = f"<rss version='2.0'><channel><title>x</title>{items}</channel></rss>".encode()
        server.add_route("/feed.xml", lambda request: Reply(200, feed, {}, "application/rss+xml"))
        first = crawl(tmp_path / "one", "--feed", server.url("/feed.xml"), db=tmp_path / "a.db")
        server.reset_hits()
        second = crawl(tmp_path / "two", "--feed", server.url("/feed.xml"), db=tmp_path / "a.db")
        rerun_hits = server.hits("/a/lama.html")
    assert first.rc == 0, first.output
    assert [r["url"] for r in first.rows("articles")] == [links[0]]
    assert links[1] in {r["url"] for r in first.rows("article_aliases")}
    assert first.failed() == {}
    assert second.rc == 0, second.output
    assert rerun_hits == 0  # known as an alias: not fetched again
