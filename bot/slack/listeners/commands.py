"""/madoguchi <質問>: an ephemeral answer to the caller, with a button to share it in the channel."""

from __future__ import annotations

from bot.slack.blocks import escape
from bot.presenters.wording import APOLOGY
from bot.slack.services import CONTEXT_KEY
from bot.slack.text import question_from_slack

USAGE_WORDS = ("", "help", "ヘルプ", "使い方", "?", "？")
RELOAD_WORDS = ("reload", "再読み込み")
MAX_PROBLEMS_SHOWN = 30


def madoguchi(ack, command, context, logger):
    """Acknowledged with the answer itself (well within Slack's 3 seconds)."""
    services = context[CONTEXT_KEY]
    question = question_from_slack(command.get("text", ""))
    conversation = f"{context.team_id}:{command.get('channel_id')}:{command.get('user_id')}:command"
    if question.lower() in RELOAD_WORDS:
        ack(response_type="ephemeral", text=_reload(services, command.get("user_id", ""), logger))
        return
    try:
        if question.lower() in USAGE_WORDS:
            question = "使い方"
        reply = services.runtime.ask("command", conversation, question, command.get("user_id", ""))
        share = reply.answer.kind in ("contacts", "reverse")
        ack(response_type="ephemeral", **services.render(reply, conversation, share=share))
    except Exception:
        logger.exception("could not answer /madoguchi")
        ack(response_type="ephemeral", text=APOLOGY)


def _reload(services, user: str, logger) -> str:
    """Admin only: validate and load the knowledge files again; on problems keep the old knowledge."""
    if not services.is_admin(user):
        return "この操作（知識ファイルの再読み込み）は管理者だけができます。"
    problems = services.runtime.reload()
    if problems:
        logger.error("knowledge not reloaded: %d problem(s)", len(problems))
        shown = escape("\n".join(str(p) for p in problems[:MAX_PROBLEMS_SHOWN]))
        more = f"\n…ほか{len(problems) - MAX_PROBLEMS_SHOWN}件" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        return f"再読み込みしませんでした。次の問題を直してください（それまでは前の内容で答えます）:\n```{shown}{more}```"
    k = services.runtime.knowledge
    return f"知識ファイルを再読み込みしました（{len(k.contacts)}件の窓口、{len(k.categories)}種類）。"
