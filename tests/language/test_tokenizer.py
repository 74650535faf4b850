"""The SudachiPy wrapper: one tokenizer per process, normalized forms, readings, width and romaji."""

import pytest

from bot.language.text import loose_reading, romaji_reading
from bot.language.tokenizer import get_tokenizer


def test_the_tokenizer_is_built_once_per_process(tokenizer):
    """get_tokenizer returns the same object every time."""
    assert get_tokenizer() is tokenizer


@pytest.mark.parametrize(
    "text, normalized",
    [
        ("引継ぎ", "引き継ぎ"),
        ("ジェトロ", "JETRO"),
        ("ｼﾞｪﾄﾛ", "JETRO"),
        ("譲りたい", "譲る"),
    ],
)
def test_normalized_forms_absorb_spelling_variants(tokenizer, text, normalized):
    """表記ゆれ are reduced to Sudachi's normalized form."""
    from bot.language.text import normalize

    assert normalized in [t.normalized for t in tokenizer.tokenize(normalize(text))]


def test_kana_typed_words_keep_what_was_typed_as_reading(tokenizer):
    """A word typed in kana reads as typed, not as Sudachi's kanji guess (こうち is not 巧緻)."""
    token = tokenizer.tokenize("こうち")[0]
    assert token.reading == "コウチ" and token.kana_typed


def test_kana_that_sudachi_tags_as_symbols_are_kept(tokenizer):
    """じぇとろ and ゆしゅつ keep every kana, so their readings are whole."""
    assert "".join(t.reading for t in tokenizer.tokenize("じぇとろ")) == "ジェトロ"
    assert "".join(t.reading for t in tokenizer.tokenize("ゆしゅつ")) == "ユシュツ"


def test_spaces_and_punctuation_are_dropped(tokenizer):
    """Spaces and 、。！ do not become tokens."""
    assert [t.surface for t in tokenizer.tokenize("宮城、 福島！")] == ["宮城", "福島"]


@pytest.mark.parametrize("word, reading", [("tokushima", "トクシマ"), ("Keiei", "ケイエイ"), ("kitte", "キッテ"),
                                           ("gunma", "グンマ"), ("office", ""), ("help", ""), ("my", "")])
def test_romaji_words_get_a_katakana_reading_and_english_words_do_not(word, reading):
    """Only words that are valid romaji are read as Japanese."""
    assert romaji_reading(word) == reading


@pytest.mark.parametrize("a, b", [("トウキョウ", "トキョ"), ("トーキョー", "トキョ"), ("オオサカ", "オサカ"), ("コウチ", "コチ"), ("キュウシュウ", "キュシュ")])
def test_loose_readings_ignore_long_vowels(a, b):
    """Romaji typed without long vowels (Tokyo, Osaka, Kochi) matches the dictionary reading."""
    assert loose_reading(a) == b


def test_a_word_met_again_is_the_same_token(tokenizer):
    """Words are remembered: the second 宮城 costs a look-up and is the very same Token."""
    first = tokenizer.tokenize("宮城で相談")[0]
    again = tokenizer.tokenize("相談は宮城")[-1]
    assert first is again and first.surface == "宮城"


@pytest.mark.parametrize("text", ["JETRO 福岡 と jetro 福岡", "ジェトロ じぇとろ ジェトロ", "宮城で 宮城で、宮城", "xyz abc xyz 123 123",
                                  "事業承経 事業承継", "二重ローン 2重ローン 二重ローン", "🙂 二重ローン 🙂",
                                  # long vowels: one dictionary entry, several surfaces (Sudachi folds ーー)
                                  "ロー ローー宮城", "ロー ローーー", "ローーー ロー宮城", "ローン ローーン ローーーン宮城",
                                  "すごーい すごーーい", "ﾛｰﾝ ローン ローーン"])
def test_words_met_before_are_the_tokens_a_fresh_tokenizer_makes(tokenizer, text):
    """A word met before is found by its dictionary id and the text at its position: the same Tokens, surfaces and
    breaks as a tokenizer that has seen nothing (case and spelling variants of one entry included)."""
    from bot.language.tokenizer import Tokenizer

    fresh = Tokenizer()
    tokenizer.tokenize(text)  # the shared tokenizer has now met every word
    warm_breaks: list[int] = []
    fresh_breaks: list[int] = []
    assert tokenizer.tokenize(text, warm_breaks) == fresh.tokenize(text, fresh_breaks)
    assert warm_breaks == fresh_breaks


def test_the_word_memory_is_bounded(tokenizer, monkeypatch):
    """The memory of words never grows past its limit, and words are still tokenized after it is emptied."""
    import bot.language.tokenizer as module

    monkeypatch.setattr(module, "WORD_CACHE_SIZE", 3)
    tokenizer = module.Tokenizer()  # a fresh one: the session's remembers these words already, so it would not grow
    tokens = tokenizer.tokenize("宮城 福島 山形 秋田 岩手 青森")
    assert [t.surface for t in tokens] == ["宮城", "福島", "山形", "秋田", "岩手", "青森"]
    assert len(tokenizer._words) <= 3 and len(tokenizer._by_id) <= 3


@pytest.mark.parametrize("word, singular", [("patents", "patent"), ("subsidies", "subsidy"), ("taxes", "tax"),
                                            ("offices", "office"), ("business", "business"), ("status", "status")])
def test_english_plurals_meet_their_singular(word, singular):
    """patents finds patent; words in -ss and -us keep their s."""
    from bot.language.text import english_singular

    assert english_singular(word) == singular


def test_breaks_say_which_tokens_followed_a_space_or_punctuation(tokenizer):
    """「宮城、 福島で」: 福島 (index 1) follows the comma and the space."""
    breaks = []
    tokens = tokenizer.tokenize("宮城、 福島で", breaks)
    assert [t.surface for t in tokens] == ["宮城", "福島", "で"] and breaks == [1]


@pytest.mark.parametrize("text, words", [
    ("need a bank loan", ["need", "a", "bank", "loan"]),  # SudachiPy has "bank loan" as one entry
    ("I want to open a cafe", ["I", "want", "to", "open", "a", "cafe"]),  # …and "want to"
])
def test_english_is_read_word_by_word(tokenizer, text, words):
    breaks: list[int] = []
    tokens = tokenizer.tokenize(text, breaks)
    assert [t.surface for t in tokens] == words
    assert breaks == list(range(1, len(words)))  # every word after the first followed a space


@pytest.mark.parametrize("keyword, forms", [
    ("retire", {"retires", "retired", "retiring"}),
    ("export", {"exports", "exported", "exporting"}),
    ("copy", {"copies", "copied", "copying"}),
    ("take over", {"takes over", "taking over"}),
    ("bank loan", {"bank loans"}),
])
def test_english_keywords_meet_their_inflected_forms(keyword, forms):
    from bot.language.text import english_forms

    assert forms <= english_forms(keyword)
    assert english_forms("事業承継") == set()


@pytest.mark.parametrize("text, expected", [
    ("what's the phone number?", "what the phone number?"),
    ("What’s their number?", "What their number?"),  # the typographic apostrophe phones type
    ("I'm in Fukuoka and I'd like to export", "I in Fukuoka and I like to export"),
    ("JETRO's office", "JETRO office"),
    ("we don't know", "we do not know"),
    ("O'Brien's shop", "O'Brien shop"),  # a name's own apostrophe stays
    ("宮城の'窓口'", "宮城の'窓口'"),  # Japanese text is left alone
])
def test_english_clitics_are_dropped(text, expected):
    from bot.language.text import normalize

    assert normalize(text) == expected
