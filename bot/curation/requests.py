"""A curator's request in a DM or after /madoguchi (「レポート」「データを書き出す」「点検」「元に戻す」): the words
are conversation.toml's curator_* groups; a message is a request only when it is one of them, whole (with spaces,
punctuation and 「ください」 around it), so that a question that merely mentions 「レポート」 stays a question."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from bot.knowledge.model import Vocabulary


class CuratorRequest(StrEnum):
    REPORT = "curator_report"  # the week's report: Block Kit, CSV and chart
    EXPORT = "curator_export"  # today's workbook
    AUDIT = "curator_audit"  # the rows most likely stale
    RESTORE = "curator_restore"  # undo the last applied version (proposed, applied with a click)
    HISTORY = "curator_history"  # the latest versions: who proposed and applied what, when


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in text if not c.isspace() and not unicodedata.category(c).startswith(("P", "S")))


def curator_request(text: str, vocabulary: Vocabulary) -> CuratorRequest | None:
    plain = _plain(text)
    if not plain or len(plain) > 40:
        return None
    polite = sorted((_plain(w) for w in vocabulary.curator_polite), key=len, reverse=True)
    for word in polite:  # 「レポートをください」「report please」
        if word and plain.endswith(word) and len(plain) > len(word):
            plain = plain[: -len(word)]
            break
    for request in CuratorRequest:
        if plain in {_plain(w) for w in vocabulary.words(request.value)}:
            return request
    return None
