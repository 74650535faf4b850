"""Real questions, as people type them, answered from the real knowledge through the real tokenizer."""

import pytest

from bot.core import answer as A
from bot.core.answer import Ask, Gap, Missing
from bot.knowledge.model import Reach
from bot.core.answer import Jurisdiction as J
from tests.conftest import number_of


def ids(answer):
    return [c.id for c in answer.contacts]


def ask(chat, conversation, *turns):
    answer = None
    for turn in turns:
        answer = chat.reply(conversation, turn)
    return answer


def assert_in_place(knowledge, answer):
    """Never a contact from the wrong prefecture: every contact serves the place asked about."""
    if not answer.place.prefectures or answer.nearby:
        return
    for c in answer.contacts:
        served = knowledge.prefectures_served(c)
        assert any(p in served for p in answer.place.prefectures), (c.id, answer.place)


def test_prefecture_choices_are_only_those_that_have_the_office(chat, conversation):
    """Choices for the チャレンジ企業応援型 fund are the three prefectures that have one."""
    answer = chat.reply(conversation, "チャレンジ企業応援型のファンドで出資を受けたい")
    assert answer.kind == A.CONTACTS  # three offices: listed rather than asked
    assert sorted(ids(answer)) == ["fund-challenge-aomori", "fund-challenge-chiba", "fund-challenge-tottori"]
    answer = chat.reply(conversation + "2", "農工商連携ファンド")
    assert answer.kind == A.CLARIFY
    assert {c.label for c in answer.choices} == {"北海道", "青森県", "岩手県", "秋田県", "山形県", "福島県", "栃木県", "千葉県",
                                                "長野県", "静岡県", "岐阜県", "三重県", "富山県", "京都府", "奈良県", "和歌山県",
                                                "兵庫県", "鳥取県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県",
                                                "長崎県", "宮崎県"}


def test_a_short_table_is_listed_when_no_prefecture_is_given(chat, conversation):
    """All six 産業復興相談センター are listed for 二重ローン without a prefecture."""
    answer = chat.reply(conversation, "二重ローンの相談窓口")
    assert answer.kind == A.CONTACTS
    assert len(answer.contacts) == 6
    assert {c.category for c in answer.contacts} == {"reconstruction_consultation"}


def test_clarifying_question_mentions_the_national_body(chat, conversation):
    """中央会 without a prefecture asks where, and names the national federation beside the question."""
    answer = chat.reply(conversation, "中央会の電話番号")
    assert [c.id for c in answer.national] == ["national-chuokai"]


def test_an_unknown_number_is_said_to_be_unknown(chat, conversation):
    """A phone number not in the list is not attributed to anyone."""
    answer = chat.reply(conversation, "03-1234-5678 から電話がありました")
    assert answer.kind == A.UNKNOWN_NUMBER and answer.contacts == ()
    assert answer.number == "03-1234-5678"  # echoed as written, not as bare digits


def test_a_place_alone_offers_only_the_kinds_of_office_it_has(chat, conversation):
    """「北海道」 asks which office, without 産業復興相談センター (none in 北海道 or its region); 「宮城」 offers it."""
    hokkaido = chat.reply(conversation, "北海道")
    miyagi = chat.reply(conversation + "2", "宮城")
    assert hokkaido.kind == miyagi.kind == A.CLARIFY
    labels = {c.label for c in hokkaido.choices}
    assert "中小企業団体中央会（組合）" in labels and not any("産業復興" in label for label in labels)
    assert any("産業復興" in c.label for c in miyagi.choices)


def test_help_lists_only_what_can_be_answered(chat, conversation):
    """The help reply names the topics with offices, not the list of questions that are not ours."""
    answer = chat.reply(conversation, "使い方")
    assert "事業承継・事業引継ぎ" in answer.topics and "窓口ナビの対象外" not in answer.topics


def without_office(knowledge, table):
    """A prefecture with no office of the table but some in its region (from the knowledge, not today's list)."""
    have = {knowledge.prefecture_of(c) for c in knowledge.contacts_in(table)}
    regions = {r.name: r for r in knowledge.regions}
    for p in knowledge.prefectures:
        region = regions[p.region]
        if p.short not in have and have & (set(region.prefectures) - {p.short}):
            return p, region, have
    pytest.skip(f"every prefecture has an office of {table}, or none of its region has one")


