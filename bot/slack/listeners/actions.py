"""Interactivity: clarifying choices, sharing an ephemeral answer, and 役に立った / 違う feedback.

Each click is acknowledged at once; what follows (answering, posting, replying to the response URL) runs on the
reply pool, so a slow Web API never delays another user's click, command or message.
"""

from __future__ import annotations

import json

from slack_sdk.errors import SlackApiError

from bot.curation.recorder import Reason
from bot.slack.blocks import ACTION_FEEDBACK_GOOD, decode_choice
from bot.slack import keys
from bot.slack.services import APOLOGY, CONTEXT_KEY, valid_user

MAX_IDS = 20  # offices a feedback button may name (an answer shows at most a few)

NOT_IN_CHANNEL = "このチャンネルに窓口ナビが参加していないため共有できませんでした。/invite で招待してからもう一度お試しください。"
NOT_YOURS = "このボタンはほかの方の質問のものです。ご自分で質問してください。"
SHARE_GONE = "この答えは共有できなくなりました（共有済みか、1時間以上前の答えです）。もう一度 /madoguchi で質問してください。"


def _channel(body: dict) -> str:
    return body.get("channel", {}).get("id") or body.get("container", {}).get("channel_id") or ""


def belongs_to(conversation: str, team: str, channel: str, user: str) -> bool:
    """A choice value names its conversation: it must be one of this channel's, and a /madoguchi conversation must
    be the clicking user's own (a crafted value cannot steer another user's conversation)."""
    parts = conversation.split(":")
    if parts[:2] != [team, channel]:
        return False
    return parts[-1] != "command" or (len(parts) == 4 and parts[2] == user)


def choice(ack, body, action, context, respond, logger):
    """A click on a choice answers the clarifying question in place."""
    ack()
    services = context[CONTEXT_KEY]
    raw = action.get("value") or action.get("selected_option", {}).get("value", "")
    conversation, value = decode_choice(raw)
    user = body.get("user", {}).get("id", "")
    team = keys.workspace(context, body)
    if not valid_user(user) or not belongs_to(conversation, team, _channel(body), user):
        logger.warning("a choice for another conversation was refused")
        services.replies.submit(lambda: respond(replace_original=False, response_type="ephemeral", text=NOT_YOURS))
        return

    def answer():
        try:
            reply = services.runtime.choose("button", conversation, value, user, team)
            respond(replace_original=True, **services.render(reply, conversation))
        except Exception:
            logger.exception("could not answer a choice")
            respond(replace_original=False, response_type="ephemeral", text=APOLOGY)

    services.replies.submit(answer)


def share(ack, body, action, context, client, respond, logger):
    """Post the very answer the user saw in an ephemeral /madoguchi reply, once per message and user."""
    ack()
    services = context[CONTEXT_KEY]
    channel, user = _channel(body), body.get("user", {}).get("id", "")
    if not valid_user(user):
        logger.warning("a share click with a malformed user id was refused")
        return
    message = services.shares.take(action.get("value", ""), user)
    if message is None:
        services.replies.submit(lambda: respond(replace_original=False, response_type="ephemeral", text=SHARE_GONE))
        return

    def post():
        try:
            client.chat_postMessage(channel=channel, text=f"<@{user}> さんが共有しました。\n" + message["text"],
                                    blocks=message["blocks"])
            respond(delete_original=True)
        except SlackApiError as e:
            text = NOT_IN_CHANNEL if e.response.get("error") in ("not_in_channel", "channel_not_found") else APOLOGY
            if text == APOLOGY:
                logger.error("could not share an answer: %s", e.response.get("error"))
            respond(replace_original=False, response_type="ephemeral", text=text)
        except Exception as e:  # noqa: BLE001 - unknown outcome: it may be in the channel already; not posted again
            logger.warning("sharing in %s: outcome unknown (%s)", channel, type(e).__name__)

    services.replies.submit(post)


def _record(action: dict) -> tuple[dict, list[str]]:
    """A feedback button's value, checked (hostile until then): the record, and the ids of the offices it showed."""
    try:
        record = json.loads(action.get("value") or "{}")
    except json.JSONDecodeError:
        record = {}
    if not isinstance(record, dict):
        record = {}
    ids = [i for i in record.get("ids", []) if isinstance(i, str)][:MAX_IDS] if isinstance(record.get("ids"), list) else []
    return record, ids


def feedback(ack, body, action, context, respond, logger):
    """Record 役に立った / 違う for the curators and thank the user; after 違う, offer one click to say why."""
    ack()
    services = context[CONTEXT_KEY]
    record, ids = _record(action)
    # Slack's feedback_buttons say which in the value; the buttons of older answers in the action id
    helpful = record.get("f") == "good" or action.get("action_id") == ACTION_FEEDBACK_GOOD
    summary = f"{record.get('k', '')}: {', '.join(ids) or '-'}"
    services.runtime.recorder.feedback("slack", helpful, str(record.get("q", "")), summary, body.get("user", {}).get("id", ""),
                                       keys.workspace(context, body))
    if helpful:
        services.replies.submit(lambda: respond(replace_original=False, response_type="ephemeral", text="ありがとうございます。"))
        return
    why = services.blocks().reasons({"q": str(record.get("q", ""))[:600], "l": str(record.get("l", ""))[:2], "ids": ids})
    services.replies.submit(lambda: respond(replace_original=False, response_type="ephemeral", **why))


def feedback_reason(ack, body, action, context, respond, logger):
    """Why 違う (番号がつながらない / 窓口が違う / その他): recorded with the offices shown; the buttons are replaced by
    thanks."""
    ack()
    services = context[CONTEXT_KEY]
    record, ids = _record(action)
    try:
        reason = Reason(str(record.get("r", "")))
    except ValueError:
        logger.warning("a feedback reason button with an unknown reason: ignored")
        return
    services.runtime.recorder.reason("slack", reason, str(record.get("q", "")), ids, body.get("user", {}).get("id", ""),
                                     keys.workspace(context, body))
    text = services.blocks().reason_thanks(record, reason)
    services.replies.submit(lambda: respond(replace_original=True, response_type="ephemeral", text=text))
