"""resolve_article_dates: order of trust, precision, zone cross-checks on the known traps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aggregator.dates import TRUST_ORDER, resolve_article_dates
from aggregator.exceptions import ConfigError
from aggregator.types import DateCandidate

NOW = datetime(2026, 1, 1, tzinfo=UTC)
P = "published"


def _c(raw: str, source: str, kind: str = P) -> DateCandidate:
    return DateCandidate(kind, raw, source)  # type: ignore[arg-type]


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_trust_order_is_documented_data() -> None:
    assert TRUST_ORDER[P][:5] == ("site", "jsonld", "meta", "time", "dateline")
    assert TRUST_ORDER[P].index("feed") < TRUST_ORDER[P].index("url")
    assert "url" not in TRUST_ORDER["modified"]
    every = {"jsonld", "meta", "time", "site", "feed", "sitemap", "dateline", "url", "text"}
    assert set(TRUST_ORDER[P]) == every


TRAPS = [
    pytest.param(
        [_c("2022-12-10T13-19-56Z", "meta"), _c("Sabtu, 10 Des 2022 13:19 WIB", "dateline")],
        _utc(2022, 12, 10, 6, 19, 56), id="detik-false-Z-vs-visible-WIB"),
    pytest.param(
        [_c("2015-11-05 T10:08:58Z", "meta"), _c("2015-11-05 T10:00:26Z", "meta"),
         _c("Kamis, 05/11/2015 10:00 WIB", "dateline")],
        _utc(2015, 11, 5, 3, 8, 58), id="detik-false-Z-learned-from-a-sibling"),
    pytest.param(
        [_c("2022-12-10T13-19-56Z", "meta"), _c("2022/12/10 13:19:56", "meta")],
        _utc(2022, 12, 10, 6, 19, 56), id="detik-false-Z-vs-zoneless-meta"),
    pytest.param(
        [_c("2016-02-16T02:10:56Z", "jsonld"), _c("on 16 Feb 2016 at 09:10 WIB", "dateline")],
        _utc(2016, 2, 16, 2, 10, 56), id="liputan6-real-Z"),
    pytest.param([_c("2016-02-16T02:10:56Z", "jsonld")], _utc(2016, 2, 16, 2, 10, 56),
                 id="lone-Z-is-believed"),
    pytest.param(
        [_c("2021-06-17T11:38:29-07:00", "meta"), _c("PERISTIWA | 17 Juni 2021 11:38", "dateline")],
        _utc(2021, 6, 17, 4, 38, 29), id="merdeka-wrong-sign-vs-visible"),
    pytest.param(
        [_c("2021-06-17T11:38:29-07:00", "meta"), _c("Thu, 17 Jun 2021 11:38:29 GMT", "meta")],
        _utc(2021, 6, 17, 4, 38, 29), id="merdeka-two-zones-one-wall-clock"),
    pytest.param([_c("2015-06-19T03:40:00+07:00Z", "meta")], _utc(2015, 6, 18, 20, 40),
                 id="merdeka-offset-and-Z"),
    pytest.param([_c("2016-02-16T13:01:52+0700", "meta")], _utc(2016, 2, 16, 6, 1, 52),
                 id="viva-offset-without-colon"),
    pytest.param([_c("2017-02-17 13:30:08", "jsonld")], _utc(2017, 2, 17, 6, 30, 8),
                 id="okezone-jsonld-without-zone"),
    pytest.param(
        [_c("2023-11-02T14:34:19+00:00", "meta"), _c("2023-11-02 21:34:19", "meta"),
         _c("02/11/2023, 21:34 WIB", "dateline")],
        _utc(2023, 11, 2, 14, 34, 19), id="kompas-real-utc-offset"),
    pytest.param(
        [_c("2022-01-08T10:15:00+07:00", "jsonld"), _c("2022-01-09T09:00:00+07:00", "meta")],
        _utc(2022, 1, 8, 3, 15), id="jsonld-beats-meta"),
    pytest.param(
        [_c("8 Januari 2022", "dateline"), _c("Sabtu, 8 Januari 2022 10:15 WIB", "dateline")],
        _utc(2022, 1, 8, 3, 15), id="precise-line-beats-date-only-line"),
    pytest.param(
        [_c("Kamis, 30 Desember 2021 10:00 WIB", "dateline"), _c("2022/01/08/", "url")],
        _utc(2022, 1, 7, 17, 0), id="sidebar-date-far-from-url-date-is-ignored"),
    pytest.param([_c("Baca juga", "dateline"), _c("2022-01-08", "url")], _utc(2022, 1, 7, 17, 0),
                 id="url-as-last-resort"),
    pytest.param(
        [_c("2023-11-02T21:34:19+00:00", "meta"), _c("02/11/2023, 21:34 WIB", "dateline")],
        _utc(2023, 11, 2, 14, 34, 19), id="meta-off-by-exactly-the-zone-offset"),
    pytest.param(
        [_c("2023-11-02T21:34:19+00:00", "jsonld"), _c("2023-11-02T21:34:19+00:00", "meta"),
         _c("02/11/2023, 21:34 WIB", "dateline")],
        _utc(2023, 11, 2, 14, 34, 19), id="same-false-value-twice-still-one-vote-each"),
]


@pytest.mark.parametrize(("cands", "expected"), TRAPS)
def test_traps(cands: list[DateCandidate], expected: datetime) -> None:
    published, _ = resolve_article_dates(cands, now=NOW, tz="Asia/Jakarta")
    assert published.value == expected


#: Only zones sites are known to emit falsely (Z, GMT, +00:00, the site's offset negated) are
#: re-read as the site's wall clock; WIB, WITA and WIT are believed even when a zone-less
#: candidate shows the same wall-clock time (a Bali or Papua story on a national portal).
ZONE_RULE = [
    pytest.param(
        [_c("2022-01-09T10:15:00+08:00", "jsonld"), _c("2022/01/09 10:15:00", "meta")],
        "Asia/Jakarta", _utc(2022, 1, 9, 2, 15), id="wita-jsonld-vs-zoneless-meta-on-wib-site"),
    pytest.param(
        [_c("2022-01-14T08:00:00+09:00", "jsonld"), _c("2022-01-14 08:00:00", "meta")],
        "Asia/Jakarta", _utc(2022, 1, 13, 23, 0), id="wit-jsonld-vs-zoneless-meta-on-wib-site"),
    pytest.param(
        [_c("Minggu, 09 Januari 2022 10:15 WITA", "dateline"), _c("2022/01/09/", "url")],
        "Asia/Jakarta", _utc(2022, 1, 9, 2, 15), id="wita-line-on-wib-site"),
    pytest.param(
        [_c("2022-01-09T10:15:00+08:00", "meta"), _c("2022-01-09T10:15:00Z", "meta"),
         _c("Minggu, 09 Januari 2022 10:15 WITA", "dateline")],
        "Asia/Jakarta", _utc(2022, 1, 9, 2, 15), id="false-z-is-not-read-as-wib-beside-wita"),
    pytest.param(
        [_c("2022-01-08T10:15:00+07:00", "meta"), _c("2022-01-08 10:15:00", "meta")],
        "Asia/Makassar", _utc(2022, 1, 8, 3, 15), id="wib-offset-believed-on-wita-site"),
    pytest.param(
        [_c("2022-01-08T10:15:00-08:00", "meta"), _c("2022-01-08 10:15:00", "meta")],
        "Asia/Makassar", _utc(2022, 1, 8, 2, 15), id="wrong-sign-wita-offset-on-wita-site"),
    pytest.param(
        [_c("2022-01-08T10:15:00+05:30", "meta"), _c("2022-01-08 10:15:00", "meta")],
        "Asia/Jakarta", _utc(2022, 1, 8, 4, 45), id="other-explicit-offset-believed"),
    pytest.param(
        [_c("2022-01-08T10:15:00-07:00", "meta"), _c("2022-01-08 10:15:00", "meta")],
        "Asia/Jakarta", _utc(2022, 1, 8, 3, 15), id="wrong-sign-wib-offset-on-wib-site"),
    pytest.param(
        [_c("Sat, 08 Jan 2022 10:15:00 GMT", "meta"), _c("2022-01-08 10:15", "meta")],
        "Asia/Jakarta", _utc(2022, 1, 8, 3, 15), id="false-gmt-vs-zoneless-meta"),
]


@pytest.mark.parametrize(("cands", "tz", "expected"), ZONE_RULE)
def test_only_known_false_zones_are_reread(
    cands: list[DateCandidate], tz: str, expected: datetime
) -> None:
    published, _ = resolve_article_dates(cands, now=NOW, tz=tz)
    assert published.value == expected


def test_source_and_raw_are_kept() -> None:
    cands = [_c("2022-12-10T13-19-56Z", "meta"), _c("Sabtu, 10 Des 2022 13:19 WIB", "dateline")]
    published, modified = resolve_article_dates(cands, now=NOW, tz="Asia/Jakarta")
    assert (published.raw, published.source) == ("2022-12-10T13-19-56Z", "meta")
    assert modified.value is None


def test_zone_of_the_site_applies_to_zoneless_candidates() -> None:
    cands = [_c("10 Des 2022 10:00", "dateline")]
    published, _ = resolve_article_dates(cands, now=NOW, tz="Asia/Jayapura")
    assert published.value == _utc(2022, 12, 10, 1, 0)


def test_modified_kept_apart_from_published() -> None:
    cands = [_c("2022-01-08T10:00:00+07:00", "jsonld"),
             _c("2022-01-07T10:00:00+07:00", "jsonld", "modified")]  # fmt: skip
    published, modified = resolve_article_dates(cands, now=NOW, tz="Asia/Jakarta")
    assert published.value == _utc(2022, 1, 8, 3, 0)
    assert modified.value == _utc(2022, 1, 7, 3, 0)


@pytest.mark.parametrize("cands", [[], [_c("", "meta")], [_c("Baca juga", "dateline")]])
def test_nothing_usable_gives_empty_dates(cands: list[DateCandidate]) -> None:
    published, modified = resolve_article_dates(cands, now=NOW, tz="Asia/Jakarta")
    assert published.value is None
    assert published.raw is None
    assert modified.value is None


def test_unknown_zone_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="Nowhere/Atlantis"):
        resolve_article_dates([], now=NOW, tz="Nowhere/Atlantis")


def test_feed_and_page_zones_are_judged_apart() -> None:
    # detik-7: the page's 'Z' is false (WIB), the feed's GMT is real; both say 10:08:58 WIB.
    cands = [_c("2015-11-05 T10:08:58Z", "meta"), _c("2015-11-05 T10:00:26Z", "meta"),
             _c("Kamis, 05/11/2015 10:08 WIB", "dateline"),
             _c("Thu, 05 Nov 2015 03:08:58 GMT", "feed")]  # fmt: skip
    published, _ = resolve_article_dates(cands, now=NOW, tz="Asia/Jakarta")
    assert published.value == _utc(2015, 11, 5, 3, 8, 58)
    feed_only, _ = resolve_article_dates(cands[3:], now=NOW, tz="Asia/Jakarta")
    assert feed_only.value == _utc(2015, 11, 5, 3, 8, 58)


def test_weak_sources_after_now_are_schedules_not_publication_dates() -> None:
    now = _utc(2022, 1, 10, 5, 0)
    cands = [_c("Sabtu, 15 Januari 2022 19:00 WIB", "dateline"),
             _c("Senin, 10 Januari 2022 11:30 WIB", "dateline")]  # fmt: skip
    published, _ = resolve_article_dates(cands, now=now, tz="Asia/Jakarta")
    assert published.value == _utc(2022, 1, 10, 4, 30)
    strong, _ = resolve_article_dates([_c("2022-01-15T19:00:00+07:00", "jsonld")], now=now,
                                      tz="Asia/Jakarta")  # fmt: skip
    assert strong.value == _utc(2022, 1, 15, 12, 0)  # kept: the pipeline rejects it, counted


def test_wita_site_with_a_false_z() -> None:
    cands = [_c("2022-01-08T10:15:00Z", "meta"), _c("Sabtu, 8 Januari 2022 10:15 WITA", "dateline")]
    published, _ = resolve_article_dates(cands, now=NOW, tz="Asia/Makassar")
    assert published.value == _utc(2022, 1, 8, 2, 15)
    zoneless = [_c("2022-01-08T10:15:00Z", "meta"), _c("Sabtu, 8 Januari 2022 10:15", "dateline")]
    published, _ = resolve_article_dates(zoneless, now=NOW, tz="Asia/Makassar")
    assert published.value == _utc(2022, 1, 8, 2, 15)


def test_date_only_winner_takes_the_time_of_the_same_day() -> None:
    same_day = [_c("2022-01-08", "jsonld"), _c("Sabtu, 8 Januari 2022 10:15 WIB", "dateline")]
    published, _ = resolve_article_dates(same_day, now=NOW, tz="Asia/Jakarta")
    assert published.value == _utc(2022, 1, 8, 3, 15)
    assert published.source == "dateline"
    other_day = [_c("2022-01-08", "jsonld"), _c("Jumat, 7 Januari 2022 10:15 WIB", "dateline")]
    published, _ = resolve_article_dates(other_day, now=NOW, tz="Asia/Jakarta")
    assert published.value == _utc(2022, 1, 7, 17, 0)
    assert published.source == "jsonld"


# Issue 18: a written UTC is believed unless the page shows otherwise.
UTC_CASES = [
    pytest.param(
        [_c("2024-05-01T03:00:00+00:00", "jsonld"), _c("2024-05-01T03:00:00+00:00", "meta"),
         _c("https://www.contohberita.id/ekonomi/2024/05/01/harga-beras", "url")],
        _utc(2024, 5, 1, 3, 0), id="utc-in-jsonld-and-meta-no-date-line"),
    pytest.param(
        [_c("2024-05-01T03:00:00Z", "jsonld"), _c("2024-05-01T03:00:00Z", "meta")],
        _utc(2024, 5, 1, 3, 0), id="z-in-both-no-url"),
    pytest.param(
        [_c("2024-05-01T03:00:00Z", "meta"),
         _c("Rabu, 1 Mei 2024 | 10:00 WIB", "dateline")],
        _utc(2024, 5, 1, 3, 0), id="utc-agrees-with-the-visible-wib-line"),
    pytest.param(
        [_c("2024-05-01T10:00:00Z", "meta"),
         _c("Rabu, 1 Mei 2024 | 10:00 WIB", "dateline")],
        _utc(2024, 5, 1, 3, 0), id="false-z-shown-by-the-visible-line"),
    pytest.param(
        [_c("2024-05-01T10:00:00Z", "jsonld"),
         _c("Rabu, 1 Mei 2024 | 10:00 WITA", "dateline")],
        _utc(2024, 5, 1, 2, 0), id="false-z-on-a-wita-outlet-read-in-the-line-zone"),
    pytest.param(
        [_c("2024-05-01T22:50:00Z", "jsonld"),
         _c("1 Mei 2024 22:50 WIT", "dateline")],
        _utc(2024, 5, 1, 13, 50), id="false-z-on-a-wit-outlet"),
]


@pytest.mark.parametrize(("cands", "expected"), UTC_CASES)
def test_written_utc_needs_evidence_to_be_doubted(cands: list[DateCandidate],
                                                  expected: datetime) -> None:
    now = _utc(2024, 5, 1, 6, 0) if expected.hour < 6 else _utc(2024, 5, 2)
    published, _ = resolve_article_dates(cands, now=now, tz="Asia/Jakarta")
    assert published.value == expected
