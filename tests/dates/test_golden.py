"""Every fixture page with truth: collected and resolved published date == truth (or an alt)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest

from aggregator.dates import collect_date_candidates, resolve_article_dates

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "id-news"
TRUTHS = sorted((FIXTURES / "truth").glob("*.json"))
#: A fixed crawl time after every article in the fixtures.
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _page(name: str) -> str:
    # The fixtures README: decode every page as UTF-8 whatever it declares.
    return (FIXTURES / "pages" / f"{name}.html").read_bytes().decode("utf-8", "replace")


def _accepted(truth: dict[str, object]) -> list[datetime]:
    alts = truth.get("published_alt") or []
    assert isinstance(alts, list)
    return [datetime.fromisoformat(str(v)) for v in [truth["published"], *alts]]


def _matches(value: datetime | None, accepted: list[datetime]) -> bool:
    # Visible dates have minute precision; the truth keeps seconds when metadata has them.
    return value is not None and any(abs(value - t) < timedelta(minutes=1) for t in accepted)


def test_there_are_52_truth_pages() -> None:
    assert len(TRUTHS) == 52


@pytest.mark.parametrize("truth_path", TRUTHS, ids=[p.stem for p in TRUTHS])
def test_published_date_matches_truth(truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    candidates = collect_date_candidates(_page(truth_path.stem), str(truth["url"]))
    published, _ = resolve_article_dates(candidates, now=NOW, tz="Asia/Jakarta")
    assert _matches(published.value, _accepted(truth)), (published, candidates)
    assert published.raw
    assert published.source


@pytest.mark.parametrize("name", ["detik-1", "kompas-3", "okezone-1"])
def test_tree_and_string_give_the_same_candidates(name: str) -> None:
    html = _page(name)
    url = "https://example.com/read/2022/12/10/x"
    tree = lxml.html.document_fromstring(html)
    assert collect_date_candidates(tree, url) == collect_date_candidates(html, url)
    assert collect_date_candidates(html.encode("utf-8"), url) == collect_date_candidates(html, url)


def test_modified_date_is_not_taken_as_min_or_max() -> None:
    # liputan6-6 is a scheduled post: dateModified is EARLIER than datePublished.
    cands = collect_date_candidates(_page("liputan6-6"), "https://hot.liputan6.com/read/4611435/x")
    published, modified = resolve_article_dates(cands, now=NOW, tz="Asia/Jakarta")
    assert published.value == datetime(2021, 7, 21, 0, 0, 18, tzinfo=UTC)
    assert modified.value == datetime(2021, 7, 20, 9, 10, 45, tzinfo=UTC)
