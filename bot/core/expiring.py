"""A compact map whose entries expire: what the bot keeps per conversation, per delivered event and per thread.

Keys are 64-bit digests of the caller's strings (a small int rather than a ~60-character string: two keys colliding
in 2^64 is not a practical concern for maps of at most hundreds of thousands), and instead of a timestamp per entry
the map is split into generations by time of writing: an entry lives in the generation of its last write, and whole
generations are dropped once older than the time to live — so an entry is forgotten between `ttl` and `ttl` plus one
generation's span after its last write. About 70 bytes an entry (a dict slot and an int), where an OrderedDict of
strings to (time, value) tuples took ~250.

Not thread-safe by itself: its owners hold their own lock around it.
"""

from __future__ import annotations

import hashlib
from collections import deque
from typing import Any

GENERATIONS = 30
_MISSING = object()


def digest(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


class ExpiringMap:
    def __init__(self, ttl: float, limit: int, generations: int = GENERATIONS):
        self.ttl, self.limit = ttl, limit
        self.span = ttl / generations
        self._generations: deque[tuple[float, dict[int, Any]]] = deque()  # (start, entries), oldest first
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def _live(self, start: float, now: float) -> bool:
        """Entries of a generation begun at `start` were written before start + span: kept at least ttl after that."""
        return now - start < self.ttl + self.span

    def _expire(self, now: float) -> None:
        generations = self._generations
        while generations and not self._live(generations[0][0], now):  # whole generations past their time
            _, entries = generations.popleft()
            self._count -= len(entries)
        while self._count > self.limit:  # beyond the limit: the least recently written first, one by one
            entries = generations[0][1]
            del entries[next(iter(entries))]
            self._count -= 1
            if not entries:
                generations.popleft()

    def get(self, key: int, now: float, default: Any = None) -> Any:
        for start, entries in reversed(self._generations):
            if key in entries:
                return entries[key] if self._live(start, now) else default
        return default

    def put(self, key: int, value: Any, now: float) -> None:
        generations = self._generations
        for _, entries in generations:
            if entries.pop(key, _MISSING) is not _MISSING:
                self._count -= 1
                break
        if not generations or now - generations[-1][0] >= self.span:
            generations.append((now, {}))
        generations[-1][1][key] = value
        self._count += 1
        self._expire(now)

    def pop(self, key: int) -> Any:
        for _, entries in self._generations:
            if key in entries:
                self._count -= 1
                return entries.pop(key)
        return None
