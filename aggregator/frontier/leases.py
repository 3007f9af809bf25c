"""In-flight leases: a request a worker took stays in Redis until the worker is done with it.

`pop` moves the best request of the queue into the `inflight` zset (score: lease deadline)
in one Lua call, so a request is always in exactly one of queue or inflight.  The worker
renews its leases while alive (`renew`) and drops them once the request's results are
durable (`ack`).  `reclaim` (run by any worker) moves leases past their deadline back to
the queue with their old priority: a worker killed with SIGKILL loses nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Final

from aggregator.frontier.keys import JobKeys

#: Deadlines use the Redis server's clock, so workers on machines with skewed clocks agree.
NOW: Final = "local t = redis.call('TIME')\nlocal now = tonumber(t[1]) + tonumber(t[2]) / 1e6\n"

#: KEYS queue, inflight, leases; ARGV timeout, worker -> the request or nil.
POP_SCRIPT: Final = NOW + """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return nil end
redis.call('ZREM', KEYS[1], item[1])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), item[1])
redis.call('HSET', KEYS[3], item[1], item[2] .. ' ' .. ARGV[2])
return item[1]
"""

#: KEYS inflight; ARGV timeout, member... -> leases renewed (a reclaimed one is not re-created).
RENEW_SCRIPT: Final = NOW + """
local n = 0
for i = 2, #ARGV do
  n = n + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i])
end
return n
"""

#: KEYS queue, inflight, leases; ARGV limit -> number of requests put back.
RECLAIM_SCRIPT: Final = NOW + """
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, ARGV[1])
for _, member in ipairs(expired) do
  local lease = redis.call('HGET', KEYS[3], member)
  local score = 0
  if lease then score = tonumber(string.match(lease, '^(%S+)')) or 0 end
  redis.call('ZADD', KEYS[1], score, member)
  redis.call('ZREM', KEYS[2], member)
  redis.call('HDEL', KEYS[3], member)
end
return #expired
"""

#: KEYS queue, inflight, leases; ARGV member... -> requests put back now (a graceful stop
#: hands back what this worker took and will not fetch).
RELEASE_SCRIPT: Final = """
local n = 0
for i = 1, #ARGV do
  local lease = redis.call('HGET', KEYS[3], ARGV[i])
  if lease and redis.call('ZREM', KEYS[2], ARGV[i]) == 1 then
    redis.call('ZADD', KEYS[1], tonumber(string.match(lease, '^(%S+)')) or 0, ARGV[i])
    n = n + 1
  end
  redis.call('HDEL', KEYS[3], ARGV[i])
end
return n
"""


class Leases:
    """Lease operations of one job, for one worker."""

    def __init__(self, server: Any, keys: JobKeys, worker: str, timeout: float) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self.timeout = timeout
        self._pop = server.register_script(POP_SCRIPT)
        self._renew = server.register_script(RENEW_SCRIPT)
        self._reclaim = server.register_script(RECLAIM_SCRIPT)
        self._release = server.register_script(RELEASE_SCRIPT)

    def pop(self) -> bytes | None:
        """Lease the highest-priority request (its JSON), or None when the queue is empty."""
        data = self._pop(keys=[self.keys.queue, self.keys.inflight, self.keys.leases],
                         args=[self.timeout, self.worker])  # fmt: skip
        return bytes(data) if data is not None else None

    def renew(self, held: Iterable[bytes]) -> None:
        """Push the deadlines of the leases this worker still holds."""
        members = list(held)
        for start in range(0, len(members), 500):
            self._renew(keys=[self.keys.inflight], args=[self.timeout, *members[start:start + 500]])

    def ack(self, members: Iterable[bytes]) -> None:
        """Forget leases whose results are durable (stored, or their children queued)."""
        batch = list(members)
        if not batch:
            return
        pipe = self.server.pipeline(transaction=True)
        pipe.zrem(self.keys.inflight, *batch)
        pipe.hdel(self.keys.leases, *batch)
        pipe.execute()

    def reclaim(self, limit: int = 1000) -> int:
        """Return expired leases to the queue; the number returned."""
        return int(self._reclaim(keys=[self.keys.queue, self.keys.inflight, self.keys.leases],
                                 args=[limit]))  # fmt: skip

    def release(self, members: Iterable[bytes]) -> int:
        """Put these leased requests back in the queue now, with their priority."""
        batch = list(members)
        if not batch:
            return 0
        return int(self._release(keys=[self.keys.queue, self.keys.inflight, self.keys.leases],
                                 args=batch))  # fmt: skip

    def outstanding(self) -> int:
        """Leases held by any worker of the job."""
        return int(self.server.zcard(self.keys.inflight))


def lease_id(member: bytes) -> str:
    """A short id for a lease, carried in the request's meta (the member itself is not)."""
    return hashlib.blake2b(member, digest_size=12).hexdigest()


class LeaseBook:
    """The leases one worker holds, and when each may be dropped.

    A request is *processed* when its callback or errback ran and every item it produced
    went through the item pipelines.  Its lease is acked then if nothing is waiting in the
    store's buffer (`durable`), else after the store's next flush commits: a worker killed
    with items still in its buffer leaves their requests leased, and they are crawled again.
    """

    def __init__(self, leases: Leases) -> None:
        self.leases = leases
        self.held: dict[str, bytes] = {}
        self.awaiting: list[str] = []  # processed; results in the store's buffer
        self.unacked: list[bytes] = []  # acks that failed (Redis down): retried on renew

    def take(self, member: bytes) -> str:
        """Record a popped lease; its id."""
        lid = lease_id(member)
        self.held[lid] = member
        return lid

    def processed(self, lid: str | None, *, durable: bool) -> None:
        """The request of lease `lid` is processed (see the class docstring)."""
        if lid is None or lid not in self.held:
            return
        if durable:
            self.ack([lid])
        else:
            self.awaiting.append(lid)

    def begin_flush(self) -> list[str]:
        """The leases whose results the flush starting now makes durable."""
        waiting, self.awaiting = self.awaiting, []
        return waiting

    def ack(self, lids: Iterable[str]) -> None:
        """Drop leases in Redis (a failed call is retried by `renew`)."""
        members = [m for lid in lids if (m := self.held.pop(lid, None)) is not None]
        self._ack_members(self.unacked + members)

    def release(self, lid: str) -> bool:
        """Hand the request of lease `lid` back to the queue (this worker will not fetch
        it); False when the lease is not held here."""
        member = self.held.pop(lid, None)
        if member is None:
            return False
        self.leases.release([member])
        return True

    def _ack_members(self, members: list[bytes]) -> None:
        self.unacked = []
        try:
            self.leases.ack(members)
        except Exception:
            self.unacked = members
            raise

    def renew(self) -> None:
        """Heartbeat: retry failed acks, extend the deadlines of held leases."""
        if self.unacked:
            self._ack_members(self.unacked)
        self.leases.renew(self.held.values())
