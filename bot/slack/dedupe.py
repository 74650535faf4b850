"""Seen event ids: Slack retries a delivery it got no timely 200 for, and may deliver one message twice (as
message.im and app_mention). The store answers "first time?" for an id; replace it with a shared one to run
several replicas."""

from __future__ import annotations

import threading
import time
from typing import Callable, Protocol

DEDUPE_TTL_SECONDS = 60 * 60  # Slack retries within minutes; an hour is ample


class SeenEvents(Protocol):
    def first_time(self, key: str) -> bool:
        """Record an id; True the first time it is seen, False for a retry or duplicate."""
        ...


class MemorySeenEvents:
    """In-process record of ids seen in the last hour."""

    def __init__(self, ttl: float = DEDUPE_TTL_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._next_purge = 0.0

    def first_time(self, key: str) -> bool:
        now = self.clock()
        with self._lock:
            if now >= self._next_purge:
                self._next_purge = now + 60
                self._seen = {k: t for k, t in self._seen.items() if now - t <= self.ttl}
            seen = self._seen.get(key)
            if seen is not None and now - seen <= self.ttl:
                return False
            self._seen[key] = now
            return True
