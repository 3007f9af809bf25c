"""When a stored article is fetched again: the decision table."""

from __future__ import annotations

import datetime as dt

import pytest

from aggregator.incremental.policy import (
    RecheckPolicy,
    StoredArticle,
    decide,
    discovery_date,
    safe_parse_date,
)

NOW = dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
OLD = NOW - 30 * 24 * H


def _stored(**kw: dt.datetime | None) -> StoredArticle:
    base: dict[str, dt.datetime | None] = {
        "first_seen_at": OLD, "published_at": OLD, "modified_at": None,
        "last_fetched_at": OLD, "lastmod_seen": OLD,
    }
    base.update(kw)
    return StoredArticle(article_id=1, **base)


CASES = [
    # (stored, discovery date, expected)
    (None, None, "new"),
    (None, OLD, "new"),
    (_stored(), None, "unchanged"),
    (_stored(), OLD, "unchanged"),
    (_stored(), OLD + dt.timedelta(seconds=59), "unchanged"),  # minute-precision slack
    (_stored(), OLD + 2 * H, "changed"),
    (_stored(modified_at=OLD + 3 * H), OLD + 2 * H, "unchanged"),
    (_stored(lastmod_seen=OLD + 5 * H), OLD + 5 * H, "unchanged"),  # seen at last fetch
    (_stored(published_at=None, lastmod_seen=None), OLD + H, "changed"),  # vs last fetch
    (_stored(published_at=None, lastmod_seen=None), OLD - H, "unchanged"),
    # young articles are re-checked, but not twice within the minimum interval
    (_stored(published_at=NOW - 2 * H, last_fetched_at=NOW - 2 * H), None, "recheck"),
    (_stored(published_at=NOW - 2 * H, last_fetched_at=NOW - 10 * dt.timedelta(minutes=1)),
     None, "unchanged"),
    (_stored(published_at=NOW - 7 * H, last_fetched_at=NOW - 7 * H), None, "unchanged"),
    (_stored(published_at=None, first_seen_at=NOW - H, last_fetched_at=None), None, "recheck"),
]


@pytest.mark.parametrize(("stored", "found", "expected"), CASES)
def test_decision_table(
    stored: StoredArticle | None, found: dt.datetime | None, expected: str
) -> None:
    assert decide(stored, found, now=NOW) == expected


def test_policy_knobs() -> None:
    young = _stored(published_at=NOW - 2 * H, last_fetched_at=NOW - 2 * H)
    assert decide(young, None, now=NOW, policy=RecheckPolicy(window=H)) == "unchanged"
    assert decide(young, None, now=NOW, policy=RecheckPolicy(min_interval=3 * H)) == "unchanged"
    assert decide(young, None, now=NOW, policy=RecheckPolicy(window=dt.timedelta(0))) == "unchanged"


@pytest.mark.parametrize(
    ("discovery", "expected"),
    [
        ({"lastmod": "2026-01-20T10:00:00+07:00"}, dt.datetime(2026, 1, 20, 3, tzinfo=dt.UTC)),
        ({"published": "Tue, 20 Jan 2026 10:00:00 +0700"},
         dt.datetime(2026, 1, 20, 3, tzinfo=dt.UTC)),
        ({"lastmod": "2026-01-20T10:00:00Z", "published": "2020-01-01T00:00:00Z"},
         dt.datetime(2026, 1, 20, 10, tzinfo=dt.UTC)),
        ({"lastmod": "bukan tanggal", "published": "2026-01-20T10:00:00Z"},
         dt.datetime(2026, 1, 20, 10, tzinfo=dt.UTC)),
        ({"lastmod": None, "published": ""}, None),
        ({"lastmod": 12345}, None),
        ({}, None),
        (None, None),
        ("not a dict", None),
    ],
)
def test_discovery_date(discovery: object, expected: dt.datetime | None) -> None:
    assert discovery_date(discovery, now=NOW) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (NOW, NOW),
        (dt.datetime(2026, 1, 20, 19, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), NOW),
        (dt.datetime(2026, 1, 20, 12, 0), None),  # naive: refused, not guessed
        ("2026-01-20T19:00:00+07:00", NOW),
        ("", None),
        (None, None),
        (3.5, None),
        ("x" * 10_000, None),
    ],
)
def test_safe_parse_date(raw: object, expected: dt.datetime | None) -> None:
    assert safe_parse_date(raw) == expected
