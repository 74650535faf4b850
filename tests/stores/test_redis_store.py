"""Shared state on a real Redis server: conversations across replicas (versioned JSON, 30-minute expiry, one message
at a time per conversation), seen event ids and shares across replicas, and answering on through an outage."""

import json
import logging

import pytest

from bot.core import answer as A
from bot.core.conversation import ConversationState
from bot.core.answer import Choice
from bot.stores import state_format
from bot.stores.redis_store import Redis, RedisSeenEvents, RedisShares, RedisStateStore
from tests.conftest import Chat, assert_no_update_is_lost

STATE = ConversationState(intents=("succession",), prefectures=("宮城",), pending="prefecture",
                          choices=(Choice("宮城県", "prefecture:宮城"),), shown=("a", "b"), rest=("c",))


def test_state_round_trips_as_versioned_json_and_expires_after_thirty_minutes(shared):
    store = RedisStateStore(shared)
    store.put("T1:C1:1.0", STATE)
    assert store.get("T1:C1:1.0") == STATE
    assert 0 < shared.client.ttl("madoguchi:state:T1:C1:1.0") <= 30 * 60
    assert store.get("T1:C1:other") is None


@pytest.mark.parametrize("written", [
    '{"v":1,"intents":["succession"],"prefectures":["宮城"],"city":"","region":"","area":"","pending":"prefecture",'
    '"choices":[{"label":"宮城県","value":"prefecture:宮城"}],"shown":["a","b"],"rest":["c"]}',  # as version 1 writes
    '{"v":2,"intents":["succession"],"prefectures":["宮城"],"pending":"prefecture","choices":[{"label":"宮城県",'
    '"value":"prefecture:宮城"}],"shown":["a","b"],"rest":["c"],"language":"ja"}',  # a newer writer, an extra field
])
def test_state_written_by_another_version_is_read(written):
    assert state_format.loads(written) == STATE


def test_unreadable_state_is_dropped_with_a_log_line(shared, caplog):
    shared.client.set("madoguchi:state:T1:C1:9", b"\xff not json")
    with caplog.at_level(logging.WARNING, logger="madoguchi.redis"):
        assert RedisStateStore(shared).get("T1:C1:9") is None
    assert "unreadable" in caplog.text and shared.client.get("madoguchi:state:T1:C1:9") is None


def test_two_replicas_answer_one_thread_at_once_and_lose_no_update(redis_server, engine):
    """Two messages of one thread at two replicas (two clients) at the same moment: the lock makes them take turns,
    so the second sees the first's answer."""
    replicas = [RedisStateStore(Redis(redis_server.url)) for _ in range(2)]
    replicas[0].shared.client.flushdb()
    assert_no_update_is_lost(engine, replicas, "T1:C1:5.0")


def test_an_event_is_first_seen_once_across_replicas(redis_server):
    one, two = (RedisSeenEvents(Redis(redis_server.url)) for _ in range(2))
    assert one.first_time("event:EvX") is True
    assert two.first_time("event:EvX") is False and one.first_time("event:EvX") is False


def test_a_share_made_at_one_replica_is_shared_once_from_another(redis_server):
    one, two = (RedisShares(Redis(redis_server.url)) for _ in range(2))
    share_id = one.put({"text": "答え", "blocks": []})
    assert two.take(share_id, "U1") == {"text": "答え", "blocks": []}
    assert one.take(share_id, "U1") is None and two.take(share_id, "U2") is not None


def test_an_outage_answers_on_logs_once_and_recovers_by_itself(redis_server, engine, caplog):
    now = [0.0]
    shared = Redis(redis_server.url, clock=lambda: now[0])
    chat = Chat(engine, RedisStateStore(shared))
    seen = RedisSeenEvents(shared)
    with caplog.at_level(logging.WARNING, logger="madoguchi.redis"):
        redis_server.stop()
        try:
            for n in range(5):
                assert chat.reply(f"T1:C1:{n}", "二重ローン 宮城").kind == A.CONTACTS  # answered, without context
                now[0] += 1
            assert seen.first_time("event:EvOut") is True and seen.first_time("event:EvOut") is False  # local memory
        finally:
            redis_server.start()
        now[0] += 10
        chat.reply("T1:C1:back", "事業承継の相談をしたい")
        assert chat.store.get("T1:C1:back").pending == "prefecture"
    messages = [r.getMessage() for r in caplog.records]
    assert sum(m.startswith("Redis failed") for m in messages) == 1, messages
    assert sum(m.startswith("Redis works again") for m in messages) == 1, messages


def test_shares_in_redis_are_capped_the_oldest_going_first(redis_server):
    """At most `limit` shares are kept in Redis (a flood of /madoguchi cannot fill it), compressed."""
    shares = RedisShares(Redis(redis_server.url), limit=3)
    shares.shared.client.flushdb()
    ids = [shares.put({"text": f"答え{n}", "blocks": [{"type": "section"}] * 20}) for n in range(5)]
    client = shares.shared.client
    assert client.zcard("madoguchi:shares") == 3
    assert [shares.take(i, "U1") for i in ids[:2]] == [None, None]
    assert [shares.take(i, "U1")["text"] for i in ids[2:]] == ["答え2", "答え3", "答え4"]
    assert len(client.get(f"madoguchi:share:{ids[4]}")) < len(json.dumps({"blocks": [{"type": "section"}] * 20}))
