"""Splitting a message into sentences, the way Sudachi's sentence splitter does (SudachiPy 0.6 does not expose it):
after 。 ！ ？ ! ? (and the closing brackets right after them), at a line break, never inside brackets; an English
full stop ends a sentence before a space."""

from __future__ import annotations

import re
from typing import NamedTuple

_ENDS = frozenset("。!?！？")
_OPEN, _CLOSE = "「『（(【〔[", "」』）)】〕]"
_CLOSERS = frozenset(_CLOSE) | frozenset("\"'”’")
_TAIL = "".join(_CLOSERS | _ENDS)
MAX_DEPTH = 3  # brackets deeper than this are not tracked (an unclosed 「 must not hide every sentence after it)


class Sentence(NamedTuple):
    text: str
    question: bool  # ends with a question mark


_ANY_END = re.compile(r"[。!?！？.\n]")
_TRAILING = re.compile(r"[。!?！？.\s」』）)】〕\]\"'”’]*\Z")


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of a message, in order, without the line breaks between them; empty ones left out."""
    first = _ANY_END.search(text)
    if first is None or _TRAILING.match(text, first.start()):  # one sentence (most questions): no need to walk it
        return [] if not text.strip() else [_sentence(text.strip())]
    out: list[Sentence] = []
    depth, start, i, n = 0, 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _OPEN:
            depth = min(depth + 1, MAX_DEPTH)
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        end = None
        if ch == "\n":
            end, depth = i, 0  # a line break ends a sentence whatever was left open
        elif depth == 0 and (ch in _ENDS or (ch == "." and (i + 1 == n or text[i + 1].isspace()))):
            end = i + 1
            while end < n and (text[end] in _CLOSERS or text[end] in _ENDS):
                end += 1
        if end is not None:
            _add(out, text[start:end])
            start = i = end if ch != "\n" else end + 1
            continue
        i += 1
    _add(out, text[start:])
    return out


def _add(out: list[Sentence], piece: str) -> None:
    piece = piece.strip()
    if piece:
        out.append(_sentence(piece))


def _sentence(piece: str) -> Sentence:
    tail = piece[len(piece.rstrip(_TAIL)):]  # 「…どこ?!」 ends in ?!」
    return Sentence(piece, "?" in tail or "？" in tail)
