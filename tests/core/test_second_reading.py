"""The second reading: a question no keyword matches, scored against the intents' examples and keywords."""

import pytest


@pytest.fixture(scope="module")
def reading(engine):
    return engine.second_reading


def test_words_used_by_every_intent_or_listed_as_filler_weigh_nothing(reading, knowledge):
    for word in reading.filler:
        assert word not in reading.idf or all(word not in bag for bag in reading.bags.values())
    assert all(weight > 0 for weight in reading.idf.values())


@pytest.mark.parametrize("text, intent", [
    ("I'd like to pass my bakery in Nagoya on to a younger employee", "succession"),
    ("We need money to buy a new machine, we're in Sendai", "finance"),
    ("we want to develop new products with local farmers in Miyazaki", "new_business"),
])
def test_a_question_without_keywords_is_read_by_its_words(engine, text, intent):
    q = engine.understander.parse(text)
    assert not q.intents
    read = engine.second_reading.apply(q, engine.memory.valid(None))
    assert read.intents == (intent,)


@pytest.mark.parametrize("text", ["What is the weather in Tokyo?", "家を買いたい 名古屋", "すみません、ちょっと聞きたいんですが",
                                  "宮城の会社です。", "I want to buy a house in Osaka"])
def test_one_shared_word_or_none_is_not_enough(engine, text):
    """聞きたい or buy alone names no topic: the question stays not understood (or small talk)."""
    q = engine.understander.parse(text)
    read = engine.second_reading.apply(q, engine.memory.valid(None))
    assert not read.intents and not read.topic_choices


def test_close_topics_are_offered_as_choices(engine):
    """Two intents whose own words the question has alike: a clarifying question with both, no guess."""
    reading = engine.second_reading
    a, b = [i for i in reading.bags if i in reading.answerable][:2]
    unique = {w for w, weight in reading.idf.items() if weight == max(reading.idf.values())}
    own_a = sorted(reading.bags[a] & unique)[:2]
    own_b = sorted(reading.bags[b] & unique)[:2]
    assert len(own_a) == len(own_b) == 2
    assert set(reading.read(frozenset(own_a + own_b))) == {a, b}
    assert reading.read(frozenset(own_a)) == (a,)


def test_a_reply_to_a_clarifying_question_is_not_read_again(engine, chat, conversation):
    """「宮城です」 after 「どちらの都道府県ですか？」 continues the conversation; the second reading stays out."""
    first = chat.reply(conversation, "事業承継の相談をしたい")
    assert first.kind == "clarify"
    assert [c.id for c in chat.reply(conversation, "宮城です").contacts] == ["hikitsugi-miyagi"]
