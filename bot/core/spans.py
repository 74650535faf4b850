"""Small helpers over lexicon matches (token spans) and ordered names, shared by the readers of a question."""

from __future__ import annotations

from typing import Iterable, Sequence

from bot.language.lexicon import Match


def inside_longer(m: Match, others: Sequence[Match]) -> bool:
    """Does a longer match among `others` contain this one?"""
    return any(o.start <= m.start and m.end <= o.end and o.length > m.length for o in others)


def outside(found: Sequence[Match], longer: Sequence[Match]) -> Sequence[Match]:
    """The matches that no longer one among `longer` contains (all of them when there is none)."""
    return [m for m in found if not inside_longer(m, longer)] if longer else found


def ordered(items: Iterable) -> list:
    """The items once each, in order of first appearance."""
    return list(dict.fromkeys(items))
