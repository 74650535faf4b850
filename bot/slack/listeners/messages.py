"""message.im: direct messages to the bot. Other message events (edits, deletions, bots) are acknowledged only."""

from __future__ import annotations

from bot.slack.services import CONTEXT_KEY
from bot.slack.text import question_from_slack


def message(event, context, client, logger):
    """A user's DM → the answer in the DM; the DM (or its thread) is one conversation."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    channel = event["channel"]
    thread = event.get("thread_ts")
    conversation = f"{context.team_id}:{channel}" + (f":{thread}" if thread else "")
    context[CONTEXT_KEY].answer_later(
        client, logger, surface="dm", channel=channel, thread_ts=thread, conversation=conversation,
        question=question_from_slack(event.get("text", "")), user=event.get("user", ""),
    )
