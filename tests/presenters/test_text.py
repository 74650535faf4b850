"""Plain-text replies: polite Japanese, the answer first, numbers exactly as printed, the source named."""

import re

import pytest

from tests.conftest import number_of


def test_the_first_line_is_the_answer(render, knowledge):
    """The office comes first; details and the source line (from source.toml: title, date, last review) follow."""
    lines = render("仙台で事業承継の相談をしたい").splitlines()
    office = knowledge.contact_by_id["hikitsugi-miyagi"]
    assert office.name in lines[0]
    assert office.phones[0].number in lines[2]
    source = knowledge.source
    assert f"{source.publisher}「{source.title}」" in lines[-1] and source.reviewed in lines[-1]
    assert lines[-1].endswith("番号が変わっている場合があります。")


def test_every_footer_dates_the_source_as_source_toml_says(render, knowledge):
    """The date (estimated from evidence) in Japanese and English footers, never 日付不明 when a date is given; an
    estimated date says so."""
    source = knowledge.source
    japanese = render("仙台で事業承継の相談をしたい").splitlines()[-1]
    english = render("business succession in Sendai").splitlines()[-1]
    assert source.as_of and source.as_of in japanese and "日付不明" not in japanese
    assert source.as_of_en in english and "undated" not in english
    if source.estimated:
        assert "推定" in japanese and "estimated" in english


def test_numbers_keep_their_printed_form_and_labels(render):
    """(代), ダイヤル names and free-dial numbers are shown as in the source."""
    assert f"{number_of('meti-tohoku-00')}（代表）" in render("東北経済産業局の代表番号")
    assert f"事業資金相談ダイヤル {number_of('finance-jfc')}（フリーダイヤル）" in render("日本政策金融公庫")
    assert f"{number_of('pref-sme-hokkaido')}（直通）" in render("北海道の中小企業担当課")


def test_replies_are_polite(render):
    """Sentences end in です/ます forms."""
    for text in (render("二重ローン 宮城"), render("事業承継"), render("天気"), render("こんにちは")):
        first = text.splitlines()[0]
        assert re.search(r"(です|ます|でした|ません|ですか)[。？]?$", first), first


def test_clarifying_question_lists_numbered_choices_when_short(render):
    """A place with no topic lists the kinds of office, numbered."""
    text = render("宮城県")
    assert "どの窓口をお探しですか？" in text and "1) " in text


def test_fallback_offers_the_hotline_with_its_hours(render):
    """The hotline number and its hours are in every fallback to a question not understood."""
    text = render("ふがふが")
    assert "該当する窓口が見つかりませんでした" in text
    assert f"{number_of('hotline')}（ナビダイヤル、平日午前9時～午後5時）" in text


@pytest.mark.parametrize("question, says", [
    ("パスポートの申請方法", "「パスポート」は、この一覧（中小企業の事業の相談窓口）で扱っている相談ではありません。"),
    ("車のローンが払えない", "個人のお金（車のローン）の相談窓口は、この一覧（中小企業の事業の相談窓口）にはありません。"),
])
def test_a_matter_the_list_does_not_cover_is_said_with_what_it_covers(render, knowledge, question, says):
    """Not the nearest office nor the business hotline: that the list does not cover it, and what it does."""
    text = render(question)
    covered = [i.label for i in knowledge.intents if i.targets]
    assert text.splitlines()[0] == says
    assert text.splitlines()[1].startswith(f"この一覧でご案内できるのは、{covered[0]}、{covered[1]}")
    assert number_of("hotline") not in text and "見つかりませんでした" not in text


def test_fund_answers_carry_the_table_note(render):
    """Fund answers say that no new funds are being formed."""
    assert "※現在新規のファンド組成は行っていません。" in render("山梨みらいファンド")


def test_sub_rows_say_their_number_is_shared(render):
    """A ② fund row answers with the shared number and says so."""
    text = render("とくしま経済飛躍ファンド")
    assert number_of("fund-startup-tokushima-1") in text and "共通" in text


@pytest.mark.parametrize("turns, lead", [
    (("宮城県の事業承継",), "宮城県の事業承継・事業引継ぎのお問い合わせ先は、宮城県事業引継ぎ相談窓口です。"),
    (("中小機構", "4"), "中小機構（中小企業基盤整備機構）のお問い合わせ先は、中小機構 中部本部 経営支援部 経営支援課です。"),
])
def test_the_lead_names_the_place_unless_the_chosen_office_says_it(render, turns, lead):
    """The place asked about opens the answer; a chosen office area is not said twice (中小機構 中部本部の中小機構…)."""
    assert render(*turns).splitlines()[0] == lead


def test_a_reply_that_is_not_understood_is_said_before_the_question_again(render):
    """「わからない」 to a clarifying question: the first line says what was not understood."""
    assert render("ジェトロ", "わからない").splitlines()[0] == "都道府県名が読み取れませんでした。"


def test_one_office_printed_in_two_tables_says_which_table_each_number_is_from(render):
    """Two rows with the same name and different numbers carry their table's name in the title."""
    text = render("千葉県 商工労働部 経営支援課")
    assert "（都道府県の中小企業担当課）" in text and "（経営革新計画の担当課）" in text


def test_a_table_s_label_after_a_place_is_its_label_in_place(render, knowledge):
    """「秋田県の中小企業担当課」, not 「秋田県の都道府県の中小企業担当課」: categories.toml's label_in_place, where staff
    gave one; every such table is checked, so a new one is too."""
    tables = [c for c in knowledge.categories if c.label_in_place]
    assert tables  # the shipped knowledge has at least one
    for table in tables:
        office = next(c for c in knowledge.contacts_in(table.id) if knowledge.prefecture_of(c))
        prefecture = knowledge.prefecture_of(office)
        first = render(f"{prefecture}の{table.label}").splitlines()[0]
        assert first.startswith(f"{prefecture}の{table.label_in_place}のお問い合わせ先"), first


def test_a_city_and_another_prefecture_are_each_named_with_their_own(render):
    """「福島市と宮城県」: 福島市（福島県）・宮城県, not 福島市（宮城県）."""
    first = render("福島市と宮城県で事業承継").splitlines()[0]
    assert first.startswith("福島市（福島県）・宮城県の"), first
