"""/madoguchi <質問>: an ephemeral answer to the caller, with a button to share it in the channel."""

from __future__ import annotations

from bot.presenters.wording import APOLOGY
from bot.slack.services import CONTEXT_KEY
from bot.slack.text import question_from_slack

USAGE_WORDS = ("", "help", "ヘルプ", "使い方", "?", "？")


def madoguchi(ack, command, context, logger):
    """Acknowledged with the answer itself (well within Slack's 3 seconds)."""
    services = context[CONTEXT_KEY]
    question = question_from_slack(command.get("text", ""))
    conversation = f"{context.team_id}:{command.get('channel_id')}:{command.get('user_id')}:command"
    try:
        if question.lower() in USAGE_WORDS:
            question = "使い方"
        answer = services.runtime.ask("command", conversation, question, command.get("user_id", ""))
        share = answer.kind in ("contacts", "reverse")
        ack(response_type="ephemeral", **services.blocks.render(answer, conversation, share=share))
    except Exception:
        logger.exception("could not answer /madoguchi")
        ack(response_type="ephemeral", text=APOLOGY)
