"""Listeners by Slack surface; each is a plain function that calls the core and sends what it returns."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.slack.blocks import (ACTION_CHOICE, ACTION_CHOICE_SELECT, ACTION_FEEDBACK, ACTION_FEEDBACK_BAD,
                              ACTION_FEEDBACK_GOOD, ACTION_FEEDBACK_REASON, ACTION_MORE, ACTION_SHARE)
from bot.slack.curating import ACTION_APPLY, ACTION_DISCARD
from bot.slack.listeners import actions, commands, curation, events, functions, messages, shortcuts

LOOKUP_SHORTCUT = "madoguchi_lookup_message"  # the message shortcut's callback_id (deploy/manifest.*.yaml)
FIND_OFFICE_STEP = "madoguchi_find_office"  # the Workflow Builder step's callback_id


def register(app: App) -> None:
    app.event("app_mention")(events.app_mention)
    app.event("app_home_opened")(events.app_home_opened)
    app.event("message")(messages.message)
    app.function(FIND_OFFICE_STEP)(functions.find_office)
    app.event(re.compile(".*"))(events.any_other_event)  # every subscribed event gets a 200, never a 404
    app.command("/madoguchi")(commands.madoguchi)
    app.shortcut(LOOKUP_SHORTCUT)(shortcuts.lookup_message)
    app.action(re.compile(f"^{ACTION_CHOICE}_\\d+$"))(actions.choice)
    app.action(ACTION_CHOICE_SELECT)(actions.choice)
    app.action(ACTION_MORE)(actions.choice)  # 「ほかのN件を見る」: the next page of a long answer, in place
    app.action(ACTION_SHARE)(actions.share)
    app.action(ACTION_FEEDBACK)(actions.feedback)  # Slack's 👍/👎
    app.action(ACTION_FEEDBACK_GOOD)(actions.feedback)
    app.action(ACTION_FEEDBACK_BAD)(actions.feedback)
    app.action(re.compile(f"^{ACTION_FEEDBACK_REASON}_[a-z_]+$"))(actions.feedback_reason)
    app.action(ACTION_APPLY)(curation.decide)  # a curator's 反映する / やめる on a checked workbook
    app.action(ACTION_DISCARD)(curation.decide)
