"""Conversation state per key (channel + thread, DM, console session) and the store it lives in between messages.

The engine never sees the store: the layer that calls it loads the state, asks the engine, and saves what it
returns, holding the conversation's lock meanwhile (see bot.runtime), so that two quick messages in one thread
cannot lose an update.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from typing import Callable, ContextManager, Iterator, NamedTuple, Protocol

from bot.core.answer import Choice
from bot.core.expiring import ExpiringMap, digest

STATE_TTL_SECONDS = 30 * 60
MAX_CONVERSATIONS = 100_000  # in memory; each is a few hundred bytes
SHARED_STATES = 20_000  # distinct states kept for sharing between conversations (then the table starts afresh)
LOCK_STRIPES = 64  # conversations share this many locks (by hash of their key): bounded memory, rare contention
LOCK_WAIT = 3.0  # seconds a message waits for the one before it in its conversation; then it is answered anyway


class ConversationState(NamedTuple):
    """What the conversation has established so far."""

    intents: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    area: str = ""
    pending: str = ""  # "prefecture", "category" or "area" while a clarifying question is open
    choices: tuple[Choice, ...] = ()
    shown: tuple[str, ...] = ()  # ids of the contacts in the last answer (「電話番号は？」「代表番号は？」「参事官室も」)
    rest: tuple[str, ...] = ()  # ids of the offices the last answer had no room for, in order (for 「ほかには？」)
    language: str = "ja"  # the language the user writes in (kept for messages that do not say: a number, a click)

    @property
    def has_place(self) -> bool:
        """The conversation has established where the user is (a prefecture, a region or an office area)."""
        return bool(self.prefectures or self.region or self.area)

    def with_(self, **changes) -> "ConversationState":
        return self._replace(**changes)


NEW_CONVERSATION = ConversationState()


class StateStore(Protocol):
    """Where conversation state lives between messages. Replace MemoryStore with a shared store to scale out."""

    def get(self, key: str) -> ConversationState | None: ...

    def put(self, key: str, state: ConversationState) -> None: ...

    def lock(self, key: str, wait: float = LOCK_WAIT) -> ContextManager[object]:
        """Held while one message of the conversation is answered (get → answer → put). Not had within `wait`
        seconds (a stuck holder): the message is answered anyway, with less context rather than late."""
        ...


class MemoryStore:
    """In-process store; state expires after 30 minutes of silence (to within a minute). Bounded: at most `limit`
    conversations, the least recently active forgotten first. Compact (bot.core.expiring): a conversation costs a
    digest of its key and a reference to its state, which conversations in the same state share."""

    def __init__(self, ttl: float = STATE_TTL_SECONDS, clock: Callable[[], float] = time.monotonic,
                 limit: int = MAX_CONVERSATIONS):
        self.ttl, self.clock, self.limit = ttl, clock, limit
        self._states = ExpiringMap(ttl, limit)
        self._lock = threading.Lock()
        self._stripes = tuple(threading.Lock() for _ in range(LOCK_STRIPES))
        self._shared: dict[ConversationState, ConversationState] = {}

    @contextlib.contextmanager
    def lock(self, key: str, wait: float = LOCK_WAIT) -> Iterator[bool]:
        stripe = self._stripes[zlib.crc32(key.encode()) % LOCK_STRIPES]
        held = stripe.acquire(timeout=wait)
        try:
            yield held
        finally:
            if held:
                stripe.release()

    def get(self, key: str) -> ConversationState | None:
        now = self.clock()
        with self._lock:
            return self._states.get(digest(key), now)

    def put(self, key: str, state: ConversationState) -> None:
        now = self.clock()
        with self._lock:
            # many conversations are in the same state (「二重ローン 宮城」 answered): they share one object
            shared = self._shared
            if len(shared) >= SHARED_STATES:
                shared.clear()
            self._states.put(digest(key), shared.setdefault(state, state), now)

    def __len__(self) -> int:
        return len(self._states)
