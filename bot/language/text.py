"""Character-level normalisation: width and case, kana, romaji and loose readings."""

from __future__ import annotations

import re
import unicodedata

import jaconv

_HIRA_TO_KATA = {i: i + 0x60 for i in range(0x3041, 0x3097)}
_KATA_TO_HIRA = {i + 0x60: i for i in range(0x3041, 0x3097)}
_KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb]+$")
_ASCII_WORD = re.compile(r"^[a-z]+$")
# Hepburn-style romaji: syllables, syllabic n, and doubled consonants (small tsu).
_ROMAJI = re.compile(
    r"^(?:(?:[kgsztdnhbpmrfjvw]?y?|sh|ch|ts|dz)[aiueo]|n(?![aiueoy])|([kgsztdhbpmrfj])(?=\1)|t(?=ch))+$"
)
_O_ROW = set("オコゴソゾトドノホボポモヨョロォ")
_U_ROW = set("ウクグスズツヅヌフブプムユュルゥ")
_LOOSE = str.maketrans({"ヂ": "ジ", "ヅ": "ズ", "ヲ": "オ", "ヴ": "ブ"})
_VOICED = str.maketrans(dict(zip("カキクケコサシスセソタチツテトハヒフヘホ", "ガギグゲゴザジズゼゾダヂヅデドバビブベボ")))
_BOUNDARY_SENSITIVE = frozenset("ウオーヲ")  # a reading starting with these may merge with the one before


# Hepburn's long vowels (Ōita, Tōhoku, Kyūshū) as typed without macrons, which the romaji reading understands
_MACRONS = str.maketrans({"ā": "aa", "ī": "ii", "ū": "uu", "ē": "ee", "ō": "ou", "â": "aa", "î": "ii", "û": "uu",
                          "ê": "ee", "ô": "ou", "Ā": "Aa", "Ī": "Ii", "Ū": "Uu", "Ē": "Ee", "Ō": "Ou", "Â": "Aa",
                          "Î": "Ii", "Û": "Uu", "Ê": "Ee", "Ô": "Ou"})
# Hepburn spellings the IME-style converter reads otherwise: ん before n (Kesennuma: け・せ・ん・ぬ・ま, not けせんうま)
# and m for ん before b, m, p (Namba, Shimbashi)
_HEPBURN_N = re.compile(r"n(?=n[aiueoy])")
_HEPBURN_M = re.compile(r"m(?=[bmp])")


# English clitics ("what's", "JETRO’s", "I'd", "don't"): the word alone, "not" for n't — a lone "s" left by the
# apostrophe is a word the bot does not know, and made "what's the phone number?" an unanswered question
_CLITIC = re.compile(r"(?<=[A-Za-z])['’](?:s|re|ve|ll|d|m)\b", re.IGNORECASE)
_NOT = re.compile(r"(?<=[A-Za-z])n['’]t\b", re.IGNORECASE)


def normalize(text: str) -> str:
    """NFKC (full-width → half-width, ｶﾅ → カナ), macrons as double vowels, English clitics dropped ("what's" →
    "what"), and strip; case is kept for the tokenizer."""
    text = unicodedata.normalize("NFKC", text).translate(_MACRONS)
    if "'" in text or "’" in text:
        text = _NOT.sub(" not", _CLITIC.sub("", text))
    return text.strip()


_BRACKETS = re.compile(r"[()\[\]{}「」『』【】〔〕<>]")


def spaced_brackets(text: str) -> str:
    """Brackets become separate tokens: Sudachi otherwise reads 本部(ジェトロ) as one word."""
    return _BRACKETS.sub(lambda m: f" {m.group(0)} ", text)


def to_katakana(text: str) -> str:
    return text.translate(_HIRA_TO_KATA)


def to_hiragana(text: str) -> str:
    return text.translate(_KATA_TO_HIRA)


def is_kana(text: str) -> bool:
    return bool(_KANA.match(text))


def is_katakana(text: str) -> bool:
    """Katakana only (ロンドン): how foreign names are written."""
    return bool(text) and all("\u30a0" <= ch <= "\u30ff" for ch in text)


