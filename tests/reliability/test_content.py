"""Mislabelled encodings, broken and pathological markup, empty and non-article 200s.

Every page ends as an article with exact text (no U+FFFD, no mojibake) or a counted drop.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest

from aggregator.extraction import extract_page
from aggregator.mirror import MirrorRequest, Reply
from tests.fixtures.hostile.make_hostile import SPECIAL_SENTENCE, TITLES, article_html
from tests.reliability.helpers import (
    HOSTILE,
    MOJIBAKE,
    crawl,
    db_text,
    fixture_route,
    hostile_mirror,
)
from tests.scorecard import record

pytestmark = pytest.mark.timeout(180)

#: case -> the Content-Type header the server sends (the lie, or the missing label).
HEADERS = {
    "utf8": "text/html; charset=utf-8",
    "cp1252-header-utf8": "text/html; charset=utf-8",  # scrapy#4933
    "utf8-meta-latin1": "text/html",  # the <meta> says iso-8859-1, the bytes are UTF-8
    "bom-header-cp1252": "text/html; charset=windows-1252",  # scrapy#5601: the BOM wins
    "latin1-meta": "text/html",  # cp1252 bytes (0x93/0x94 quotes) labelled iso-8859-1
    "cp1252-undeclared": "text/html",  # no charset in the header nor in the page
}
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
#: route -> (body, content type, the drop reason counted under spider/not_article/)
NOT_ARTICLES = {
    "/empty": (b"", "text/html; charset=utf-8", "empty"),
    "/blank": (b" \n\t \r\n", "text/html; charset=utf-8", "empty"),
    "/png-as-html": (PNG, "text/html", "binary"),
    "/json-as-html": (b'{"status": "ok", "items": []}', "text/html; charset=utf-8",
                      "not_article"),
}


@functools.cache
def _pathological() -> dict[str, tuple[str, bytes]]:
    """route -> (title, page): 10,000 nested divs, and a single 5 MB text node."""
    title = "Sungai Meluap di Kabupaten Bandung Selatan"
    page = article_html(title, 9, meta_charset="utf-8")
    deep = page.replace("<article>", "<div>" * 10_000 + "<article>").replace(
        "</article>", "</article>" + "</div>" * 10_000)
    title2 = "Lumpur Sisa Banjir Belum Dibersihkan"
    huge = article_html(title2, 10, meta_charset="utf-8").replace(
        "</div></article>", "<p>" + "Warga kembali membersihkan lumpur. " * 150_000 + "</p>"
        "</div></article>")  # fmt: skip
    return {"/deep": (title, deep.encode()), "/huge-text": (title2, huge.encode())}


def _constant(reply: Reply) -> Callable[[MirrorRequest], Reply]:
    """A route that always gives `reply`."""
    return lambda request: reply


def _declared(content_type: str) -> str | None:
    """The charset parameter of a Content-Type, as Scrapy would pass it on."""
    _, _, charset = content_type.partition("charset=")
    return charset or None


@pytest.mark.parametrize("case", sorted(HEADERS))
def test_extraction_decodes_every_mislabelling(case: str) -> None:
    data = (HOSTILE / f"pages/enc-{case}.html").read_bytes()
    fields = extract_page(data, f"http://127.0.0.1:9/{case}", encoding=_declared(HEADERS[case]))
    assert fields.is_article, fields.reject_reason
    assert fields.title == TITLES[case]
    assert SPECIAL_SENTENCE in (fields.body or "")
    for bad in MOJIBAKE:
        assert bad not in (fields.title or "") + (fields.body or "")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The hostile pages crawled once, then again into the same database."""
    folder = tmp_path_factory.mktemp("content")
    with hostile_mirror() as server:
        for case, content_type in HEADERS.items():
            server.add_route(f"/enc/{case}", fixture_route(f"pages/enc-{case}.html", content_type))
        server.add_route("/broken", fixture_route("pages/broken-markup.html"))
        for route, (body, content_type, _) in NOT_ARTICLES.items():
            server.add_route(route, _constant(Reply(200, body, {}, content_type)))
        for route, (_, page) in _pathological().items():
            server.add_route(route, _constant(Reply(200, page)))
        routes = [*(f"/enc/{c}" for c in HEADERS), "/broken", *_pathological(), *NOT_ARTICLES,
                  "/challenge"]  # fmt: skip
        args = [a for r in routes for a in ("--url", server.url(r))]
        first = crawl(folder, *args)
        snapshot = {"rows": first.rows("articles"), "text": db_text(first.db)}
        second = crawl(folder, *args)
        base = server.base_url
    return {"first": first, "second": second, "base": base, "routes": routes, **snapshot}


