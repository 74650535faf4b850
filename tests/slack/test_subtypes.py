"""Message subtypes, in Slack's documented shapes (tests/fixtures/slack_events, from bolt-python's scenario tests):
a question with a file attached and a thread reply also sent to the channel are answered like their plain forms; the
bot's own and other bots' messages, edits, deletions and system messages are not."""

import json
import time

import pytest

from tests.conftest import ROOT
from tests.fakes.fake_slack import BOT_USER_ID, TEAM_ID
from tests.slack.conftest import mention

FIXTURES = ROOT / "tests" / "fixtures" / "slack_events"


def documented(name: str, **changes) -> dict:
    """The documented event, with this test's team, channel, text and timestamps."""
    event = json.loads((FIXTURES / name).read_text(encoding="utf-8"))["event"]
    event.update(team=TEAM_ID, ts=f"{time.time():.6f}", **changes)
    return event


def settle(bot):
    assert bot.services.workers.drain(20)


def posts(bot):
    return [c for c in bot.slack.calls if c.method == "chat.postMessage"]


def test_a_dm_question_with_a_file_attached_is_answered(bot):
    bot.event(documented("message_file_share.json", text="この手紙の件、事業承継 宮城", channel="D1"))
    (answer,) = bot.slack.wait_for("chat.postMessage")
    assert answer.params["channel"] == "D1" and "事業承継" in answer.params["text"]


def test_a_thread_reply_also_sent_to_the_channel_is_answered_in_the_thread(bot):
    bot.event(mention("事業承継 宮城", ts="400.1"))
    bot.slack.wait_for("chat.postMessage")
    bot.event(documented("message_thread_broadcast.json", text="福島は？", channel="C1", thread_ts="400.1",
                         root={"ts": "400.1", "thread_ts": "400.1"}))
    settle(bot)
    (_, follow_up) = posts(bot)
    assert "福島県" in follow_up.params["text"] and follow_up.params["thread_ts"] == "400.1"


@pytest.mark.parametrize("event", [
    {"subtype": "bot_message", "bot_id": "B1", "text": "事業承継 宮城"},
    {"bot_id": "B2", "text": "事業承継 宮城"},  # another bot posting as a user-like message
    {"user": BOT_USER_ID, "bot_id": "BSELF", "text": "事業承継 宮城"},  # the bot's own reply
    {"subtype": "message_changed", "message": {"text": "事業承継 宮城"}, "previous_message": {"text": "x"}},
    {"subtype": "message_deleted", "previous_message": {"text": "事業承継 宮城"}},
    {"subtype": "channel_join", "text": "<@U1> has joined the channel"},
    {"subtype": "file_share", "text": ""},  # a file without a word
], ids=["bot_message", "other bot", "own", "edited", "deleted", "join", "file only"])
def test_other_subtypes_are_neither_answered_nor_recorded(bot, event):
    bot.event({"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "ts": f"{time.time():.6f}",
               "team": TEAM_ID, **event})
    settle(bot)
    assert posts(bot) == [] and bot.recorder.answers == []
