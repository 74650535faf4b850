"""Slack message text → the plain question the user typed."""

from __future__ import annotations

import html
import re

_MENTION = re.compile(r"<[@#!][^>]*>")  # <@U123>, <#C123|general>, <!here>, <!subteam^S1|@team>
_LINK = re.compile(r"<(?:tel:|mailto:)?([^>|]+)(?:\|([^>]*))?>")
_EMOJI = re.compile(r":[a-z0-9_+\-]+(?:::skin-tone-\d)?:")  # :pray:, :+1::skin-tone-2:


def question_from_slack(text: str) -> str:
    """Drop @mentions, channel references and emoji codes, unwrap links (<tel:0227223858|022-722-3858> →
    022-722-3858) and undo &amp; escaping."""
    text = _MENTION.sub(" ", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _EMOJI.sub(" ", text)
    return html.unescape(text).strip()
