"""Events API: mentions in channels, the App Home tab, and everything else (acknowledged, ignored)."""

from __future__ import annotations

from bot.presenters.curation import home_note as curator_home_note
from bot.slack import keys
from bot.slack.blocks import PROMPTS_TITLE, home_view, suggested_prompts
from bot.slack.services import CONTEXT_KEY
from bot.slack.text import question_from_slack


def app_mention(event, body, context, client, logger):
    """@madoguchi in a channel → the answer in the thread of that message (made and posted on the answer pool)."""
    if event.get("bot_id") or event.get("subtype"):
        return
    thread = event.get("thread_ts") or event["ts"]
    channel = event["channel"]
    services = context[CONTEXT_KEY]
    if not services.answer_later(
        client, logger, surface="mention", channel=channel, thread_ts=thread,
        conversation=keys.conversation(context, body, channel, thread),
        question=question_from_slack(event.get("text", "")), user=event.get("user", ""), team=keys.workspace(context, body),
    ):
        return services.refuse(context, logger)


def app_home_opened(event, body, context, client, logger):
    """The Home tab: publish what the bot answers. The Messages tab (Slack's agent view): suggested prompts drawn from
    the knowledge's examples (assistant.threads.setSuggestedPrompts, without thread_ts for an agent app). Both on the
    reply pool: the Web API may be slow."""
    services = context[CONTEXT_KEY]
    tab = event.get("tab", "home")

    def publish():
        try:
            if tab == "home":
                note = ""
                if services.curation is not None and services.is_curator(keys.workspace(context, body), event["user"]):
                    note = curator_home_note(services.curation.source.version)
                client.views_publish(user_id=event["user"], view=home_view(services.runtime.knowledge, note))
            elif tab == "messages" and event.get("channel"):
                client.assistant_threads_setSuggestedPrompts(channel_id=event["channel"], title=PROMPTS_TITLE,
                                                             prompts=suggested_prompts(services.runtime.knowledge))
        except Exception:
            logger.exception("could not update the %s tab", tab)

    if tab in ("home", "messages"):
        services.replies.submit(publish)


def any_other_event(event, logger):
    """Subscribed events we do not act on: acknowledged so that Slack does not retry them."""
    logger.debug("ignored event %s", event.get("type"))
