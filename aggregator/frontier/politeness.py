"""Per-host tokens shared by every worker: N workers never hit one site harder than one would.

A host (`host:port`) has at most `limit` tokens out at once and at least `delay` seconds
between two grants; both live in Redis, and each token has a deadline so a worker killed
while holding one frees it after `ttl` seconds.  One Lua call decides, on the Redis
server's clock.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Final

from aggregator.frontier.keys import JobKeys
from aggregator.frontier.leases import NOW

#: KEYS tokens, next; ARGV limit, delay, token, ttl -> "0" granted, else seconds to wait.
ACQUIRE_SCRIPT: Final = NOW + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return tostring(nxt - now) end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return '-1' end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[4])) + 1)
if tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[2], tostring(now + tonumber(ARGV[2])), 'PX',
             math.ceil(tonumber(ARGV[2]) * 1000) + 1000)
end
return '0'
"""

#: How long to wait before asking again when the host's tokens are all out.
BUSY_RETRY: Final = 0.02


@dataclass(frozen=True, slots=True)
class Grant:
    """The answer to one token request."""

    token: str | None  # set when granted
    wait: float = 0.0  # seconds before asking again, when not granted


class HostTokens:
    """Acquire and release per-host tokens of one job."""

    def __init__(self, server: Any, keys: JobKeys, *, limit: int, delay: float,
                 ttl: float) -> None:  # fmt: skip
        if limit < 1:
            raise ValueError("per-host limit must be at least 1")
        self.server = server
        self.keys = keys
        self.limit = limit
        self.delay = max(0.0, delay)
        self.ttl = ttl
        self._acquire = server.register_script(ACQUIRE_SCRIPT)

    def acquire(self, host: str, delay: float = 0.0) -> Grant:
        """A token for `host`, or how long to wait before trying again.

        `delay`: the caller's own delay for this host (robots.txt Crawl-delay, AutoThrottle);
        the next grant, to any worker, waits the larger of it and the configured delay.
        """
        token = secrets.token_hex(8)
        gap = max(self.delay, delay)
        answer = self._acquire(keys=[self.keys.host_tokens(host), self.keys.host_next(host)],
                               args=[self.limit, gap, token, self.ttl])  # fmt: skip
        wait = float(answer)
        if wait == 0:
            return Grant(token)
        return Grant(None, BUSY_RETRY if wait < 0 else wait)

    def release(self, host: str, token: str) -> None:
        """Give a token back (a no-op if it already expired)."""
        self.server.zrem(self.keys.host_tokens(host), token)

    def held(self, host: str) -> int:
        """Tokens currently out for `host` (expired ones included until the next acquire)."""
        return int(self.server.zcard(self.keys.host_tokens(host)))