def test_no_office_in_the_prefecture_offers_the_same_region_labelled_as_such(chat, knowledge, conversation):
    """A prefecture with no JETRO office in the list (滋賀 today): the bot says so and offers its region's offices,
    marked as nearby."""
    prefecture, region, _ = without_office(knowledge, "jetro")
    answer = chat.reply(conversation, f"{prefecture.short}のジェトロ")
    assert answer.nearby and answer.place.prefectures == (prefecture.short,)
    assert answer.missing == Missing(Gap.NONE_HERE, subject=(knowledge.category_by_id["jetro"].label,), region=region.name)
    assert answer.contacts and all(knowledge.prefecture_of(c) != prefecture.short for c in answer.contacts)
    assert {knowledge.prefecture_of(c) for c in answer.contacts} <= set(region.prefectures)


def test_a_prefecture_without_the_main_office_says_so(chat, knowledge, conversation):
    """二重ローン where there is no 産業復興相談センター (高知 today): no such centre there, and the reply says which
    prefectures have one."""
    prefecture = next(p for p in knowledge.prefectures
                      if p.short not in {knowledge.prefecture_of(c) for c in knowledge.contacts_in("reconstruction_consultation")})
    answer = chat.reply(conversation, f"二重ローン {prefecture.short}")
    assert answer.missing.gap == Gap.NOT_IN_PREFECTURE and answer.place.prefectures == (prefecture.short,)
    assert {knowledge.prefecture_of(c) for c in knowledge.contacts_in("reconstruction_consultation")} == set(answer.missing.where)
    assert all(c.serves.kind == Reach.NATIONWIDE for c in answer.contacts)


@pytest.mark.parametrize("turns, expected", [
    (["ジェトロ福岡", "電話番号は？"], ["jetro-fukuoka"]),  # not ジェトロ北九州 too, though both are 福岡県's
    (["ジェトロ本部", "URLは？"], ["jetro-honbu"]),  # no place was ever given: still the same office
    (["事業承継 宮城", "もう一度"], ["hikitsugi-miyagi"]),
    (["ジェトロ福岡", number_of("fukko-sodan-miyagi"), "電話番号は？"], ["fukko-sodan-miyagi"]),  # the office found by its number
    (["東北経済産業局の特許室", "代表番号は？"], ["meti-tohoku-00"]),  # the organization's own row
])
def test_a_question_about_the_last_answer_shows_those_offices(chat, conversation, turns, expected):
    """「電話番号は？」 right after an answer shows exactly the offices just shown; 「代表番号は？」 their organization's."""
    answer = ask(chat, conversation, *turns)
    assert ids(answer) == expected
    assert not answer.carried_place


def test_conversations_are_independent(chat):
    """A place given in one conversation is not used in another."""
    chat.reply("test:independent:a", "事業承継の相談をしたい")
    chat.reply("test:independent:a", "宮城")
    other = chat.reply("test:independent:b", "事業承継の相談をしたい")
    assert other.kind == A.CLARIFY


def test_a_click_on_a_choice_answers_in_place(chat, conversation):
    """Choosing a prefecture button answers the pending question."""
    question = chat.reply(conversation, "事業承継について誰に聞けばいい？")
    miyagi = next(c for c in question.choices if c.label == "宮城県")
    answer = chat.choose(conversation, miyagi.value)
    assert ids(answer) == ["hikitsugi-miyagi"]


@pytest.mark.parametrize("text, kind", [("こんにちは", A.GREETING), ("ありがとうございました", A.THANKS),
                                        ("使い方", A.HELP), ("ヘルプ", A.HELP), ("help", A.HELP), ("", A.FALLBACK)])
def test_greetings_help_and_thanks_get_short_useful_replies(chat, conversation, text, kind):
    """Small talk is recognised and not mistaken for a question."""
    assert chat.reply(conversation, text).kind == kind


