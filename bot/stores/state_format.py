"""Conversation state as stored outside the process: versioned JSON, so that a rolling deploy of a newer version
reads what an older one wrote.

Format (version 1): {"v": 1, "intents": [...], "prefectures": [...], "city": "", "region": "", "area": "",
"pending": "", "language": "ja", "choices": [{"label": "...", "value": "..."}], "shown": [...], "rest": [...]}. A reader takes the
fields it knows and ignores others (a newer writer may add some); a missing field is empty. Anything unreadable is
None (the conversation starts afresh).
"""

from __future__ import annotations

import json

from bot.core.answer import Choice
from bot.core.conversation import ConversationState

VERSION = 1
_LISTS = ("intents", "prefectures", "shown", "rest")
_TEXTS = ("city", "region", "area", "pending", "language")


def dumps(state: ConversationState) -> str:
    data: dict = {"v": VERSION}
    for name in _LISTS:
        data[name] = list(getattr(state, name))
    for name in _TEXTS:
        data[name] = getattr(state, name)
    data["choices"] = [{"label": c.label, "value": c.value} for c in state.choices]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> ConversationState | None:
    """The state, or None if the text is not a state this version can read."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("v"), int) or data["v"] < 1:
            return None
        fields: dict = {}
        for name in _LISTS:
            value = data.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return None
            fields[name] = tuple(value)
        for name in _TEXTS:
            value = data.get(name, ConversationState._field_defaults.get(name, ""))
            if not isinstance(value, str):
                return None
            fields[name] = value
        fields["choices"] = tuple(Choice(str(c["label"]), str(c["value"])) for c in data.get("choices", []))
        return ConversationState(**fields)
    except (ValueError, TypeError, KeyError):
        return None
