"""Conversation state expires after 30 minutes of silence; event ids are remembered for de-duplication; one
conversation's messages are answered one at a time."""


from bot.core import answer as A
from bot.core.conversation import ConversationState, MemoryStore
from bot.slack.dedupe import MemorySeenEvents
from tests.conftest import Chat, assert_no_update_is_lost


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_state_is_kept_within_thirty_minutes_and_forgotten_after():
    """A conversation silent for more than 30 minutes starts afresh."""
    clock = Clock()
    store = MemoryStore(clock=clock)
    store.put("c", ConversationState(prefectures=("宮城",)))
    clock.now += 29 * 60
    assert store.get("c").prefectures == ("宮城",)
    store.put("c", store.get("c"))
    clock.now += 31 * 60
    assert store.get("c") is None


def test_an_event_id_is_new_only_once():
    """The first delivery of an event is new; retries and duplicates are not."""
    store = MemorySeenEvents(clock=Clock())
    assert store.first_time("Ev1") is True
    assert store.first_time("Ev1") is False
    assert store.first_time("Ev2") is True


def test_engine_forgets_a_pending_question_after_the_timeout(engine):
    """「宮城です」 half an hour after 「事業承継の相談をしたい」 no longer answers that question."""
    clock = Clock()
    engine = Chat(engine, MemoryStore(clock=clock))
    assert engine.reply("c", "事業承継の相談をしたい").kind == A.CLARIFY
    clock.now += 31 * 60
    assert engine.reply("c", "宮城です").kind == A.CLARIFY  # asks what about 宮城, not which prefecture


def test_two_quick_messages_of_one_conversation_lose_no_update(engine):
    """Two messages of one thread answered at once by two threads: the second sees the first's state. Without the
    conversation's lock both would read the same state and one update would be lost."""
    store = MemoryStore()
    assert_no_update_is_lost(engine, [store, store], "t")


def test_the_store_is_bounded_by_count_forgetting_the_least_recently_active():
    clock = Clock()
    store = MemoryStore(clock=clock, limit=3)
    for key in "abcd":
        store.put(key, ConversationState(city=key))
        clock.now += 1
    assert len(store) == 3 and store.get("a") is None and store.get("d").city == "d"
    store.put("b", ConversationState(city="b2"))  # b is active again: c is now the oldest
    store.put("e", ConversationState(city="e"))
    assert store.get("c") is None and store.get("b").city == "b2"


def test_expired_conversations_are_dropped_as_new_ones_are_written():
    clock = Clock()
    store = MemoryStore(clock=clock)
    for n in range(100):
        store.put(f"old{n}", ConversationState())
    clock.now += 31 * 60
    store.put("new", ConversationState())
    assert len(store) == 1


def test_seen_event_ids_are_bounded_too():
    clock = Clock()
    seen = MemorySeenEvents(clock=clock, limit=2)
    assert seen.first_time("a") and seen.first_time("b") and seen.first_time("c")
    assert not seen.first_time("c") and seen.first_time("a")  # a was forgotten: beyond the limit
