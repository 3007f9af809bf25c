"""`aggregator backfill`: dated archive URLs, per-day cursor, resume, and a real crawl of a
loopback mirror that serves dated archive pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.exceptions import ConfigError
from aggregator.jobs import backfill as bf
from aggregator.jobs.models import BackfillDay, JobRun
from aggregator.mirror import MirrorRequest, MirrorServer, Reply
from aggregator.sites import SITES
from aggregator.storage.models import Article, CrawlRun
from tests.jobs.conftest import cli
from tests.mockserver import make_mirror

FAST = ["-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0"]
#: The mirror's articles, by the day its archive lists them.
BY_DAY = {
    "2024-03-14": ["/berita/d-7101234/banjir-rob-genangi-pesisir-utara-jakarta-ratusan-warga-"
                   "mengungsi",
                   "/read/2024/03/14/09150011/harga-beras-naik-jelang-ramadan-pedagang-keluhkan-"
                   "pasokan"],
    "2024-03-15": ["/read/2024/03/15/08000031/mudik-lebaran-2024-ini-jadwal-lengkap-rekayasa-"
                   "lalu-lintas"],
    "2024-03-16": ["/berita/d-7101450/bmkg-prediksi-hujan-lebat-di-jabodetabek-hingga-akhir-"
                   "pekan"],
}  # fmt: skip


def archive_page(request: MirrorRequest) -> Reply:
    """`/arsip/<page>?tanggal=DD-MM-YYYY`: that day's listing; pages past 1 are empty."""
    if "tanggal" not in request.query:
        return Reply(404, f"no date: {request.target}".encode())
    day = dt.datetime.strptime(request.query["tanggal"][0], "%d-%m-%Y").date().isoformat()
    page = int(request.path.rsplit("/", 1)[1])
    paths = BY_DAY.get(day, []) if page == 1 else []
    items = "".join(f'<li><h3 class="media__title"><a href="{p}">Berita {n}</a>'
                    f"</h3></li>" for n, p in enumerate(paths))  # fmt: skip
    body = (f'<html lang="id"><head><meta charset="utf-8"><title>Indeks {day}</title></head>'
            f'<body><ul class="list-content">{items}</ul></body></html>')  # fmt: skip
    return Reply(200, body.encode())


@pytest.fixture
def archive_mirror() -> Iterator[MirrorServer]:
    """The mock site plus a dated archive route (its own server: hits are counted per test)."""
    with make_mirror() as server:
        server.add_route("/arsip/", archive_page)
        yield server


def test_site_archive_templates_give_dated_urls() -> None:
    day = dt.date(2024, 3, 14)
    urls = {name: bf.day_url(spec.archive, day) for name, spec in SITES.items() if spec.archive}
    assert urls == {
        "detik": "https://news.detik.com/indeks/{page}?date=03/14/2024",
        "kompas": "https://indeks.kompas.com/?site=all&date=2024-03-14&page={page}",
        "liputan6": "https://www.liputan6.com/indeks/2024/03/14?page={page}",
    }


@pytest.mark.parametrize(("first", "last", "message"), [
    ("2024-03-15", "2024-03-14", "is after"), ("2000-01-01", "2024-01-01", "split the backfill"),
])
def test_day_range_rejects(first: str, last: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        bf.day_range(dt.date.fromisoformat(first), dt.date.fromisoformat(last))


@pytest.mark.parametrize(("args", "message"), [
    (["--site", "tempo"], "has no dated archive"),
    (["--site", "nosuch"], "unknown site"),
    (["--site", "detik", "--archive", "https://x.id/indeks"], "needs {date:...} and {page}"),
    (["--site", "detik", "--archive", "https://x.id/{day}/{page}"], "bad archive template"),
])
def test_backfill_bad_input(tmp_path: Path, args: list[str], message: str,
                            capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from aggregator.cli.main import main

    code = main(["backfill", *args, "--from", "2024-03-14", "--to", "2024-03-15",
                 "--db", f"sqlite:///{tmp_path / 'b.db'}"])  # fmt: skip
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert len(err) == 1, err
    assert message in err[0]


def test_backfill_resumes_after_a_failed_day(
    db_url: str, sessions: sessionmaker[Session], fake_crawl: Path,
) -> None:
    args = ["backfill", "--site", "detik", "--from", "2024-03-13", "--to", "2024-03-16",
            "--db", db_url]  # fmt: skip
    first = cli(*args, env={"FAKE_CRAWL_FAIL_MATCH": "03/15/2024"})
    assert first.returncode == 1
    assert "run the same command to resume" in first.stderr
    with sessions() as session:
        status = dict(session.execute(select(BackfillDay.day, BackfillDay.status)).all())
    assert status == {"2024-03-13": "done", "2024-03-14": "done", "2024-03-15": "failed"}
    second = cli(*args)
    assert second.returncode == 0, second.stderr
    days = [arg.split("date=")[1] for line in fake_crawl.read_text().splitlines()
            if line.startswith("start") for arg in line.split() if "date=" in arg]  # fmt: skip
    assert days == ["03/13/2024", "03/14/2024", "03/15/2024", "03/15/2024",
                               "03/16/2024"]  # done days are never walked again
    with sessions() as session:
        runs = session.scalars(select(JobRun).order_by(JobRun.id)).all()
    assert [r.trigger for r in runs] == ["backfill"] * 5
    assert [r.outcome for r in runs] == ["success", "success", "failed", "success", "success"]


@pytest.mark.slow
def test_backfill_crawls_a_dated_archive_on_loopback(
    db_url: str, sessions: sessionmaker[Session], archive_mirror: MirrorServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AGGREGATOR_SCHEDULE_CRAWL_CMD", raising=False)
    template = archive_mirror.base_url + "/arsip/{page}?tanggal={date:%d-%m-%Y}"
    args = ["backfill", "--site", "detik", "--archive", template, "--from", "2024-03-14",
            "--to", "2024-03-15", "--index-pages", "3", *FAST, "--db", db_url]  # fmt: skip
    proc = cli(*args, cwd=tmp_path, timeout=240)
    assert proc.returncode == 0, proc.stderr
    with sessions() as session:
        stored = sorted(u.removeprefix(archive_mirror.base_url)
                        for u in session.scalars(select(Article.url)))  # fmt: skip
        days = session.scalars(select(BackfillDay).order_by(BackfillDay.day)).all()
        crawls = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
    assert stored == sorted(BY_DAY["2024-03-14"] + BY_DAY["2024-03-15"])
    assert [(d.day, d.status, d.articles_new) for d in days] == [
        ("2024-03-14", "done", 2), ("2024-03-15", "done", 1)]
    assert [c.trigger for c in crawls] == ["backfill", "backfill"]
    assert [d.crawl_run_id for d in days] == [c.id for c in crawls]
    # Extending the range walks only the new day: the done days' archive is not fetched again.
    archive_mirror.reset_hits()
    args[args.index("2024-03-15")] = "2024-03-16"
    proc = cli(*args, cwd=tmp_path, timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert "already done, skipped" in proc.stderr
    assert archive_mirror.hits("/arsip/1?tanggal=16-03-2024") == 1
    assert archive_mirror.hits("/arsip/1?tanggal=14-03-2024") == 0
    assert archive_mirror.hits("/arsip/1?tanggal=15-03-2024") == 0
    with sessions() as session:
        days = session.scalars(select(BackfillDay).order_by(BackfillDay.day)).all()
        latest = session.scalars(select(Article.url)).all()
    assert [d.day for d in days] == ["2024-03-14", "2024-03-15", "2024-03-16"]
    assert len(latest) == 4
