"""DedupPipeline: canonical URLs, aliases, content hash and counted in-run drops."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from aggregator.dedup import content_hash
from aggregator.items import ArticleItem
from aggregator.pipelines.dedup import DedupPipeline, _RecentKeys

NOW = dt.datetime(2026, 1, 20, tzinfo=dt.UTC)
BODY = ("Jakarta - Harga beras medium di sejumlah pasar tradisional naik lima persen "
        "menjelang Ramadan, kata menteri perdagangan kepada wartawan di Jakarta, Senin.")
URL = "https://news.detik.com/berita/d-1/harga-beras"


def _pipeline(**settings: Any) -> tuple[DedupPipeline, Any]:
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    return DedupPipeline.from_crawler(crawler), crawler.stats


def _item(url: str, body: str | None = BODY, source: str = "detik", **kw: Any) -> ArticleItem:
    return ArticleItem(url=url, source=source, fetched_at=NOW, title="t", body=body, **kw)


def test_canonical_url_aliases_and_hash() -> None:
    pipe, stats = _pipeline()
    item = pipe.process_item(_item("http://news.detik.com/berita/d-1/harga-beras/amp?utm_source=x"))
    assert item.url == URL
    assert item.aliases == ["http://news.detik.com/berita/d-1/harga-beras/amp?utm_source=x"]
    assert item.content_hash == content_hash(BODY)
    assert stats.get_value("dedup/canonical_changed") == 1


def test_hint_moves_url_and_keeps_hint_free_form_as_alias() -> None:
    pipe, _ = _pipeline()
    amp = "https://amp.detik.com/berita/d-1/harga-beras"
    item = pipe.process_item(_item(amp, canonical_hint=URL))
    assert item.url == URL
    assert item.aliases == [amp, "https://detik.com/berita/d-1/harga-beras"]


def test_redirect_sources_and_their_canonical_forms_become_aliases() -> None:
    pipe, _ = _pipeline()
    old = "http://www.detik.com/read/2015/1/x?utm_source=rss"
    item = pipe.process_item(_item(URL, aliases=[old, "not a url", URL]))
    assert item.aliases == [old, "https://detik.com/read/2015/1/x"]


def test_foreign_hint_ignored() -> None:
    pipe, _ = _pipeline()
    item = pipe.process_item(_item(URL, canonical_hint="https://www.antaranews.com/berita/1/x"))
    assert item.url == URL
    assert item.aliases == []


@pytest.mark.parametrize(
    ("second", "reason"),
    [
        (_item(URL + "?utm_medium=social", body="Teks lain sama sekali."), "url"),
        (_item(URL + "/", body=None), "url"),
        (_item(URL.replace("d-1", "d-2"), body=BODY.upper()), "content"),
    ],
)
def test_in_run_duplicates_dropped_and_counted(second: ArticleItem, reason: str) -> None:
    pipe, stats = _pipeline()
    pipe.process_item(_item(URL))
    with pytest.raises(DropItem, match=f"duplicate {reason}"):
        pipe.process_item(second)
    assert stats.get_value(f"dedup/duplicate/{reason}") == 1


def test_short_identical_bodies_are_not_content_duplicates() -> None:
    pipe, stats = _pipeline()
    caption = "Foto: banjir rob di Jakarta Utara."
    pipe.process_item(_item(URL, body=caption))
    other = pipe.process_item(_item(URL.replace("d-1", "d-2"), body=caption))
    assert other.content_hash is not None
    assert stats.get_value("dedup/duplicate/content") is None


def test_same_body_other_source_is_kept_for_clustering() -> None:
    pipe, stats = _pipeline()
    pipe.process_item(_item(URL))
    other = pipe.process_item(_item("https://www.antaranews.com/berita/9/x", source="antara"))
    assert other.content_hash == content_hash(BODY)
    assert stats.get_value("dedup/duplicate/content") is None


@pytest.mark.parametrize("bad", ["", "not a url", "ftp://x.com/a", "http://[::1/a"])
def test_invalid_url_dropped_with_reason(bad: str) -> None:
    pipe, stats = _pipeline()
    with pytest.raises(DropItem, match="invalid article URL"):
        pipe.process_item(_item(bad))
    assert stats.get_value("dedup/invalid_url") == 1


def test_non_article_items_pass_through() -> None:
    pipe, _ = _pipeline()
    thing = {"url": "x"}
    assert pipe.process_item(thing) is thing


def test_disabled_by_setting() -> None:
    with pytest.raises(NotConfigured):
        _pipeline(AGGREGATOR_DEDUP_ENABLED=False)


def test_memory_window_is_bounded() -> None:
    keys = _RecentKeys(4)  # two generations of two keys
    assert [keys.seen(k) for k in "abcd"] == [False] * 4
    assert len(keys) == 4
    assert keys.seen("e") is False  # a new generation: a and b are forgotten together
    assert len(keys) == 3
    assert keys.seen("a") is False
    assert keys.seen("d") is True  # carried into the current generation ...
    assert keys.seen("f") is False  # ... so it survives the next turn, while c does not
    assert keys.seen("d") is True
    assert keys.seen("c") is False


def test_memory_window_keeps_the_recent_half() -> None:
    keys = _RecentKeys(100)
    for n in range(1000):
        assert keys.seen(str(n)) is False
        assert len(keys) <= 100
        assert all(keys.seen(str(m)) for m in range(max(0, n - 49), n + 1))


def test_memory_setting_applies() -> None:
    pipe, _ = _pipeline(AGGREGATOR_DEDUP_MEMORY=2)
    for n in range(5):
        pipe.process_item(_item(f"{URL}-{n}", body=f"{BODY} {n}"))
    assert len(pipe.urls) == 2
    assert len(pipe.contents) == 2


def test_redirect_to_an_article_of_this_run_is_kept_for_its_alias() -> None:
    """Issue 12, item 7: the redirecting link must reach the store as an alias."""
    pipe, stats = _pipeline()
    pipe.process_item(_item(URL))
    link = "https://news.detik.com/berita/d-1/harga-beras-lama"
    kept = pipe.process_item(_item(URL, aliases=[link]))  # fetched via a 301 from `link`
    assert link in kept.aliases
    assert stats.get_value("dedup/duplicate_kept_for_aliases") == 1
    with pytest.raises(DropItem, match="duplicate url"):  # the same redirect again: nothing new
        pipe.process_item(_item(URL, aliases=[link]))
