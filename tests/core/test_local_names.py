"""Places named without the prefecture (reference/local_names.csv), swept over the knowledge: an old province or a
regional name of one prefecture is answered as that prefecture, in kanji and in kana; one that spans several asks
which, offering exactly those."""

import pytest

from tests.conftest import _knowledge_now

TOPICS = ["事業承継の相談", "ジェトロ", "組合を作りたい", "特許の相談"]
KNOWLEDGE = _knowledge_now()
ONE = [n for n in KNOWLEDGE.local_names if len(n.prefectures) == 1]
SEVERAL = [n for n in KNOWLEDGE.local_names if len(n.prefectures) > 1]


def ids(answer):
    return [c.id for c in answer.contacts]


@pytest.mark.parametrize("name", ONE, ids=[n.name for n in ONE])
def test_a_name_of_one_prefecture_is_answered_as_that_prefecture(chat, name):
    prefecture = KNOWLEDGE.prefecture_by_short[name.prefectures[0]].name
    for topic in TOPICS:
        expected = chat.reply(f"pref:{name.name}:{topic}", f"{prefecture}で{topic}")
        forms = [name.name] + ([name.kana + " "] if len(name.kana) >= 3 else [])
        for form in forms:
            answer = chat.reply(f"local:{form}:{topic}", f"{form}で{topic}")
            assert (answer.kind, ids(answer)) == (expected.kind, ids(expected)), (form, topic)


@pytest.mark.parametrize("name", SEVERAL, ids=[n.name for n in SEVERAL])
def test_a_name_of_several_prefectures_asks_which(chat, name):
    answer = chat.reply(f"local:{name.name}", f"{name.name}で事業承継の相談")
    assert answer.kind == "clarify"
    assert sorted(c.value.partition(":")[2] for c in answer.choices) == sorted(name.prefectures)
