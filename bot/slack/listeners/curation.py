"""The curators' surface: 「レポート」「データを書き出す」「点検」「元に戻す」 and an edited workbook in a DM,
`/madoguchi report` (and export, audit, restore), and the 反映する / やめる buttons. Anyone else gets a short refusal.
The work runs on the curation pool (bot.slack.curating); the listener only decides and hands over."""

from __future__ import annotations

from bot.curation.requests import CuratorRequest, curator_request
from bot.presenters import curation as say
from bot.slack import keys
from bot.slack.curating import ACTION_APPLY, SlackCuration, looks_like_workbook
from bot.slack.services import CONTEXT_KEY


def _request(services, text: str) -> CuratorRequest | None:
    return curator_request(text or "", services.runtime.knowledge.vocabulary)


def direct_message(event, body, context, client, logger) -> bool:
    """A curator's request or workbook in a DM: True when it was one (handled here), False for a question."""
    services = context[CONTEXT_KEY]
    files = [f for f in event.get("files") or () if isinstance(f, dict)]
    text = (event.get("text") or "").strip()
    request = _request(services, text)
    if request is None and not files:
        return False  # a question
    user, team, channel = event.get("user", ""), keys.workspace(context, body), event["channel"]
    thread = event.get("thread_ts") or event.get("ts")
    curator = services.is_curator(team, user)
    workbook = next((f for f in files if looks_like_workbook(f)), None)
    if request is None and not curator:
        if text:
            return False  # a question with a file attached (a screenshot, or a table): answered as a question
        if workbook is None:
            return True  # a file sent alone: nothing to read, as before
    if not curator:  # a curator's word, or a workbook dropped without a word
        services.post(client, logger, channel, thread, {"text": say.NOT_CURATOR})
        return True
    if request is None:  # a curator's file: the workbook sent back (anything else is said not to be one)
        workbook = workbook or files[0]
    curating = SlackCuration(services)
    job = (curating.workbook, client, channel, thread, workbook, user, team) if request is None else \
        (curating.run, request, client, channel, thread, user, team)
    if not services.curating.submit(*job):
        services.post(client, logger, channel, thread, {"text": say.BUSY})
    return True


def slash_request(ack, command, body, context, client, respond, logger) -> bool:
    """`/madoguchi report` (export, audit, restore): the result goes to the curator's DM. False: not a request."""
    services = context[CONTEXT_KEY]
    request = _request(services, command.get("text", ""))
    if request is None:
        return False
    user, team = command.get("user_id", ""), keys.workspace(context, body)
    if not services.is_curator(team, user):
        ack(response_type="ephemeral", text=say.NOT_CURATOR)
        return True
    ack(response_type="ephemeral", text=say.DM_ONLY)

    def run():
        try:
            channel = client.conversations_open(users=user)["channel"]["id"]
        except Exception as e:  # noqa: BLE001 - a missing im:write scope, Slack away: said where it was asked
            logger.error("could not open the curator's DM: %s", getattr(e, "response", {}).get("error") or type(e).__name__)
            respond(response_type="ephemeral", replace_original=False, text=say.NO_DM)
            return
        SlackCuration(services).run(request, client, channel, None, user, team)

    if not services.curating.submit(run):
        services.post(client, logger, command.get("channel_id", ""), None, {"text": say.BUSY})
    return True


def decide(ack, body, action, context, respond, logger):
    """反映する / やめる: the clicker must be a curator (of this workspace) now, whoever sent the workbook."""
    ack()
    services = context[CONTEXT_KEY]
    user = (body.get("user") or {}).get("id", "")
    if not services.is_curator(keys.workspace(context, body), user):
        respond(replace_original=False, response_type="ephemeral", text=say.NOT_CURATOR)
        return
    value = str(action.get("value") or "")
    if not value.isdigit():
        respond(replace_original=False, text=say.not_applied(say.Refusal.GONE))
        return
    apply = action.get("action_id") == ACTION_APPLY
    if not services.curating.submit(SlackCuration(services).decide, int(value), user, apply, respond):
        respond(replace_original=False, text=say.BUSY)
