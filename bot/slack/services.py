"""What the Slack listeners need, put into Bolt's context by a middleware."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.core.answer import Answer
from bot.presenters.blocks import BlocksPresenter
from bot.presenters.wording import APOLOGY
from bot.runtime import Runtime
from bot.settings import Settings

CONTEXT_KEY = "madoguchi"


@dataclass
class SlackServices:
    runtime: Runtime
    settings: Settings
    _blocks: BlocksPresenter | None = None

    @property
    def blocks(self) -> BlocksPresenter:
        """The Block Kit presenter for the current knowledge (rebuilt after a reload)."""
        if self._blocks is None or self._blocks.words.knowledge is not self.runtime.knowledge:
            self._blocks = BlocksPresenter(self.runtime.knowledge)
        return self._blocks

    def is_admin(self, user: str) -> bool:
        return user in self.settings.admins

    def post_answer(self, client, logger: logging.Logger, *, surface: str, channel: str, conversation: str,
                    question: str, user: str, thread_ts: str | None = None) -> Answer | None:
        """Answer a message and post the reply; on any error log it and post a short apology instead."""
        try:
            answer = self.runtime.ask(surface, conversation, question, user)
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, **self.blocks.render(answer, conversation))
            return answer
        except Exception:
            logger.exception("could not answer a %s message in %s", surface, channel)
            try:
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=APOLOGY)
            except Exception:
                logger.exception("could not post the apology in %s", channel)
            return None
