"""Seen event ids: Slack retries a delivery it got no timely 200 for, and may deliver one message twice (as
message.im and app_mention). The store answers "first time?" for an id; replace it with a shared one to run
several replicas."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Protocol

DEDUPE_TTL_SECONDS = 60 * 60  # Slack retries within minutes; an hour is ample
MAX_SEEN = 200_000


class SeenEvents(Protocol):
    def first_time(self, key: str) -> bool:
        """Record an id; True the first time it is seen, False for a retry or duplicate."""
        ...


class MemorySeenEvents:
    """In-process record of the ids seen in the last hour, at most `limit` of them (the oldest forgotten first)."""

    def __init__(self, ttl: float = DEDUPE_TTL_SECONDS, clock: Callable[[], float] = time.monotonic,
                 limit: int = MAX_SEEN):
        self.ttl, self.clock, self.limit = ttl, clock, limit
        self._seen: OrderedDict[str, float] = OrderedDict()  # oldest first
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        now = self.clock()
        with self._lock:
            seen = self._seen
            while seen:  # drop the expired ones and any beyond the limit, a few at a time
                oldest = next(iter(seen.values()))
                if now - oldest <= self.ttl and len(seen) < self.limit:
                    break
                seen.popitem(last=False)
            if key in seen:
                return False
            seen[key] = now
            return True
