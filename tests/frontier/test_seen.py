"""The spider's seen sets in Redis: atomic claims, so two workers never both schedule a URL."""

from __future__ import annotations

from aggregator.frontier.job import connect
from aggregator.frontier.keys import JobKeys
from aggregator.frontier.seen import RedisSeenSet


def test_membership_claims_atomically_across_workers(redis_url: str, job_name: str) -> None:
    key = JobKeys(job_name).seen("articles")
    one, two = RedisSeenSet(connect(redis_url), key), RedisSeenSet(connect(redis_url), key)
    assert "u1" not in one  # the first asker claims it
    one.add("u1")
    assert "u1" in two  # the other worker sees it as scheduled
    assert len(two) == 1


def test_len_does_not_count_an_unconfirmed_claim(redis_url: str, job_name: str) -> None:
    seen = RedisSeenSet(connect(redis_url), JobKeys(job_name).seen("documents"))
    seen.update(["a", "b"])
    assert "c" not in seen
    assert len(seen) == 2  # the spider's cap check runs between `in` and `add`
    seen.add("c")
    assert len(seen) == 3
