"""The one module that imports SudachiPy: builds the tokenizer once and yields the project's Token type."""

from __future__ import annotations

import re

import threading
from functools import lru_cache
from typing import NamedTuple

from bot.language.text import english_singular, is_kana, loose_reading, romaji_reading, to_katakana

# Parts of speech that never name anything by themselves.
FUNCTION_POS = frozenset({"助詞", "助動詞", "補助記号", "空白", "記号", "接続詞", "感動詞"})
SYMBOL_POS = frozenset({"補助記号", "空白", "記号"})
NOUN_POS = frozenset({"名詞", "代名詞", "接頭辞"})
CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞"})
PARTICLE_SOUNDS = frozenset("デニノハヘヲトモガ")  # one-sound particles (で に の …) Sudachi may glue to a kana name's end
SPACE, PUNCTUATION = 1, 2  # what the word cache holds for morphemes that are not words
UNKNOWN_WORD_IDS = 0xF000_0000  # SudachiPy's ids from here on are unknown words and numbers: the id does not say which
_LATIN_PAIR = re.compile(r"[A-Za-z] [A-Za-z]")  # two English words: SudachiPy may have them as one entry
WORD_CACHE_SIZE = 20_000  # distinct words remembered (~0.9 kB each, so at most ~18 MB); questions use a few thousand


class Token(NamedTuple):
    """One word as typed: Sudachi's normalized form, a katakana reading, its part of speech, and match keys.

    Tokens carry no position, so the same word typed twice is the same (cached) Token.
    """

    surface: str
    normalized: str
    reading: str  # katakana; for words typed in kana or romaji, what was typed
    pos: str  # top-level part of speech (名詞, 助詞 …)
    kana_typed: bool  # typed in kana or romaji rather than kanji, so its reading is what the user meant
    form_key: str  # lower-cased normalized form, for matching
    surface_key: str  # lower-cased surface, for matching
    loose: str  # the reading with long vowels folded (see text.loose_reading)
    is_noun: bool
    is_ascii: bool
    is_content: bool  # a noun, verb, adjective or adverb: a word that can say what the question is about
    plain: bool  # form_key == surface_key
    is_function_word: bool  # a particle, auxiliary, symbol, conjunction or interjection: names nothing by itself
    particle_tail: bool  # kana function word ending in a one-sound particle (まで): may hold a name's last sound
    proper: str = ""  # what a proper noun names, as Sudachi tags it: 地名 (a place), 国 (a country), 人名, 組織; else ""