def test_every_change_reaches_the_answers_it_concerns(chat, conversation, knowledge):
    """Swept over changes.toml: an answer showing an office a change concerns (by organization, table or id), or
    answering a topic it concerns, carries that change; a body not in the list is said when asked for by name."""
    from bot.knowledge.model import ChangeKind
    for change in knowledge.changes:
        if change.kind == ChangeKind.NOT_LISTED:
            answer = chat.reply(f"{conversation}:{change.id}", f"{change.names[0]} {knowledge.prefectures[3].name}")
            assert change in answer.unlisted and answer.contacts and answer.hotline, change.id
            continue
        offices = [c for c in knowledge.contacts if (change.organization and change.organization in f"{c.organization} {c.name}")
                   or c.category in change.categories or c.id in change.contacts]
        asked = offices[0].name if offices else knowledge.intent_by_id[change.intents[0]].keywords[0]
        place = knowledge.prefecture_by_short[knowledge.prefecture_of(offices[0])].name \
            if offices and knowledge.prefecture_of(offices[0]) else "宮城県"
        answer = chat.reply(f"{conversation}:{change.id}", f"{asked} {place}")
        assert change in answer.changes, (change.id, asked, answer.kind)


def test_jurisdiction_is_explained_in_one_line(chat, conversation):
    """A prefecture answered by a regional office says whose jurisdiction it is."""
    answer = chat.reply(conversation, "特許 宮城")
    assert answer.reasons == (J(("宮城県",), "", "東北経済産業局", "管轄"),)


@pytest.mark.parametrize("question, reasons", [
    ("特許 北陸", (J(("富山県", "石川県"), "", "中部経済産業局", "管轄"), J(("福井県",), "", "近畿経済産業局", "管轄"))),
    ("特許 東北", ()),
    ("東海で特許の相談", (J(("愛知県", "岐阜県", "三重県"), "", "中部経済産業局", "管轄"),  # most first
                   J(("静岡県",), "", "関東経済産業局", "管轄"))),
    ("中部で中小機構の相談", (J(("岐阜県", "静岡県", "愛知県"), "", "中小機構 中部本部", "担当地域"),)),  # the region's own office
])
def test_a_region_split_between_offices_says_which_prefectures_each_serves(chat, conversation, question, reasons):
    """北陸 is served by two 経済産業局: each one's prefectures are named; a region one office serves needs no line."""
    assert chat.reply(conversation, question).reasons == reasons


def test_long_input_is_cut_and_still_answered(chat, conversation):
    """20,000 characters are cut to a sane length; the answer says so and still finds the office."""
    answer = chat.reply(conversation, "二重ローン 宮城 " + "あ" * 20_000)
    assert answer.truncated
    assert "fukko-sodan-miyagi" in ids(answer)


def test_a_region_for_prefectural_offices_asks_which_of_its_prefectures(chat, conversation):
    """九州 with 事業承継 asks among the seven 九州 prefectures; 九州 with 特許 answers with the bureau."""
    answer = chat.reply(conversation, "事業承継 九州")
    assert answer.kind == A.CLARIFY
    assert [c.label for c in answer.choices] == ["福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県"]
    assert ids(chat.reply(conversation, "熊本")) == ["hikitsugi-kumamoto"]
    assert "meti-kyushu-10" in ids(chat.reply(conversation + ":2", "九州で特許"))


def test_smaller_regions_narrow_the_choice(chat, conversation):
    """北関東 offers its three prefectures, not the whole of 関東."""
    answer = chat.reply(conversation, "北関東 組合")
    assert answer.kind == A.CLARIFY
    assert [c.label for c in answer.choices] == ["茨城県", "栃木県", "群馬県"]


def test_a_note_printed_twice_in_other_words_is_said_once(chat, conversation):
    """Two fund tables print ※…行っていません and ※…行っておりません: the reply says it once."""
    answer = chat.reply(conversation, "応援ファンド 岩手")
    assert len(answer.contacts) == 2
    assert sum(n.startswith("※現在新規のファンド組成") for n in answer.notes) == 1


def test_an_address_is_said_not_to_be_in_the_list(chat, conversation):
    """「住所は？」 after an answer: the list has no addresses, so the reply says so and gives the office again."""
    chat.reply(conversation, "福岡の再生支援協議会")
    answer = chat.reply(conversation, "住所は？")
    assert ids(answer) == ["saisei-fukuoka"] and answer.missing == Missing(Gap.ADDRESS)


def test_a_details_word_alone_without_a_previous_answer_is_not_answered(chat, conversation):
    """「電話番号は？」 as the first message has nothing to refer to: an honest fallback."""
    assert chat.reply(conversation, "電話番号は？").kind == A.FALLBACK


@pytest.mark.parametrize("question, first", [("京都市の中小企業支援", "city-support-kyoto"), ("千葉市の支援センター", "city-support-chiba"),
                                             ("神戸市の支援財団", "city-support-kobe")])
