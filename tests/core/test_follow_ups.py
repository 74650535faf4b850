"""Follow-ups that correct, add or change the level, swept over cues × conversation states: a correction gives what
the corrected question gives asked directly; an addition gives the last answer's offices and the new ones."""

import itertools

import pytest

from bot.knowledge.model import Reach

PLACES = [("宮城", "岩手"), ("大阪", "兵庫"), ("福岡", "熊本")]
TOPICS = [("事業承継", "組合"), ("ジェトロ", "特許"), ("事業再生", "経営革新計画")]
PLACE_CORRECTIONS = ["いや、{b}でした", "{a}じゃなくて{b}です", "{a}ではなく{b}", "やっぱり{b}で", "いや{b}"]
TOPIC_CORRECTIONS = ["{a}じゃなくて{b}です", "やっぱり{b}のほうで", "{a}ではなく{b}の相談", "いや、{b}でした"]


def ids(answer):
    return [c.id for c in answer.contacts]


def direct(chat, text):
    return ids(chat.reply(f"direct:{text}", text))


# (first question, cue, the question the correction amounts to): a place corrected keeps the topic, a topic the place
CORRECTIONS = [(f"{a}で{topic}", cue.format(a=a, b=b), f"{b}で{topic}")
               for cue, (a, b), (topic, _) in itertools.product(PLACE_CORRECTIONS, PLACES, TOPICS)] + \
              [(f"{place}で{a}", cue.format(a=a, b=b), f"{place}で{b}")
               for cue, (a, b), (place, _) in itertools.product(TOPIC_CORRECTIONS, TOPICS, PLACES)]


@pytest.mark.parametrize("first, correction, meant", CORRECTIONS)
def test_a_correction_replaces_what_it_names_and_keeps_the_rest(chat, first, correction, meant):
    conversation = f"correct:{first}:{correction}"
    chat.reply(conversation, first)
    assert ids(chat.reply(conversation, correction)) == direct(chat, meant)


@pytest.mark.parametrize("cue", ["{b}も", "{b}もお願いします", "それと{b}は？"])
@pytest.mark.parametrize("places", PLACES)
def test_another_place_with_mo_is_added_to_the_last_answer(chat, cue, places):
    a, b = places
    conversation = f"add:{cue}:{a}"
    chat.reply(conversation, f"{a}で事業承継")
    added = chat.reply(conversation, cue.format(b=b))
    assert ids(added) == direct(chat, f"{a}で事業承継") + direct(chat, f"{b}で事業承継")
    assert added.place.prefectures == (a, b)


@pytest.mark.parametrize("topics", TOPICS)
def test_another_topic_with_mo_is_added_to_the_last_answer(chat, topics):
    a, b = topics
    conversation = f"add-topic:{a}"
    chat.reply(conversation, f"宮城で{a}")
    added = chat.reply(conversation, f"{b}も")
    expected = list(dict.fromkeys(direct(chat, f"宮城で{a}") + direct(chat, f"宮城で{b}")))
    assert ids(added)[:len(expected)] == expected[:len(ids(added))]
    assert len(added.topic) == 2


@pytest.mark.parametrize("topic", ["中央会", "商工会議所", "資金繰りの相談"])
def test_the_nationwide_office_is_added_with_zenkoku_mo(chat, topic, knowledge):
    conversation = f"nationwide:{topic}"
    first = chat.reply(conversation, f"宮城の{topic}")
    both = chat.reply(conversation, "全国の窓口も教えて")
    assert ids(both)[:len(first.contacts)] == ids(first)
    assert any(c.serves.kind == Reach.NATIONWIDE for c in both.contacts)


@pytest.mark.parametrize("topic, division", [("事業承継", "財務課"), ("資金繰り", "金融課"), ("下請け", "取引課")])
def test_the_national_level_is_the_division_in_charge_of_the_topic(chat, topic, division):
    """「国の担当課は？」 after a topic: the 中小企業庁 division in charge of it (division_topics.toml)."""
    conversation = f"level:{topic}"
    chat.reply(conversation, f"宮城で{topic}")
    answer = chat.reply(conversation, "国の担当課は？")
    assert [c.division for c in answer.contacts] == [division]


def test_the_prefectural_level_keeps_the_place(chat):
    conversation = "level:pref"
    chat.reply(conversation, "宮城で事業承継")
    assert ids(chat.reply(conversation, "県の担当は？")) == direct(chat, "宮城県の中小企業担当課")


def test_an_office_taken_back_is_replaced_by_the_kind_asked_for(chat):
    """「公庫じゃなくて県の担当のほう」: the office is taken back, the place is kept, the level is the prefecture's."""
    conversation = "takeback"
    chat.reply(conversation, "日本政策金融公庫 宮城")
    assert ids(chat.reply(conversation, "公庫じゃなくて県の担当のほう")) == direct(chat, "宮城県の中小企業担当課")
