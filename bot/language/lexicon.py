"""Phrase lexicon: phrases are tokenized with the same tokenizer as questions and matched as token sequences.

A phrase matches a span of question tokens when the span's concatenated normalized forms, surfaces, or
(for spans typed in kana or romaji) loose readings equal the phrase's. Matching whole spans rather than
substrings keeps 「奈良」 out of 「ならない」 while still finding 「二重ローン」 (二 / 重 / ローン) and
「わかやまで」 (わか / やま / で). Every prefix of every key is indexed too, so a span stops growing as soon
as no phrase can start that way: most tokens cost one or two set look-ups.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Collection, Hashable, NamedTuple

from bot.language.text import extend_loose, is_kanji, normalize, spaced_brackets, voiced_start
from bot.language.tokenizer import PARTICLE_SOUNDS, Token, Tokenizer

MAX_SPAN = 14  # tokens
VOICED_PARTS_MAX = 3  # tokens: compounds this short also get their voiced (連濁) readings


class Match(NamedTuple):
    """A phrase found in the question: token span [start, end) and what the phrase stands for."""

    start: int
    end: int
    payload: Any
    phrase: str
    by: str  # "written" (normalized form or surface) or "reading"

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Match") -> bool:
        return self.start < other.end and other.start < self.end


class _Index:
    """key → [(payload, phrase)], plus the set of every prefix of every key."""

    def __init__(self) -> None:
        self.entries: dict[str, list[tuple[Hashable, str]]] = defaultdict(list)
        self.prefixes: set[str] = set()

    def add(self, key: str, entry: tuple[Hashable, str]) -> None:
        if entry not in self.entries[key]:
            self.entries[key].append(entry)
        self.prefixes.update(key[:i] for i in range(1, len(key) + 1))


class LexiconBuilder:
    """Collects phrases → payloads, tokenizing them with the tokenizer used for questions."""

    def __init__(self, tokenizer: Tokenizer, variants: dict[str, str] | None = None):
        """variants: old or variant kanji → today's form (濱 → 浜), folded in every phrase as in every question."""
        self._tokenizer = tokenizer
        self._lexicon = Lexicon(str.maketrans(variants or {}))
        self._seen: set[tuple[str, Hashable]] = set()

    def add(self, phrase: str, payload: Hashable, *, reading_only: bool = False, min_reading: int | None = None,
            by_sound: bool = True) -> None:
        """Add a phrase (any spelling: kanji, kana, romaji, English) standing for payload.

        reading_only: match only by reading, under the reading rules. Use it for names written in kana
        (なら, からつ): Sudachi may read them as particles whose normalized form is common (なら → だ).
        min_reading: the shortest reading that may match by sound. By default 2 for a phrase given in kana
        (しが, みえ) and 3 for one given in kanji, whose reading is Sudachi's (江東 would otherwise be こと).
        by_sound: False to match the phrase only as written (道南 is not どうなん, dialect for どうなの).
        """
        phrase = normalize(phrase).translate(self._lexicon.fold)
        if not phrase or (phrase, payload) in self._seen:
            return
        self._seen.add((phrase, payload))
        tokens = self._tokenizer.tokenize(spaced_brackets(phrase))
        if not tokens:
            return
        lex = self._lexicon
        lex.max_span = min(MAX_SPAN, max(lex.max_span, len(tokens) + 2))
        entry = (payload, phrase)
        readings = []
        if by_sound and all(t.reading for t in tokens):
            # the phrase's reading and, for a short compound written in kanji, the same with the first sound of its
            # later part (of two sounds or more) voiced (連濁: 資金 + 繰り is read しきんぐり); long names, mostly
            # typed in kanji, are left out, as each variant adds its prefixes to the index
            parts = [t.reading for t in tokens]
            compound = 1 < len(parts) <= VOICED_PARTS_MAX and not all(t.kana_typed for t in tokens)
            voicing = [k for k in range(1, len(parts)) if len(parts[k]) > 1] if compound else []
            for k in (None, *voicing):
                reading = ""
                for j, part in enumerate(parts):
                    reading = extend_loose(reading, voiced_start(part) if j == k else part)
                readings.append(reading)
        shortest = min_reading if min_reading is not None else (2 if all(t.kana_typed for t in tokens) else 3)
        for reading in dict.fromkeys(readings):
            if len(reading) >= shortest:
                lex._reading.add(reading, entry)
        if reading_only:
            return
        lex._written.add("".join(t.form_key for t in tokens), entry)
        lex._written.add("".join(t.surface_key for t in tokens), entry)

    def build(self) -> "Lexicon":
        lex = self._lexicon
        # keys a slip may be meant for, by first and by last sound: one slip in a word of TYPO_MIN sounds or more
        # leaves one of the two in place, so these lists hold every candidate (a few dozen to check); gathered in
        # lists and frozen once (a tuple grown key by key was quadratic in the size of a bucket)
        slips: dict[str, list[str]] = defaultdict(list)
        for key, entries in lex._reading.entries.items():
            if len(key) >= TYPO_MIN and any(_TYPO_KINDS.get(_kind(p)) for p, _ in entries):
                for end in (f"<{key[0]}", f">{key[-1]}"):
                    slips[end].append(key)
        # written keys a wrong kanji may be meant for: each key with one character blanked out (事業承経 → 事業承継)
        kanji: dict[str, list[str]] = defaultdict(list)
        for key, entries in lex._written.entries.items():
            if KANJI_SLIP_MIN <= len(key) <= KANJI_SLIP_MAX and sum(map(is_kanji, key)) >= KANJI_SLIP_MIN - 1 \
                    and any(_TYPO_KINDS.get(_kind(p)) for p, _ in entries):
                for i in range(len(key)):
                    kanji[f"{key[:i]}\0{key[i + 1:]}"].append(key)
        lex._slips = {end: tuple(keys) for end, keys in slips.items()}
        lex._kanji_slips = {pattern: tuple(keys) for pattern, keys in kanji.items()}
        return lex


