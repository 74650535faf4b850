"""The Workflow Builder step 「窓口を調べる」 (a custom function): a question, or a topic and a prefecture, in; the
office's name, phone number, URL and the reply text out. Nothing found: the step fails with a clear message, never
a made-up office."""

from __future__ import annotations

from bot.core.answer import CONTACTS, REVERSE
from bot.slack import keys
from bot.slack.services import CONTEXT_KEY

NOT_FOUND = ("窓口が見つかりませんでした。質問に相談の内容と都道府県を入れてください（例:「二重ローン 宮城」）。"
             "それでも見つからないときは、中小企業庁の一覧に該当する窓口がありません。")
FAILED = "窓口を調べる途中でエラーが起きました。少し時間をおいて、ワークフローをもう一度実行してください。"
ASKS_BACK = "窓口を一つに決められませんでした（{question}）。質問に都道府県や窓口の名前を加えてください。"


def find_office(inputs, body, complete, fail, context, logger):
    """Acknowledged by Bolt at once; answered and completed on the reply pool (complete() calls the Web API)."""
    services = context[CONTEXT_KEY]
    question = str(inputs.get("question") or "").strip() or " ".join(
        str(inputs.get(k) or "").strip() for k in ("topic", "prefecture")).strip()
    execution = getattr(context, "function_execution_id", None) or "step"

    def run():
        try:
            answer_the_step()
        except Exception:  # never left neither completed nor failed: the workflow would wait for good
            logger.exception("the workflow step could not be answered")
            try:
                fail(FAILED)
            except Exception as e:  # noqa: BLE001 - the Web API itself failing: nothing more can be said
                logger.error("the workflow step could not be failed either (%s)", type(e).__name__)

    def answer_the_step():
        if not question:
            fail(NOT_FOUND)
            return
        reply = services.runtime.ask("workflow", keys.conversation(context, body, "workflow", execution), question,
                                     team=keys.workspace(context, body))
        answer = reply.answer
        if answer.kind not in (CONTACTS, REVERSE) or not answer.contacts:
            fail(ASKS_BACK.format(question=reply.text.splitlines()[0]) if answer.is_clarify else NOT_FOUND)
            return
        office = answer.contacts[0]
        complete(outputs={"office_name": office.name, "phone": " / ".join(p.number for p in office.phones),
                          "url": office.url, "reply_text": reply.text})

    services.replies.submit(run)
