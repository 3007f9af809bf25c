"""A gzip body cut short (issue 12, item 5): retried, then failed as `truncated`, never stored."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from aggregator.mirror import Reply
from aggregator.truncation import gzip_is_complete
from tests.reliability.helpers import HOSTILE, crawl, hostile_mirror

pytestmark = [pytest.mark.timeout(180)]

PAGE = (HOSTILE / "pages/enc-utf8.html").read_bytes()


@pytest.mark.parametrize(("cut", "complete"), [(None, True), (0.5, False), (0.9, False),
                                               (-4, False), (-1, False)])  # fmt: skip
def test_gzip_completeness(cut: float | int | None, complete: bool) -> None:
    body = gzip.compress(PAGE)
    if isinstance(cut, float):
        body = body[: int(len(body) * cut)]
    elif isinstance(cut, int):
        body = body[:cut]
    assert gzip_is_complete(body, 0) is complete


def test_corrupt_or_oversized_streams_are_left_to_scrapy() -> None:
    assert gzip_is_complete(b"\x1f\x8b\x08\x00garbage-not-deflate", 0)  # corrupt, not cut
    assert gzip_is_complete(gzip.compress(b"x" * 100_000)[:200], 1_000)  # past the limit


@pytest.mark.slow
def test_truncated_gzip_page_is_retried_then_failed(tmp_path: Path) -> None:
    whole = gzip.compress(PAGE)
    with hostile_mirror() as server:
        server.add_route("/cut", lambda r: Reply(200, whole[: len(whole) // 2],
                                                 {"Content-Encoding": "gzip"}))  # fmt: skip
        server.add_route("/whole", lambda r: Reply(200, whole, {"Content-Encoding": "gzip"}))
        run = crawl(tmp_path, "--url", server.url("/cut"), "--url", server.url("/whole"))
        hits, cut = server.hits("/cut"), server.url("/cut")
        good = server.url("/whole")
    assert run.rc == 0, run.output
    assert [r["url"] for r in run.rows("articles")] == [good]  # no partial article stored
    assert run.failed() == {cut: "truncated"}
    assert hits == 3  # the first try and RETRY_TIMES (2) retries
    assert run.stat("truncation/retried") == 2
    assert run.stat("spider/failed/article/truncated") == 1