class Lexicon:
    """Index of phrases → payloads, queried with a tokenized question. Plain data: it can be cached."""

    def __init__(self, fold: dict[int, str] | None = None) -> None:
        self.fold = fold or {}  # old and variant kanji → today's form: text is folded with it before matching
        self._written = _Index()  # normalized forms and surfaces, lower-cased
        self._reading = _Index()
        self._slips: dict[str, tuple[str, ...]] = {}  # "<first sound" / ">last sound" → reading keys (see build)
        self._kanji_slips: dict[str, tuple[str, ...]] = {}  # a written key with one character blanked → keys
        self.max_span = 1

    def near(self, reading: str) -> list[tuple[Hashable, str]]:
        """What a word one sound away from `reading` (a loose reading of TYPO_MIN sounds or more) stands for:
        one sound missing, extra, changed or two swapped. Only topics and office names, never places."""
        if len(reading) < TYPO_MIN:
            return []
        slips = self._slips
        keys = {k for k in (*slips.get(f"<{reading[0]}", ()), *slips.get(f">{reading[-1]}", ())) if abs(len(k) - len(reading)) <= 1}
        out: list[tuple[Hashable, str]] = []
        for key in sorted(keys):
            if key != reading and _one_slip(reading, key):
                out.extend((p, phrase) for p, phrase in self._reading.entries[key] if _TYPO_KINDS.get(_kind(p)))
        return out

    def near_written(self, text: str, at: int) -> list[tuple[Hashable, str]]:
        """What a written phrase with one wrong character at position `at` stands for (事業承経 for 事業承継, an
        input-method slip). Only topics and office names, never places."""
        out: list[tuple[Hashable, str]] = []
        for key in self._kanji_slips.get(f"{text[:at]}\0{text[at + 1:]}", ()):
            out.extend((p, phrase) for p, phrase in self._written.entries[key] if _TYPO_KINDS.get(_kind(p)))
        return out

    def _before_particle(self, tokens: list[Token], i: int, end: int, reading: str, noun: bool, ascii_: bool,
                         reading_len: int, found: dict) -> None:
        """A name typed in kana whose last sound Sudachi glued to a particle: ふくし / まで is ふくしま + で."""
        nxt = tokens[end]
        key = extend_loose(reading, nxt.reading[:-1])
        entries = self._reading.entries
        if key in entries and _reading_allowed(True, noun, ascii_, True, end + 1 - i, reading_len + len(nxt.reading) - 1, len(key)):
            for payload, phrase in entries[key]:
                if (i, end + 1, payload) not in found:
                    found[(i, end + 1, payload)] = Match(i, end + 1, payload, phrase, "reading")

    def _glued_particle(self, i: int, end: int, reading: str, noun: bool, ascii_: bool, reading_len: int,
                        found: dict) -> None:
        """A particle Sudachi glued inside a kana word: the span [i, end) read without its last sound names something
        (みやぎの, Sudachi's 宮城野, is みやぎ + の; ぎ / ふで is ぎふ + で)."""
        key = reading[:-1]
        if len(reading) > 2 and reading[-1] in PARTICLE_SOUNDS and key in self._reading.entries \
                and _reading_allowed(True, noun, ascii_, True, end - i, reading_len - 1, len(key)):
            for payload, phrase in self._reading.entries[key]:
                if (i, end, payload) not in found:
                    found[(i, end, payload)] = Match(i, end, payload, phrase, "reading")

    def match(self, tokens: list[Token], breaks: Collection[int] = (), stops: Collection[int] = ()) -> list[Match]:
        """Every phrase occurring in the token list (overlapping matches included). `breaks`: the indexes of the
        tokens that followed a space or punctuation; `stops`: those that followed punctuation (see Tokenizer.tokenize)."""
        found: dict[tuple[int, int, Hashable], Match] = {}
        n = len(tokens)
        written_p, reading_p = self._written.prefixes, self._reading.prefixes
        written_e, reading_e = self._written.entries, self._reading.entries
        span = self.max_span
        for i in range(n):
            t = tokens[i]
            # Two written keys grow along the span, the normalized forms and the surfaces; while they are
            # the same string (most kanji words) only one is looked up.
            form, surface, reading = t.form_key, t.surface_key, t.loose
            same = t.plain
            form_ok = form in written_p
            surface_ok = False if same else surface in written_p
            reading_ok = bool(t.reading) and reading in reading_p
            if t.kana_typed and not t.is_function_word and (i == 0 or tokens[i - 1].is_function_word or i in breaks):
                self._glued_particle(i, i + 1, reading, t.is_noun, t.is_ascii, len(t.reading), found)
            if not (form_ok or surface_ok or reading_ok):
                continue  # most words start no phrase
            free_start = i == 0 or tokens[i - 1].is_function_word or i in breaks  # not glued to the word before
            kana = any_kana = noun = ascii_ = lexical = written = False
            reading_len = 0
            grew = True  # the last token added something to the loose reading (を after ファンド adds nothing)
            j = i
            while True:
                end = j + 1
                if form_ok and form in written_e:
                    for payload, phrase in written_e[form]:
                        if (i, end, payload) not in found:
                            found[(i, end, payload)] = Match(i, end, payload, phrase, "written")
                if surface_ok and surface in written_e:
                    for payload, phrase in written_e[surface]:
                        if (i, end, payload) not in found:
                            found[(i, end, payload)] = Match(i, end, payload, phrase, "written")
                if reading_ok:
                    # typed in kana: a particle (の in の商工 → 農商工) is no evidence of a name typed in kana
                    kana = kana or (t.kana_typed and not t.is_function_word)
                    any_kana = any_kana or t.kana_typed
                    if not (t.kana_typed or t.is_ascii) and not kana:
                        written = True  # a kanji word before any word typed in kana
                    noun = noun or t.is_noun
                    ascii_ = ascii_ or t.is_ascii
                    lexical = lexical or not t.is_function_word
                    reading_len += len(t.reading)
                    if grew and reading in reading_e:
                        # a span of particles and endings (ま/つえ/し for まつえし) may still be a name typed in kana,
                        # but only standing on its own: not glued to the word before it (取り + たいと is not 台東)
                        alone = free_start and (end == n or tokens[end].is_function_word or end in breaks)
                        # one such word on its own counts only at the start, after a space or a particle, and before a
                        # particle, a space or the end: ならで and 「なら 事業承継」, not 「なら、…」 (then, …) nor
                        # an ending in a chain of endings (継が / せ / たい is not タイ)
                        single = alone and end - i == 1 and end not in stops and \
                            (i == 0 or i in breaks or tokens[i - 1].pos == "助詞")
                        # particles, then a word written in kanji: not typed in kana, and a same-sound slip
                        # (経営確信) starts on a word: の工場 is no 農工商 (じ/ぇ/とろ 青森 still is ジェトロ青森)
                        if not (written and tokens[i].is_function_word) and \
                                _reading_allowed(kana or (any_kana and alone), noun, ascii_, lexical or alone, end - i,
                                                 reading_len, len(reading), single):
                            for payload, phrase in reading_e[reading]:
                                if (i, end, payload) not in found:
                                    found[(i, end, payload)] = Match(i, end, payload, phrase, "reading")
                    if end < n and tokens[end].particle_tail and free_start:
                        self._before_particle(tokens, i, end, reading, noun, ascii_, reading_len, found)
                if end >= n or end - i >= span:
                    break
                j = end
                t = tokens[j]
                if same and not t.plain:
                    same = False
                    surface_ok = form_ok  # the surfaces so far are the forms so far
                    surface = form
                if surface_ok:
                    surface += t.surface_key
                    surface_ok = surface in written_p
                if form_ok:
                    form += t.form_key
                    form_ok = form in written_p
                if reading_ok:
                    if t.reading:
                        longer = extend_loose(reading, t.reading, t.loose)
                        if any_kana and t.kana_typed and not t.is_function_word and len(t.reading) > 1 and free_start:
                            self._glued_particle(i, end + 1, longer, noun or t.is_noun, ascii_ or t.is_ascii,
                                                 reading_len + len(t.reading), found)
                        grew, reading = len(longer) > len(reading), longer
                        reading_ok = reading in reading_p
                    else:
                        reading_ok = False
                if not (form_ok or surface_ok or reading_ok):
                    break
        return list(found.values())


