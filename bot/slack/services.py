"""What the Slack listeners need, put into Bolt's context by a middleware."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.presenters.wording import APOLOGY
from bot.runtime import Reply, Runtime, Snapshot
from bot.settings import Settings
from bot.slack.blocks import BlocksPresenter

CONTEXT_KEY = "madoguchi"


@dataclass
class SlackServices:
    runtime: Runtime
    settings: Settings
    _blocks: tuple[Snapshot, BlocksPresenter] | None = field(default=None, repr=False)

    def blocks(self, snapshot: Snapshot | None = None) -> BlocksPresenter:
        """The Block Kit presenter of a snapshot (by default the current one); made once per snapshot."""
        snapshot = snapshot or self.runtime.snapshot
        made = self._blocks
        if made is None or made[0] is not snapshot:
            made = self._blocks = (snapshot, BlocksPresenter(snapshot.knowledge, snapshot.text))
        return made[1]

    def render(self, reply: Reply, conversation: str, **options) -> dict:
        """A reply as chat.postMessage / respond kwargs, with the presenters of the knowledge it was made from."""
        return self.blocks(reply.snapshot).render(reply.answer, conversation, **options)

    def is_admin(self, user: str) -> bool:
        return user in self.settings.admins

    def post_answer(self, client, logger: logging.Logger, *, surface: str, channel: str, conversation: str,
                    question: str, user: str, thread_ts: str | None = None) -> Reply | None:
        """Answer a message and post the reply; on any error log it and post a short apology instead."""
        try:
            reply = self.runtime.ask(surface, conversation, question, user)
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, **self.render(reply, conversation))
            return reply
        except Exception:
            logger.exception("could not answer a %s message in %s", surface, channel)
            try:
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=APOLOGY)
            except Exception:
                logger.exception("could not post the apology in %s", channel)
            return None
