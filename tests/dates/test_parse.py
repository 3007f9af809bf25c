"""parse_date against the shared table, plus properties: never raises, UTC out, zone-proof."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.dates import parse_date, read_date
from aggregator.exceptions import ConfigError
from tests.dates.cases import DEFAULT_NOW, load_cases

CASES = load_cases()


def test_table_is_large_and_covers_every_group() -> None:
    groups = Counter(c.group for c in CASES)
    assert len(CASES) >= 150
    for group in ("fixture", "zone", "relative", "yearless", "invalid", "names", "numeric"):
        assert groups[group] >= 5, group


@pytest.mark.parametrize("case", CASES, ids=[f"{c.group}:{c.text[:40]}" for c in CASES])
def test_parse_date_table(case) -> None:  # type: ignore[no-untyped-def]
    got = parse_date(case.text, now=case.now, tz=case.tz)
    assert got == case.expected
    if got is not None:
        assert got.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "precision", "zoned"),
    [
        ("2022-12-10T13-19-56Z", "second", True),
        ("Sabtu, 10 Des 2022 13:19 WIB", "minute", True),
        ("Kamis, 05 November 2015 11:52", "minute", False),
        ("2015-11-05", "day", False),
        ("5 menit yang lalu", "minute", False),
        ("kemarin, 14:30 WIB", "minute", False),
        ("2 jam lalu", "day", False),
        ("kemarin", "day", False),
    ],
)
def test_reading_precision_and_zone(text: str, precision: str, zoned: bool) -> None:
    reading = read_date(text, now=DEFAULT_NOW)
    assert reading is not None
    assert (reading.precision, reading.zoned) == (precision, zoned)


def test_wall_reading_ignores_the_named_zone() -> None:
    reading = read_date("2022-12-10T13-19-56Z")
    assert reading is not None
    assert reading.wall == datetime(2022, 12, 10, 6, 19, 56, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "tz", "doubtful"),
    [
        ("2022-12-10T13-19-56Z", "Asia/Jakarta", True),
        ("Thu, 17 Jun 2021 11:38:29 GMT", "Asia/Jakarta", True),
        ("2023-11-02T21:34:19+00:00", "Asia/Jakarta", True),
        ("2021-06-17T11:38:29-07:00", "Asia/Jakarta", True),
        ("2021-06-17T11:38:29-08:00", "Asia/Makassar", True),
        ("2022-01-09T10:15:00+08:00", "Asia/Jakarta", False),
        ("2022-01-14T08:00:00+09:00", "Asia/Jakarta", False),
        ("Minggu, 09 Januari 2022 10:15 WITA", "Asia/Jakarta", False),
        ("2022-01-08T10:15:00+07:00", "Asia/Makassar", False),
        ("2021-06-17T11:38:29-07:00", "Asia/Makassar", False),
        ("2022-01-08T10:15:00+05:30", "Asia/Jakarta", False),
        ("2022-01-08T10:15:00+07:00", "Asia/Jakarta", False),
        ("2022-01-08T10:15:00Z", "UTC", False),
        ("2022-01-08 10:15", "Asia/Jakarta", False),
        ("1641611700", "Asia/Jakarta", False),
    ],
)
def test_only_known_false_zone_markers_are_doubtful(text: str, tz: str, doubtful: bool) -> None:
    reading = read_date(text, now=DEFAULT_NOW, tz=tz)
    assert reading is not None
    assert reading.doubtful is doubtful


def test_naive_now_is_taken_as_utc() -> None:
    naive = DEFAULT_NOW.replace(tzinfo=None)
    assert parse_date("2 jam lalu", now=naive) == DEFAULT_NOW - timedelta(hours=2)


@pytest.mark.parametrize("tz", ["Mars/Olympus", "", None, 7, "../../etc/passwd"])
def test_unknown_zone_is_a_config_error(tz: object) -> None:
    with pytest.raises(ConfigError, match="time zone"):
        parse_date("8 Januari 2022", tz=tz)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tz", "hours"), [("WITA", 8), ("wit", 9), ("UTC", 0), (" Asia/Jakarta ", 7)]
)
def test_zone_abbreviations_and_padding_are_accepted(tz: str, hours: int) -> None:
    got = parse_date("8 Januari 2022 10:00", tz=tz)
    assert got == datetime(2022, 1, 8, 10 - hours, tzinfo=UTC)


@pytest.mark.parametrize("bad", [None, 20220108, b"8 Januari 2022", ["8/1/2022"], "x" * 5000])
def test_non_text_and_huge_input_give_none(bad: object) -> None:
    assert parse_date(bad, now=DEFAULT_NOW) is None  # type: ignore[arg-type]


_TOKENS = st.sampled_from(
    [*"0123456789/:.-+, ()|TZ'", "Januari", "Des", "WITA", "WIB", "pukul", "lalu", "jam"]
)
_DATEISH = st.lists(_TOKENS, max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60) | _DATEISH)
def test_random_text_never_raises(text: str) -> None:
    got = parse_date(text, now=DEFAULT_NOW)
    assert got is None or got.utcoffset() == timedelta(0)


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 30)),
    st.sampled_from([("WIB", 7), ("WITA", 8), ("WIT", 9)]),
)
def test_generated_dates_round_trip(moment: datetime, zone: tuple[str, int]) -> None:
    name, hours = zone
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember"]  # fmt: skip
    text = f"{moment.day} {months[moment.month - 1]} {moment.year} {moment:%H:%M} {name}"
    expected = moment.replace(second=0, microsecond=0) - timedelta(hours=hours)
    assert parse_date(text, now=DEFAULT_NOW) == expected.replace(tzinfo=UTC)


_DUMP = """
import json, sys
from datetime import datetime, UTC
from pathlib import Path
from aggregator.dates import collect_date_candidates, parse_date, resolve_article_dates
from tests.dates.cases import load_cases
out = []
for c in load_cases():
    got = parse_date(c.text, now=c.now, tz=c.tz)
    out.append(got.isoformat() if got else None)
fixtures = Path("tests/fixtures/id-news")
for truth in sorted((fixtures / "truth").glob("*.json"))[::5]:
    html = (fixtures / "pages" / (truth.stem + ".html")).read_bytes().decode("utf-8")
    cands = collect_date_candidates(html, json.loads(truth.read_text())["url"])
    now = datetime(2026, 11, 1, tzinfo=UTC)
    pub, mod = resolve_article_dates(cands, now=now, tz="Asia/Jakarta")
    out.append([str(pub.value), str(mod.value)])
json.dump(out, sys.stdout, default=str)
"""


def _dump_under(tz: str) -> list[object]:
    """The whole table parsed in a child process whose machine zone is `tz`."""
    env = {**os.environ, "TZ": tz}
    done = subprocess.run(
        [sys.executable, "-c", _DUMP], env=env, capture_output=True, text=True, timeout=120,
        check=True, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    result: list[object] = json.loads(done.stdout)
    return result


def test_results_do_not_depend_on_the_machine_zone() -> None:
    in_utc = _dump_under("UTC")
    assert in_utc == _dump_under("Asia/Jakarta")
    assert in_utc == _dump_under("America/New_York")
    assert any(in_utc)
