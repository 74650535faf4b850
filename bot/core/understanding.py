"""Understanding a question: places, intents, organization names, phone numbers and conversation words.

Everything the parser recognises comes from the knowledge files: prefecture and city names with their
kana, region names, intent keywords, every contact's organization/division/operator name (with the
aliases of renamed bodies), and the conversation vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping

from bot.core.index import KnowledgeIndex
from bot.knowledge.model import Knowledge
from bot.knowledge.phones import numbers_in_text, without_phones
from bot.language.lexicon import Match
from bot.language.text import normalize, spaced_brackets
from bot.language.tokenizer import Token, Tokenizer

MAX_QUESTION_CHARS = 500
_CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞")


@dataclass(frozen=True)
class Query:
    """What the parser found in one message."""

    text: str
    truncated: bool = False
    phones: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()  # short names, in order of appearance
    cities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    weak_regions: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    weak_intents: tuple[str, ...] = ()
    names: Mapping[str, float] = field(default_factory=dict)  # contact id → name-match score
    content_words: frozenset[str] = frozenset()  # normalized content words, except those naming a place
    name_words: frozenset[str] = frozenset()  # the same, also without the intent keywords
    place_words: frozenset[str] = frozenset()  # normalized forms of the words that named a place
    vocabulary: frozenset[str] = frozenset()  # greeting / thanks / help / representative
    unknown_words: tuple[str, ...] = ()
    number: int | None = None  # a bare number: the choice of a numbered list

    @property
    def has_place(self) -> bool:
        return bool(self.prefectures or self.cities or self.regions)

    @property
    def is_empty(self) -> bool:
        return not (self.phones or self.has_place or self.intents or self.weak_intents or self.names or self.weak_regions)


class Understander:
    """Parses messages into Query objects with the knowledge index and the query tokenizer."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer, index: KnowledgeIndex):
        self.knowledge = knowledge
        self.tokenizer = tokenizer
        self.lexicon = index.lexicon
        self.unit_contacts = index.unit_contacts

    # ------------------------------------------------------------------ parsing
    def tokenize(self, text: str) -> list[Token]:
        return self.tokenizer.tokenize(text)

    def parse(self, text: str) -> Query:
        """Parse one message."""
        text = normalize(text)
        truncated = len(text) > MAX_QUESTION_CHARS
        if truncated:
            text = text[:MAX_QUESTION_CHARS]
        phones = tuple(numbers_in_text(text))
        # phone numbers are looked up as numbers; their digits are not words of the question
        tokens = self.tokenize(spaced_brackets(without_phones(text) if phones else text))
        matches = self.lexicon.match(tokens)
        by_kind: dict[str, list[Match]] = defaultdict(list)
        covered: set[int] = set()
        for m in sorted(matches, key=_START):
            by_kind[m.payload[0]].append(m)
            covered.update(range(m.start, m.end))

        prefectures, cities = self._places(by_kind["pref"], by_kind["city"])
        regions = _ordered(m.payload[1] for m in by_kind["region"])
        weak_regions = [w for w in _ordered(m.payload[1] for m in by_kind["weak_region"]) if w not in regions]
        intents, weak_intents = self._intents(by_kind["intent"], by_kind["weak_intent"])
        in_place = {i for kind in ("pref", "city", "region", "weak_region") for m in by_kind[kind] for i in range(m.start, m.end)}
        in_intent = {i for kind in ("intent", "weak_intent") for m in by_kind[kind] for i in range(m.start, m.end)}
        content = [(i, t) for i, t in enumerate(tokens) if t.pos in _CONTENT_POS]
        return Query(
            text=text, truncated=truncated, phones=phones, prefectures=prefectures, cities=cities,
            regions=tuple(regions), weak_regions=tuple(weak_regions), intents=intents, weak_intents=weak_intents,
            names=self._names(by_kind["unit"]),
            content_words=frozenset(t.normalized for i, t in content if i not in in_place),
            name_words=frozenset(t.normalized for i, t in content if i not in in_place and i not in in_intent),
            place_words=frozenset(t.normalized for i, t in content if i in in_place),
            vocabulary=frozenset(m.payload[1] for m in by_kind["vocab"]) - {"filler"},
            unknown_words=tuple(t.surface for i, t in content if i not in covered and not t.normalized.isdigit()),
            number=int(text) if text.isdigit() and len(text) <= 2 else None,
        )

    def _places(self, prefs: list[Match], cities: list[Match]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Prefectures and cities in order of appearance; a city also names its prefecture (仙台 → 宮城)."""
        if cities:
            # A prefecture wins over a city read the same way (いばらき is 茨城, not 茨木市).
            cities = [c for c in cities if not any(p.start == c.start and p.end == c.end for p in prefs)]
            # A city named inside a longer city name yields to the longer one.
            cities = [c for c in cities if not any(o.start <= c.start and c.end <= o.end and o.length > c.length for o in cities)]
        city_names = _ordered(c.payload[1] for c in cities)
        pref_names = [m.payload[1] for m in prefs]
        pref_names.extend(self.knowledge.city_by_name[name].prefecture for name in city_names)
        return tuple(_ordered(pref_names)), tuple(city_names)

    @staticmethod
    def _intents(strong: list[Match], weak: list[Match]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        chosen: list[Match] = []
        for m in sorted(strong, key=lambda m: (-m.length, m.start)):
            # overlapping keywords: the longest wins (設備投資 is finance, not 投資); equal spans all count
            if all(not m.overlaps(c) or (m.start, m.end) == (c.start, c.end) for c in chosen):
                chosen.append(m)
        intents = _ordered(m.payload[1] for m in sorted(chosen, key=_START))
        return tuple(intents), tuple(w for w in _ordered(m.payload[1] for m in weak) if w not in intents)

    def _names(self, units: list[Match]) -> dict[str, float]:
        """Contacts named in the question, scored by how long and how specific the names found are."""
        if not units:
            return {}
        scores: dict[str, float] = defaultdict(float)
        # a name inside a longer name that was also found (相談室 in 広報相談室) does not count on its own
        units = [m for m in units if not any(o.start <= m.start and m.end <= o.end and o.length > m.length for o in units)]
        for m in units:
            unit = m.payload[1]
            contacts = self.unit_contacts[unit]
            # longer names count more; a name shared by many contacts says less about which one is meant
            weight = len(unit) / (1.0 + 0.05 * len(contacts))
            for cid in contacts:
                scores[cid] += weight
        return dict(scores)


def _START(m: Match) -> int:
    return m.start


def _ordered(items) -> list:
    return list(dict.fromkeys(items))
