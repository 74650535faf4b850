"""/madoguchi <質問>: an ephemeral answer to the caller, with a button to share it in the channel."""

from __future__ import annotations

from bot.slack.blocks import escape
from bot.slack import keys
from bot.slack.listeners import curation
from bot.slack.services import APOLOGY, CONTEXT_KEY
from bot.slack.text import question_from_slack

USAGE_WORDS = ("", "help", "ヘルプ", "使い方", "?", "？")
RELOAD_WORDS = ("reload", "再読み込み")
MAX_PROBLEMS_SHOWN = 30
NOT_ADMIN = "この操作（知識ファイルの再読み込み）は管理者だけができます。"
RELOADING = "知識ファイルを検査して再読み込みしています。結果はこのあとお知らせします。"
ACK_LOCK_WAIT = 0.5  # the answer is the acknowledgement, due within Slack's 3 s: a stuck conversation lock waits no more


def madoguchi(ack, command, body, context, respond, client, logger):
    """Acknowledged with the answer itself: pure computation, well within Slack's 3 seconds."""
    if curation.slash_request(ack, command, body, context, client, respond, logger):
        return  # /madoguchi report, export, audit, restore: a curator's, the result in their DM
    services = context[CONTEXT_KEY]
    question = question_from_slack(command.get("text", ""))
    user = command.get("user_id", "")
    team = keys.workspace(context, body)
    conversation = keys.conversation(context, body, command.get("channel_id") or "", user, "command")
    if question.lower() in RELOAD_WORDS:
        if not services.is_admin(user):
            ack(response_type="ephemeral", text=NOT_ADMIN)
            return
        ack(response_type="ephemeral", text=RELOADING)
        services.replies.submit(lambda: respond(response_type="ephemeral", replace_original=False,
                                                text=_reload(services, logger)))
        return
    try:
        if question.lower() in USAGE_WORDS:
            question = "使い方"
        reply = services.runtime.ask("command", conversation, question, user, team, wait=ACK_LOCK_WAIT)
        share = ""
        if reply.answer.kind in ("contacts", "reverse"):  # the very message shared on a click, kept for an hour
            share = services.shares.put(services.render(reply, conversation, more=False))
        ack(response_type="ephemeral", **services.render(reply, conversation, share=share))
    except Exception:
        logger.exception("could not answer /madoguchi")
        ack(response_type="ephemeral", text=APOLOGY)


def _reload(services, logger) -> str:
    """Validate and load the knowledge files again; on problems keep the old knowledge and list them."""
    try:
        problems = services.runtime.reload()
    except Exception:
        logger.exception("knowledge reload failed")
        return "再読み込みできませんでした（予期しないエラー）。前の内容で答え続けます。ログを確認してください。"
    if problems:
        logger.error("knowledge not reloaded: %d problem(s)", len(problems))
        shown = escape("\n".join(str(p) for p in problems[:MAX_PROBLEMS_SHOWN]))
        more = f"\n…ほか{len(problems) - MAX_PROBLEMS_SHOWN}件" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        return f"再読み込みしませんでした。次の問題を直してください（それまでは前の内容で答えます）:\n```{shown}{more}```"
    k = services.runtime.knowledge
    notes = f"\n注意が {len(k.notes)} 件あります（答えは止まりません。`madoguchi check-knowledge` で一覧できます）。" if k.notes else ""
    return f"知識ファイルを再読み込みしました（{len(k.contacts)}件の窓口、{len(k.categories)}種類）。{notes}"
