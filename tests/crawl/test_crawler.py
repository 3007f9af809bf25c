"""run_crawl's option checks and settings (the crawl itself runs in the e2e tests)."""

from __future__ import annotations

import pytest

from aggregator.cli.crawl_cmd import parse_settings, progress_line, summary_table
from aggregator.crawler import CrawlOptions, build_settings, spider_kwargs, validate_options
from aggregator.exceptions import ConfigError
from aggregator.extensions import Progress, summarize


@pytest.mark.parametrize(
    "options",
    [
        CrawlOptions(),
        CrawlOptions(feeds=["file:///etc/passwd"]),
        CrawlOptions(urls=["not a url"]),
        CrawlOptions(sites=["no-such-site"]),
        CrawlOptions(feeds=["https://x.test/rss"], max_articles=0),
        CrawlOptions(feeds=["https://x.test/rss"], settings={"AGGREGATOR_STORE_WRITER": "fork"}),
    ],
)
def test_invalid_options(options: CrawlOptions) -> None:
    with pytest.raises(ConfigError):
        validate_options(options)


def test_valid_options() -> None:
    validate_options(CrawlOptions(sites=["detik"]))
    validate_options(CrawlOptions(urls=["https://x.test/a,b"], max_articles=3))
    validate_options(CrawlOptions(sites=["detik"], settings={"AGGREGATOR_STORE_WRITER": "Thread"}))


def test_database_url_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("AGGREGATOR_DATABASE_URL", "sqlite:////tmp/env.db")
    from_env = build_settings(CrawlOptions(feeds=["https://x.test/rss"]))
    assert from_env["DATABASE_URL"] == "sqlite:////tmp/env.db"
    from_setting = build_settings(CrawlOptions(settings={"DATABASE_URL": "sqlite:////tmp/s.db"}))
    assert from_setting["DATABASE_URL"] == "sqlite:////tmp/s.db"
    from_flag = build_settings(CrawlOptions(db_url="sqlite:////tmp/flag.db",
                                            settings={"DATABASE_URL": "sqlite:////tmp/s.db"}))
    assert from_flag["DATABASE_URL"] == "sqlite:////tmp/flag.db"


def test_settings_from_options() -> None:
    def callback(progress: Progress) -> None:
        return None

    settings = build_settings(CrawlOptions(max_articles=7, log_level="debug", progress=callback,
                                           settings={"DOWNLOAD_DELAY": 0}))
    assert settings.getint("CLOSESPIDER_ITEMCOUNT") == 7
    assert settings["LOG_LEVEL"] == "DEBUG"
    assert settings["AGGREGATOR_PROGRESS_CALLBACK"] is callback
    assert settings.getfloat("DOWNLOAD_DELAY") == 0
    assert settings.getbool("ROBOTSTXT_OBEY")  # the project defaults are loaded
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False


def test_project_settings_are_safe_by_default() -> None:
    settings = build_settings(CrawlOptions())
    assert "aggregator" in settings["USER_AGENT"]
    assert "+http" in settings["USER_AGENT"]  # a URL to reach the operator
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert 0 < settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 8
    assert 0 < settings.getint("DOWNLOAD_TIMEOUT") <= 60
    assert 0 < settings.getint("DOWNLOAD_MAXSIZE") <= 64 * 1024 * 1024
    assert settings.getint("RETRY_TIMES") >= 1
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert all(handlers[scheme] is None for scheme in ("file", "data", "ftp", "s3"))
    pipelines = settings.getdict("ITEM_PIPELINES")
    assert sorted(pipelines, key=pipelines.__getitem__) == [
        "aggregator.pipelines.validate.ValidatePipeline",
        "aggregator.pipelines.clean.CleanPipeline",
        "aggregator.pipelines.dates.DatesPipeline",
        "aggregator.pipelines.dedup.DedupPipeline",
        "aggregator.pipelines.store.StorePipeline",
    ]


def test_spider_kwargs_keep_commas_inside_urls() -> None:
    options = CrawlOptions(urls=["https://x.test/a,b"], sites=["detik"])
    assert spider_kwargs(options) == {"url": ["https://x.test/a,b"], "site": ["detik"]}


def test_index_options_reach_the_spider_and_are_checked() -> None:
    options = CrawlOptions(indexes=["https://x.test/indeks?p={page}"], index_pages=3)
    validate_options(options)
    assert spider_kwargs(options) == {"index": ["https://x.test/indeks?p={page}"],
                                      "index_pages": 3}
    with pytest.raises(ConfigError):
        validate_options(CrawlOptions(indexes=["https://x.test/i"], index_pages=0))
    with pytest.raises(ConfigError):
        validate_options(CrawlOptions(indexes=["ftp://x.test/i"]))


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (["DOWNLOAD_DELAY=0"], {"DOWNLOAD_DELAY": 0}),
        (["DATABASE_URL=sqlite:///x.db"], {"DATABASE_URL": "sqlite:///x.db"}),
        (["A=true", "B=[1, 2]", "C=a=b"], {"A": True, "B": [1, 2], "C": "a=b"}),
    ],
)
def test_parse_settings(pairs: list[str], expected: dict[str, object]) -> None:
    assert parse_settings(pairs) == expected


@pytest.mark.parametrize("pair", ["NOVALUE", "=x"])
def test_parse_settings_rejects_malformed(pair: str) -> None:
    with pytest.raises(ConfigError):
        parse_settings([pair])


def test_progress_line_and_summary_table() -> None:
    assert progress_line(Progress(pages=3, articles=2, errors=1)) == (
        "pages 3  articles 2  dropped 0  errors 1")
    table = summary_table(summarize({"spider/failed": 1, "spider/failed/feed/http_404": 1},
                                    fatal="boom"))
    labels = [str(cell) for cell in table.columns[0]._cells]
    assert "Errors" in labels
    assert "  spider/failed/feed/http_404" in labels
    assert "Fatal error" in labels


def test_unreachable_database_fails_before_crawling() -> None:
    from aggregator.crawler import check_database
    from aggregator.exceptions import StorageError

    settings = build_settings(CrawlOptions(db_url="postgresql://postgres@127.0.0.1:1/test"))
    with pytest.raises(StorageError, match="cannot connect"):
        check_database(settings)
    settings.set("AGGREGATOR_STORE_ENABLED", False)
    check_database(settings)  # nothing stored: nothing to check


def test_sqlite_database_is_reachable(tmp_path: object) -> None:
    from aggregator.crawler import check_database

    check_database(build_settings(CrawlOptions(db_url=f"sqlite:///{tmp_path}/x.db")))


def test_locked_sqlite_database_fails_before_crawling(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from aggregator.crawler import check_database
    from aggregator.exceptions import StorageError

    monkeypatch.setenv("AGGREGATOR_SQLITE_BUSY_TIMEOUT", "0.1")
    path = f"{tmp_path}/locked.db"
    settings = build_settings(CrawlOptions(db_url=f"sqlite:///{path}"))
    check_database(settings)  # creates the file; WAL mode, as a crawl would
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing: reads still work
    try:
        with pytest.raises(StorageError, match="database is locked"):
            check_database(settings)
    finally:
        holder.rollback()
        holder.close()
    check_database(settings)  # released: writable again
