"""What the list does not cover, as the question says it: the words of matters marked as not ours (intents.toml's
targetless topics: 確定申告), and of personal money matters (conversation.toml's personal words next to a money topic's:
車のローン, 個人の借金), for the honest answer that the list has no office for them."""

from __future__ import annotations

from typing import Collection, Sequence

from bot.core.domain import Cue, MatchKind
from bot.core.spans import ordered, outside
from bot.language.lexicon import Match
from bot.language.tokenizer import Token

NEAR = 2  # words between a personal word and a money topic's that still make one phrase (車の ローン)


def typed_words(tokens: Sequence[Token], m: Match) -> str:
    """A match's words as typed (English words with spaces between them)."""
    words = tokens[m.start:m.end]
    return "".join((" " if i and t.is_ascii and words[i - 1].is_ascii else "") + t.surface for i, t in enumerate(words))


def personal_words(tokens: Sequence[Token], by_kind: dict[str, list[Match]], money: Collection[str]) -> tuple[str, ...]:
    """The personal words, each with the money topic's word next to it if any (車のローン, 奨学金の返済, my car loan);
    a personal word inside a longer one counts once (my car, not also car)."""
    said = by_kind.get(MatchKind.CUE, ())
    cues = [m for m in said if m.payload[1] == Cue.PERSONAL]
    if not cues:
        return ()
    cues = outside(cues, said)
    topics = [m for m in by_kind.get(MatchKind.INTENT, ()) if m.payload[1] in money]
    out = []
    for cue in cues:
        near = [m for m in topics if 0 <= m.start - cue.end <= NEAR or 0 <= cue.start - m.end <= NEAR]
        start, end = min((cue.start, *(m.start for m in near))), max((cue.end, *(m.end for m in near)))
        out.append(typed_words(tokens, cue._replace(start=start, end=end)))
    return tuple(ordered(out))
