"""The layouts that are easy to get wrong come out right: parallel rows, two columns, sub-rows, shared numbers."""

import pytest


@pytest.fixture
def knowledge(imported):
    """The tables as imported (tests/fixtures/imported), not today's edited ones."""
    return imported



def numbers(contact):
    return [p.number for p in contact.phones]


@pytest.mark.parametrize(
    "contact_id, division, number",
    [
        # 関東: seven names, then seven numbers
        ("meti-kanto-02", "中小企業金融課", "048-600-0425"),
        ("meti-kanto-07", "流通・サービス産業課", "048-600-0341"),
        ("meti-kanto-08", "商業振興室", "048-600-0318"),
        ("meti-kanto-12", "特許室", "048-600-0239"),
        ("meti-kanto-14", "情報政策課", "048-600-0281"),
        # 中部: five then nine
        ("meti-chubu-01", "中小企業課／中小企業再生支援室", "052-951-2748"),
        ("meti-chubu-10", "産業技術課／特許室", "052-951-2774"),
        ("meti-chubu-14", "地域振興課", "052-951-2716"),
        # 近畿: six, seven and two
        ("meti-kinki-06", "創業・経営支援課", "06-6966-6014"),
        ("meti-kinki-12", "特許室", "06-6966-6016"),
        ("meti-kinki-14", "国際課", "06-6966-6031"),
        ("meti-kinki-15", "国際事業課", "06-6966-6032"),
        # 中国・四国・九州: two names and two numbers on the first row
        ("meti-chugoku-01", "中小企業課", "082-224-5661"),
        ("meti-chugoku-02", "新事業支援室", "082-224-5658"),
        ("meti-shikoku-02", "新事業促進室", "087-811-8562"),
        ("meti-kyushu-02", "中小企業経営支援室", "092-482-5491"),
        # 北海道・東北: name and number interleaved
        ("meti-hokkaido-04", "産業立地課", "011-736-9625"),
        ("meti-hokkaido-07", "商業振興室", "011-738-3236"),
        ("meti-tohoku-10", "特許室", "022-223-9730"),
    ],
)
def test_bureau_divisions_are_aligned_with_their_numbers(knowledge, contact_id, division, number):
    """In every bureau layout, the k-th division gets the k-th number."""
    contact = knowledge.contact_by_id[contact_id]
    assert (contact.division, numbers(contact)) == (division, [number])


@pytest.mark.parametrize(
    "contact_id, department",
    [
        ("meti-kanto-12", "地域経済部"),
        ("meti-chugoku-01", "産業部"),
        ("meti-chugoku-10", ""),  # 特許室 printed beside 資源エネルギー環境部: shifted column, not recorded
        ("meti-shikoku-09", ""),
        ("meti-kyushu-10", ""),
        ("meti-okinawa-04", "経済産業部"),
    ],
)
def test_departments_are_recorded_only_where_certain(knowledge, contact_id, department):
    """The shifted 部 column of 中国・四国・九州 is not copied onto divisions."""
    assert knowledge.contact_by_id[contact_id].department == department


def test_bureau_main_numbers_keep_the_daihyo_label(knowledge):
    """The bureau rows keep (代); 中部 and 九州 print no main number, only a URL."""
    kanto = knowledge.contact_by_id["meti-kanto-00"]
    assert [(p.number, p.kind) for p in kanto.phones] == [("048-601-1200", "代表")]
    assert knowledge.contact_by_id["meti-chubu-00"].phones == ()
    assert knowledge.contact_by_id["meti-kyushu-00"].url == "http://www.kyushu.meti.go.jp/"


@pytest.mark.parametrize(
    "contact_id, expected",
    [
        ("fund-challenge-aomori", [("本社", "075-257-6656"), ("青森事務所", "017-731-3040")]),
        ("fukko-center-morioka", [("", "090-4097-6989"), ("", "090-5219-5527")]),
        ("finance-jfc", [("事業資金相談ダイヤル", "0120-154-505")]),
    ],
)
def test_rows_with_two_numbers_or_a_label_keep_both(knowledge, contact_id, expected):
    """Two numbers on one row stay on that contact, each with its label."""
    assert [(p.label, p.number) for p in knowledge.contact_by_id[contact_id].phones] == expected


@pytest.mark.parametrize(
    "contact_id, organization, prefecture, number",
    [
        ("jetro-honbu", "ジェトロ本部(東京)", "東京", "03-3582-5511"),
        ("jetro-nagoya", "ジェトロ名古屋", "愛知", "052-211-4517"),
        ("jetro-suwa", "ジェトロ長野 諏訪支所", "長野", "0266-52-3442"),
        ("jetro-gifu", "ジェトロ岐阜", "岐阜", "058-271-4910"),
        ("jetro-kagoshima", "ジェトロ鹿児島", "鹿児島", "099-226-9156"),
        ("jetro-kitakyushu", "ジェトロ北九州", "福岡", "093-541-6577"),
        ("jetro-okinawa", "ジェトロ沖縄", "沖縄", "098-859-7002"),
    ],
)
def test_jetro_two_columns_are_read_as_two_lists(knowledge, contact_id, organization, prefecture, number):
    """Both columns of the JETRO table keep name, prefecture and number together."""
    c = knowledge.contact_by_id[contact_id]
    assert (c.organization, knowledge.prefecture_of(c), numbers(c)) == (organization, prefecture, [number])