def test_a_citys_own_centre_comes_first(chat, conversation, question, first):
    """In a city with its own 支援センター, that centre is listed before the prefecture's."""
    assert ids(chat.reply(conversation, question))[0] == first


@pytest.mark.parametrize("reply", ["わからない", "全国", "20"])
def test_a_reply_that_is_not_understood_asks_again_with_the_same_choices(chat, conversation, reply):
    """「わからない」 to 「どちらの都道府県ですか？」 says the prefecture was not understood and asks again."""
    first = chat.reply(conversation, "特許")
    again = chat.reply(conversation, reply)
    assert again.kind == A.CLARIFY and again.choices == first.choices and again.missing == Missing(Gap.PLACE_NOT_READ)
    assert ids(chat.reply(conversation, "名古屋")) == ["meti-chubu-10"]  # the question is still open


def test_a_division_name_the_prefecture_does_not_have_offers_what_it_has(chat, conversation):
    """「鹿児島県の商工政策課」: no office of that name in 鹿児島; the reply says so and asks which office."""
    answer = chat.reply(conversation, "鹿児島県の商工政策課")
    assert answer.kind == A.CLARIFY and answer.missing == Missing(Gap.NAME_NOT_HERE) and answer.choices
    assert answer.place.prefectures == ("鹿児島",) and answer.asks == Ask.CATEGORY


@pytest.mark.parametrize("question, first", [("宮城で事業承継と資金繰りの相談", "hikitsugi-miyagi"),
                                             ("大阪の組合と再生支援", "chuokai-osaka")])
def test_with_two_topics_the_first_asked_comes_first(chat, conversation, question, first):
    """Offices for the topic named first lead the list."""
    assert ids(chat.reply(conversation, question))[0] == first


@pytest.mark.parametrize("question, expected, typed", [("ジェトル 福岡", "jetro-fukuoka", "ジェトル"),
                                                       ("ジェロト 福岡", "jetro-fukuoka", "ジェロト"),
                                                       ("ファンンド 高知", "fund-startup-kochi", "ファンンド"),
                                                       # one wrong kanji of another sound: Sudachi splits the non-word
                                                       ("事業承経 宮城", "hikitsugi-miyagi", "事業承経"),
                                                       ("事業照継 福岡", "hikitsugi-fukuoka", "事業照継"),
                                                       ("経営安定対策宝", "chusho-cho-06", "経営安定対策宝")])
def test_a_word_one_sound_off_is_read_as_the_topic_and_the_reply_says_so(chat, conversation, question, expected, typed):
    """A kana word one sound away from exactly one topic or office name, or a written one with one wrong kanji, is
    read as it, and the reply says how."""
    answer = chat.reply(conversation, question)
    assert expected in ids(answer) and answer.corrections and answer.corrections[0][0] == typed


@pytest.mark.parametrize("question", ["ジェット 福岡", "ラーメン 福岡", "アルバイト 大阪",
                                      "事業承認を受けたい 青森"])  # 承認 is a real word, not a slip for 承継
def test_words_that_are_not_one_sound_off_are_not_corrected(chat, conversation, question):
    """ジェット is two sounds from ジェトロ: no correction, an honest fallback."""
    answer = chat.reply(conversation, question)
    assert not answer.corrections and answer.kind == A.FALLBACK


def test_every_contact_is_found_by_its_own_name(chat, knowledge):
    """Asking for any of the 605 offices by name gives that office, the same number from another table, or for an
    organization's bare name one of its own offices."""
    from bot.core.index import strip_legal_form

    missed = []
    for i, c in enumerate(knowledge.contacts):
        answer = chat.reply(f"by-name-{i}", strip_legal_form(c.name, knowledge.legal_forms))
        shown_numbers = {p.number for x in answer.contacts for p in x.phones}
        same_org = not (c.department or c.division) and any(x.organization == c.organization for x in answer.contacts)
        if c not in answer.contacts and not ({p.number for p in c.phones} <= shown_numbers) and not same_org:
            missed.append((c.id, [x.id for x in answer.contacts]))
    assert missed == []


@pytest.mark.parametrize("question, expected", [("千葉県 商工労働部 経営支援課", {"pref-sme-chiba", "kakushin-chiba"}),
                                                ("青森県 商工労働部 経営支援課", {"kakushin-aomori"})])
