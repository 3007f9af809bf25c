"""The versioned parser base: version choice, failing fields, bad pages (never a crash)."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

import lxml.html
import pytest

from aggregator.exceptions import ConfigError
from aggregator.sites import SITES
from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import ParserVersion, SiteParser, field
from aggregator.sites.selectors import SelectorVersion, split_authors

OLD_PAGE = "<html><body><div class='old'><h2>Judul lama</h2><p>Isi lama.</p></div></body></html>"
NEW_PAGE = (
    "<html><body><h1 class='new'>Judul baru</h1><div id='isi'><p>Isi baru.</p></div></body></html>"
)


class _Demo(SiteParser):
    class V1(SelectorVersion):
        VALID_UNTIL: ClassVar[date | None] = date(2016, 12, 31)
        TITLE = "//div[@class='old']/h2"
        BODY = "//div[@class='old']"
        DROP = "./h2"

    class V2(SelectorVersion):
        TITLE = "//h1[@class='new']"
        BODY = "//div[@id='isi']"


def _tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html)


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        (date(2015, 6, 1), "V1"),
        (date(2016, 12, 31), "V1"),
        (date(2017, 1, 1), "V2"),
        (None, "V2"),
    ],
)
def test_pick_by_date(hint: date | None, expected: str) -> None:
    assert _Demo.pick(hint).__name__ == expected


def test_published_hint_chooses_the_layout_and_a_wrong_guess_falls_back() -> None:
    old = _Demo.parse(_tree(OLD_PAGE), "https://x.example/a", published_hint=date(2015, 1, 1))
    assert (old.title, old.extractor) == ("Judul lama", "site:_Demo:V1")
    # A new-layout page with an old date: V1 finds nothing, so V2 is tried.
    new = _Demo.parse(_tree(NEW_PAGE), "https://x.example/b", published_hint=datetime(2015, 1, 1))
    assert (new.title, new.body, new.extractor) == ("Judul baru", "Isi baru.", "site:_Demo:V2")


def test_unknown_date_keeps_the_layout_that_recognises_most() -> None:
    page = _Demo.parse(_tree(OLD_PAGE), "https://x.example/no-date")
    assert page.extractor == "site:_Demo:V1"
    assert page.body == "Isi lama."


def test_date_in_the_url_chooses_the_version() -> None:
    page = _Demo.parse(_tree(NEW_PAGE), "https://x.example/read/2015/06/19/123/x")
    # The URL says 2015 (V1) but V1 recognises nothing: V2 wins.
    assert page.extractor == "site:_Demo:V2"


def test_duplicate_valid_until_fails_at_class_creation() -> None:
    with pytest.raises(ConfigError, match="distinct VALID_UNTIL"):

        class _Bad(SiteParser):
            class A(ParserVersion):
                VALID_UNTIL: ClassVar[date | None] = date(2020, 1, 1)

            class B(ParserVersion):
                VALID_UNTIL: ClassVar[date | None] = date(2020, 1, 1)


def test_field_must_name_a_page_field() -> None:
    with pytest.raises(ConfigError, match="not a PageFields attribute"):

        class _V(ParserVersion):
            @field
            def headline(self) -> str:
                return "x"


def test_a_failing_field_keeps_its_default_and_is_counted() -> None:
    class _Broken(SiteParser):
        class V1(SelectorVersion):
            TITLE = "//h1"
            BODY = "//div["  # invalid XPath: the body field raises

    page = _Broken.parse(_tree(NEW_PAGE), "https://x.example/")
    assert page.title == "Judul baru"
    assert page.body is None
    assert page.rule_hits["site/field_error/body"] == 1


@pytest.mark.parametrize(
    "html",
    [
        "<html></html>",
        "<p>hanya satu paragraf</p>",
        "<html><body><div class='detail__body-text'></div></body></html>",
        "<html><body>" + "<div>" * 300 + "dalam" + "</div>" * 300 + "</body></html>",
        "<html><body><script>var a = '<p>bukan teks</p>';</script></body></html>",
    ],
)
@pytest.mark.parametrize("name", sorted(n for n, s in SITES.items() if s.parser))
def test_every_parser_survives_odd_pages(name: str, html: str) -> None:
    spec = SITES[name]
    page = spec.parse(_tree(html), f"https://{spec.domains[0]}/read/2023/01/01/1/x")
    assert page is not None
    assert page.body is None or "bukan teks" not in page.body
    assert page.extractor.startswith(f"site:{name}:")


def test_parse_accepts_raw_html_and_ignores_empty_input() -> None:
    spec = SITES["detik"]
    assert spec.parse(b"", "https://news.detik.com/x") is None
    page = spec.parse("<html><body><h1 class='detail__title'>Judul</h1></body></html>", "https://x")
    assert page is not None
    assert page.title == "Judul"
    assert page.language == "id"
    assert SiteSpec(name="plain", domains=("plain.example",)).parse("<p>x</p>", "u") is None


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Mulia Budi - detikNews", ["Mulia Budi"]),
        ("Pewarta: Budisantoso Budiman dan Agus S", ["Budisantoso Budiman", "Agus S"]),
        ("Penulis: Kontributor Lhokseumawe, Masriadi", ["Masriadi"]),
        ("Oleh : Maya Sofia", ["Maya Sofia"]),
        ("By Corry Anestia", ["Corry Anestia"]),
        ("Reporter : Ramadhian Fadillah | Jumat, 19 Juni 2015 03:40", ["Ramadhian Fadillah"]),
        ("Editor: Ade Marboen", []),
        ("Red: Israr Itah", []),
        ("Fotografer: Grandyos Zafna", ["Grandyos Zafna"]),
        ("Rep: C31", []),
        ("", []),
    ],
)
def test_split_authors(raw: str, names: list[str]) -> None:
    assert split_authors(raw) == names
