"""Slips in what users type, read as what they meant and said in the reply: one sound off a topic or office name
typed in kana (ジェトル → ジェトロ), one wrong kanji of another sound (事業承経, 経営革進), and a written word of the same
sound (経営確信 → 経営革新, matched by reading in the lexicon)."""

from __future__ import annotations

from typing import Hashable, Sequence

from bot.language.lexicon import Lexicon, Match
from bot.language.text import is_kanji
from bot.language.tokenizer import Token


class Slips:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def sound_slip(self, t: Token, i: int) -> Match | None:
        """The one topic or office a word typed in kana is one sound away from, if there is exactly one."""
        if not t.kana_typed or t.is_ascii:
            return None
        near = self.lexicon.near(t.loose)
        if len({payload for payload, _ in near}) != 1:
            return None
        payload = near[0][0]
        phrase = min((phrase for _, phrase in near), key=str.isascii)  # ジェトロ rather than JETRO, to show
        return Match(i, i + 1, payload, phrase, "slip")

    def kanji_slip(self, tokens: list[Token], unknown_at: list[int]) -> Match | None:
        """The one topic or office a written phrase with one wrong kanji stands for: the wrong kanji is a word of one
        character we did not understand (Sudachi splits a non-word like 承経 into 承 / 経), the phrase is up to four
        words around it."""
        found: dict[Hashable, Match] = {}
        n = len(tokens)
        for i in unknown_at:
            t = tokens[i]
            if len(t.surface) != 1 or t.kana_typed or t.is_ascii:
                continue
            for start in range(max(0, i - 3), i + 1):
                for end in range(i + 1, min(n, i + 4) + 1):
                    text = "".join(w.surface for w in tokens[start:end])
                    # the wrong kanji is the word not understood, or a one-kanji word beside it that Sudachi took for
                    # a suffix (経営革進: 革 / 進, the slip is 進 for 新)
                    for at in _single_kanji_offsets(tokens, start, end, i):
                        for payload, phrase in self.lexicon.near_written(text, at):
                            if payload not in found or found[payload].length < end - start:
                                found[payload] = Match(start, end, payload, phrase, "slip")
        return next(iter(found.values())) if len(found) == 1 else None

    @staticmethod
    def read_by_sound(tokens: list[Token], found: Sequence[Match],
                      corrections: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The corrections with every written word (of the matches made by reading) that matched a topic or an office by its sound although its
        kanji differ (経営確信 → 経営革新); a slip inside a longer one is said once, as the longer."""
        for m in found:
            typed = "".join(t.surface for t in tokens[m.start:m.end])
            if _kanji_of(typed) and _kanji_of(m.phrase) and _kanji_of(typed) != _kanji_of(m.phrase) \
                    and not any(typed in longer for longer, _ in corrections):
                corrections = [c for c in corrections if c[0] not in typed] + [(typed, m.phrase)]
        return corrections


def _kanji_of(text: str) -> str:
    return "".join(filter(is_kanji, text))


def _single_kanji_offsets(tokens: list[Token], start: int, end: int, unknown: int) -> list[int]:
    """Character offsets in tokens[start:end] of the unknown word and of the one-kanji suffixes around it."""
    offsets, at = [], 0
    for k in range(start, end):
        t = tokens[k]
        if k == unknown or (len(t.surface) == 1 and not t.is_content and not t.kana_typed and not t.is_ascii):
            offsets.append(at)
        at += len(t.surface)
    return offsets
