"""Requests through the frontier as JSON: what the spider sends comes back equal; pickles
and unknown types are refused."""

from __future__ import annotations

import datetime as dt
import pickle
from collections import Counter

import pytest
from scrapy.utils.request import request_from_dict

from aggregator.article import ArticleState
from aggregator.discovery.paging import IndexWalk
from aggregator.frontier import codec
from aggregator.sites import get_site
from aggregator.types import DateCandidate, PageFields
from spiders.news import NewsSpider


def spider() -> NewsSpider:
    return NewsSpider(url="http://127.0.0.1:8000/a")


def roundtrip(request: object, sp: NewsSpider) -> object:
    data = request.to_dict(spider=sp)  # type: ignore[attr-defined]
    payload = codec.dumps(data)
    assert payload.startswith(b"{")  # JSON, not a pickle (b"\x80...")
    return request_from_dict(codec.loads(payload), spider=sp)


def test_article_request_roundtrips() -> None:
    sp = spider()
    request = sp._article_request("https://www.detik.com/x/d-1/judul",
                                  {"via": "sitemap", "title": "Judul"}, None)  # fmt: skip
    back = roundtrip(request, sp)
    assert back.url == request.url
    assert back.meta == request.meta
    assert back.callback == sp.parse_article
    assert back.errback == sp.on_error
    assert back.dont_filter is True


def test_article_page_request_with_state_roundtrips() -> None:
    sp = spider()
    page = PageFields(title="Judul", body="Isi berita.", tags=["a"],
                      date_candidates=[DateCandidate("published", "2025-01-01", "meta")],
                      rule_hits=Counter({"ads": 2}))  # fmt: skip
    state = ArticleState(url="https://www.detik.com/x/d-1/judul", discovery={"via": "feed"},
                         site=get_site("detik"),
                         fetched_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                         pages=[page], pending=["https://www.detik.com/x/d-1/judul/2"],
                         seen={"https://www.detik.com/x/d-1/judul"},
                         headers={"ETag": "abc"})  # fmt: skip
    request = sp._request("https://www.detik.com/x/d-1/judul/2", "article_page",
                          sp.parse_article, state.site)  # fmt: skip
    request.cb_kwargs["state"] = state
    back = roundtrip(request, sp)
    assert back.cb_kwargs["state"] == state
    assert back.cb_kwargs["state"].site is get_site("detik")


def test_index_walk_roundtrips() -> None:
    sp = spider()
    walk = IndexWalk(source="kompas", template="https://x.test/?page={page}", max_pages=3,
                     seen={"https://x.test/a", "https://x.test/b"})  # fmt: skip
    request = sp._index_request("https://x.test/?page=1", None, walk)
    assert roundtrip(request, sp).cb_kwargs["walk"] == walk


@pytest.mark.parametrize("value", [
    b"\x00\xffbytes", (1, "a"), {1: "int key"}, {"__t": "looks tagged"},
    Counter({"a": 1}), dt.datetime(2025, 5, 1, 3, 4, tzinfo=dt.UTC), {"nested": [{"a"}]},
])  # fmt: skip
def test_tagged_values_roundtrip(value: object) -> None:
    assert codec.loads(codec.dumps(value)) == value


def test_a_pickled_payload_is_refused_not_run() -> None:
    with pytest.raises(codec.CodecError, match="not JSON"):
        codec.loads(pickle.dumps({"url": "http://x"}))


def test_a_payload_naming_an_unknown_class_is_refused() -> None:
    forged = b'{"__t": "dc", "cls": "Popen", "v": {"args": ["sh"]}}'
    with pytest.raises(codec.CodecError, match="unknown type"):
        codec.loads(forged)
    with pytest.raises(codec.CodecError, match="unknown tag"):
        codec.loads(b'{"__t": "pickle", "v": "x"}')


def test_values_outside_the_allowed_types_cannot_be_sent() -> None:
    with pytest.raises(codec.CodecError, match="cannot send"):
        codec.dumps({"meta": {"obj": object()}})
