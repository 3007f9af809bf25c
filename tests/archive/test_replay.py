"""The spider's article flow over archived pages: next pages found, missing ones tolerated."""

from __future__ import annotations

import datetime as dt

from aggregator.archive.replay import FetchedPage, replay_article
from tests.mockserver import SITE_DIR

BASE = "http://127.0.0.1:9"
PATH = "/read/2024/03/15/08000031/mudik-lebaran-2024-ini-jadwal-lengkap-rekayasa-lalu-lintas"
WHEN = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)


def page(url: str, file_name: str) -> FetchedPage:
    """A mirror file as the archived page at `url`."""
    body = (SITE_DIR / file_name.lstrip("/")).read_bytes().replace(b"{{BASE_URL}}",
                                                                    BASE.encode())  # fmt: skip
    return FetchedPage(url=url, status=200, body=body, fetched_at=WHEN, encoding="utf-8",
                       meta={"aggregator_kind": "article"})  # fmt: skip


def test_next_pages_come_from_the_archive() -> None:
    asked: list[tuple[str, bool]] = []

    def lookup(url: str, single: bool) -> FetchedPage | None:
        asked.append((url, single))
        return page(url, PATH + "@page=2")

    replay = replay_article(page(BASE + PATH, PATH), lookup)
    assert asked == [(BASE + PATH + "?page=2", False)]
    assert replay.item is not None
    assert replay.item.page_count == 2
    assert replay.pages == 2
    assert replay.item.fetched_at == WHEN


def test_a_page_the_crawl_never_got_ends_the_article_with_what_it_has() -> None:
    full = replay_article(page(BASE + PATH, PATH), lambda url, single: page(url, PATH + "@page=2"))
    partial = replay_article(page(BASE + PATH, PATH), lambda url, single: None)
    assert partial.item is not None
    assert full.item is not None
    assert partial.item.page_count == 1
    assert partial.missing_pages == [BASE + PATH + "?page=2"]
    assert partial.item.body
    assert full.item.body
    assert full.item.body.startswith(partial.item.body[:200])
    assert len(full.item.body) > len(partial.item.body)


def test_a_first_page_that_is_no_article_gives_a_reason() -> None:
    replay = replay_article(page(BASE + "/indeks", "/indeks"), lambda url, single: None)
    assert replay.item is None
    assert (replay.reason or "").startswith("not_article/")
