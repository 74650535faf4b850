"""Understanding a question: places, intents, organization names, phone numbers and conversation words.

Everything the parser recognises comes from the knowledge files: prefecture and city names with their
kana, region names, intent keywords, every contact's organization/division/operator name (with the
aliases of renamed bodies), and the conversation vocabulary.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, NamedTuple, Sequence

from bot.core.answer import MAX_QUESTION_CHARS
from bot.core.asking import keep_what_is_asked, tokenize_sentences
from bot.core.naming import NameReader
from bot.core.domain import CORRECTIONS, PLACE_KINDS, SAY_NOTHING_ASKED, TOPIC_KINDS, Cue, MatchKind
from bot.core.index import KnowledgeIndex
from bot.core.place_reading import PlaceReader
from bot.core.scope import personal_words, typed_words
from bot.core.spans import ordered, outside
from bot.core.slips import Slips
from bot.knowledge.model import Knowledge
from bot.knowledge.phones import numbers_in_text, without_phones
from bot.language.lexicon import Match
from bot.language.text import is_katakana, normalize, spaced_brackets
from bot.language.tokenizer import Token, Tokenizer

_NO_NAMES: Mapping[str, float] = MappingProxyType({})
_CORRECTION_PAYLOADS = frozenset((MatchKind.CUE, cue) for cue in CORRECTIONS)
_SOUND_KINDS = frozenset({MatchKind.INTENT, MatchKind.NAME})  # what a written word may match by its sound alone
_ENTITY_KINDS = PLACE_KINDS | TOPIC_KINDS | {MatchKind.NAME}  # what a correction can take back or add
_NOT_NAME = (MatchKind.CUE, Cue.NOT_NAME)
_ALL_JAPAN = (MatchKind.CUE, Cue.ALL_JAPAN)
_OTHER_PLACE = (MatchKind.CUE, Cue.OTHER_PLACE)
_NONE: Sequence[Match] = ()


class Query(NamedTuple):
    """What the parser found in one message."""

    text: str
    truncated: bool = False
    phones: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()  # short names, in order of appearance
    cities: tuple[str, ...] = ()  # cities of cities.csv (a ward named: its city)
    towns: tuple[str, ...] = ()  # other municipalities named (美瑛町, 関市), each of one prefecture
    place_options: tuple[str, ...] = ()  # a municipality's name shared by these prefectures (池田町): which one?
    ambiguous_place: str = ""  # …that name
    unknown_places: tuple[str, ...] = ()  # words Sudachi reads as a Japanese place the knowledge does not know
    regions: tuple[str, ...] = ()
    weak_regions: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    weak_intents: tuple[str, ...] = ()
    names: Mapping[str, float] = _NO_NAMES  # contact id → name-match score
    content_words: frozenset[str] = frozenset()  # normalized content words, except those naming a place
    name_words: frozenset[str] = frozenset()  # the same, also without the intent keywords
    place_words: frozenset[str] = frozenset()  # normalized forms of the words that named a place
    vocabulary: frozenset[Cue] = frozenset()  # what the conversation words ask (help, 代表, ほかには …)
    unknown_words: tuple[str, ...] = ()
    number: int | None = None  # a bare number: the choice of a numbered list
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, as read): ジェトル → ジェトロ
    topic_choices: tuple[str, ...] = ()  # intents a second reading found equally likely (bot.core.second_reading)
    adds: bool = False  # 「福島も」「それと特許は？」: to be added to the last answer, not instead of it
    levels: tuple[str, ...] = ()  # kinds of office named that are levels (本庁, 都道府県の窓口): intent ids (bot.core.levels)
    out_of_scope: tuple[str, ...] = ()  # words of matters the list does not cover (確定申告), as typed
    personal: tuple[str, ...] = ()  # words of a personal matter (車, 個人), as typed, when no word says a business
    unlisted: tuple[str, ...] = ()  # bodies asked for that the list does not contain (よろず支援拠点): change ids

    @property
    def has_place(self) -> bool:
        return bool(self.prefectures or self.cities or self.regions or self.place_options)

    @property
    def is_empty(self) -> bool:
        return not (self.phones or self.has_place or self.intents or self.weak_intents or self.names or self.weak_regions
                    or self.unknown_places or self.levels or self.unlisted)


class Understander:
    """Parses messages into Query objects with the knowledge index and the query tokenizer."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer, index: KnowledgeIndex):
        self.knowledge = knowledge
        self.tokenizer = tokenizer
        self.lexicon = index.lexicon
        self.slips = Slips(self.lexicon)
        self.names = NameReader(knowledge, index)
        self.places = PlaceReader(knowledge, index.municipalities)
        self.level_intents = frozenset(i.id for i in knowledge.intents if i.level)
        self.not_ours = frozenset(i.id for i in knowledge.intents if not i.targets)  # matters the list does not cover
        self.money_intents = frozenset(i.id for i in knowledge.intents if i.money)

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
        breaks: list[int] = []  # tokens after a space or punctuation
        stops: list[int] = []  # tokens after punctuation
        # old and variant kanji read as today's (靜岡縣 → 静岡県, 濱松 → 浜松), as the knowledge's phrases are
        prepared = spaced_brackets(without_phones(text) if phones else text).translate(self.lexicon.fold)
        tokens, sentences = tokenize_sentences(self.tokenizer, prepared, breaks, stops)

        # what was found, by kind, in order of appearance; token positions as bit masks
        by_kind: dict[str, list[Match]] = {}
        covered = in_place = in_intent = not_name = 0
        correcting = False
        by_sound: list[Match] = []  # topics and offices matched by the sound of written words (経営確信)
        for m in self.lexicon.match(tokens, breaks, stops):
            kind = m.payload[0]
            found = by_kind.get(kind)
            if found is None:
                found = by_kind[kind] = []
            found.append(m)
            bits = (1 << m.end) - (1 << m.start)
            covered |= bits
            if kind in PLACE_KINDS:
                in_place |= bits
            elif kind in TOPIC_KINDS or kind == MatchKind.LEVEL or kind == MatchKind.UNLISTED:
                in_intent |= bits
            elif m.payload == _NOT_NAME:
                not_name |= bits
            elif m.payload == _ALL_JAPAN:  # 全国 says where (everywhere), like a prefecture: not a word of a name
                in_place |= bits
            elif m.payload in _CORRECTION_PAYLOADS:
                correcting = True
            if m.by == "reading" and kind in _SOUND_KINDS:
                by_sound.append(m)

        if MatchKind.ADDRESS_SUFFIX in by_kind:
            in_place |= self._address_parts(tokens, by_kind[MatchKind.ADDRESS_SUFFIX])
        if MatchKind.BUSINESS in by_kind and not TOPIC_KINDS.isdisjoint(by_kind):
            # who is asking (「飲食店を経営しています」) matters only beside what is asked: 「ラーメン屋 奈良」 stays unknown
            covered |= self._line_of_business(tokens, by_kind[MatchKind.BUSINESS], covered)
        content, name_words, place_words, unknown, unknown_places = [], [], [], [], []
        unknown_at: list[int] = []
        corrections: list[tuple[str, str]] = []
        for i, t in enumerate(tokens):
            if t.is_content:
                bit = 1 << i
                if in_place & bit:
                    place_words.append(t.normalized)
                elif not not_name & bit:  # 担当 in 「…を担当している課」 is not 電子・情報担当参事官's, ところ → 所 not 研究所's
                    content.append(t.normalized)
                    if not in_intent & bit:
                        name_words.append(t.normalized)
                if not (covered | in_place) & bit and not t.normalized.isdigit():
                    if t.proper == "地名" and not is_katakana(t.surface):  # a Japanese place we do not know (ロンドン is
                        unknown_places.append(t.surface)  # written in katakana, and no prefecture's)
                        continue
                    slip = self.slips.sound_slip(t, i)
                    if slip is None:
                        unknown.append(t.surface)
                        unknown_at.append(i)
                    else:  # ジェトル: one sound off a topic or an office name
                        by_kind.setdefault(slip.payload[0], []).append(slip)
                        corrections.append((t.surface, slip.phrase))
        if by_sound:
            if MatchKind.INTENT in by_kind and MatchKind.NAME in by_kind:
                by_sound = self.names.for_the_topic(by_kind, by_sound)
            corrections = self.slips.read_by_sound(tokens, by_sound, corrections)
        if unknown_at:
            slip = self.slips.kanji_slip(tokens, unknown_at)
            if slip is not None:  # 事業承経: one wrong kanji in a topic or an office name
                by_kind.setdefault(slip.payload[0], []).append(slip)
                corrections.append(("".join(t.surface for t in tokens[slip.start:slip.end]), slip.phrase))
                unknown = [w for i, w in zip(unknown_at, unknown) if not slip.start <= i < slip.end]

        if len(sentences) > 1:
            keep_what_is_asked(by_kind, sentences)  # a paragraph of background, then the question
        adds = self._cues(by_kind) if correcting else False
        get = by_kind.get
        places = self.places.read(by_kind, text, tokens)
        weak = get(MatchKind.WEAK_REGION)
        weak_regions = self._weak_regions(weak, by_kind, places.regions) if weak else ()
        # 「ほかの県」 asks for another place, not the prefecture level: its 県 is no level word nor topic
        elsewhere = [m for m in get(MatchKind.CUE, _NONE) if m.payload == _OTHER_PLACE]
        topic_matches = [[m for m in get(kind, _NONE) if not any(m.overlaps(o) for o in elsewhere)]
                         for kind in (MatchKind.INTENT, MatchKind.WEAK_INTENT)]
        intents, weak_intents = self._intents(*topic_matches)
        # a level word inside a place's name is not a level (the 県 of 宮城県, the 県の窓口 of 宮城県の窓口)
        level_words = get(MatchKind.LEVEL, _NONE)
        if level_words:
            spans = [m for kind in PLACE_KINDS for m in get(kind, _NONE)] + elsewhere
            level_words = [m for m in level_words if not any(m.overlaps(p) for p in spans)]
        levels = tuple(ordered((*(m.payload[1] for m in level_words),
                                *(i for i in (*intents, *weak_intents) if i in self.level_intents))))
        not_ours = [m for m in get(MatchKind.INTENT, _NONE) if m.payload[1] in self.not_ours]
        out_of_scope = tuple(ordered(typed_words(tokens, m) for m in outside(not_ours, not_ours)))
        personal = () if MatchKind.BUSINESS in by_kind else personal_words(tokens, by_kind, self.money_intents)
        said = get(MatchKind.CUE)
        vocabulary = self._vocabulary(said, by_kind) if said else frozenset()
        return Query(
            text=text, truncated=truncated, phones=phones, prefectures=places.prefectures, cities=places.cities,
            towns=places.towns, place_options=places.options, ambiguous_place=places.ambiguous,
            unknown_places=tuple(unknown_places) if not places.prefectures else (),
            regions=places.regions, weak_regions=weak_regions, intents=intents, weak_intents=weak_intents,
            names=self.names.named_or_described(by_kind, tokens),
            content_words=frozenset(content), name_words=frozenset(name_words), place_words=frozenset(place_words),
            vocabulary=vocabulary, unknown_words=tuple(unknown),
            number=int(text) if text.isdigit() and len(text) <= 2 else None, corrections=tuple(corrections),
            adds=adds, levels=levels, out_of_scope=out_of_scope, personal=personal,
            unlisted=tuple(ordered(m.payload[1] for m in get(MatchKind.UNLISTED, _NONE))),
        )

    @staticmethod
    def _cues(by_kind: dict[str, list[Match]]) -> bool:
        """Corrections and additions (conversation.toml): a place, topic or office right before じゃなくて / ではなく
        (right after English "not") is taken out of what was found; も right after one, or それと / also anywhere
        else, adds what is asked to the last answer (returned: True)."""
        entities = [m for kind in _ENTITY_KINDS for m in by_kind.get(kind, _NONE)]
        entities += [m for m in by_kind.get(MatchKind.CUE, _NONE) if m.payload == _ALL_JAPAN]
        adds, gone = False, set()
        for cue in by_kind[MatchKind.CUE]:
            if cue.payload[1] == Cue.NEGATION:
                english = cue.phrase.isascii()
                gone.update(id(e) for e in entities if (e.start == cue.end if english else e.end == cue.start))
            elif cue.payload[1] == Cue.ADDITION:
                # も right after a name (福島も, 特許も), or 全国 and a word or two saying what kind (全国の窓口も)
                adds = adds or cue.phrase != "も" or any(
                    e.end == cue.start or (e.payload == _ALL_JAPAN and cue.start - 2 <= e.end) for e in entities)
        if gone:
            for kind, found in by_kind.items():
                by_kind[kind] = [m for m in found if id(m) not in gone]
        return adds

    @staticmethod
    def _weak_regions(found: Sequence[Match], by_kind: dict[str, list[Match]], regions: tuple[str, ...]) -> tuple[str, ...]:
        """Region names that may mean something else (中国: the country or 中国地方), unless inside a topic phrase that
        says which (中国に輸出, 中国の企業: the country)."""
        return tuple(w for w in ordered(m.payload[1] for m in outside(found, by_kind.get(MatchKind.INTENT, _NONE)))
                     if w not in regions)

    @staticmethod
    def _vocabulary(words: Sequence[Match], by_kind: dict[str, list[Match]]) -> frozenset[Cue]:
        """What the conversation words ask (help, 代表, URL …), but not a word inside a longer topic phrase: the
        ホームページ of 「ホームページを作りたい」 asks for no URL."""
        topics = [*by_kind.get(MatchKind.INTENT, _NONE), *by_kind.get(MatchKind.WEAK_INTENT, _NONE)]
        return frozenset(m.payload[1] for m in outside(words, topics)) - SAY_NOTHING_ASKED

    @staticmethod
    def _address_parts(tokens: list[Token], suffixes: Sequence[Match]) -> int:
        """Bit mask of the words of an address below the city (港区, 栗原郡一迫町, 丸の内1丁目): the word before a
        suffix such as 区 or 町, and the suffix itself. They are places, not words we failed to understand."""
        mask = 0
        for m in suffixes:
            i = m.start
            if i:
                before = i - 2 if i >= 2 and tokens[i - 1].normalized.isdigit() else i - 1
                mask |= (1 << m.end) - (1 << before)
        return mask

    @staticmethod
    def _line_of_business(tokens: list[Token], marks: Sequence[Match], covered: int) -> int:
        """Bit mask of the nouns that name the user's business (飲食 in 飲食店, 旅館 in 旅館を経営しています): they say
        who is asking, not what about, so they are not words we failed to understand."""
        mask = 0
        for m in marks:
            i = m.start - 1
            while i >= 0 and tokens[i].is_noun and not covered & (1 << i):
                mask |= 1 << i
                i -= 1
        return mask

    @staticmethod
    def _intents(strong: Sequence[Match], weak: Sequence[Match]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if not weak and len({m.payload for m in strong}) < 2:  # one intent, however many of its words
            return ((strong[0].payload[1],) if strong else ()), ()
        if len(strong) > 1:
            chosen: list[Match] = []
            for m in sorted(strong, key=lambda m: (-m.length, m.start)):
                # overlapping keywords: the longest wins (設備投資 is finance, not 投資); equal spans all count
                if all(not m.overlaps(c) or (m.start, m.end) == (c.start, c.end) for c in chosen):
                    chosen.append(m)
            strong = sorted(chosen, key=_START)
        intents = tuple(ordered(m.payload[1] for m in strong))
        return intents, tuple(w for w in ordered(m.payload[1] for m in weak) if w not in intents) if weak else ()


def _START(m: Match) -> int:
    return m.start
