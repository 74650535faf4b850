"""Which channel threads the bot is talking in: remembered when it posts there, and asked of Slack when it does not
remember — the thread's conversation expired, Redis lost it, or another replica answered there.

A reply in a thread without a mention reaches the bot (message.channels) for every thread of every channel it is in;
only the bot's own threads are answered. When the conversation's state is gone, Slack says whether the bot posted in
the thread (conversations.replies, which the thread-reply scopes already allow); each verdict is kept, so a thread
costs one call at most. Compact and bounded (bot.core.expiring): at most `limit` threads, each remembered for a day
after it was last seen, the least recently seen forgotten first beyond the limit.
"""

from __future__ import annotations

import logging
import threading
import time

from bot.core.expiring import ExpiringMap, digest

MAX_THREADS = 20_000
REMEMBERED = 24 * 3600.0  # seconds a thread's verdict is kept after it was last seen
log = logging.getLogger("madoguchi.threads")


class BotThreads:
    def __init__(self, limit: int = MAX_THREADS, clock=time.monotonic):
        self.clock = clock
        self._known = ExpiringMap(REMEMBERED, limit)  # digest of "channel:thread" → the bot posted there
        self._lock = threading.Lock()

    def _keep(self, key: str, verdict: bool) -> None:
        with self._lock:
            self._known.put(digest(key), verdict, self.clock())

    def posted(self, channel: str, thread: str) -> None:
        """The bot has just posted in this thread."""
        self._keep(f"{channel}:{thread}", True)

    def is_bots(self, client, channel: str, thread: str, bot_user: str | None, bot_id: str | None) -> bool:
        """Has the bot posted in this thread? Remembered, else asked of Slack once; unknown (Slack unreachable): no."""
        key = f"{channel}:{thread}"
        with self._lock:
            known = self._known.get(digest(key), self.clock())
        if known is not None:
            return known
        try:
            response = client.conversations_replies(channel=channel, ts=thread, limit=200)
        except Exception as e:  # noqa: BLE001 - unknown: not answered (never a reply in someone else's thread)
            log.warning("could not tell whether a thread in %s is the bot's (%s)", channel, type(e).__name__)
            return False
        messages = response.get("messages") or []
        verdict = any(isinstance(m, dict) and ((bot_user and m.get("user") == bot_user) or (bot_id and m.get("bot_id") == bot_id))
                      for m in messages)
        self._keep(key, verdict)
        return verdict
