"""Job names and the Redis keys of one job: every key of job J starts `aggregator:frontier:J:`.

Several jobs can share one Redis (and one database) without mixing.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from aggregator.exceptions import ConfigError

PREFIX: Final = "aggregator:frontier"
JOB_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def check_job_name(name: str) -> str:
    """The name if usable as a key part (letters, digits, `.`, `_`, `-`), else ConfigError."""
    if not JOB_NAME.match(name):
        raise ConfigError(f"bad job name {name!r}: use letters, digits, '.', '_' or '-' "
                          "(at most 100)")  # fmt: skip
    return name


def new_job_name(now: dt.datetime | None = None) -> str:
    """A fresh job name: `crawl-<UTC time>-<random>`."""
    now = now or dt.datetime.now(dt.UTC)
    return f"crawl-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def check_frontier_url(url: str) -> str:
    """The URL if it is a redis:// or rediss:// URL, else ConfigError."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix") or not (parts.hostname or parts.path):
        raise ConfigError(f"--frontier must be a redis://HOST:PORT/DB URL, not {url!r}")
    return url


@dataclass(frozen=True, slots=True)
class JobKeys:
    """The Redis keys of one job."""

    job: str

    def key(self, part: str) -> str:
        """`aggregator:frontier:<job>:<part>`."""
        return f"{PREFIX}:{self.job}:{part}"

    @property
    def queue(self) -> str:  # zset, scrapy-redis PriorityQueue: JSON request -> -priority
        return self.key("queue")

    @property
    def dupefilter(self) -> str:  # set, scrapy-redis RFPDupeFilter fingerprints
        return self.key("dupefilter")

    @property
    def inflight(self) -> str:  # zset: leased JSON request -> lease deadline (epoch s)
        return self.key("inflight")

    @property
    def leases(self) -> str:  # hash: leased JSON request -> "<queue score> <worker id>"
        return self.key("leases")

    @property
    def workers(self) -> str:  # hash: worker id -> JSON state (see idle.WorkerState)
        return self.key("workers")

    @property
    def meta(self) -> str:  # hash: job description (spider arguments, created, status)
        return self.key("meta")

    @property
    def seed(self) -> str:  # string: id of the worker seeding the start requests, or "done"
        return self.key("seed")

    def seen(self, kind: str) -> str:  # set: URLs the spider already scheduled
        return self.key(f"seen:{kind}")

    def host_tokens(self, host: str) -> str:  # zset: token -> deadline (per-host concurrency)
        return self.key(f"host:{host}:tokens")

    def host_next(self, host: str) -> str:  # string: earliest next request (epoch s)
        return self.key(f"host:{host}:next")

    def all_pattern(self) -> str:
        """A SCAN pattern matching every key of the job (for `delete_job`)."""
        return f"{PREFIX}:{self.job}:*"
