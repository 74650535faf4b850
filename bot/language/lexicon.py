"""Phrase lexicon: phrases are tokenized with the same tokenizer as questions and matched as token sequences.

A phrase matches a span of question tokens when the span's concatenated normalized forms, surfaces, or
(for spans typed in kana or romaji) loose readings equal the phrase's. Matching whole spans rather than
substrings keeps 「奈良」 out of 「ならない」 while still finding 「二重ローン」 (二 / 重 / ローン) and
「わかやまで」 (わか / やま / で).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Hashable, Iterable

from bot.language.text import loose_reading, normalize
from bot.language.tokenizer import Token, Tokenizer

MAX_SPAN = 14  # tokens


@dataclass(frozen=True, slots=True)
class Match:
    """A phrase found in the question: token span [start, end) and what the phrase stands for."""

    start: int
    end: int
    payload: Any
    phrase: str
    by: str  # "form", "surface" or "reading"

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Match") -> bool:
        return self.start < other.end and other.start < self.end


def _norm_key(tokens: Iterable[Token]) -> str:
    return "".join(t.normalized for t in tokens).lower()


def _surface_key(tokens: Iterable[Token]) -> str:
    return "".join(t.surface for t in tokens).lower()


def _reading_key(tokens: list[Token]) -> str:
    if not tokens or any(not t.reading for t in tokens):
        return ""
    return loose_reading("".join(t.reading for t in tokens))


class Lexicon:
    """Index of phrases → payloads, queried with a tokenized question."""

    def __init__(self, tokenizer: Tokenizer):
        self._tokenizer = tokenizer
        self._by_form: dict[str, list[tuple[Hashable, str]]] = defaultdict(list)
        self._by_surface: dict[str, list[tuple[Hashable, str]]] = defaultdict(list)
        self._by_reading: dict[str, list[tuple[Hashable, str]]] = defaultdict(list)
        self._seen: set[tuple[str, Hashable]] = set()
        self.max_span = 1

    def add(self, phrase: str, payload: Hashable, *, reading_only: bool = False) -> None:
        """Add a phrase (any spelling: kanji, kana, romaji, English) standing for payload.

        reading_only: match only by reading, under the reading rules. Use it for names written in kana
        (なら, からつ): Sudachi may read them as particles whose normalized form is common (なら → だ).
        """
        phrase = normalize(phrase)
        if not phrase or (phrase, payload) in self._seen:
            return
        self._seen.add((phrase, payload))
        tokens = self._tokenizer.tokenize(phrase)
        if not tokens:
            return
        self.max_span = min(MAX_SPAN, max(self.max_span, len(tokens) + 2))
        entry = (payload, phrase)
        reading = _reading_key(tokens)
        if reading_only:
            if len(reading) >= 2:
                self._by_reading[reading].append(entry)
            return
        self._by_form[_norm_key(tokens)].append(entry)
        self._by_surface[_surface_key(tokens)].append(entry)
        if len(reading) >= 2:
            self._by_reading[reading].append(entry)

    def match(self, tokens: list[Token], skip: set[int] = frozenset()) -> list[Match]:
        """Every phrase occurring in the token list (overlapping matches included)."""
        found: dict[tuple[int, int, Hashable], Match] = {}
        n = len(tokens)
        for i in range(n):
            if i in skip:
                continue
            form = surface = ""
            for j in range(i, min(n, i + self.max_span)):
                if j in skip:
                    break
                t = tokens[j]
                form += t.normalized.lower()
                surface += t.surface.lower()
                for by, index, key in (("form", self._by_form, form), ("surface", self._by_surface, surface)):
                    for payload, phrase in index.get(key, ()):
                        found.setdefault((i, j + 1, payload), Match(i, j + 1, payload, phrase, by))
                span = tokens[i : j + 1]
                if self._reading_allowed(span):
                    for payload, phrase in self._by_reading.get(_reading_key(span), ()):
                        found.setdefault((i, j + 1, payload), Match(i, j + 1, payload, phrase, "reading"))
        return list(found.values())

    @staticmethod
    def _reading_allowed(span: list[Token]) -> bool:
        """Match by reading only what the user typed in kana or romaji, and never a lone particle or verb."""
        if not any(t.kana_typed for t in span):
            return False
        reading_len = sum(len(t.reading) for t in span)
        if any(t.surface.isascii() for t in span) and reading_len < 3:
            return False
        if any(t.is_noun for t in span):
            return True
        return len(span) >= 2 and reading_len >= 3
