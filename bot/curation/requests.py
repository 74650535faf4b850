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


_made: tuple = (None, None)  # the vocabulary the words were last made from, and them (replaced whole: threads read it)


def _words(vocabulary: Vocabulary) -> tuple[tuple[str, ...], dict[str, CuratorRequest]]:
    """The polite endings (longest first) and each request's words, plain, made once per knowledge (the same object
    until a reload): every DM is looked up here."""
    global _made
    made_from, words = _made
    if made_from is not vocabulary:
        polite = tuple(sorted((w for w in map(_plain, vocabulary.curator_polite) if w), key=len, reverse=True))
        words = polite, {_plain(w): request for request in CuratorRequest for w in vocabulary.words(request.value)}
        _made = (vocabulary, words)
    return words


def curator_request(text: str, vocabulary: Vocabulary) -> CuratorRequest | None:
    plain = _plain(text)
    if not plain or len(plain) > 40:
        return None
    polite, requests = _words(vocabulary)
    word = next((w for w in polite if plain.endswith(w) and len(plain) > len(w)), "")  # 「レポートをください」
    return requests.get(plain[: len(plain) - len(word)])
