"""The presenters write every sentence from the facts the core returns (the engine tests assert the facts)."""

from datetime import datetime

import pytest

from bot.core.answer import (CLARIFY, CONTACTS, FALLBACK, Answer, Ask, Choice, ClosedNow, Gap, Jurisdiction, Missing,
                             Place)
from bot.core.hours import JST
from bot.presenters.sentences import ENGLISH, JAPANESE
from bot.presenters.wording import Wording

MIYAGI = Place(prefectures=("宮城",), prefecture_names=("宮城県",))
KOCHI = Place(prefectures=("高知",), prefecture_names=("高知県",))


@pytest.fixture(scope="module")
def japanese(knowledge):
    return Wording(knowledge, JAPANESE)


def test_every_language_has_every_sentence():
    """One structure for every language: a table lacks no sentence another has."""
    for part in ("ask", "gap", "say", "ui"):
        assert set(getattr(JAPANESE, part)) == set(getattr(ENGLISH, part)), part
    assert len(JAPANESE.clarify_hints) == len(ENGLISH.clarify_hints)


@pytest.mark.parametrize("missing, place, sentence", [
    (Missing(Gap.NO_MORE), Place(), "直前のお答えのほかに、お示しできる窓口はありません。"),
    (Missing(Gap.NAME_NOT_HERE), KOCHI, "高知県には、お尋ねの名前の窓口はこの一覧にありません。"),
    (Missing(Gap.REPRESENTATIVE), Place(), "代表番号はこの一覧に載っていません。"),
    (Missing(Gap.ADDRESS), Place(), "住所はこの一覧に載っていません。お電話でご確認ください。"),
    (Missing(Gap.URL), Place(), "ホームページ（URL）はこの一覧に載っていません。お電話でご確認ください。"),
    (Missing(Gap.NUMBERS, where=("03-0000-0000", "06-0000-0000")), Place(),
     "03-0000-0000、06-0000-0000 はこの一覧に載っていない番号です。"),
    (Missing(Gap.TOPIC_NOT_READ), MIYAGI, "ご用件が読み取れませんでした。"),
    (Missing(Gap.PLACE_NOT_READ), Place(), "都道府県名が読み取れませんでした。"),
    (Missing(Gap.NO_REGIONAL_OFFICE, subject=("技術・研究開発",)), KOCHI,
     "高知県を担当する技術・研究開発の窓口はこの一覧にありません。全国の窓口をご案内します。"),
    (Missing(Gap.NOT_IN_PREFECTURE, subject=("産業復興相談センター",), where=("岩手", "宮城", "福島")), KOCHI,
     "高知県の産業復興相談センターはこの一覧にありません（掲載は岩手・宮城・福島）。"),
    (Missing(Gap.NOT_IN_PREFECTURE, subject=("ファンド",), where=tuple("ABCDEFGHI")), KOCHI,
     "高知県のファンドはこの一覧にありません（掲載は9都道府県）。"),  # more than eight: a count
    (Missing(Gap.NONE_HERE, subject=("ジェトロ",), region="四国"), KOCHI,
     "高知県のジェトロはこの一覧にありません。同じ四国地方の窓口をご案内します。"),
    (Missing(Gap.NONE_HERE), KOCHI, "高知県のお尋ねの窓口はこの一覧にありません。"),
])
def test_what_is_missing_is_said_in_one_or_two_sentences(japanese, missing, place, sentence):
    assert japanese.missing_text(Answer(kind=FALLBACK, place=place, missing=missing)) == sentence


@pytest.mark.parametrize("asks, place, sentence", [
    (Ask.PREFECTURE, Place(), "どちらの都道府県ですか？"),
    (Ask.PREFECTURE_OR_AREA, Place(), "どちらの都道府県ですか？（地方名でもかまいません）"),
    (Ask.PREFECTURE_IN_REGION, Place(region="九州"), "九州地方のどちらの都道府県ですか？"),
    (Ask.CATEGORY, MIYAGI, "宮城県のどの窓口をお探しですか？"),
])
def test_each_clarifying_question_has_its_sentence(japanese, asks, place, sentence):
    assert japanese.ask_text(Answer(kind=CLARIFY, place=place, asks=asks, choices=(Choice("宮城県", "prefecture:宮城"),))) == sentence


@pytest.mark.parametrize("reason, sentence", [
    (Jurisdiction(("宮城県",), "", "東北経済産業局", "管轄"), "宮城県は東北経済産業局の管轄です。"),
    (Jurisdiction(("宮城県",), "仙台市", "東北経済産業局", "管轄"), "仙台市（宮城県）は東北経済産業局の管轄です。"),
    (Jurisdiction(("富山県", "石川県"), "", "中部経済産業局", "管轄"), "富山県・石川県は中部経済産業局の管轄です。"),
])
def test_jurisdiction_is_one_sentence(japanese, reason, sentence):
    assert japanese.jurisdiction_text(reason) == sentence


def test_changes_and_closed_offices_are_sentences(japanese, knowledge):
    """A change of changes.toml is its own sentence with who says so; English uses text_en and source_en."""
    from bot.knowledge.model import Change, ChangeKind, Origin
    change = Change("x", ChangeKind.RENAMED, "2022-04-01", "「A」は2022年4月1日から「B」になっています。", "経済産業省", "題", "https://x",
                    Origin("changes.toml", 1), text_en="A has been B since April 2022.", source_en="METI")
    assert japanese.change_text(change) == "「A」は2022年4月1日から「B」になっています（出典: 経済産業省）。"
    assert Wording(knowledge, ENGLISH).change_text(change) == "A has been B since April 2022 (source: METI)."
    closed_text = japanese.closed_text
    opens = ClosedNow("x", "平日9時～17時", datetime(2026, 11, 30, 9, 30, tzinfo=JST))
    assert closed_text(opens) == "ただいま受付時間外です（平日9時～17時）。次の受付は 11月30日(月) 9時30分 からです。"
    assert closed_text(None) == ""


def test_several_topics_are_joined_in_the_lead(knowledge, text_presenter):
    contact = knowledge.contact_by_id["jetro-fukuoka"]
    answer = Answer(kind=CONTACTS, contacts=(contact,), topic=("特許・知的財産", "輸出・海外展開"), place=Place())
    assert text_presenter.render(answer).splitlines()[0] == f"特許・知的財産、輸出・海外展開のお問い合わせ先は、{contact.name}です。"