def test_a_division_named_in_full_is_that_prefectures_wherever_it_is_listed(chat, conversation, question, expected):
    """The same division printed in two tables (with two numbers) is shown from both; another prefecture's longer
    name match does not hide the one asked about."""
    assert set(ids(chat.reply(conversation, question))) == expected


def test_no_answer_ever_gives_an_office_of_another_prefecture(chat, knowledge):
    """「<県>で<話題>の相談」 for every prefecture and every topic: each office shown serves that prefecture, unless the
    answer says it offers the same region's instead."""
    wrong = []
    for p in knowledge.prefectures:
        for intent in knowledge.intents:
            if not intent.targets:
                continue
            answer = chat.reply(f"sweep-{p.short}-{intent.id}", f"{p.name}で{intent.keywords[0]}の相談")
            if answer.kind == A.CONTACTS and not answer.nearby:
                wrong += [(p.short, intent.id, c.id) for c in answer.contacts if p.short not in knowledge.prefectures_served(c)]
    assert wrong == []


# (table, what its offices are called in a question (None: any), sentences with {p} for the place)
EVERY_PREFECTURE = [
    ("hikitsugi", None, ["{p}で後継者がいなくて困っています。相談先を教えてください", "{p}で事業を第三者に譲りたい"]),
    ("saisei", None, ["{p}で経営が苦しく、借入金の返済計画を見直したい", "{p}で会社を立て直したい"]),
    ("chuokai", None, ["{p}で同業者と協同組合をつくりたい"]),
    ("support_center", None, ["{p}でこれから起業したいので相談したい", "{p}のよろず支援拠点はどこ"]),
    ("keiei_kakushin", None, ["{p}で経営革新計画の承認を受けたい"]),
    ("pref_sme_division", None, ["{p}の県庁で中小企業を担当している課"]),
    ("meti_bureau", "特許", ["{p}の会社です。商標を登録したい"]),
    ("smrj_new_business", None, ["{p}で地域資源を活用した商品開発をしたい"]),
    ("smrj_consulting", None, ["{p}で専門家を派遣してほしい"]),
]


@pytest.mark.parametrize("table, called, sentences", EVERY_PREFECTURE, ids=[t[0] for t in EVERY_PREFECTURE])
def test_every_prefecture_gets_its_own_office_however_it_is_written(chat, knowledge, table, called, sentences):
    """Each sentence, with the place as 宮城県, 宮城 or みやぎ, answers with that prefecture's own office of the table
    (or the regional office serving it) for all 47 prefectures that have one."""
    missed = []
    for p in knowledge.prefectures:
        own = {c.id for c in knowledge.contacts_in(table) if c.serves.kind != Reach.NATIONWIDE
               and p.short in knowledge.prefectures_served(c) and (called is None or called in c.name)}
        if not own:
            continue
        for sentence in sentences:
            for written in (p.name, p.short, p.kana):
                question = sentence.format(p=written)
                answer = chat.reply(f"every-{question}", question)
                if not own & set(ids(answer)):
                    missed.append((question, ids(answer)))
    assert missed == []


@pytest.mark.parametrize("question, expected", [
    ("中小企業庁の技術・経営革新課", "chusho-cho"),  # not 広島県 経営革新課, though that name matches better
    ("中小企業庁の小規模企業振興課", "chusho-cho"),  # not 和歌山県 企業振興課
])
def test_an_organization_named_in_full_keeps_the_answer_to_its_offices(chat, conversation, question, expected):
    """「中小企業庁の…課」 answers with 中小企業庁's divisions, never another organization's division of a similar name."""
    answer = chat.reply(conversation, question)
    assert answer.contacts and all(c.id.startswith(expected) for c in answer.contacts), ids(answer)


def test_one_office_listed_in_several_tables_with_one_number_is_shown_once(chat, conversation):
    """中小機構 沖縄事務所 is printed in three tables with the same number: the answer shows it once."""
    answer = chat.reply(conversation, "中小機構 沖縄事務所")
    assert [c.name for c in answer.contacts] == ["中小機構 沖縄事務所"]


@pytest.mark.parametrize("question, expected", [
    ("経営革新計画の担当課 青森", ["kakushin-aomori"]),  # 担当課 is the division in charge of the topic asked about
    ("担当課 青森", ["pref-sme-aomori"]),  # …and on its own, the prefecture's SME division
])
def test_the_division_in_charge_is_the_one_of_the_topic_asked_about(chat, conversation, question, expected):
    """「〜の担当課」 names the division in charge of that topic, not the prefecture's SME division as well."""
    assert ids(chat.reply(conversation, question)) == expected


