"""Counts that add up (issue 12, item 6): one reason per outcome, nothing counted twice.

- a body cut at DOWNLOAD_MAXSIZE is `too_large` whether or not it declared its size;
- `crawl_runs.items_dropped` and `crawl_runs.duplicates` do not count the same item;
- a URL listed twice in one feed is a counted `discovery/duplicate_url`.
"""

from __future__ import annotations

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
