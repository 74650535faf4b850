"""Phrases are matched as token sequences: by normalized form, surface, or reading for kana input."""

import pytest

from bot.language.lexicon import LexiconBuilder
from bot.language.text import normalize


@pytest.fixture(scope="module")
def lexicon(tokenizer):
    lex = LexiconBuilder(tokenizer)
    for phrase, payload in [("二重ローン", "double-loan"), ("宮城", "miyagi"), ("和歌山", "wakayama"), ("経営革新計画", "kakushin"),
                            ("徳島", "tokushima"), ("事業引継ぎ", "hikitsugi"), ("JETRO", "jetro"), ("資金繰り", "cash-flow")]:
        lex.add(phrase, payload)
    lex.add("なら", "nara", reading_only=True)
    lex.add("みえ", "mie", reading_only=True)
    lex.add("台東", "taito")
    lex.add("ぎふ", "gifu", reading_only=True)
    lex.add("とっとり", "tottori", reading_only=True)
    return lex.build()


def found(lexicon, tokenizer, text):
    breaks, stops = [], []
    tokens = tokenizer.tokenize(normalize(text), breaks, stops)
    return {m.payload for m in lexicon.match(tokens, breaks, stops)}


@pytest.mark.parametrize(
    "text, payload",
    [
        ("二重ローンの相談", "double-loan"),  # Sudachi splits 二 / 重 / ローン; both sides alike
        ("2重ローン", "double-loan"),
        ("みやぎ", "miyagi"),
        ("Miyagi", "miyagi"),
        ("わかやまで", "wakayama"),  # わか / やま / で: matched by reading across tokens
        ("なら", "nara"),  # Sudachi reads it as an ending; on its own it is the place
        ("なら 事業引継ぎ", "nara"),  # before a space too (not before 、: see below)
        ("ぎふでじぎょうひきつぎ", "gifu"),  # ぎ / ふで(筆): the particle で glued inside the next word
        ("とっとりでじぎょうひきつぎ", "tottori"),  # とっ / とりで(砦)
        ("みやぎのじぎょうひきつぎ", "miyagi"),  # みやぎの, one word for Sudachi (宮城野): みやぎ + の
        ("Keiei kakushin keikaku", "kakushin"),
        ("けいえいかくしんけいかく", "kakushin"),
        ("事業引き継ぎ", "hikitsugi"),
        ("ｼﾞｪﾄﾛ", "jetro"),
        ("しきんぐり", "cash-flow"),  # 繰り read くり alone, ぐり in the compound (連濁)
    ],
)
def test_a_phrase_is_found_however_it_is_typed(lexicon, tokenizer, text, payload):
    """Kanji, kana, romaji, width and okurigana variants all find the phrase."""
    assert payload in found(lexicon, tokenizer, text)


@pytest.mark.parametrize("text, payload", [("大阪ならどう", "nara"), ("そうならない", "nara"), ("よくみえます", "mie"), ("宮城県産", "wakayama"),
                                           ("特許を取りたいと思う", "taito"), ("なら、どうすれば", "nara"), ("それなら", "nara")])
def test_a_phrase_is_not_found_inside_unrelated_words(lexicon, tokenizer, text, payload):
    """A particle or verb that sounds like a place name (なら, みえ) is not that place."""
    assert payload not in found(lexicon, tokenizer, text)


def test_a_particle_that_adds_no_sound_does_not_stretch_a_match(lexicon, tokenizer):
    """「じぇとろを」: を folds into the long vowel of ロ, but the match ends at じぇとろ."""
    matches = [m for m in lexicon.match(tokenizer.tokenize(normalize("じぇとろを探す"))) if m.payload == "jetro"]
    assert matches and all(m.end == len(tokenizer.tokenize("じぇとろ")) for m in matches)
