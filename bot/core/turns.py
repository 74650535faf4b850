"""Turn handling: a conversation's state is loaded before the stateless engine answers and saved after, under the
conversation's lock, so that two quick messages in one thread are answered one after the other and neither
update is lost."""

from __future__ import annotations

from bot.core.answer import Answer
from bot.core.conversation import LOCK_WAIT, MemoryStore, StateStore
from bot.core.engine import Engine


class Conversations:
    def __init__(self, store: StateStore | None = None):
        self.store: StateStore = store if store is not None else MemoryStore()

    def reply(self, engine: Engine, conversation: str, text: str, wait: float = LOCK_WAIT,
              follow_ups_only: bool = False) -> Answer | None:
        """Answer one message of a conversation (waiting at most `wait` seconds for the one before it). None: the
        message was not for the bot (follow_ups_only: see Engine.reply); the state is left as it was."""
        with self.store.lock(conversation, wait):
            answer, state = engine.reply(self.store.get(conversation), text, follow_ups_only)
            if answer is not None:
                self.store.put(conversation, state)
        return answer

    def choose(self, engine: Engine, conversation: str, value: str) -> Answer:
        """Answer a click on a clarifying choice (or 「ほかのN件を見る」) in a conversation."""
        with self.store.lock(conversation):
            answer, state = engine.choose(self.store.get(conversation), value)
            self.store.put(conversation, state)
        return answer
