"""Slack message text → the plain question the user typed."""

from __future__ import annotations

import html
import re

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_LINK = re.compile(r"<(?:tel:|mailto:)?([^>|]+)(?:\|([^>]*))?>")


def question_from_slack(text: str) -> str:
    """Drop @mentions, unwrap links (<tel:0227223858|022-722-3858> → 022-722-3858) and undo &amp; escaping."""
    text = _MENTION.sub(" ", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return html.unescape(text).strip()
