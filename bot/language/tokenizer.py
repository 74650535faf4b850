"""The one module that imports SudachiPy: builds the tokenizer once and yields the project's Token type."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import NamedTuple

from bot.language.text import is_kana, romaji_reading, to_katakana

# Parts of speech that never name anything by themselves.
FUNCTION_POS = frozenset({"助詞", "助動詞", "補助記号", "空白", "記号", "接続詞", "感動詞"})
SYMBOL_POS = frozenset({"補助記号", "空白", "記号"})
NOUN_POS = frozenset({"名詞", "代名詞", "接頭辞"})


class Token(NamedTuple):
    """One morpheme: surface as typed, Sudachi's normalized form, a katakana reading and its part of speech."""

    surface: str
    normalized: str
    reading: str
    pos: str
    begin: int
    end: int
    kana_typed: bool  # typed in kana or romaji rather than kanji, so its reading is what the user meant
    form_key: str  # lower-cased normalized form, for matching
    surface_key: str  # lower-cased surface, for matching

    @property
    def is_function_word(self) -> bool:
        return self.pos in FUNCTION_POS

    @property
    def is_noun(self) -> bool:
        return self.pos in NOUN_POS


class Tokenizer:
    """SudachiPy (core dictionary, split mode A: the finest boundaries, best for matching phrases)."""

    def __init__(self) -> None:
        from sudachipy import Dictionary, SplitMode

        self._dictionary = Dictionary(dict="core")
        self._mode = SplitMode.A
        self._local = threading.local()  # a SudachiPy tokenizer object is not safe to share across threads
        self._pos_names: dict[int, str] = {}  # part-of-speech id → top-level name, filled as met

    def _tokenizer(self):
        tok = getattr(self._local, "tokenizer", None)
        if tok is None:
            tok = self._local.tokenizer = self._dictionary.create(self._mode)
        return tok

    def tokenize(self, text: str) -> list[Token]:
        """Tokenize already-normalised text; symbols and spaces are dropped."""
        tokens = []
        pos_names = self._pos_names
        for m in self._tokenizer().tokenize(text):
            pos_id = m.part_of_speech_id()
            pos = pos_names.get(pos_id)
            if pos is None:
                pos = pos_names[pos_id] = self._dictionary.pos_of(pos_id)[0]
            surface = m.surface()
            # Spaces and punctuation are dropped; kana that Sudachi tags as symbols (ぇ in じぇとろ, ー) are kept.
            if pos in SYMBOL_POS and not is_kana(surface):
                continue
            reading = m.reading_form()
            kana = False
            if surface.isascii():
                reading = romaji_reading(surface) or (reading if not reading.isascii() else "")
                kana = surface.isalpha()
            elif is_kana(surface):
                reading = to_katakana(surface)  # what was typed, not the reading of Sudachi's guess
                kana = True
            normalized = m.normalized_form()
            tokens.append(Token(surface, normalized, reading, pos, m.begin(), m.end(), kana,
                                normalized.lower(), surface.lower()))
        return tokens

    def raw(self, text: str):
        """Plain SudachiPy tokenization (its MorphemeList), no post-processing: the benchmark's baseline."""
        return self._tokenizer().tokenize(text)


@lru_cache(maxsize=1)
def get_tokenizer() -> Tokenizer:
    """The process-wide tokenizer, built on first use."""
    return Tokenizer()
