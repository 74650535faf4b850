"""The message shortcut 「この投稿の相談先を調べる」: someone else's message in a channel, answered privately to the
person who clicked (an ephemeral reply with the share button)."""

from __future__ import annotations

from bot.slack import keys
from bot.slack.services import APOLOGY, CONTEXT_KEY, valid_user
from bot.slack.text import question_from_slack


def lookup_message(ack, shortcut, body, context, respond, logger):
    ack()
    services = context[CONTEXT_KEY]
    user = shortcut.get("user", {}).get("id", "")
    channel = shortcut.get("channel", {}).get("id", "")
    message = shortcut.get("message") or {}
    if not valid_user(user):
        return
    question = question_from_slack(message.get("text", ""))
    team = keys.workspace(context, body)
    conversation = keys.conversation(context, body, channel, user, "shortcut")

    def answer():
        try:
            reply = services.runtime.ask("shortcut", conversation, question, user, team)
            share = ""
            if reply.answer.kind in ("contacts", "reverse"):
                share = services.shares.put(services.render(reply, conversation, more=False))
            respond(response_type="ephemeral", replace_original=False, **services.render(reply, conversation, share=share))
        except Exception:
            logger.exception("could not answer a message shortcut")
            respond(response_type="ephemeral", replace_original=False, text=APOLOGY)

    services.replies.submit(answer)
