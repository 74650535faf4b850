"""Conversation state per key (channel + thread, DM, console session) behind a small store interface."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable, NamedTuple, Protocol

STATE_TTL_SECONDS = 30 * 60
DEDUPE_TTL_SECONDS = 60 * 60


@dataclass(frozen=True)
class Choice:
    """One option of a clarifying question. `value` is what answering it means (e.g. 'prefecture:宮城')."""

    label: str
    value: str


class ConversationState(NamedTuple):
    """What the conversation has established so far (a NamedTuple: made on every message, so cheap to copy)."""

    intents: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    area: str = ""
    pending: str = ""  # "prefecture", "category" or "area" while a clarifying question is open
    choices: tuple[Choice, ...] = ()
    shown: tuple[str, ...] = ()  # ids of the contacts in the last answer (「電話番号は？」「代表番号は？」「参事官室も」)
    rest: tuple[str, ...] = ()  # ids of the offices the last answer had no room for, in order (for 「ほかには？」)

    @property
    def has_place(self) -> bool:
        """The conversation has established where the user is (a prefecture, a region or an office area)."""
        return bool(self.prefectures or self.region or self.area)

    def with_(self, **changes) -> "ConversationState":
        return self._replace(**changes)


class StateStore(Protocol):
    """Where conversation state and seen event ids live. Replace MemoryStore with a shared store to scale out."""

    def get(self, key: str) -> ConversationState | None: ...

    def put(self, key: str, state: ConversationState) -> None: ...

    def first_time(self, event_id: str) -> bool:
        """Record an event id; True the first time it is seen, False for a retry or duplicate."""
        ...


class MemoryStore:
    """In-process store; state expires after 30 minutes of silence, seen ids after an hour."""

    def __init__(self, ttl: float = STATE_TTL_SECONDS, dedupe_ttl: float = DEDUPE_TTL_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl, self.dedupe_ttl, self.clock = ttl, dedupe_ttl, clock
        self._states: dict[str, tuple[float, ConversationState]] = {}  # key → (last message time, state)
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._next_purge = 0.0

    def get(self, key: str) -> ConversationState | None:
        now = self.clock()
        with self._lock:
            self._purge(now)
            saved = self._states.get(key)
            if saved is None or now - saved[0] > self.ttl:
                self._states.pop(key, None)
                return None
            return saved[1]

    def put(self, key: str, state: ConversationState) -> None:
        with self._lock:
            self._states[key] = (self.clock(), state)

    def first_time(self, event_id: str) -> bool:
        now = self.clock()
        with self._lock:
            self._purge(now)
            seen = self._seen.get(event_id)
            if seen is not None and now - seen <= self.dedupe_ttl:
                return False
            self._seen[event_id] = now
            return True

    def _purge(self, now: float) -> None:
        if now < self._next_purge:
            return
        self._next_purge = now + 60
        self._states = {k: saved for k, saved in self._states.items() if now - saved[0] <= self.ttl}
        self._seen = {k: t for k, t in self._seen.items() if now - t <= self.dedupe_ttl}
