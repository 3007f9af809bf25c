"""The site date candidates and the date guess used to pick a parser version."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from aggregator.sites.dating import machine_dates, site_dates
from aggregator.sites.hints import guess_page_date

JAKARTA = "Asia/Jakarta"


@pytest.mark.parametrize(
    ("visible", "machine", "expected"),
    [
        # Agreeing to the minute: the precise value comes first, the visible line second.
        (
            "Sabtu, 10 Des 2022 13:19 WIB",
            ["2022-12-10T13:19:56+07:00"],
            ["2022-12-10T13:19:56+07:00", "Sabtu, 10 Des 2022 13:19 WIB"],
        ),
        # A false 'Z' (detik): read as the site's wall-clock time when that agrees.
        (
            "Kamis, 05/11/2015 10:08 WIB",
            ["2015-11-05T10-08-58Z"],
            ["2015-11-05T10:08:58+07:00", "Kamis, 05/11/2015 10:08 WIB"],
        ),
        # merdeka's wrong sign: the negated site offset is doubted too.
        (
            "PERISTIWA | 17 Juni 2021 11:38",
            ["2021-06-17T11:38:29-07:00"],
            ["2021-06-17T11:38:29+07:00", "PERISTIWA | 17 Juni 2021 11:38"],
        ),
        # A real WITA value is never re-read as WIB, even when its wall clock matches.
        (
            "Minggu, 09 Januari 2022 10:15 WIB",
            ["2022-01-09T10:15:00+08:00"],
            ["Minggu, 09 Januari 2022 10:15 WIB"],
        ),
        (
            "Minggu, 09 Januari 2022 10:15 WITA",
            ["2022-01-09T10:15:00+08:00"],
            ["2022-01-09T10:15:00+08:00", "Minggu, 09 Januari 2022 10:15 WITA"],
        ),
        # Disagreeing by more than a minute in both readings: only the visible line.
        (
            "Selasa, 23/02/2016 15:32 WIB",
            ["2016-02-23 T16:00:20Z"],
            ["Selasa, 23/02/2016 15:32 WIB"],
        ),
        # No visible line: nothing to vouch for a machine value (the resolver checks those).
        (None, ["2021-09-30T12:00:35+07:00"], []),
        # A visible line the parser cannot read: kept as it is, no machine value added.
        ("kemarin sore", ["2021-09-30T12:00:35+07:00"], ["kemarin sore"]),
        # Unparseable machine values are skipped.
        ("16 Februari 2016 | 14:38 WIB", ["not a date"], ["16 Februari 2016 | 14:38 WIB"]),
        (None, [], []),
    ],
)
def test_site_dates(visible: str | None, machine: list[str], expected: list[str]) -> None:
    found = site_dates(visible, machine, JAKARTA, "V1")
    assert [c.raw for c in found] == expected
    assert {c.source for c in found} <= {"site"}
    assert {c.kind for c in found} <= {"published"}


def test_machine_dates_reads_jsonld_then_meta() -> None:
    tree = lxml.html.fromstring(
        """<html><head>
        <script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",
          "datePublished": "2023-11-02T21:34:19+07:00"}]}</script>
        <script type="application/ld+json">{ broken json</script>
        <meta property="article:published_time" content="2023-11-02T14:34:19+00:00">
        <meta name="pubdate" content="2023-11-02T21-34-19Z">
        </head><body></body></html>"""
    )
    assert machine_dates(tree) == [
        "2023-11-02T21:34:19+07:00",
        "2023-11-02T14:34:19+00:00",
        "2023-11-02T21-34-19Z",
    ]


@pytest.mark.parametrize(
    ("meta", "url", "expected"),
    [
        ("2022-12-10T13-19-56Z", "https://news.detik.com/berita/d-1/x", date(2022, 12, 10)),
        ("2015/06/19 12:00", "https://x.example/", date(2015, 6, 19)),
        ("", "https://money.kompas.com/read/2023/11/02/213419026/x", date(2023, 11, 2)),
        ("", "https://www.suara.com/news/2015/06/19/130605/x", date(2015, 6, 19)),
        ("", "https://x.example/2015/13/45/x", None),
        ("garbage", "https://x.example/no/date", None),
    ],
)
def test_guess_page_date(meta: str, url: str, expected: date | None) -> None:
    head = f'<meta property="article:published_time" content="{meta}">' if meta else ""
    tree = lxml.html.fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>")
    assert guess_page_date(tree, url) == expected
