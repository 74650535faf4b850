"""Character-level normalisation: width and case, kana, romaji and loose readings."""

from __future__ import annotations

import re
import unicodedata

import jaconv

_HIRA_TO_KATA = {i: i + 0x60 for i in range(0x3041, 0x3097)}
_KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb]+$")
_KANJI = re.compile(r"[\u4e00-\u9fff\u3005]")
_ASCII_WORD = re.compile(r"^[a-z]+$")
# Hepburn-style romaji: syllables, syllabic n, and doubled consonants (small tsu).
_ROMAJI = re.compile(
    r"^(?:(?:[kgsztdnhbpmrfjcvw]?y?|sh|ch|ts|dz)[aiueo]|n(?![aiueoy])|([kgsztdhbpmrfjc])(?=\1))+$"
)
_O_ROW = set("オコゴソゾトドノホボポモヨョロォ")
_U_ROW = set("ウクグスズツヅヌフブプムユュルゥ")
_LOOSE = str.maketrans({"ヂ": "ジ", "ヅ": "ズ", "ヲ": "オ", "ヴ": "ブ"})


def normalize(text: str) -> str:
    """NFKC (full-width → half-width, ｶﾅ → カナ) and strip; case is kept for the tokenizer."""
    return unicodedata.normalize("NFKC", text).strip()


def to_katakana(text: str) -> str:
    return text.translate(_HIRA_TO_KATA)


def is_kana(text: str) -> bool:
    return bool(_KANA.match(text))


def has_kanji(text: str) -> bool:
    return bool(_KANJI.search(text))


def romaji_reading(word: str) -> str:
    """Katakana for a romaji word ('tokushima' → トクシマ), or '' if it is not romaji."""
    word = word.lower()
    if not _ASCII_WORD.match(word) or not _ROMAJI.match(word):
        return ""
    return to_katakana(jaconv.alphabet2kana(word))


def loose_reading(katakana: str) -> str:
    """A reading key that ignores long vowels and old kana: トウキョウ, トーキョー and トキョ all → トキョ."""
    out: list[str] = []
    for ch in katakana.translate(_LOOSE):
        if ch == "ー":
            continue
        if out and ((ch == "ウ" and (out[-1] in _O_ROW or out[-1] in _U_ROW)) or (ch == "オ" and out[-1] in _O_ROW)):
            continue
        out.append(ch)
    return "".join(out)