def romaji_reading(word: str) -> str:
    """Katakana for a romaji word ('tokushima' → トクシマ), or '' if it is not romaji."""
    word = _HEPBURN_M.sub("n", _HEPBURN_N.sub("nn", word.lower()))
    if not _ASCII_WORD.match(word) or not _ROMAJI.match(word):
        return ""
    return to_katakana(jaconv.alphabet2kana(word))


def english_singular(word: str) -> str:
    """A lower-case English word without its plural ending (patents → patent, subsidies → subsidy), so that
    questions and phrases meet whichever number they use. Words in -ss, -us and -is are left alone."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def extend_loose(before: str, katakana: str, alone: str | None = None) -> str:
    """before + the loose reading of `katakana` (whose loose reading on its own, if known, is `alone`):
    readings are built token by token."""
    if before and katakana[:1] in _BOUNDARY_SENSITIVE:
        return before + loose_reading(katakana, before)
    return before + (alone if alone is not None else loose_reading(katakana))


def loose_reading(katakana: str, before: str = "") -> str:
    """A reading key that ignores long vowels and old kana: トウキョウ, トーキョー and トキョ all → トキョ.

    `before` is the loose reading already built for preceding text, so that readings can be extended token
    by token: before + loose_reading(x, before) == loose_reading(whole).
    """
    out: list[str] = []
    last = before[-1:]
    for ch in katakana.translate(_LOOSE):
        if ch == "ー":
            continue
        if last and ((ch == "ウ" and (last in _O_ROW or last in _U_ROW)) or (ch == "オ" and last in _O_ROW)):
            continue
        out.append(ch)
        last = ch
    return "".join(out)


def is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch == "々"


def voiced_start(katakana: str) -> str:
    """The reading with its first sound voiced, as the second part of a compound often is (連濁: 資金 + 繰り is
    しきんぐり, 株式 + 会社 is かぶしきがいしゃ)."""
    return katakana[:1].translate(_VOICED) + katakana[1:]


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def language_of(text: str, english_words: frozenset[str] = frozenset()) -> str | None:
    """'ja' for text with Japanese in it; 'en' for English (two or more words, one of them not romaji — 'yuushi
    miyagi' is Japanese typed in romaji — or a single word of english_words such as 'help'); None when the text does
    not say (a number, one romaji or place word)."""
    if _JAPANESE.search(text):
        return "ja"
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    if len(words) == 1 and words[0] in english_words:
        return "en"
    if len(words) >= 2 and any(len(w) >= 3 and not _ROMAJI.match(w) for w in words):
        return "en"
    return None


_VOWELS = set("aeiou")


def english_forms(phrase: str) -> set[str]:
    """Other forms of an English keyword, so that a question meets it however it inflects: the first word as a
    verb (retire → retires, retired, retiring; take over → taking over) and the last as a noun (loan → loans)."""
    words = phrase.split()
    if not words or not all(w.isascii() and w.isalpha() for w in words):
        return set()
    first, last = words[0].lower(), words[-1].lower()
    out = {" ".join([form, *words[1:]]) for form in _verb_forms(first)}
    if len(words) > 1:
        out.add(" ".join([*words[:-1], _plural(last)]))
    else:
        out.add(_plural(last))
    return out - {phrase}


def _verb_forms(verb: str) -> set[str]:
    if len(verb) < 3:
        return set()
    stem = verb
    if verb.endswith("e") and not verb.endswith("ee"):
        stem = verb[:-1]
    elif len(verb) <= 4 and verb[-1] not in _VOWELS | set("wxy") and verb[-2] in _VOWELS and verb[-3] not in _VOWELS:
        stem = verb + verb[-1]  # stop → stopping, plan → planned
    past = verb[:-1] + "ied" if verb.endswith("y") and verb[-2] not in _VOWELS else stem + "ed"
    if verb.endswith("e"):
        past = verb + "d"
    return {_plural(verb), past, stem + "ing"}


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


_LONG_VOWELS = re.compile(r"ou|oo|uu")


def place_romaji(kana: str) -> str:
    """A place name's kana as it is written in English, long vowels unmarked (こうべ → Kobe, きょうと → Kyoto,
    おおいた → Oita)."""
    return _LONG_VOWELS.sub(lambda m: m.group(0)[0], jaconv.kana2alphabet(kana)).capitalize()