class Tokenizer:
    """SudachiPy (core dictionary, split mode A: the finest boundaries, best for matching phrases)."""

    def __init__(self) -> None:
        from sudachipy import Dictionary, SplitMode

        self._dictionary = Dictionary(dict="core")
        self._mode = SplitMode.A
        self._local = threading.local()  # a SudachiPy tokenizer object is not safe to share across threads
        self._pos_names: dict[int, tuple[str, str]] = {}  # part-of-speech id → (top-level name, proper), filled as met
        # (surface, word id) → Token, or SPACE / PUNCTUATION. Everything in a Token follows from the dictionary entry
        # and what was typed, so a word met before costs one look-up.
        self._words: dict[tuple[str, int], Token | int] = {}
        # dictionary word id → (surface, Token or marker) last seen: a word met before is found without asking SudachiPy
        # for its surface (the text at the current position is checked to be that surface instead)
        self._by_id: dict[int, tuple[str, Token | int]] = {}

    def _tokenizer(self):
        tok = getattr(self._local, "tokenizer", None)
        if tok is None:
            tok = self._local.tokenizer = self._dictionary.create(self._mode)
        return tok

    def _morphemes(self, text: str):
        """This thread's tokenizer writing into this thread's MorphemeList (SudachiPy's `out` parameter: no new list
        per call). The list is only valid until the next call in the same thread."""
        local = self._local
        out = getattr(local, "morphemes", None)
        if out is None:
            out = local.morphemes = self._tokenizer().tokenize("")
        return local.tokenizer.tokenize(text, out=out)

    def tokenize(self, text: str, breaks: list[int] | None = None, stops: list[int] | None = None) -> list[Token]:
        """Tokenize already-normalised text; symbols and spaces are dropped. If `breaks` is given, the index of
        every token that followed a dropped space or symbol is appended to it (「まつえし 事業承継」 → [3]); if
        `stops` is given too, the index of every token that followed punctuation (「なら、…」)."""
        words, by_id = self._words, self._by_id
        tokens: list[Token] = []
        after_break = after_stop = False
        pos = 0  # morphemes cover the text in order: each one's surface starts where the last one's ended
        for m in self._morphemes(text):
            wid = m.word_id()
            seen = by_id.get(wid)
            end = m.end()
            # one dictionary id may have several surfaces (Sudachi folds repeated long vowels: ロー and ローー are one
            # entry), so the remembered surface must span exactly this morpheme
            if seen is not None and end - pos == len(seen[0]) and text.startswith(seen[0], pos):
                surface, word = seen
            else:
                surface = m.surface()
                found = words.get((surface, wid))
                word = self._word(m, surface, wid) if found is None else found
                if wid < UNKNOWN_WORD_IDS:
                    by_id[wid] = (surface, word)
            pos = end
            if isinstance(word, int):  # a space or punctuation: dropped
                if breaks is not None:
                    after_break = True
                    after_stop = after_stop or word == PUNCTUATION
                continue
            if after_break and breaks is not None:
                breaks.append(len(tokens))
                after_break = False
                if after_stop:
                    if stops is not None:
                        stops.append(len(tokens))
                    after_stop = False
            tokens.append(word)
        if " " in text and _LATIN_PAIR.search(text) and any(t.is_ascii and " " in t.surface for t in tokens):
            return self._english_words(tokens, breaks, stops)
        return tokens

    def _english_words(self, tokens: list[Token], breaks: list[int] | None, stops: list[int] | None) -> list[Token]:
        """SudachiPy has entries of several English words (bank loan, want to): read word by word, as keywords are
        written, so that 「loan」 is found in 「bank loan」. (Called after the morpheme list is used up: it tokenizes.)"""
        out: list[Token] = []
        moved: dict[int, int] = {}
        inner: list[int] = []
        for i, t in enumerate(tokens):
            moved[i] = len(out)
            if t.is_ascii and " " in t.surface:
                for n, part in enumerate(t.surface.split()):
                    if n:
                        inner.append(len(out))
                    out.extend(self.tokenize(part))
            else:
                out.append(t)
        for marks, extra in ((breaks, inner), (stops, [])):
            if marks is not None:
                marks[:] = sorted({moved.get(b, len(out)) for b in marks} | set(extra))
        return out

    def _word(self, m, surface: str, wid: int) -> Token | int:
        """Make (and remember) the Token for a morpheme met for the first time."""
        pos_id = m.part_of_speech_id()
        named = self._pos_names.get(pos_id)
        if named is None:
            full = self._dictionary.pos_of(pos_id)
            proper = (full[3] if full[3] == "国" else full[2]) if full[1] == "固有名詞" else ""
            named = self._pos_names[pos_id] = (full[0], proper)
        pos, proper = named
        token: Token | int = SPACE if pos == "空白" or surface.isspace() else PUNCTUATION
        # Spaces and punctuation are dropped; kana that Sudachi tags as symbols (ぇ in じぇとろ, ー) are kept.
        if pos not in SYMBOL_POS or is_kana(surface):
            reading = m.reading_form()
            kana = False
            if surface.isascii():
                reading = romaji_reading(surface) or (reading if not reading.isascii() else "")
                kana = surface.isalpha()
            elif is_kana(surface):
                reading = to_katakana(surface)  # what was typed, not the reading of Sudachi's guess
                kana = True
            normalized = m.normalized_form()
            form_key = normalized.lower()
            if surface.isascii() and surface.isalpha() and not reading:
                form_key = english_singular(form_key)  # an English word (romaji has a reading): patents → patent
            token = Token(surface, normalized, reading, pos, kana, form_key, surface.lower(),
                          loose_reading(reading), pos in NOUN_POS, surface.isascii(), pos in CONTENT_POS,
                          form_key == surface.lower(), pos in FUNCTION_POS,
                          kana and pos in FUNCTION_POS and len(reading) >= 2 and reading[-1] in PARTICLE_SOUNDS, proper)
        if len(self._words) >= WORD_CACHE_SIZE:
            self._words.clear()
            self._by_id.clear()
        self._words[(surface, wid)] = token
        return token

    def raw(self, text: str):
        """Plain SudachiPy tokenization (its MorphemeList), no post-processing: the benchmark's baseline."""
        return self._tokenizer().tokenize(text)


@lru_cache(maxsize=1)
def get_tokenizer() -> Tokenizer:
    """The process-wide tokenizer, built on first use."""
    return Tokenizer()
