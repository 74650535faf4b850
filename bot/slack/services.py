"""What the Slack listeners need, put into Bolt's context by a middleware: the runtime, the settings, the pools that
answer after acknowledging (answers to messages; replies to clicks and commands; busy notes — apart, so that a hanging
response URL never holds up an answer), the shared answers, and the posting rules (never post twice).

Back-pressure: a message is acknowledged only once it has a place — on the answer pool, or failing that on the busy
pool, for 「ただいま混み合っています」. When both are full it is refused (503, and its event id forgotten), so that Slack
delivers it again later: every acknowledged event gets an answer or the busy note, and nothing waits unbounded."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError

from bot.presenters.sentences import JAPANESE
from bot.runtime import Reply, Runtime, Snapshot
from bot.settings import Settings
from bot.slack.blocks import BlocksPresenter
from bot.slack.shares import MemoryShares, ShareStore
from bot.slack.threads import BotThreads
from bot.slack.workers import Workers

APOLOGY, BUSY = JAPANESE.say["apology"], JAPANESE.say["busy"]  # said before anything is understood: in Japanese
CONTEXT_KEY = "madoguchi"
SEEN_KEYS = "madoguchi_seen_keys"  # the ids the de-duplication marked for this request (forgotten when refused)
USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
ANSWER_THREADS, ANSWER_QUEUE = 32, 200  # answers made and posted (mostly waiting on the Web API); beyond: 「混み合っています」
BUSY_THREADS, BUSY_QUEUE = 2, 100  # the short busy notes themselves; beyond that, refused for Slack to resend
REPLY_THREADS, REPLY_QUEUE = 4, 200  # what follows a click or a command (response URLs, shares): apart from answers
CURATION_THREADS, CURATION_QUEUE = 1, 20  # curators' reports and workbooks: one at a time (a check copies the knowledge)


def valid_user(user: str) -> bool:
    return bool(USER_ID.match(user or ""))


@dataclass
class SlackServices:
    runtime: Runtime
    settings: Settings
    workers: Workers = field(default_factory=lambda: Workers(ANSWER_THREADS, ANSWER_QUEUE, "answer"))
    busy: Workers = field(default_factory=lambda: Workers(BUSY_THREADS, BUSY_QUEUE, "busy"))
    replies: Workers = field(default_factory=lambda: Workers(REPLY_THREADS, REPLY_QUEUE, "reply"))
    shares: ShareStore = field(default_factory=MemoryShares)
    seen: object = None  # the de-duplication's store (bot.slack.dedupe): a refused event is forgotten there
    threads: BotThreads = field(default_factory=BotThreads)  # the channel threads the bot talks in
    stores: list = field(default_factory=list)  # shared stores whose state() /healthz reports (installations, Redis)
    thread_replies: bool = True  # channel thread replies reach the bot (message.channels); else mentions only
    curation: object = None  # bot.curation.curating.Curation: the knowledge curators change from Slack (None: no database)
    curating: Workers = field(default_factory=lambda: Workers(CURATION_THREADS, CURATION_QUEUE, "curation"))
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

    @property
    def pools(self) -> tuple[Workers, ...]:
        return self.workers, self.replies, self.busy, self.curating

    def is_curator(self, team: str, user: str) -> bool:
        """team: the workspace key (bot.slack.keys.workspace; 'E1/T9' for an org-wide install's workspace)."""
        return self.settings.is_curator(team.rsplit("/", 1)[-1], user) or (
            "/" in team and self.settings.is_curator(team.split("/", 1)[0], user))

    def health(self) -> tuple[bool, list[str]]:
        """(every store works, a line per store): what /healthz says."""
        states = [store.state() for store in self.stores]
        return all(ok for ok, _ in states), [line for _, line in states]

    def is_admin(self, user: str) -> bool:
        return user in self.settings.admins

    def answer_later(self, client, logger: logging.Logger, **message) -> bool:
        """Answer a message on the answer pool (the listener returns at once); when it is full, a short busy note.
        False when the busy pool is full too: the caller refuses the event (`refuse`) rather than drop it."""
        if self.workers.submit(self.post_answer, client, logger, message):
            return True
        if self.busy.submit(self.post, client, logger, message["channel"], message.get("thread_ts"), {"text": BUSY}):
            logger.warning("answer pool full: a busy note instead of the answer in %s", message["channel"])
            return True
        return False

    def refuse(self, context, logger: logging.Logger) -> BoltResponse:
        """Not acknowledged (503): Slack delivers the event again; its ids are forgotten so that the retry counts."""
        forget = getattr(self.seen, "forget", None)
        for key in context.get(SEEN_KEYS) or ():
            if forget:
                forget(key)
        logger.warning("both pools full: an event refused for Slack to deliver again (%d so far)", self.busy.rejected)
        return BoltResponse(status=503, body="busy")

    def post_answer(self, client, logger: logging.Logger, message: dict) -> Reply | None:
        """Answer a message and post the reply. If answering fails, an apology is posted instead; if the post's
        outcome is unknown (a timeout or a lost connection after sending), nothing is posted again."""
        channel, thread_ts = message["channel"], message.get("thread_ts")
        unsure = message.get("unsure_thread")  # a thread reply whose conversation the bot does not remember
        if unsure and not self.threads.is_bots(client, channel, thread_ts, *unsure):
            return None  # someone else's thread: not the bot's to answer, nor to record
        try:
            reply = self.runtime.ask(message["surface"], message["conversation"], message["question"], message["user"],
                                     message.get("team", ""), forgot=bool(unsure),
                                     follow_ups_only=message.get("follow_ups_only", False))
            if reply is None:
                return None  # people talking to each other in the bot's thread: not answered, not recorded
            rendered = self.render(reply, message["conversation"],
                                   mention_hint=message["surface"] == "mention" and not self.thread_replies)
        except Exception:
            logger.exception("could not answer a %s message in %s", message["surface"], channel)
            self.post(client, logger, channel, thread_ts, {"text": APOLOGY})
            return None
        if not self.post(client, logger, channel, thread_ts, rendered):
            return None
        if message["surface"] in ("mention", "thread") and thread_ts:
            self.threads.posted(channel, thread_ts)
        return reply

    @staticmethod
    def post(client, logger: logging.Logger, channel: str, thread_ts: str | None, message: dict) -> bool:
        """chat.postMessage once: True if Slack took it. Slack's refusal is logged; an unknown outcome is logged and
        never repeated (the message may be in the channel already)."""
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
            return True
        except SlackApiError as e:
            logger.error("Slack did not post the message in %s: %s", channel, e.response.get("error") or e.response.status_code)
        except Exception as e:  # noqa: BLE001 - a timeout or a dropped connection: it may have been posted
            logger.warning("posting in %s: outcome unknown (%s); not posting again", channel, type(e).__name__)
        return False
