"""Fault injection: the Web API hangs, fails, rate-limits or drops connections; bodies are hostile; clients idle.
Each case reproduces what once went wrong; the bot keeps answering, never twice, and never costs much for nothing."""

import json
import logging
import socket
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.slack.blocks import ACTION_CHOICE_SELECT, ACTION_SHARE, encode_choice
from tests.fakes.fake_slack import TEAM_ID
from tests.slack.conftest import dm, mention, running_bot
from tests.conftest import number_of

ACK_BUDGET = 3.0  # Slack's: a command or a click not acknowledged within 3 seconds fails for the user


def share_button(body: str) -> dict:
    return next(e for b in json.loads(body)["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == ACTION_SHARE)


def test_commands_and_clicks_are_acknowledged_in_time_while_events_wait_on_a_hanging_web_api(http_bot):
    """Every Web API call hangs while events flood in (far more than the answer pool takes): every /madoguchi and
    every click is still acknowledged within 3 seconds."""
    http_bot.slack.fault("*", "hang", 60)
    http_bot.slack.fault("response_url", "hang", 60)
    with ThreadPoolExecutor(16) as senders:
        flood = [senders.submit(http_bot.event, dm("二重ローン 宮城", channel=f"D{n}")) for n in range(400)]
        late = []
        for n in range(10):
            started = time.monotonic()
            status, body = http_bot.command("ジェトロ福岡")
            late.append((status, time.monotonic() - started, "092-" in body))
            started = time.monotonic()
            status, _ = http_bot.click({"type": "static_select", "action_id": ACTION_CHOICE_SELECT, "selected_option": {
                "text": {"type": "plain_text", "text": "高知県"}, "value": encode_choice(f"{TEAM_ID}:D1", "prefecture:高知")}})
            late.append((status, time.monotonic() - started, True))
        statuses = [f.result()[0] for f in flood]
    assert all(status == 200 and seconds < ACK_BUDGET and answered for status, seconds, answered in late), late
    # events beyond what the answer and busy pools hold are refused for Slack to send again, never acknowledged and
    # dropped (back-pressure)
    from bot.slack.services import ANSWER_QUEUE, ANSWER_THREADS, BUSY_QUEUE, BUSY_THREADS

    room = ANSWER_THREADS + ANSWER_QUEUE + BUSY_THREADS + BUSY_QUEUE
    assert set(statuses) <= {200, 503} and statuses.count(200) == min(room, len(statuses)), statuses


def test_a_post_whose_connection_drops_after_sending_is_not_posted_again(bot):
    """The Web API reads the post and closes the connection: the outcome is unknown, so no second post and no
    apology (Slack may have posted it)."""
    bot.slack.fault("chat.postMessage", "close")
    bot.event(dm("二重ローン 宮城"))
    assert bot.slack.wait_until(lambda c: c.method == "chat.postMessage:closed")
    bot.slack.heal()
    bot.settle()
    assert len(bot.slack.sent("chat.postMessage:closed")) == 1 and bot.posts() == []


def test_a_post_answered_after_the_clients_timeout_gets_no_apology(slack, knowledge, tokenizer, index, monkeypatch):
    """Slack accepts the post but answers later than the client waits: one answer, no apology after it."""
    import bot.slack.client as client_module

    monkeypatch.setattr(client_module, "WEB_API_TIMEOUT", 1)
    with running_bot(slack, knowledge, tokenizer, index) as bot:
        slack.fault("chat.postMessage", "slow", 2)
        bot.event(dm("二重ローン 宮城"))
        assert slack.wait_until(lambda c: c.method == "chat.postMessage")
        time.sleep(0)  # the client times out meanwhile; nothing is to follow
        slack.heal()
        bot.settle()
    texts = [c.params["text"] for c in bot.posts()]
    assert len(texts) == 1 and number_of("fukko-sodan-miyagi") in texts[0]


def test_a_long_retry_after_is_not_waited_for(bot, caplog):
    """A 429 asking to wait a minute is not retried (the answer would be stale); it is logged, nothing hangs."""
    bot.slack.fault("chat.postMessage", "429", 60)
    with caplog.at_level(logging.ERROR):
        bot.event(dm("二重ローン 宮城"))
        assert bot.slack.wait_until(lambda c: c.method == "chat.postMessage:429")
        bot.slack.heal()
        bot.settle()
    assert len(bot.slack.sent("chat.postMessage:429")) == 1 and bot.posts() == []
    assert any("did not post" in r.getMessage() for r in caplog.records)


def test_a_server_error_on_a_post_is_not_retried(bot):
    """A 500 after the post was sent leaves its outcome unknown to us: never posted twice."""
    bot.slack.fault("chat.postMessage", "500")
    bot.event(dm("二重ローン 宮城"))
    assert bot.slack.wait_until(lambda c: c.method == "chat.postMessage:500")
    bot.slack.heal()
    bot.settle()
    assert len(bot.slack.sent("chat.postMessage:500")) == 1


def test_a_full_answer_pool_answers_busy_instead_of_late(slack, knowledge, tokenizer, index):
    """Beyond the bounded queue, a short 「混み合っています」 rather than a reply minutes later."""
    from bot.slack.services import SlackServices
    from bot.slack.workers import Workers

    def small(runtime, settings):
        return SlackServices(runtime, settings, workers=Workers(1, 1, "answer"))

    with running_bot(slack, knowledge, tokenizer, index, services=small) as bot:
        slack.fault("chat.postMessage", "slow", 1)
        for n in range(5):
            bot.event(dm("二重ローン 宮城", channel=f"D{n}"))
        assert slack.wait_until(lambda c: "混み合っています" in c.params.get("text", ""), timeout=20)
        slack.heal()


def test_every_acknowledged_event_gets_an_answer_or_the_busy_note_and_a_refused_one_comes_back(slack, knowledge,
                                                                                                 tokenizer, index):
    """With no room left on the answer pool nor on the busy pool, an event is refused (503) — never acknowledged and
    dropped, as 52 of 100,200 once were — and Slack's retry of it, once there is room, is answered (its id was
    forgotten, so the retry is not taken for a duplicate)."""
    from bot.slack.services import SlackServices
    from bot.slack.workers import Workers

    def tiny(runtime, settings):
        return SlackServices(runtime, settings, workers=Workers(1, 1, "answer"), busy=Workers(1, 1, "busy"))

    with running_bot(slack, knowledge, tokenizer, index, services=tiny, over_http=False) as bot:
        slack.fault("chat.postMessage", "hang", 30)
        statuses = [bot.event(dm("二重ローン 宮城", channel=f"D{n}"), event_id=f"EvP{n}")[0] for n in range(6)]
        assert statuses == [200, 200, 200, 200, 503, 503]  # two on the answer pool, two busy notes, two refused
        slack.heal()
        assert all(pool.drain(10) for pool in bot.services.pools)
        retried = bot.event(dm("二重ローン 宮城", channel="D5"), event_id="EvP5",
                            headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"})
        assert retried[0] == 200
        assert slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("channel") == "D5"
                                and "宮城県産業復興相談センター" in c.params.get("text", ""))
        posted = {c.params["channel"] for c in slack.sent("chat.postMessage")}
        assert {"D0", "D1", "D2", "D3"} <= posted and "D4" not in posted  # every acknowledged one got a reply


@pytest.mark.parametrize("size", [10 * 1024 * 1024])
def test_a_huge_unsigned_body_is_refused_unread_and_unlogged(http_bot, caplog, size):
    """50 unsigned 10 MB posts once wrote half a gigabyte of log: now each is refused (413) before it is read."""
    marker = "users-private-text"
    body = (marker + "x" * size).encode()
    with caplog.at_level(logging.DEBUG):
        for _ in range(5):
            request = urllib.request.Request(http_bot.url + "/slack/events", data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            assert refused.value.code == 413
    assert marker not in caplog.text


def test_a_bad_signature_is_refused_before_parsing_and_the_body_is_never_logged(http_bot, caplog):
    marker = "secret-question-text"
    event = json.dumps({"type": "event_callback", "event_id": "EvBad", "team_id": TEAM_ID, "event": mention(marker)})
    with caplog.at_level(logging.DEBUG):
        assert http_bot.post(event, secret="rotated-secret")[0] == 401
        assert http_bot.post("{not json", content_type="application/json")[0] == 400  # signed, but malformed
        assert http_bot.post("payload=%7Bbroken", content_type="application/x-www-form-urlencoded")[0] == 400
    assert marker not in caplog.text and "{not json" not in caplog.text


@pytest.mark.parametrize("headers", [
    {},  # no signature headers at all
    {"X-Slack-Signature": "v0=00"},  # a signature without a timestamp
    {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": "v0=00"},
    {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
    {"X-Slack-Request-Timestamp": "1.5", "X-Slack-Signature": "v0=00"},
    {"X-Slack-Request-Timestamp": "9" * 400, "X-Slack-Signature": "v0=00"},
    {"X-Slack-Request-Timestamp": "-1", "X-Slack-Signature": ""},
    {"X-Slack-Request-Timestamp": "NOW", "X-Slack-Signature": "not-v0"},  # NOW: a current timestamp
], ids=["none", "no timestamp", "empty timestamp", "letters", "fraction", "huge", "negative", "no v0"])
def test_every_malformed_signature_header_is_a_401_with_one_log_line(http_bot, caplog, headers):
    """A POST without a numeric X-Slack-Request-Timestamp once got 500 and a traceback (slack_sdk's verifier raises
    ValueError on ''): every combination of missing or malformed headers is refused with 401 and one line."""
    headers = {k: str(int(time.time())) if v == "NOW" else v for k, v in headers.items()}
    body = json.dumps({"type": "event_callback", "event_id": "EvU", "team_id": TEAM_ID, "event": mention("宮城")}).encode()
    request = urllib.request.Request(http_bot.url + "/slack/events", data=body, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    with caplog.at_level(logging.INFO), pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    assert [r.getMessage() for r in caplog.records if r.name == "madoguchi.http"] == [
        f"request with a missing or wrong signature refused ({len(body)} bytes)"]


def test_a_signed_body_nested_deeper_than_slack_nests_is_a_400(http_bot, caplog):
    """100,000 nested brackets, signed: a RecursionError traceback once; now 400 like any malformed body."""
    with caplog.at_level(logging.INFO):
        assert http_bot.post("[" * 100_000 + "]" * 100_000)[0] == 400
        assert http_bot.post("payload=" + urllib.parse.quote("[" * 60_000), "application/x-www-form-urlencoded")[0] == 400
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)


def test_idle_connections_do_not_starve_the_health_check_or_events(http_bot):
    """120 idle TCP connections once blocked everything (the limit was 100): now real requests still get through."""
    host, port = urllib.parse.urlsplit(http_bot.url).hostname, urllib.parse.urlsplit(http_bot.url).port
    idle = [socket.create_connection((host, port)) for _ in range(150)]
    try:
        with urllib.request.urlopen(http_bot.url + "/healthz", timeout=5) as r:
            assert r.status == 200
        assert http_bot.event(dm("二重ローン 宮城"))[0] == 200
        assert http_bot.slack.wait_for("chat.postMessage")
    finally:
        for s in idle:
            s.close()


def test_a_crafted_user_id_cannot_broadcast_through_a_share(bot):
    _, body = bot.command("ジェトロ福岡")
    bot.click({"type": "button", "action_id": ACTION_SHARE, "value": share_button(body)["value"]}, user="U1> <!channel")
    bot.settle()
    assert bot.posts() == []


def test_a_crafted_choice_value_cannot_steer_another_users_conversation(bot):
    """U2 sends a choice naming U1's /madoguchi conversation: refused; U1's conversation is unchanged."""
    bot.command("事業承継について誰に聞けばいい？", user="U1", channel="C1")
    value = encode_choice(f"{TEAM_ID}:C1:U1:command", "prefecture:高知")
    bot.click({"type": "button", "action_id": "madoguchi_choice_0", "value": value}, user="U2", channel="C1")
    (response,) = bot.slack.wait_for("response_url")
    assert "ほかの方の質問" in response.params["text"]
    assert bot.runtime.conversations.store.get(f"{TEAM_ID}:C1:U1:command").pending == "prefecture"


def test_a_share_posts_exactly_the_answer_the_user_saw_and_only_once(bot):
    """After a follow-up changed the conversation, sharing the first answer still shares that answer; a double click
    shares it once."""
    _, first = bot.command("二重ローン 宮城")
    bot.command("福島は？")  # the same /madoguchi conversation moves on
    button = share_button(first)
    for _ in range(2):
        bot.click({"type": "button", "action_id": ACTION_SHARE, "value": button["value"]}, channel="C1")
    bot.settle()
    (post,) = bot.posts()
    assert number_of("fukko-sodan-miyagi") in post.params["text"] and "福島" not in post.params["text"]


def test_hanging_replies_to_clicks_do_not_hold_up_other_users(bot):
    """response_url hangs: feedback clicks are still acknowledged at once, and DMs are still answered."""
    bot.slack.fault("response_url", "hang", 60)
    value = json.dumps({"q": "x", "k": "contacts", "ids": []})
    timings = []
    for _ in range(30):
        started = time.monotonic()
        status, _ = bot.click({"type": "button", "action_id": "madoguchi_feedback_good", "value": value})
        timings.append((status, time.monotonic() - started))
    assert all(status == 200 and seconds < ACK_BUDGET for status, seconds in timings)
    assert bot.event(dm("ジェトロ福岡", channel="D7"))[0] == 200
    assert bot.slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("channel") == "D7")


def test_concurrent_threads_of_one_conversation_lose_no_update(bot):
    """Two quick follow-ups in one thread arrive together; both are answered, each in turn."""
    bot.event(mention("事業承継の相談をしたい", ts="100.1"))
    bot.slack.wait_for("chat.postMessage")
    threads = [threading.Thread(target=bot.event, args=(mention(text, ts=f"100.{n + 2}", thread_ts="100.1"),))
               for n, text in enumerate(["宮城", "福島は？"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    calls = bot.slack.wait_for("chat.postMessage", 3)
    assert all("事業" in c.params["text"] and "窓口" in c.params["text"] for c in calls[1:])
