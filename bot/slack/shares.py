"""Answers a user may share: 「チャンネルに共有」 posts exactly the message the user saw, once per message and user.

The ephemeral answer's share button carries only an id; the message itself is kept here for an hour (at most
`limit` of them, the oldest dropped first), compressed (a Block Kit answer is a few kB of repetitive JSON, ~1 kB
packed). Behind an interface, like the other stores, to be shared by replicas.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import zlib
from collections import OrderedDict
from typing import Callable, Protocol

SHARE_TTL_SECONDS = 60 * 60
MAX_SHARES = 10_000


def pack(message: dict) -> bytes:
    return zlib.compress(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def unpack(data: bytes) -> dict:
    return json.loads(zlib.decompress(data))


class ShareStore(Protocol):
    def put(self, message: dict) -> str:
        """Keep a message; return the id to put in the share button."""
        ...

    def take(self, share_id: str, user: str) -> dict | None:
        """The message, the first time this user shares it; None when unknown, expired or already shared."""
        ...


class MemoryShares:
    def __init__(self, ttl: float = SHARE_TTL_SECONDS, limit: int = MAX_SHARES, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.limit, self.clock = ttl, limit, clock
        self._messages: OrderedDict[str, tuple[float, bytes, set[str]]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, message: dict) -> str:
        share_id = secrets.token_urlsafe(12)
        with self._lock:
            self._messages[share_id] = (self.clock(), pack(message), set())
            while len(self._messages) > self.limit:
                self._messages.popitem(last=False)
        return share_id

    def take(self, share_id: str, user: str) -> dict | None:
        now = self.clock()
        with self._lock:
            while self._messages:  # the oldest first: expired ones go
                oldest = next(iter(self._messages.values()))
                if now - oldest[0] <= self.ttl:
                    break
                self._messages.popitem(last=False)
            kept = self._messages.get(share_id)
            if kept is None or user in kept[2]:
                return None
            kept[2].add(user)
            return unpack(kept[1])
