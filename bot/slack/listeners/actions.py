"""Interactivity: clarifying choices, sharing an ephemeral answer, and 役に立った / 違う feedback."""

from __future__ import annotations

import json

from bot.slack.blocks import ACTION_FEEDBACK_GOOD, decode_choice
from slack_sdk.errors import SlackApiError

from bot.presenters.wording import APOLOGY
from bot.slack.services import CONTEXT_KEY


NOT_IN_CHANNEL = "このチャンネルに窓口ナビが参加していないため共有できませんでした。/invite で招待してからもう一度お試しください。"


def choice(ack, body, action, context, respond, logger):
    """A click on a choice answers the clarifying question in place."""
    ack()
    services = context[CONTEXT_KEY]
    raw = action.get("value") or action.get("selected_option", {}).get("value", "")
    conversation, value = decode_choice(raw)
    try:
        reply = services.runtime.choose("button", conversation, value, body.get("user", {}).get("id", ""))
        respond(replace_original=True, **services.render(reply, conversation))
    except Exception:
        logger.exception("could not answer a choice")
        respond(replace_original=False, response_type="ephemeral", text=APOLOGY)


def share(ack, body, action, context, client, respond, logger):
    """Post the answer of an ephemeral /madoguchi reply in the channel for everyone."""
    ack()
    services = context[CONTEXT_KEY]
    question = json.loads(action["value"])["q"]
    channel = body.get("channel", {}).get("id") or body.get("container", {}).get("channel_id")
    user = body.get("user", {}).get("id", "")
    conversation = f"{context.team_id}:{channel}:shared:{body.get('trigger_id', '')}"
    try:
        reply = services.runtime.ask("share", conversation, question, user)
        message = services.render(reply, conversation)
        client.chat_postMessage(channel=channel, text=f"<@{user}> さんが共有しました。\n" + message["text"],
                                blocks=message["blocks"])
        respond(delete_original=True)
    except SlackApiError as e:
        if e.response.get("error") in ("not_in_channel", "channel_not_found"):
            respond(replace_original=False, response_type="ephemeral", text=NOT_IN_CHANNEL)
        else:
            logger.exception("could not share an answer")
            respond(replace_original=False, response_type="ephemeral", text=APOLOGY)
    except Exception:
        logger.exception("could not share an answer")
        respond(replace_original=False, response_type="ephemeral", text=APOLOGY)


def feedback(ack, body, action, context, respond, logger):
    """Record 役に立った / 違う for the curators and thank the user."""
    ack()
    services = context[CONTEXT_KEY]
    record = json.loads(action["value"])
    helpful = action["action_id"] == ACTION_FEEDBACK_GOOD
    summary = f"{record.get('k', '')}: {', '.join(record.get('ids', [])) or '-'}"
    try:
        services.runtime.recorder.feedback("slack", helpful, record.get("q", ""), summary, body.get("user", {}).get("id", ""))
    except Exception:
        logger.exception("could not record feedback")
    text = "ありがとうございます。" if helpful else "ありがとうございます。担当者が確認して、案内を直します。"
    respond(replace_original=False, response_type="ephemeral", text=text)
