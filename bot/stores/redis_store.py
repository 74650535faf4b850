"""Redis (or Valkey) for what several replicas share: conversation state, seen event ids, shareable answers.

- State: `SET state:<key> <versioned JSON> EX 1800` (30 minutes of silence); updates of one conversation are
  serialised by redis-py's lock (`lock:<key>`, SET NX PX with a token, released by a Lua compare-and-delete), held
  around get → answer → put, so two messages of one thread at two replicas are answered one after the other.
- Seen ids: `SET seen:<id> 1 NX EX 3600`: only the first delivery, at any replica, is answered.
- Shares: `SET share:<id> <compressed message> EX 3600`, indexed by time in `shares` (a sorted set) so that at most
  MAX_SHARES are kept, the oldest deleted first; once per user: `SET shared:<id>:<user> 1 NX EX 3600`.

Redis failing in any way — down, unreachable, slow, full (maxmemory under noeviction: OOM), read-only (a replica
after a failover: READONLY), refusing a command — is an outage: the bot keeps answering (without context: state and
locks are skipped; seen ids and shares fall back to this process's memory), logs one line when the outage starts and
one when Redis works again, and tries Redis again every few seconds by itself.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
import time
from typing import Callable, Iterator

import redis

from bot.core.conversation import LOCK_WAIT, STATE_TTL_SECONDS, ConversationState
from bot.slack.dedupe import DEDUPE_TTL_SECONDS, MemorySeenEvents
from bot.slack.shares import MAX_SHARES, SHARE_TTL_SECONDS, MemoryShares, pack, unpack
from bot.stores import state_format

RETRY_SECONDS = 5.0  # after a failure, Redis is left alone this long (no 0.5 s wait on every message meanwhile)
TIMEOUT = 0.5  # seconds for connecting and for each command
LOCK_SECONDS = 10  # a lock expires by itself if its holder dies
log = logging.getLogger("madoguchi.redis")


class Redis:
    """One client and the outage bookkeeping the stores share."""

    def __init__(self, url: str, clock: Callable[[], float] = time.monotonic):
        self.client = redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT,
                                           health_check_interval=30)
        self.url, self.clock = url, clock
        self._down_until = 0.0
        self._outage = ""
        self._lock = threading.Lock()

    def state(self) -> tuple[bool, str]:
        """(Redis works, a line for /healthz)."""
        if not self._outage:
            return True, "redis ok"
        return False, f"redis failing ({self._outage}); answering without shared state"

    @property
    def up(self) -> bool:
        return self.clock() >= self._down_until

    def call(self, action: Callable[[redis.Redis], object], default=None):
        """Run one Redis action; on any Redis error log the outage once, skip Redis for a while, return default."""
        if not self.up:
            return default
        try:
            result = action(self.client)
        except redis.RedisError as e:  # connection, timeout, OOM, READONLY, a refused command: all an outage
            with self._lock:
                self._down_until = self.clock() + RETRY_SECONDS
                if not self._outage:
                    self._outage = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}".rstrip(": ")
                    log.error("Redis failed (%s): answering without shared state until it works again", self._outage)
            return default
        if self._outage:
            with self._lock:
                if self._outage:
                    log.warning("Redis works again (%s): shared state resumed", self.url.split("@")[-1])
                    self._outage = ""
        return result


class RedisStateStore:
    def __init__(self, shared: Redis, ttl: int = STATE_TTL_SECONDS, prefix: str = "madoguchi:"):
        self.shared, self.ttl, self.prefix = shared, ttl, prefix

    def get(self, key: str) -> ConversationState | None:
        raw = self.shared.call(lambda r: r.get(f"{self.prefix}state:{key}"))
        if raw is None:
            return None
        state = state_format.loads(raw)
        if state is None:
            log.warning("unreadable conversation state dropped (%s…)", key[:40])
            self.shared.call(lambda r: r.delete(f"{self.prefix}state:{key}"))
        return state

    def put(self, key: str, state: ConversationState) -> None:
        self.shared.call(lambda r: r.set(f"{self.prefix}state:{key}", state_format.dumps(state), ex=self.ttl))

    @contextlib.contextmanager
    def lock(self, key: str, wait: float = LOCK_WAIT) -> Iterator[object]:
        """redis-py's lock on the conversation; without Redis, or when it cannot be had within `wait` seconds (a stale
        lock of a replica that died holds it up to LOCK_SECONDS), the message is answered anyway (a message with less
        context is better than none, or than a late one)."""
        held = self.shared.call(lambda r: _acquire(r, f"{self.prefix}lock:{key}", wait))
        try:
            yield held
        finally:
            if held:
                self.shared.call(lambda r: _release(held))


def _acquire(client: redis.Redis, name: str, wait: float):
    lock = client.lock(name, timeout=LOCK_SECONDS, blocking_timeout=wait)
    return lock if lock.acquire() else None


def _release(lock) -> None:
    with contextlib.suppress(redis.exceptions.LockError):  # expired meanwhile: someone else may hold it now
        lock.release()


class RedisSeenEvents:
    def __init__(self, shared: Redis, ttl: int = DEDUPE_TTL_SECONDS, prefix: str = "madoguchi:"):
        self.shared, self.ttl, self.prefix = shared, ttl, prefix
        self.local = MemorySeenEvents(ttl=ttl)  # during an outage: this replica's own memory

    def first_time(self, key: str) -> bool:
        local = self.local.first_time(key)
        result = self.shared.call(lambda r: r.set(f"{self.prefix}seen:{key}", 1, nx=True, ex=self.ttl), default=...)
        return local if result is ... else bool(result)

    def forget(self, key: str) -> None:
        self.local.forget(key)
        self.shared.call(lambda r: r.delete(f"{self.prefix}seen:{key}"))


class RedisShares:
    def __init__(self, shared: Redis, ttl: int = SHARE_TTL_SECONDS, prefix: str = "madoguchi:", limit: int = MAX_SHARES):
        self.shared, self.ttl, self.prefix, self.limit = shared, ttl, prefix, limit
        self.local = MemoryShares(ttl=ttl)

    def put(self, message: dict) -> str:
        share_id = secrets.token_urlsafe(12)
        stored = self.shared.call(lambda r: self._store(r, share_id, pack(message)))
        return share_id if stored else self.local.put(message)

    def _store(self, r: redis.Redis, share_id: str, data: bytes) -> bool:
        index = f"{self.prefix}shares"
        pipe = r.pipeline()
        pipe.set(f"{self.prefix}share:{share_id}", data, ex=self.ttl)
        pipe.zadd(index, {share_id: time.time()})
        pipe.expire(index, self.ttl)
        pipe.zcard(index)
        over = pipe.execute()[-1] - self.limit
        if over > 0:  # the cap: the oldest shares go, their messages with them
            oldest = r.zpopmin(index, over)
            if oldest:
                r.delete(*(f"{self.prefix}share:{sid.decode() if isinstance(sid, bytes) else sid}" for sid, _ in oldest))
        return True

    def take(self, share_id: str, user: str) -> dict | None:
        raw = self.shared.call(lambda r: r.get(f"{self.prefix}share:{share_id}"))
        if raw is None:
            return self.local.take(share_id, user)
        first = self.shared.call(lambda r: r.set(f"{self.prefix}shared:{share_id}:{user}", 1, nx=True, ex=self.ttl))
        return unpack(raw) if first else None
