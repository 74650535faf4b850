"""Slack message text → the plain question the user typed.

Cut first, then clean, with patterns that cannot span a `<` (so each runs in linear time: 20,000 unclosed `<` cost
no more than any other long message).
"""

from __future__ import annotations

import html
import re

from bot.core.answer import MAX_QUESTION_CHARS

MAX_MARKUP_CHARS = 8 * MAX_QUESTION_CHARS  # more than enough markup around the part of a question that is read
_MENTION = re.compile(r"<[@#!][^<>]*>")  # <@U123>, <#C123|general>, <!here>, <!subteam^S1|@team>
_LINK = re.compile(r"<(?:tel:|mailto:)?([^<>|]+)(?:\|([^<>]*))?>")
_EMOJI = re.compile(r":[a-z0-9_+\-]+(?:::skin-tone-\d)?:")  # :pray:, :+1::skin-tone-2:


def question_from_slack(text: str) -> str:
    """Drop @mentions, channel references and emoji codes, unwrap links (<tel:0227223858|022-722-3858> →
    022-722-3858) and undo &amp; escaping."""
    text = (text or "")[:MAX_MARKUP_CHARS]
    text = _MENTION.sub(" ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _EMOJI.sub(" ", text)
    return html.unescape(text).strip()
