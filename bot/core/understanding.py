"""Understanding a question: places, intents, organization names, phone numbers and conversation words.

Everything the parser recognises comes from the knowledge files: prefecture and city names with their
kana, region names, intent keywords, every contact's organization/division/operator name (with the
aliases of renamed bodies), and the conversation vocabulary.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping

from bot.knowledge.model import Contact, Knowledge
from bot.knowledge.phones import numbers_in_text, phone_spans
from bot.language.lexicon import Lexicon, Match
from bot.language.text import normalize
from bot.language.tokenizer import Token, Tokenizer

MAX_QUESTION_CHARS = 500
_UNIT_SPLIT = re.compile(r"[／/\s]+")
_PAREN = re.compile(r"[(（][^)）]*[)）]")
# Division strings such as 商工労働部商工政策課 are split after each 部/局/課/室 to give the parts people say.
_DIVISION_PART = re.compile(r".+?(?:部|局|課|室|グループ|G|担当)(?=.)")
_CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞")
_SUFFIX_KANA = ("し", "く", "ちょう", "まち")  # readings of 市, 区, 町 at the end of a city's kana


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
    name_words: frozenset[str] = frozenset()  # normalized forms of the question's content words (not places)
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


def strip_legal_form(name: str, legal_forms: tuple[str, ...]) -> str:
    for form in legal_forms:
        name = name.replace(form, "")
    return name.strip()


class Understander:
    """Builds the lexicon from the knowledge once, then parses messages into Query objects."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer):
        self.knowledge = knowledge
        self.tokenizer = tokenizer
        self.lexicon = Lexicon(tokenizer)
        self.unit_contacts: dict[str, set[str]] = defaultdict(set)
        self._place_names: set[str] = set()
        self._topic_words: set[str] = set()
        self._add_places()
        self._add_intents()
        self._add_vocabulary()
        self._add_contact_names()

    # ------------------------------------------------------------------ building the lexicon
    def _add_places(self) -> None:
        k, add = self.knowledge, self.lexicon.add
        for p in k.prefectures:
            for phrase in {p.name, p.short, p.romaji, f"{p.romaji} prefecture", f"{p.romaji}-ken"}:
                add(phrase, ("pref", p.short))
            for phrase in {p.kana, f"{p.kana}けん"}:
                add(phrase, ("pref", p.short), reading_only=True)
            self._place_names.update({p.name, p.short})
        short_names = {p.short for p in k.prefectures}
        for c in k.cities:
            phrases, kana = {c.name, *c.aliases}, {c.kana} - {""}
            bare = c.bare
            if c.kind != "特別区" and len(bare) >= 2 and bare not in short_names:
                phrases.add(bare)
                kana.update(c.kana[: -len(s)] for s in _SUFFIX_KANA if c.kana.endswith(s) and len(c.kana) > len(s) + 1)
            for phrase in phrases:
                add(phrase, ("city", c.name))
            for phrase in kana:
                add(phrase, ("city", c.name), reading_only=True)
            self._place_names.update(phrases)
        for r in k.regions:
            for phrase in r.names:
                add(phrase, ("region", r.name))
            for phrase in r.weak_names:
                add(phrase, ("weak_region", r.name))
            self._place_names.update(r.names)

    def _add_intents(self) -> None:
        for intent in self.knowledge.intents:
            for word in intent.keywords:
                for phrase in self._alias_variants(word):
                    self.lexicon.add(phrase, ("intent", intent.id))
                    self._topic_words.add(phrase)
            for word in intent.weak_keywords:
                self.lexicon.add(word, ("weak_intent", intent.id))

    def _add_vocabulary(self) -> None:
        v = self.knowledge.vocabulary
        for kind, words in (("greeting", v.greetings), ("thanks", v.thanks), ("help", v.help),
                            ("representative", v.representative), ("filler", v.filler)):
            for word in words:
                self.lexicon.add(word, ("vocab", kind))

    def _alias_variants(self, phrase: str) -> set[str]:
        """The phrase plus every spelling obtained by replacing an official name with an alias."""
        out = {phrase}
        for alias in self.knowledge.aliases:
            names = (alias.official, *alias.also)
            for current in list(out):
                for name in names:
                    if name in current:
                        out.update(current.replace(name, other) for other in names if other != name)
        return out

    def contact_units(self, contact: Contact) -> set[str]:
        """The names by which a contact can be asked for: organization, its parts, divisions, operator."""
        legal = self.knowledge.legal_forms
        units: set[str] = set()
        org = strip_legal_form(contact.organization, legal)
        units.add(org.replace(" ", ""))
        units.update(_UNIT_SPLIT.split(org))
        units.update(_PAREN.sub("", u) for u in list(units))  # ジェトロ本部(東京) → ジェトロ本部
        for value in (contact.department, contact.division):
            if not value:
                continue
            value = strip_legal_form(value, legal)
            for part in _UNIT_SPLIT.split(value):
                units.add(part)
                units.update(_DIVISION_PART.findall(part))
                rest = _DIVISION_PART.sub("", part)
                if rest and rest != part:
                    units.add(rest)
        if contact.operator:
            units.add(strip_legal_form(contact.operator, legal))
        # a place (宮城県) or a topic word (中小機構, 農工商連携ファンド) is not the name of one office
        units = {u for u in units if len(u) >= 2 and u not in self._place_names and u not in self._topic_words}
        return set().union(*(self._alias_variants(u) for u in units)) if units else set()

    def _add_contact_names(self) -> None:
        for contact in self.knowledge.contacts:
            for unit in self.contact_units(contact):
                self.unit_contacts[unit].add(contact.id)
        for unit in self.unit_contacts:
            self.lexicon.add(unit, ("unit", unit))

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
        tokens = self.tokenize(text)
        in_phone = {i for i, t in enumerate(tokens) for (a, b) in phone_spans(text) if a <= t.begin < b}
        matches = self.lexicon.match(tokens, skip=in_phone)

        prefectures, cities, regions, weak_regions = self._places(matches)
        intents, weak_intents = self._intents(matches)
        names = self._names(matches)
        vocabulary = frozenset(m.payload[1] for m in matches if m.payload[0] == "vocab" and m.payload[1] != "filler")
        covered = set(in_phone)
        for m in matches:
            covered.update(range(m.start, m.end))
        unknown = tuple(t.surface for i, t in enumerate(tokens)
                        if i not in covered and t.pos in _CONTENT_POS and not t.normalized.isdigit())
        number = int(text) if text.isdigit() and len(text) <= 2 else None
        in_place = {i for m in matches if m.payload[0] in ("pref", "city", "region", "weak_region") for i in range(m.start, m.end)}
        content = [(i, t) for i, t in enumerate(tokens) if t.pos in _CONTENT_POS]
        return Query(
            text=text, truncated=truncated, phones=phones, prefectures=prefectures, cities=cities,
            regions=regions, weak_regions=weak_regions, intents=intents, weak_intents=weak_intents,
            names=names, name_words=frozenset(t.normalized for i, t in content if i not in in_place),
            place_words=frozenset(t.normalized for i, t in content if i in in_place),
            vocabulary=vocabulary, unknown_words=unknown, number=number,
        )

    def _places(self, matches: list[Match]):
        prefs = [m for m in matches if m.payload[0] == "pref"]
        cities = [m for m in matches if m.payload[0] == "city"]
        # A prefecture wins over a city read the same way (いばらき is 茨城, not 茨木市).
        cities = [c for c in cities if not any(p.start == c.start and p.end == c.end for p in prefs)]
        # A city named inside a longer city name (府中 in 府中町) yields to the longer one.
        cities = [c for c in cities if not any(o is not c and o.start <= c.start and c.end <= o.end and o.length > c.length for o in cities)]
        city_names = _ordered(c.payload[1] for c in sorted(cities, key=lambda m: m.start))
        pref_names = [m.payload[1] for m in sorted(prefs, key=lambda m: m.start)]
        # The prefecture of a city counts as named too (仙台 → 宮城).
        for name in city_names:
            pref_names.append(self.knowledge.city_by_name[name].prefecture)
        regions = _ordered(m.payload[1] for m in sorted(matches, key=lambda m: m.start) if m.payload[0] == "region")
        weak = _ordered(m.payload[1] for m in matches if m.payload[0] == "weak_region")
        return tuple(_ordered(pref_names)), tuple(city_names), tuple(regions), tuple(w for w in weak if w not in regions)

    @staticmethod
    def _intents(matches: list[Match]):
        strong = sorted((m for m in matches if m.payload[0] == "intent"), key=lambda m: (-m.length, m.start))
        chosen: list[Match] = []
        for m in strong:
            # overlapping keywords: the longest wins (設備投資 is finance, not 投資); equal spans all count
            if all(not m.overlaps(c) or (m.start, m.end) == (c.start, c.end) for c in chosen):
                chosen.append(m)
        intents = _ordered(m.payload[1] for m in sorted(chosen, key=lambda m: m.start))
        weak = _ordered(m.payload[1] for m in matches if m.payload[0] == "weak_intent")
        return tuple(intents), tuple(w for w in weak if w not in intents)

    def _names(self, matches: list[Match]) -> dict[str, float]:
        scores: dict[str, float] = defaultdict(float)
        units = [m for m in matches if m.payload[0] == "unit"]
        # a name inside a longer name that was also found (相談室 in 広報相談室) does not count on its own
        units = [m for m in units if not any(o.start <= m.start and m.end <= o.end and o.length > m.length for o in units)]
        for m in units:
            unit = m.payload[1]
            contacts = self.unit_contacts[unit]
            # longer names count more; a name shared by many contacts says less about which one is meant
            weight = len(unit) / (1.0 + 0.05 * len(contacts))
            for cid in contacts:
                scores[cid] = max(scores[cid], 0.0) + weight
        return dict(scores)


def _ordered(items) -> list:
    return list(dict.fromkeys(items))
