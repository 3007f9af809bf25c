"""What a job crawls: `aggregator crawl` start options as argv, validated; its site-lock keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aggregator.exceptions import ConfigError

#: `aggregator crawl` options a job passes through, as (attribute, flag) pairs.  Together
#: with the single-valued options of `StartOptions` these are exactly crawl's start
#: options; `--db` belongs to the scheduler and `--stats-file` to one interactive run.
LIST_OPTIONS = (("feeds", "--feed"), ("sitemaps", "--sitemap"), ("indexes", "--index"),
                ("urls", "--url"), ("sites", "--site"), ("settings", "--set"))  # fmt: skip
_NAME_MAX = 200


@dataclass(slots=True)
class StartOptions:
    """The start options of one job (mirrors `aggregator crawl`)."""

    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)  # NAME=VALUE
    index_pages: int | None = None
    max_articles: int | None = None
    log_level: str | None = None
    archive: str | None = None  # WARC directory (docs/archive.md)
    frontier: str | None = None  # redis://... : a distributed job (docs/scale-out.md)
    workers: int | None = None

    def argv(self) -> list[str]:
        """The options as `aggregator crawl` arguments, in a stable order."""
        out: list[str] = []
        for attr, flag in LIST_OPTIONS:
            for value in getattr(self, attr):
                out += [flag, value]
        if self.index_pages is not None:
            out += ["--index-pages", str(self.index_pages)]
        if self.max_articles is not None:
            out += ["--max-articles", str(self.max_articles)]
        if self.log_level is not None:
            out += ["--log-level", self.log_level]
        for flag, value in (("--archive", self.archive), ("--frontier", self.frontier),
                            ("--workers", self.workers)):  # fmt: skip
            if value is not None:
                out += [flag, str(value)]
        return out

    def validate(self) -> None:
        """ConfigError when `aggregator crawl` would refuse these options."""
        from aggregator.cli.crawl_cmd import LOG_LEVELS, parse_settings
        from aggregator.crawler import CrawlOptions, validate_options

        if self.log_level is not None and self.log_level.upper() not in LOG_LEVELS:
            raise ConfigError(f"--log-level must be one of {', '.join(LOG_LEVELS)}")
        parse_settings(self.settings)
        if self.workers is not None and self.frontier is None:
            raise ConfigError("--workers needs --frontier redis://HOST:PORT/DB")
        validate_options(CrawlOptions(
            feeds=self.feeds, sitemaps=self.sitemaps, urls=self.urls, sites=self.sites,
            indexes=self.indexes, index_pages=self.index_pages or 5,
            max_articles=self.max_articles))  # fmt: skip

    def validate_settings(self) -> None:
        """ConfigError for a malformed `-s NAME=VALUE` or log level (no start URL needed)."""
        from aggregator.cli.crawl_cmd import LOG_LEVELS, parse_settings

        if self.log_level is not None and self.log_level.upper() not in LOG_LEVELS:
            raise ConfigError(f"--log-level must be one of {', '.join(LOG_LEVELS)}")
        parse_settings(self.settings)

    def lock_keys(self) -> list[str]:
        """The sites this job crawls: registry names, else `host[:port]` of its start URLs."""
        from aggregator.sites import select_sites, site_for_url

        keys = {spec.name for spec in select_sites(self.sites)}
        for url in [*self.feeds, *self.sitemaps, *self.indexes, *self.urls]:
            spec = site_for_url(url)
            keys.add(spec.name if spec is not None else host_key(url))
        return sorted(keys)


def host_key(url: str) -> str:
    """`host` or `host:port` of a URL, lower-cased (the lock key of an unregistered site)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def check_name(name: str) -> str:
    """A job name: non-empty, printable, no whitespace, at most 200 characters."""
    name = name.strip()
    bad = any(c.isspace() for c in name) or not name.isprintable()
    if not name or len(name) > _NAME_MAX or bad:
        raise ConfigError(f"bad job name {name!r}: use 1-{_NAME_MAX} characters without spaces")
    return name