def _double_encoded(page: str) -> bytes:
    """UTF-8 bytes read as windows-1252 (C1 bytes kept, as browsers do), saved as UTF-8."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b)
                   for b in page.encode("utf-8")).encode("utf-8")  # fmt: skip


def test_double_encoded_page_is_repaired() -> None:
    title = TITLES["utf8"]
    page = _double_encoded(article_html(title, 30, meta_charset="utf-8"))
    fields = extract_page(page, "http://127.0.0.1:9/double", encoding="utf-8")
    assert fields.title == title
    assert SPECIAL_SENTENCE in (fields.body or "")


def test_character_references_to_control_characters_are_dropped() -> None:
    title = "Judul &#27;]0;pwned&#7; &#x1b;[31mMerah &#x9b;2J"
    page = article_html(title, 41, meta_charset="utf-8").replace(
        "Antrean mengular", "Antrean &#27;[2J mengular")
    fields = extract_page(page.encode(), "http://127.0.0.1:9/esc")
    assert fields.is_article
    for text in (fields.title or "", fields.body or ""):
        assert not [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"]


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_crawl_stores_exact_text_and_counts_every_drop(runs: dict[str, Any]) -> None:
    run, base, routes = runs["first"], runs["base"], runs["routes"]
    assert run.rc == 0, run.output
    stored = {r["url"].removeprefix(base): r for r in runs["rows"]}
    assert sorted(stored) == sorted([*(f"/enc/{c}" for c in HEADERS), "/broken",
                                     *_pathological()])  # fmt: skip
    for route, (title, _) in _pathological().items():
        assert stored[route]["title"] == title
    assert len(stored["/huge-text"]["body"]) > 5_000_000  # kept whole, not truncated silently
    for case in HEADERS:
        assert stored[f"/enc/{case}"]["title"] == TITLES[case], case
        assert SPECIAL_SENTENCE in stored[f"/enc/{case}"]["body"], case
    # Text after the NUL byte and after the second <body> survives.
    assert "Camat setempat berjanji" in stored["/broken"]["body"]
    assert "digelar setiap bulan" in stored["/broken"]["body"]
    for bad in MOJIBAKE:
        assert bad not in runs["text"], bad
    # Each non-article 200 is dropped with a reason, and all of them are accounted for.
    reasons = [reason for _, _, reason in NOT_ARTICLES.values()] + ["bot_challenge"]
    for reason in set(reasons):
        assert run.stat(f"spider/not_article/{reason}") == reasons.count(reason), reason
    assert run.stat_sum("spider/not_article/") == len(reasons)
    assert run.stat("spider/pages") == len(routes)
    record("malformed", "hostile pages (broken markup, NUL, nesting, huge, empty, binary)",
           pages=len(routes), stored=len(stored), dropped_with_reason=len(reasons),
           lost=len(routes) - len(stored) - len(reasons), crashes=0)  # fmt: skip
    record("encoding", "mislabelled encodings", pages=len(HEADERS),
           replacement_chars=runs["text"].count("\ufffd"),
           mojibake=sum(runs["text"].count(bad) for bad in MOJIBAKE[1:]))  # fmt: skip


def _without_seen(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows without the last_seen_at column."""
    return [{k: v for k, v in row.items() if k != "last_seen_at"} for row in rows]


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_rerun_is_idempotent(runs: dict[str, Any]) -> None:
    second = runs["second"]
    assert second.rc == 0, second.output
    # No new row and no changed field (last_seen_at moves when an article is refetched).
    assert _without_seen(second.rows("articles")) == _without_seen(runs["rows"])
    assert second.stat("store/inserted") == 0
    assert len(second.rows("crawl_runs")) == 2
    # Each stored URL is skipped with a counter, or refetched and found unchanged (see
    # test_incremental_race for why some are refetched); the non-articles are dropped again.
    redone = second.stat("incremental/skipped_unchanged") + second.stat("store/unchanged")
    assert redone == len(runs["rows"])
    assert second.stat_sum("spider/not_article/") == len(NOT_ARTICLES) + 1
    record("idempotency", "rerun of the hostile-content crawl",
           row_delta=len(second.rows("articles")) - len(runs["rows"]),
           inserted=second.stat("store/inserted"), changed_rows=0)  # fmt: skip