@pytest.mark.parametrize(
    "sub_row, main_row, number",
    [
        ("fund-startup-mie-2", "fund-startup-mie-1", "059-228-3321"),
        ("fund-startup-tokushima-2", "fund-startup-tokushima-1", "088-654-0101"),
        ("fund-startup-ehime-2", "fund-startup-ehime-1", "089-960-1100"),
        ("consult-kinki-2", "consult-kinki-1", "06-6910-3866"),
    ],
)
def test_sub_rows_share_the_merged_cells_of_their_main_row(knowledge, sub_row, main_row, number):
    """A ② row answers with the number printed once for ① and ②, without counting it twice."""
    sub, main = knowledge.contact_by_id[sub_row], knowledge.contact_by_id[main_row]
    assert numbers(sub) == numbers(main) == [number]
    assert sub.inherited_phones and not main.inherited_phones
    assert sub.organization != main.organization or sub.division != main.division


@pytest.mark.parametrize(
    "contact_id, division, number, notes",
    [
        ("shinjigyo-chubu-1", "連携推進課", "052-201-3068", "新連携・農商工"),
        ("shinjigyo-chubu-2", "", "052-218-8558", "地域資源"),
        ("shinjigyo-hokuriku-2", "地域資源活用推進課", "076-223-5855", "地域資源"),
        ("shinjigyo-hokuriku-3", "連携支援課", "076-223-5573", "農商工"),
        ("shinjigyo-kyushu-1", "新連携推進課", "092-263-0325", "新連携"),
        ("shinjigyo-kyushu-2", "地域資源活用推進課", "092-263-0323", "地域資源・農商工"),
    ],
)
def test_new_business_sub_rows_keep_their_own_programme(knowledge, contact_id, division, number, notes):
    """中部・北陸・九州 split the three programmes across rows; each keeps its own number."""
    c = knowledge.contact_by_id[contact_id]
    assert (c.division, numbers(c)) == (division, [number])
    assert c.notes.endswith(notes)


@pytest.mark.parametrize(
    "number, contact_ids",
    [
        ("0120-154-505", {"finance-jfc", "finance-shokochukin"}),
        ("022-225-6636", {"support-miyagi", "hikitsugi-miyagi", "fund-startup-miyagi"}),
        ("098-859-7566", {"smrj-okinawa", "shinjigyo-okinawa", "consult-okinawa"}),
        ("011-738-3236", {"meti-hokkaido-06", "meti-hokkaido-07"}),
    ],
)
def test_numbers_printed_for_several_entries_stay_on_each(knowledge, number, contact_ids):
    """A number shared by several entries is found on every one of them."""
    holders = {c.id for c in knowledge.contacts if number in numbers(c) and not c.inherited_phones}
    assert holders == contact_ids


def test_operators_and_notes_are_kept(knowledge):
    """設置主体 / 運営管理者, 受付時間 and ※ notes survive the import."""
    assert knowledge.contact_by_id["saisei-oita"].operator == "大分県商工会連合会"
    assert knowledge.contact_by_id["fund-challenge-chiba"].operator == "ちばぎんキャピタル(株)"
    assert "平日午前9時～午後5時" in knowledge.contact_by_id["hotline"].notes
    assert knowledge.category_by_id["fund_startup"].note == "※現在新規のファンド組成は行っていません。"
    assert "最寄りの保証協会" in knowledge.contact_by_id["finance-zenshinhoren"].notes


def test_every_prefecture_has_each_prefectural_office(knowledge):
    """The six 47-row tables have exactly one contact per prefecture."""
    for category in ("pref_sme_division", "keiei_kakushin", "support_center", "saisei", "hikitsugi", "chuokai"):
        prefs = [knowledge.prefecture_of(c) for c in knowledge.contacts_in(category)]
        assert sorted(prefs) == sorted(p.short for p in knowledge.prefectures), category


@pytest.mark.parametrize("prefecture, meti, smrj", [("宮城", "東北", "東北"), ("静岡", "関東", "中部"), ("福井", "近畿", "北陸"), ("沖縄", "沖縄", "沖縄")])
def test_each_prefecture_resolves_to_its_regional_offices(knowledge, prefecture, meti, smrj):
    """Jurisdiction data maps a prefecture to its 経済産業局 and 中小機構 地域本部."""
    assert knowledge.area_covering("経済産業局", prefecture).short == meti
    assert knowledge.area_covering("中小機構", prefecture).short == smrj


def test_support_centers_are_matched_to_the_right_prefecture(knowledge):
    """The support-centre table lists 千葉 before 埼玉; names without a prefecture still map correctly."""
    assert knowledge.prefecture_of(knowledge.contact_by_id["support-chiba"]) == "千葉"
    assert knowledge.contact_by_id["support-chiba"].phones[0].number == "043-299-2901"
    assert knowledge.contact_by_id["support-saitama"].phones[0].number == "048-647-4101"
    assert knowledge.contact_by_id["support-kumamoto"].organization == "(財)くまもとテクノ産業財団"
