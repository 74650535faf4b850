"""The parser finds places, intents, names and numbers wherever they are in the sentence."""

import pytest

from bot.core.index import build_index
from bot.core.understanding import Understander


@pytest.fixture(scope="module")
def understander(knowledge, tokenizer):
    return Understander(knowledge, tokenizer, build_index(knowledge, tokenizer))


@pytest.mark.parametrize(
    "text, prefectures, city",
    [
        ("宮城県で相談", ("宮城",), ""),
        ("相談したいのは宮城です", ("宮城",), ""),
        ("みやぎ", ("宮城",), ""),
        ("Fukushima", ("福島",), ""),
        ("仙台の会社", ("宮城",), "仙台市"),
        ("さいたま新都心", ("埼玉",), "さいたま市"),
        ("いばらき", ("茨城",), ""),  # the prefecture, not 茨木市 (大阪) read the same way
        ("茨木市", ("大阪",), "茨木市"),
        ("いばらきし", ("大阪",), "茨木市"),  # with 市 typed it is the city, whose name holds the prefecture's sound
        ("とっとりで", ("鳥取",), ""),  # とっ / とりで(砦): not 取手市 (茨城) inside it
        ("北九州", ("福岡",), "北九州市"),
        ("宮城と福島", ("宮城", "福島"), ""),
        ("大阪ならどう", ("大阪",), ""),  # なら is not 奈良
        ("石垣島で融資", ("沖縄",), "石垣市"),  # islands by their own names
        ("佐渡で経営相談", ("新潟",), "佐渡市"),
        ("淡路島で事業承継", ("兵庫",), ""),  # an island of several cities: an alias of the prefecture
        ("道央でファンド", ("北海道",), ""),
    ],
)
def test_places_are_found_in_any_spelling(understander, text, prefectures, city):
    """Prefectures with or without 県, in kana or romaji, and cities mapped to their prefecture."""
    q = understander.parse(text)
    assert q.prefectures == prefectures
    assert (q.cities[0] if q.cities else "") == city


@pytest.mark.parametrize("text, region", [("九州で", "九州"), ("関西の", "近畿"), ("中国地方", "中国"), ("首都圏", "関東")])
def test_regions_are_found(understander, text, region):
    """地方 names and their everyday aliases map to a region."""
    assert understander.parse(text).regions == (region,)


def test_china_is_only_a_weak_region(understander):
    """「中国」 alone may be the country: it is kept apart from certain region names, and inside a topic phrase that
    says the country (中国に輸出) it is no region at all."""
    q = understander.parse("中国で事業承継")
    assert q.regions == () and q.weak_regions == ("中国",)
    assert understander.parse("中国に輸出したい").weak_regions == ()


@pytest.mark.parametrize(
    "text, intent",
    [
        ("二重ローン", "reconstruction"),
        ("事業継承", "succession"),  # a common mistake for 事業承継
        ("跡継ぎがいない", "succession"),
        ("店を譲りたい", "succession"),
        ("リスケしたい", "turnaround"),
        ("設備投資の借入", "finance"),  # 設備投資, not 投資 (the investment fund)
        ("知財", "patent"),
        ("協同組合", "cooperative"),
        ("successor", "succession"),
        ("double loan", "reconstruction"),
    ],
)
def test_intents_come_from_the_synonym_lists(understander, text, intent):
    """Synonyms in intents.toml select the intent; the longest keyword wins."""
    assert understander.parse(text).intents == (intent,)


def test_phone_numbers_in_any_width_and_form_are_found(understander):
    """022-722-3858, ０２２－７２２－３８５８ and 0227223858 are the same number."""
    for text in ("022-722-3858", "０２２－７２２－３８５８", "0227223858", "（022）722-3858"):
        assert understander.parse(text).phones == ("0227223858",)


def test_organization_names_and_renamed_bodies_are_recognised(understander):
    """Today's name of a renamed body finds the office printed under its old name."""
    q = understander.parse("宮城県中小企業活性化協議会")
    assert max(q.names, key=q.names.get) == "saisei-miyagi"


def test_words_the_bot_does_not_know_are_reported(understander):
    """Unknown content words are what separates 「奈良」 from 「おすすめのランチ 奈良」."""
    assert "ラーメン" in understander.parse("おすすめのラーメン 奈良").unknown_words
    assert understander.parse("奈良県です").unknown_words == ()


def test_very_long_input_is_cut(understander):
    """Input beyond the limit is cut, and the cut is reported."""
    q = understander.parse("宮城" + "あ" * 20_000)
    assert q.truncated and len(q.text) == 500


def test_a_phone_number_is_cut_out_of_the_words_but_the_rest_is_read(understander):
    """「0227223858 は二重ローンの窓口？」: the number is looked up, ローン keeps its long vowel, the digits are no words."""
    query = understander.parse("0227223858 は二重ローンの窓口？")
    assert query.phones == ("0227223858",)
    words = query.content_words | set(query.unknown_words)
    assert query.intents == ("reconstruction",) and not any("722" in w or "3858" in w for w in words)


def test_without_phones_replaces_only_the_numbers():
    """Dashes of any kind inside a number go with it; a katakana long vowel elsewhere stays."""
    from bot.knowledge.phones import without_phones

    assert without_phones("ローン 022ー722ー3858 ですか") == "ローン 。 ですか"
    assert without_phones("番号 +81-22-722-3858 は") == "番号 。 は"  # the country code goes with the number
