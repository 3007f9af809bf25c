"""Crawl with --archive, then re-extract: same rows back, nothing touched when nothing
changed, exactly the matching articles revised after a rule change, revisits resolved."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from aggregator.archive.reader import read_record
from aggregator.archive.reextract import Reextractor, ReextractReport
from aggregator.cleaning import _compiled
from aggregator.cleaning import rules as cleaning_rules
from aggregator.config import normalize_url
from aggregator.mirror import MirrorServer
from aggregator.storage.db import make_engine
from tests.archive.crawl import (
    COLUMNS,
    RELATIVE_PATH,
    articles,
    clusters,
    copy_sqlite,
    crawl,
    execute,
    scalar,
    start_mirror,
)
from tests.archive.helpers import warcio_check

pytestmark = pytest.mark.slow
MULTI_PAGE = "/read/2024/03/15/08000031/mudik-lebaran-2024-ini-jadwal-lengkap-rekayasa-lalu-lintas"


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MirrorServer]:
    server = start_mirror(tmp_path_factory.mktemp("site"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def archived(mirror: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One crawl with --archive into SQLite: (database file, archive directory)."""
    root = tmp_path_factory.mktemp("crawl")
    db, warc = root / "crawl.db", root / "warc"
    crawl(mirror, f"sqlite:///{db}", warc)
    return db, warc


@pytest.fixture
def db(archived: tuple[Path, Path], tmp_path: Path) -> str:
    """A private copy of the crawled database (the WARC files are shared, read-only)."""
    return copy_sqlite(archived[0], tmp_path / "copy.db")


def reextract(db_url: str, **options: Any) -> ReextractReport:
    """Run a re-extraction in this process."""
    engine = make_engine(db_url)
    try:
        return Reextractor(engine, **options).run()
    finally:
        engine.dispose()


def test_archive_has_every_fetch_and_passes_warcio_check(archived: tuple[Path, Path],
                                                         db: str) -> None:  # fmt: skip
    files = sorted(archived[1].glob("*.warc.gz"))
    assert files
    check = warcio_check(*files)
    assert check.returncode == 0, check.stdout
    responses = 0
    for path in files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                responses += record.rec_type == "response"
    assert responses == scalar(db, "SELECT count(*) FROM captures")
    stats = json.loads((archived[1].parent / "warc-stats.json").read_text())
    assert stats["archive/responses"] == stats["archive/rows"] == responses
    assert stats["archive/files"] == len(files)
    assert stats["archive/bytes"] == sum(p.stat().st_size for p in files)
    assert "archive/errors" not in stats
    kinds = {k for (k,) in _rows(db, "SELECT DISTINCT kind FROM captures")}
    assert {"feed", "sitemap", "article", "article_page"} <= kinds
    # Every stored article's first page is linked to it.
    linked = scalar(db, "SELECT count(DISTINCT article_id) FROM captures")
    assert linked == scalar(db, "SELECT count(*) FROM articles")
    # The stored fetch time is the capture's (relative dates resolve against it).
    for url, fetched in _rows(db, "SELECT url, fetched_at FROM articles"):
        row = _rows(db, f"SELECT warc_file, warc_offset FROM captures WHERE url = '{url}' "
                        "AND kind = 'article'")  # fmt: skip
        record = read_record(row[0][0], row[0][1])
        assert record.date == _aware(fetched)


def _rows(db: str, sql: str) -> list[Any]:
    from sqlalchemy import create_engine, text

    engine = create_engine(normalize_url(db))
    with engine.connect() as conn:
        rows = list(conn.execute(text(sql)))
    engine.dispose()
    return rows


