"""A frontier job in Redis: connect, create, describe, claim the seeding, end, delete.

The job's `meta` hash holds the spider arguments (JSON) so a worker joining from another
machine crawls exactly what the job was started with; `status` is `running` or `finished`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Final

from aggregator.exceptions import AggregatorError, ConfigError
from aggregator.frontier.idle import SEED_DONE
from aggregator.frontier.keys import JobKeys, check_frontier_url, check_job_name

#: A seeder that stops renewing its claim loses it after this many seconds.
SEED_CLAIM_TTL: Final = 60


class FrontierUnavailable(AggregatorError):
    """Redis cannot be reached (or the redis client is not installed)."""


def connect(url: str) -> Any:
    """A redis client for `url`, pinged; FrontierUnavailable in one line if it cannot be."""
    check_frontier_url(url)
    try:
        import redis
        import scrapy_redis  # noqa: F401  (checked here: workers load it later)
    except ImportError:  # the `frontier` extra is not installed
        raise FrontierUnavailable(
            "the frontier needs the redis and scrapy-redis packages: "
            "pip install 'aggregator[frontier]'") from None  # fmt: skip
    try:
        from redis.backoff import ExponentialBackoff, NoBackoff
        from redis.retry import Retry

        # A first ping without retries: a wrong address fails at once.
        probe = redis.Redis.from_url(url, socket_connect_timeout=5, retry=Retry(NoBackoff(), 0))
        probe.ping()
        probe.close()
        # Then retried calls ride out a Redis restart (about a minute at most); the queue,
        # seen sets and leases come back from its persistence (appendonly).
        server = redis.Redis.from_url(
            url, socket_connect_timeout=5, socket_timeout=30, health_check_interval=10,
            retry=Retry(ExponentialBackoff(cap=2.0, base=0.05), 40),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError])  # fmt: skip
    except redis.RedisError as exc:
        raise FrontierUnavailable(f"cannot reach Redis at {url}: {exc}") from None
    return server


@dataclass(frozen=True, slots=True)
class JobInfo:
    """A job as stored in its `meta` hash."""

    name: str
    spider_kwargs: dict[str, Any]
    status: str
    created_at: str


def create_job(server: Any, name: str, spider_kwargs: dict[str, Any]) -> JobKeys:
    """Register a new job; ConfigError if the name is taken."""
    keys = JobKeys(check_job_name(name))
    created = dt.datetime.now(dt.UTC).isoformat()
    fields = {"spider_kwargs": json.dumps(spider_kwargs), "status": "running",
              "created_at": created}  # fmt: skip
    if not server.hsetnx(keys.meta, "created_at", created):
        raise ConfigError(f"job {name!r} already exists in this Redis; pick another name")
    server.hset(keys.meta, mapping=fields)
    return keys


def read_job(server: Any, name: str) -> JobInfo:
    """The job's description; ConfigError naming the problem if there is no such job."""
    keys = JobKeys(check_job_name(name))
    raw = {k.decode(): v.decode() for k, v in server.hgetall(keys.meta).items()}
    if "spider_kwargs" not in raw:
        raise ConfigError(f"no job {name!r} in this Redis (start one with aggregator crawl "
                          "--frontier URL --workers N)")  # fmt: skip
    return JobInfo(name, json.loads(raw["spider_kwargs"]), raw.get("status", "running"),
                   raw.get("created_at", ""))  # fmt: skip


def claim_seeding(server: Any, keys: JobKeys, worker: str) -> bool:
    """True for the one worker that queues the start requests (until it finishes or dies)."""
    return bool(server.set(keys.seed, worker, nx=True, ex=SEED_CLAIM_TTL))


def renew_seeding(server: Any, keys: JobKeys, worker: str) -> None:
    """Keep the claim while seeding (a dead seeder's claim expires; another worker re-seeds,
    and the seen sets make the second pass queue only what the first did not)."""
    if server.get(keys.seed) == worker.encode():
        server.expire(keys.seed, SEED_CLAIM_TTL)


def finish_seeding(server: Any, keys: JobKeys) -> None:
    """Every start request is queued."""
    server.set(keys.seed, SEED_DONE)


def mark_finished(server: Any, keys: JobKeys) -> None:
    """The job is over (workers that join later exit at once)."""
    server.hset(keys.meta, "status", "finished")


def delete_job(server: Any, keys: JobKeys) -> int:
    """Delete every key of the job; the number deleted."""
    names = list(server.scan_iter(match=keys.all_pattern(), count=1000))
    return int(server.delete(*names)) if names else 0


def job_status(server: Any, keys: JobKeys) -> str | None:
    """`running`, `finished`, or None when the job does not exist."""
    raw = server.hget(keys.meta, "status")
    return raw.decode() if isinstance(raw, bytes) else raw