TYPO_MIN = 4  # sounds: shorter words are too easily one sound away from another word
KANJI_SLIP_MIN = 4  # characters (at least three of them kanji): a written phrase this long may have one wrong kanji
KANJI_SLIP_MAX = 12  # characters: the most four words around the wrong one usually hold (longer names: typed in part)
_TYPO_KINDS = {"intent": True, "unit": True}  # a slip may name a topic or an office, never a place


def _kind(payload: Hashable) -> str:
    return payload[0] if isinstance(payload, tuple) and payload else ""


def _one_slip(a: str, b: str) -> bool:
    """Damerau distance 1: one sound missing, extra or changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


KANJI_READING_MIN = 5  # a kanji span matched by sound must be this long (loose reading), to avoid homophones


def _reading_allowed(kana: bool, noun: bool, ascii_: bool, free: bool, length: int, reading_len: int,
                     key_len: int, single: bool = False) -> bool:
    """Match by reading what was typed in kana or romaji, and long kanji words typed with the wrong kanji of
    the same sound (経営確信 for 経営革新, an input-method slip); never a lone particle or verb, nor a run of
    endings and particles glued to the word before (free: the span has a content word, or stands on its own)."""
    if not kana:
        return noun and key_len >= KANJI_READING_MIN
    if not free or (ascii_ and reading_len < 3):
        return False
    if noun:
        return True
    if single:  # a name Sudachi took for an ending, alone before a particle: なら in ならで
        return reading_len >= 2
    return length >= 2 and reading_len >= 3