def _aware(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def test_reextract_with_unchanged_code_touches_nothing(db: str) -> None:
    before = articles(db)
    report = reextract(db)
    assert report.errors == []
    assert (report.changed, report.inserted, report.revisions) == (0, 0, 0)
    assert report.unchanged == len(before) == report.articles
    assert articles(db) == before  # updated_at and last_seen_at included
    assert scalar(db, "SELECT count(*) FROM article_revisions") == 0


def test_deleted_articles_come_back_the_same(db: str, mirror: MirrorServer) -> None:
    before = articles(db)
    execute(db, "DELETE FROM articles")
    report = reextract(db)
    assert report.inserted == len(before)
    assert report.errors == []
    after = articles(db)
    assert after.keys() == before.keys()
    for url, row in before.items():
        assert {c: after[url][c] for c in COLUMNS} == {c: row[c] for c in COLUMNS}, url
    assert clusters(after) == clusters(before)
    relative = after[mirror.url(RELATIVE_PATH)]
    assert relative["published_raw"] == "2 jam yang lalu"
    published = _aware(relative["published_at"])
    assert published == _aware(relative["fetched_at"]) - dt.timedelta(hours=2)
    assert after[mirror.url(MULTI_PAGE)]["page_count"] == 2
    # The captures point to the re-inserted articles again.
    assert scalar(db, "SELECT count(DISTINCT article_id) FROM captures") == len(after)


@pytest.fixture
def mjo_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A boilerplate rule added "after the crawl": drop paragraphs naming Madden-Julian."""
    rule = cleaning_rules.TextRule("test/mjo", r"Madden-Julian", doc="test rule")
    sites = dict(cleaning_rules.SITE_RULES)
    sites["127.0.0.1"] = cleaning_rules.RuleSet(texts=(rule,))
    monkeypatch.setattr(cleaning_rules, "SITE_RULES", sites)
    _compiled.cache_clear()
    yield "Madden-Julian"
    _compiled.cache_clear()


def test_new_rule_changes_exactly_the_matching_articles(db: str, mjo_rule: str,
                                                        tmp_path: Path) -> None:  # fmt: skip
    before = articles(db)
    matching = {url for url, row in before.items() if mjo_rule in row["body"]}
    assert matching
    assert len(matching) < len(before)
    diff = tmp_path / "diff.jsonl"
    with diff.open("w", encoding="utf-8") as out:
        dry = reextract(db, dry_run=True, diff_out=out)
    assert (dry.changed, dry.revisions) == (len(matching), 0)
    assert articles(db) == before  # a dry run writes nothing
    lines = [json.loads(line) for line in diff.read_text().splitlines()]
    assert {line["url"] for line in lines} == matching
    assert all(f"-{_paragraph(before[d['url']]['body'], mjo_rule)}" in d["fields"]["body"]["diff"]
               for d in lines)  # fmt: skip

    report = reextract(db)
    assert (report.changed, report.revisions, report.unchanged) == (
        len(matching), len(matching), len(before) - len(matching))
    after = articles(db)
    for url, row in after.items():
        if url in matching:
            assert row["revision_count"] == 1
            assert mjo_rule not in row["body"]
        else:
            assert row == before[url]
    assert scalar(db, "SELECT count(*) FROM article_revisions") == len(matching)
    again = reextract(db)  # idempotent: the second run finds nothing to do
    assert (again.changed, again.revisions) == (0, 0)


def _paragraph(body: str, needle: str) -> str:
    return next(p for p in body.split("\n\n") if needle in p)[:60]


def test_revisits_resolve_to_their_original(
    archived: tuple[Path, Path], db: str, mirror: MirrorServer, tmp_path: Path
) -> None:
    warc = tmp_path / "warc2"
    # Incremental skips off: every page is fetched again, with the same payload.
    crawl(mirror, db, warc, "-s", "AGGREGATOR_INCREMENTAL_ENABLED=false")
    revisits = _rows(db, "SELECT r.url, r.refers_to, r.payload_digest, o.payload_digest, "
                         "o.warc_file FROM captures r JOIN captures o ON o.record_id = r.refers_to"
                         " WHERE r.record_type = 'revisit'")  # fmt: skip
    assert len(revisits) >= len(articles(db))
    assert all(r[2] == r[3] and Path(r[4]).parent == archived[1] for r in revisits)
    assert warcio_check(*warc.glob("*.warc.gz")).returncode == 0
    before = articles(db)
    execute(db, "DELETE FROM articles")
    report = reextract(db)  # the latest captures are the revisits
    assert report.inserted == len(before)
    assert report.errors == []
    after = articles(db)
    for url, row in before.items():
        assert {c: after[url][c] for c in COLUMNS} == {c: row[c] for c in COLUMNS}, url


def test_a_damaged_record_is_one_error_and_the_rest_comes_back(
    archived: tuple[Path, Path], db: str, tmp_path: Path
) -> None:
    copy = tmp_path / "warc"
    copy.mkdir()
    for path in archived[1].glob("*.warc.gz"):
        (copy / path.name).write_bytes(path.read_bytes())
        execute(db, f"UPDATE captures SET warc_file = '{copy / path.name}' "
                    f"WHERE warc_file = '{path}'")  # fmt: skip
    [(victim_url, file, offset, length)] = _rows(
        db, "SELECT url, warc_file, warc_offset, warc_length FROM captures "
            "WHERE kind = 'article' AND status = 200 ORDER BY id LIMIT 1")  # fmt: skip
    data = bytearray(Path(file).read_bytes())
    data[offset + length // 2 : offset + length // 2 + 32] = b"\xff" * 32
    Path(file).write_bytes(bytes(data))
    before = articles(db)
    execute(db, "DELETE FROM articles")
    report = reextract(db)
    assert len(report.errors) == 1
    assert f"{file} at offset {offset}" in report.errors[0]
    assert set(articles(db)) == set(before) - {victim_url}


def test_cli_reextract_and_archive_commands(db: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    # Wide enough for the file names whatever COLUMNS the test run inherited.
    env = {**os.environ, "COLUMNS": "240"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "aggregator.cli.main", *args], env=env,
                              capture_output=True, text=True, timeout=120, check=False)  # fmt: skip

    diff = tmp_path / "d.jsonl"
    dry = cli("reextract", "--db", db, "--dry-run", "--diff-out", str(diff))
    assert dry.returncode == 0, dry.stderr
    assert "dry run" in dry.stdout
    assert diff.read_text() == ""
    listed = cli("archive", "list", "--db", db)
    assert listed.returncode == 0
    assert ".warc.gz" in listed.stdout
    verified = cli("archive", "verify", "--db", db)
    assert verified.returncode == 0
    assert "FAILED" not in verified.stdout
    kept = cli("archive", "prune", "--before", "2000-01-01", "--db", db)
    assert kept.returncode == 0
    assert "deleted 0 files" in kept.stdout
    engine = make_engine(db)
    try:
        by_host = Reextractor(engine, dry_run=True).run(site="127.0.0.1")
        other = Reextractor(engine, dry_run=True).run(site="detik")
        later = Reextractor(engine, dry_run=True).run(since=dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    assert by_host.articles == len(articles(db))
    assert (other.captures, later.captures) == (0, 0)
    bad = cli("reextract", "--db", db, "--since", "yesterday-ish")
    assert bad.returncode == 2
    assert bad.stderr.startswith("error:")
    assert "Traceback" not in bad.stderr


@pytest.mark.postgres
def test_postgres_deleted_articles_come_back_the_same(mirror: MirrorServer, pg_url: str,
                                                      tmp_path: Path) -> None:  # fmt: skip
    crawl(mirror, pg_url, tmp_path / "warc")
    before = articles(pg_url)
    assert before
    unchanged = reextract(pg_url)
    assert (unchanged.changed, unchanged.inserted, unchanged.revisions) == (0, 0, 0)
    assert articles(pg_url) == before
    execute(pg_url, "DELETE FROM articles")
    report = reextract(pg_url)
    assert report.inserted == len(before)
    after = articles(pg_url)
    for url, row in before.items():
        assert {c: after[url][c] for c in COLUMNS} == {c: row[c] for c in COLUMNS}, url
    assert clusters(after) == clusters(before)


def test_extract_warc_of_our_archive_gives_each_article_once(
    archived: tuple[Path, Path], db: str, mirror: MirrorServer
) -> None:
    import subprocess
    import sys

    files = [str(p) for p in sorted(archived[1].glob("*.warc.gz"))]
    cmd = [sys.executable, "-m", "aggregator.cli.main", "extract"]
    for path in files:
        cmd += ["--warc", path]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    records = {r["url"]: r for r in map(json.loads, proc.stdout.splitlines())}
    stored = articles(db)
    assert records.keys() == stored.keys()  # feeds, sitemaps and page 2 are not articles
    assert "kind/article_page 1" in proc.stderr
    for url, row in stored.items():
        assert records[url]["title"] == row["title"]
        if url != mirror.url(MULTI_PAGE):  # one page at a time here: page 1 of 2 only
            assert records[url]["body"] == row["body"]
        assert records[url]["published_raw"] == row["published_raw"]
