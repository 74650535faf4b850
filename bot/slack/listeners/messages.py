"""Message events: DMs (message.im), and replies in channel threads the bot is talking in (message.channels,
message.groups), also with a file attached or sent to the channel too. Every other message event — edits, deletions,
bots, system messages, channel chatter — is acknowledged and ignored: not answered, not recorded, not logged."""

from __future__ import annotations

import re

from bot.slack import keys
from bot.slack.listeners import curation
from bot.slack.services import CONTEXT_KEY
from bot.slack.text import question_from_slack

CHANNEL_TYPES = ("channel", "group")
# a user's message with a file attached (a screenshot of a letter) and a thread reply also sent to the channel: answered
# like their plain forms; every other subtype — the bot's own and other bots' messages, edits, deletions, joins and
# other system messages — is not a question
ANSWERED_SUBTYPES = frozenset({"file_share", "thread_broadcast"})


def message(event, body, context, client, logger):
    subtype = event.get("subtype")
    if event.get("bot_id") or (subtype and subtype not in ANSWERED_SUBTYPES):
        return
    kind = event.get("channel_type")
    if kind == "im" and curation.direct_message(event, body, context, client, logger):
        return None  # a curator's request or workbook (or someone else's, refused)
    if not (event.get("text") or "").strip():
        return  # a file sent without a word: nothing to read
    if kind == "im":
        return _direct_message(event, body, context, client, logger)
    if kind in CHANNEL_TYPES:
        return _thread_reply(event, body, context, client, logger)
    return None


def _direct_message(event, body, context, client, logger):
    """A user's DM → the answer in a thread of that message, as Slack's agent apps answer (agent_view): each question
    is a conversation of its own, its thread; a reply in the thread is a follow-up of that conversation."""
    channel = event["channel"]
    thread = event.get("thread_ts") or event.get("ts")
    conversation = keys.conversation(context, body, channel, *([thread] if thread else []))
    services = context[CONTEXT_KEY]
    if not services.answer_later(
        client, logger, surface="dm", channel=channel, thread_ts=thread, conversation=conversation,
        question=question_from_slack(event.get("text", "")), user=event.get("user", ""), team=keys.workspace(context, body),
    ):
        return services.refuse(context, logger)
    return None


def _thread_reply(event, body, context, client, logger):
    """「福島は？」「3」 in a thread where the bot has answered: answered without a mention. A message that mentions the
    bot is app_mention's to answer."""
    thread = event.get("thread_ts")
    if not thread or thread == event.get("ts"):
        return  # a message of the channel itself, not a thread reply
    if context.bot_user_id and re.search(f"<@{re.escape(context.bot_user_id)}(?:\\|[^>]*)?>", event.get("text") or ""):
        return  # <@UBOT> or <@UBOT|madoguchi>
    services = context[CONTEXT_KEY]
    conversation = keys.conversation(context, body, event["channel"], thread)
    # no conversation remembered: someone else's thread — or the bot's, its state expired or lost (Redis emptied or
    # failing): Slack is asked which, after acknowledging, and the bot's own is answered with what can be answered
    unsure = None if services.runtime.conversations.store.get(conversation) else (context.bot_user_id, context.bot_id)
    if not services.answer_later(
        client, logger, surface="thread", channel=event["channel"], thread_ts=thread, conversation=conversation,
        question=question_from_slack(event.get("text", "")), user=event.get("user", ""), team=keys.workspace(context, body),
        unsure_thread=unsure, follow_ups_only=True,  # chatter between people (「了解です」) is not for the bot
    ):
        return services.refuse(context, logger)
    return None