@pytest.mark.parametrize("question, expected", [("商店街の活性化 和歌山", ["national-shotengai"]),
                                                ("商工会に入りたい 鳥取", ["national-shokokai"]),
                                                ("商工会議所 島根", ["national-jcci"]),
                                                ("地域資源を活かしたい 福井", ["shinjigyo-hokuriku-2"])])  # words of the table's title too
def test_a_word_of_one_rows_name_singles_it_out_of_its_table(chat, conversation, question, expected):
    """Among the 全国団体, 商店街 / 商工会 / 商工会議所 each pick the one body whose name says it."""
    assert ids(chat.reply(conversation, question)) == expected


def test_the_name_of_a_table_does_not_single_out_one_of_its_rows(chat, conversation):
    """「政府系金融機関」 lists the lenders: 金融 in the table's name does not pick 日本政策金融公庫 alone."""
    answer = chat.reply(conversation, "政府系金融機関 青森")
    assert {"finance-jfc", "finance-shokochukin"} <= set(ids(answer))


def test_the_word_for_being_in_charge_names_no_division(chat, conversation):
    """「…を担当している課」: 担当 does not pick 電子・情報担当参事官, whose name happens to contain it."""
    answer = chat.reply(conversation, "中国経済産業局で経営革新を担当している課")
    assert "meti-chugoku-08" not in ids(answer)


def test_offices_of_several_prefectures_come_in_the_order_asked(chat, conversation):
    """「福島と山形は？」 lists 福島's office before 山形's, though the source lists 山形 first."""
    answer = ask(chat, conversation, "組合 宮城", "福島と山形は？")
    assert ids(answer) == ["chuokai-fukushima", "chuokai-yamagata"]


def test_the_next_offices_come_on_asking_for_more(chat, conversation):
    """「ほかには？」 after 「ほかに10件あります」 shows the next five, then the last five, then says there are none."""
    first = chat.reply(conversation, "中小企業庁")
    second = chat.reply(conversation, "ほかには？")
    third = chat.reply(conversation, "続きは？")
    assert (len(first.contacts), first.more, len(second.contacts), second.more, len(third.contacts), third.more) == (5, 10, 5, 5, 5, 0)
    assert len({c.id for a in (first, second, third) for c in a.contacts}) == 15  # every division once
    last = chat.reply(conversation, "ほかには？")
    assert last.kind == A.FALLBACK and last.missing == Missing(Gap.NO_MORE)


def test_asking_for_more_with_nothing_before_is_not_understood(chat, conversation):
    """「ほかには？」 as the first message is an ordinary question we cannot answer."""
    answer = chat.reply(conversation, "ほかには？")
    assert answer.kind == A.FALLBACK and not answer.missing


def test_several_numbers_are_each_looked_up_and_an_unknown_one_is_said_so(chat, conversation):
    """「03-3501-1511と03-3501-1669」: 1669 is 取引課's; 1511 is said to be missing, never named as 取引課's."""
    division = number_of("chusho-cho-10")
    answer = chat.reply(conversation, f"03-3501-1511と{division}")
    assert ids(answer) == ["chusho-cho-10"]
    assert answer.number == division and answer.missing == Missing(Gap.NUMBERS, where=("03-3501-1511",))
    both = chat.reply(conversation, f"{division}と{number_of('fukko-sodan-miyagi')}")
    assert ids(both) == ["chusho-cho-10", "fukko-sodan-miyagi"] and both.number == ""


@pytest.mark.parametrize("text", ["すみません、ちょっと聞きたいんですが", "教えてください"])
def test_a_message_that_asks_nothing_yet_gets_an_invitation_to_ask(chat, conversation, text):
    """Only polite words, nothing asked yet: say what the bot does and how to ask, not that nothing was found."""
    assert chat.reply(conversation, text).kind == A.GREETING


