"""Seen event ids: Slack retries a delivery it got no timely 200 for, and may deliver one message twice (as
message.im and app_mention). The store answers "first time?" for an id; replace it with a shared one to run
several replicas."""

from __future__ import annotations

import threading
import time
from typing import Callable, Protocol

from bot.core.expiring import ExpiringMap, digest

DEDUPE_TTL_SECONDS = 60 * 60  # Slack retries within minutes; an hour is ample
MAX_SEEN = 200_000


class SeenEvents(Protocol):
    def first_time(self, key: str) -> bool:
        """Record an id; True the first time it is seen, False for a retry or duplicate."""
        ...

    def forget(self, key: str) -> None:
        """Unrecord an id (its event was refused: the retry must count as the first time)."""
        ...


class MemorySeenEvents:
    """In-process record of the ids seen in the last hour (to within two minutes), at most `limit` of them, the oldest
    forgotten first; compact (bot.core.expiring: a digest an id, ~70 bytes)."""

    def __init__(self, ttl: float = DEDUPE_TTL_SECONDS, clock: Callable[[], float] = time.monotonic,
                 limit: int = MAX_SEEN):
        self.clock = clock
        self._seen = ExpiringMap(ttl, limit)
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        now, d = self.clock(), digest(key)
        with self._lock:
            if self._seen.get(d, now):
                return False
            self._seen.put(d, True, now)
            return True

    def forget(self, key: str) -> None:
        with self._lock:
            self._seen.pop(digest(key))

    def __len__(self) -> int:
        return len(self._seen)
