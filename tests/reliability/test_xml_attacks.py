"""Entity expansion and XXE in feeds and sitemaps: nothing expanded, read or fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.discovery import DiscoveryError, parse_document
from tests.reliability.helpers import HOSTILE, crawl, db_text, hostile_mirror
from tests.scorecard import record

pytestmark = pytest.mark.timeout(180)

BASE = "http://127.0.0.1:9"
XML = sorted(p.name for p in (HOSTILE / "xml").glob("*.xml"))
GOOD = "/pages/enc-utf8.html"
#: Text that only an expanded entity or a read local file could produce.
LEAKS = ("lollollol", "root:x:0:0", "/bin/bash", "/usr/sbin/nologin")


def _passwd_line() -> str:
    """The first line of this machine's /etc/passwd (what an XXE would leak)."""
    try:
        return Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return "root:x:0:0"


def test_fixtures_cover_every_attack() -> None:
    assert set(OUTCOMES) == set(XML)


#: Fixture -> how the parser must treat it: refused as a bomb, or parsed with the
#: entity left unresolved (an XXE reference is inert once entities are never resolved).
OUTCOMES = {
    "billion-laughs-feed.xml": "unsafe_xml",
    "billion-laughs-sitemap.xml": "unsafe_xml",
    "quadratic-feed.xml": "unsafe_xml",
    "xxe-feed.xml": "parsed",
    "xxe-sitemap.xml": "parsed",
    "external-dtd-feed.xml": "parsed",
}


def _outcome(body: bytes) -> tuple[str, str]:
    """('parsed', repr of the result) or (the DiscoveryError reason, '')."""
    try:
        return "parsed", repr(parse_document(body, BASE + "/feed"))
    except DiscoveryError as exc:
        return exc.reason, ""


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("name", "expected"), sorted(OUTCOMES.items()))
def test_parser_never_expands_or_reads(name: str, expected: str) -> None:
    body = (HOSTILE / "xml" / name).read_bytes().replace(b"{{BASE_URL}}", BASE.encode())
    outcome, dumped = _outcome(body)
    assert outcome == expected
    for leak in (*LEAKS, _passwd_line()):
        assert leak not in dumped
    if outcome == "parsed":  # the good entry survives next to the inert hostile one
        assert f"url='{BASE}{GOOD}'" in dumped
        assert len(dumped) < 5_000  # nothing was blown up
    record("xml", name, payload_bytes=len(body), outcome=outcome, leaks=0)


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_crawl_of_hostile_feeds_and_sitemaps(tmp_path: Path) -> None:
    with hostile_mirror() as server:
        args = []
        for name in XML:
            args += ["--sitemap" if "sitemap" in name else "--feed", server.url(f"/xml/{name}")]
        run = crawl(tmp_path, *args)
        assert server.hits("/evil.dtd") == 0  # external DTD and parameter entity not fetched
        base = server.base_url
    assert run.rc == 0, run.output
    # Every document is accounted for: parsed (entities left unresolved) or refused.
    expected = list(OUTCOMES.values())
    assert run.stat_sum("discovery/documents/") == expected.count("parsed")
    assert run.stat("discovery/unsafe_xml") == expected.count("unsafe_xml")
    # The one good article they all list is fetched once and stored once; the other
    # links (literal entity references) end as counted failures, none silently lost.
    assert [r["url"] for r in run.rows("articles")] == [base + GOOD]
    failed_articles = [u for u, r in run.failed().items() if not u.endswith(".xml")]
    assert run.stat("discovery/links") == 1 + len(failed_articles)
    assert run.stat_sum("spider/failed/article/") == len(failed_articles)
    stored = db_text(run.db)
    for leak in (*LEAKS, _passwd_line()):
        assert leak not in stored
        assert leak not in run.output
    assert len(stored) < 200_000
    record("xml", "hostile feeds and sitemaps (crawl)", documents=len(XML),
           refused_unsafe=run.stat("discovery/unsafe_xml"), file_reads=0, dtd_fetches=0,
           crashes=0)  # fmt: skip