@pytest.mark.parametrize("question", [
    "宮城で相談したいのですが、どちらに連絡すればよろしいでしょうか",
    "宮城で経営について相談したいと思っております",
    "宮城で相談に乗ってくれる人を探しています",
    "宮城で経営のことを相談できるとこある？",
    "宮城で相談可能な窓口",
    "宮城で相談できる窓口を教えていただけますか",
    "来週、宮城で相談できますか",  # days, amounts and sizes say nothing about the topic either
    "年商1億円の会社です。宮城で相談",
])
def test_a_vague_consultation_in_polite_or_casual_words_is_still_a_consultation(chat, conversation, question):
    """However politely or casually 「宮城で相談したい」 is put, it gets 宮城's 支援センター, not 「分かりませんでした」."""
    assert ids(chat.reply(conversation, question)) == ["support-miyagi"]


@pytest.mark.parametrize("business", ["飲食店", "美容室", "建設業", "旅館", "ホテル", "農業", "印刷会社", "酒蔵", "介護事業", "保育園"])
def test_the_users_line_of_business_does_not_make_a_vague_question_unknown(chat, conversation, business):
    """「宮城で飲食店を経営しています。相談したい」: the business says who is asking, and 相談 is still a consultation."""
    answer = chat.reply(conversation, f"宮城で{business}を経営しています。相談したい")
    assert ids(answer) == ["support-miyagi"]


@pytest.mark.parametrize("trouble", ["経営が不安です", "将来が心配です", "客が減っています", "人手が足りません", "先行きが見えない",
                                     "コロナの影響で", "物価高で苦しい"])
def test_a_business_in_trouble_asking_for_advice_gets_the_support_centre(chat, conversation, trouble):
    """「宮城の会社です。経営が不安です。相談したい」 and the like are general management consultations."""
    assert ids(chat.reply(conversation, f"宮城の会社です。{trouble}。相談したい")) == ["support-miyagi"]


def test_a_region_named_after_an_office_gets_that_office_alone(chat, conversation):
    """「中部で中小機構の相談」 is 中小機構 中部本部's: no national office is added for the rest of the 中部 region."""
    assert ids(chat.reply(conversation, "中部で中小機構の相談")) == ["smrj-chubu"]


def test_several_topics_are_named_apart(chat, conversation):
    """Two topics in one answer are joined with 、, since their own names already use ・."""
    assert chat.reply(conversation, "特許と輸出の相談 福岡").topic == ("特許・知的財産", "輸出・海外展開（ジェトロ）")


def test_an_organization_whose_own_row_has_no_number_shows_its_divisions_too(chat, conversation):
    """九州経済産業局's own row has no number in the list: the answer adds its first divisions, which do."""
    answer = chat.reply(conversation, "経産局 九州")
    assert ids(answer)[0] == "meti-kyushu-00" and len(answer.contacts) == 5 and all(c.phones for c in answer.contacts[1:])
    assert ids(chat.reply(conversation + "-tohoku", "東北経済産業局")) == ["meti-tohoku-00"]  # one with a 代表 number stays alone


@pytest.mark.parametrize("question, expected", [("高知で海外に商品を売りたい", {"jetro-kochi"}),
                                                ("鳥取で出資してくれるファンド", {"fund-challenge-tottori"})])
def test_plain_words_for_a_topic_do_not_add_a_second_one(chat, conversation, question, expected):
    """Selling abroad is ジェトロ's, not also 販路開拓's; investment funds are not every fund."""
    assert set(ids(chat.reply(conversation, question))) == expected


@pytest.mark.parametrize("question, first", [("商工会議所 全国", "national-jcci"), ("全国の商工会議所", "national-jcci"),
                                             ("中小企業団体中央会 全国", "national-chuokai"),
                                             ("組合の全国組織", "national-chuokai"),
                                             ("全国の商店街の団体", "national-shotengai")])
def test_nationwide_asks_for_the_nationwide_office(chat, conversation, question, first):
    """全国 says where (everywhere): the nationwide office, without asking which prefecture, and it is not a word
    of a name (商工会議所 全国 is 日本商工会議所, not 全国商工会連合会)."""
    answer = chat.reply(conversation, question)
    assert answer.kind == A.CONTACTS and ids(answer)[0] == first


def test_nationwide_answers_which_prefecture_when_the_topic_has_a_nationwide_office(chat, conversation):
    """「全国」 in answer to 「どちらの都道府県ですか？」 gives the nationwide office (中央会 has one; 特許 does not,
    see test_a_reply_that_is_not_understood_asks_again_with_the_same_choices)."""
    assert chat.reply(conversation, "中央会の電話番号").kind == A.CLARIFY
    assert ids(chat.reply(conversation, "全国")) == ["national-chuokai"]


