"""Conversation state expires after 30 minutes of silence; event ids are remembered for de-duplication."""

from bot.core.conversation import ConversationState, MemoryStore
from bot.core.engine import Engine
from bot.core import answer as A


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
    store = MemoryStore(clock=Clock())
    assert store.first_time("Ev1") is True
    assert store.first_time("Ev1") is False
    assert store.first_time("Ev2") is True


def test_engine_forgets_a_pending_question_after_the_timeout(knowledge, tokenizer):
    """「宮城です」 half an hour after 「事業承継の相談をしたい」 no longer answers that question."""
    clock = Clock()
    engine = Engine(knowledge, tokenizer, store=MemoryStore(clock=clock))
    assert engine.reply("c", "事業承継の相談をしたい").kind == A.CLARIFY
    clock.now += 31 * 60
    assert engine.reply("c", "宮城です").kind == A.CLARIFY  # asks what about 宮城, not which prefecture