def test_nationwide_is_not_the_place_of_the_last_answer(chat, conversation):
    """「中央会 全国」 right after an answer about 宮城 asks for the nationwide office, not 宮城's."""
    chat.reply(conversation, "二重ローン 宮城")
    answer = chat.reply(conversation, "中央会 全国")
    assert ids(answer) == ["national-chuokai"] and not answer.carried_place


@pytest.mark.parametrize("question, expected", [
    ("仙台と札幌の支援センター", ["city-support-sendai", "support-miyagi", "city-support-sapporo", "support-hokkaido"]),
    ("横浜と川崎で経営相談", ["city-support-yokohama", "city-support-kawasaki", "support-kanagawa"]),
])
def test_every_city_named_gets_its_own_centre(chat, conversation, question, expected):
    """Two cities in one question: each city's own centre, each before its prefecture's, and both named in the reply."""
    answer = chat.reply(conversation, question)
    assert ids(answer) == expected
    assert answer.place.label == "・".join(answer.place.cities) and len(answer.place.cities) == 2


def test_a_url_the_list_does_not_have_is_said_to_be_missing(chat, conversation):
    """「URLは？」 after an office without one says the list has none (and shows its number); where the list has a URL
    nothing is said missing; ホームページ inside a topic (ホームページを作りたい) asks for no URL."""
    chat.reply(conversation, "ファンド 山梨")
    assert chat.reply(conversation, "URLは？").missing == Missing(Gap.URL)
    assert chat.reply(conversation + ":2", "中小企業庁 金融課のURL").missing is None
    assert chat.reply(conversation + ":3", "ホームページを作りたい 大阪").missing is None


def test_a_topic_with_no_regional_office_for_the_place_says_the_nationwide_one_answers(chat, conversation):
    """研究開発 広島: 中国経済産業局 has no 産業技術課 in the list; the reply says so before the nationwide office. Not for
    a topic whose first office is nationwide anyway (下請 → 中小企業庁 取引課)."""
    answer = chat.reply(conversation, "研究開発の支援 広島")
    assert ids(answer) == ["chusho-cho-14"] and answer.missing == Missing(Gap.NO_REGIONAL_OFFICE, subject=("技術・研究開発",))
    assert chat.reply(conversation + ":2", "下請 東京").missing is None


def test_china_alone_with_a_prefectural_topic_asks_which_prefecture_of_the_chugoku_region(chat, conversation):
    """中国で事業承継: 中国地方 (a Japanese business's succession), so the five prefectures of the region are offered;
    中国に輸出したい is the country: every prefecture may ask."""
    answer = chat.reply(conversation, "中国で事業承継")
    assert answer.kind == A.CLARIFY and [c.label for c in answer.choices] == ["鳥取県", "島根県", "岡山県", "広島県", "山口県"]
    assert len(chat.reply(conversation + ":export", "中国に輸出したい").choices) > 5


def test_every_number_of_the_knowledge_is_answered_with_exactly_its_holders(knowledge, chat):
    """Generated over today's knowledge: each phone number typed alone names every office listed with it (a number
    the source prints for several offices names them all), and nothing else."""
    holders: dict[str, set[str]] = {}
    for contact in knowledge.contacts:
        for phone in contact.phones:
            holders.setdefault(phone.number, set()).add(contact.id)
    wrong = {}
    for number, expected in holders.items():
        shown = {c.id for c in chat.reply(f"sweep:{number}", number).contacts}
        if shown != expected:
            wrong[number] = (sorted(expected), sorted(shown))
    assert len(holders) > 100 and not wrong, wrong


WRITTEN_FORMS = [
    lambda n: n.replace("-", ""),  # 0227223858
    lambda n: n.translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),  # full width, as an IME types it
    lambda n: "({}){}-{} はどこ？".format(*n.split("-")),  # (022)722-3858
    lambda n: "+81-" + n[1:],  # the international form
    lambda n: n.replace("-", "."),  # 022.722.3858
]


@pytest.mark.parametrize("form", WRITTEN_FORMS, ids=["digits", "full-width", "brackets", "+81", "dots"])
def test_a_number_written_in_any_common_form_is_found(chat, conversation, form):
    """However the number is written, the office holding it is named."""
    number = number_of("fukko-sodan-miyagi")
    assert ids(chat.reply(conversation, form(number))) == ["fukko-sodan-miyagi"]
