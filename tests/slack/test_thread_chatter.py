"""In a thread the bot answered, people also write to each other: a message without a mention is answered only when
it reads as a follow-up for the bot (a place, a topic, an office, a number, a choice, a follow-up word or the bot's
name — conversation.toml), never chatter, which is neither answered nor recorded. A mention is always answered."""

import time

import pytest

from tests.fakes.fake_slack import TEAM_ID
from tests.slack.conftest import mention

CHATTER = ["了解です", "明日の会議は何時？", "ありがとうございます！", "資料はあとで送ります", "ｗｗ"]


def reply(text, thread_ts, *, channel="C1", user="U2", **extra):
    return {"type": "message", "channel_type": "channel", "user": user, "text": text, "channel": channel,
            "ts": f"{time.time():.6f}", "thread_ts": thread_ts, "team": TEAM_ID, **extra}


def settle(bot):
    """Every message handed to the answer pool has been handled (answered or let be): no fixed wait."""
    assert bot.services.workers.drain(20)


def test_a_busy_thread_gets_one_answer_for_one_follow_up_and_nothing_of_the_chatter_is_recorded(bot):
    bot.event(mention("事業承継 宮城", ts="300.1"))
    bot.slack.wait_for("chat.postMessage")
    for text in CHATTER:
        bot.event(reply(text, "300.1"))
    bot.event(reply("福島は？", "300.1"))
    settle(bot)
    posts = [c for c in bot.slack.calls if c.method == "chat.postMessage"]
    assert len(posts) == 2  # the first answer and the follow-up's, nothing for the chatter
    assert "福島県" in posts[1].params["text"] and posts[1].params["thread_ts"] == "300.1"
    asked = [question for _, question, *_ in bot.recorder.answers]
    assert asked == ["事業承継 宮城", "福島は？"]  # the chatter is not an "unanswered question"


@pytest.mark.parametrize("follow_up", ["3", "電話番号は？", "ほかには？", "全国の窓口は？", "窓口ナビ、組合は？", "ジェトロ",
                                       "022-225-6636", "仙台市で"])
def test_each_kind_of_follow_up_is_answered_in_the_thread(bot, follow_up):
    bot.event(mention("特許", ts="301.1"))  # a clarifying question with numbered choices (the nine regional bureaus)
    bot.slack.wait_for("chat.postMessage")
    bot.event(reply(follow_up, "301.1"))
    settle(bot)
    posts = [c for c in bot.slack.calls if c.method == "chat.postMessage"]
    assert len(posts) == 2, follow_up


def test_a_mention_in_the_thread_is_always_answered(bot):
    bot.event(mention("ジェトロ福岡", ts="302.1"))
    bot.slack.wait_for("chat.postMessage")
    bot.event(mention("了解です", ts="302.2", thread_ts="302.1"))
    settle(bot)
    assert len([c for c in bot.slack.calls if c.method == "chat.postMessage"]) == 2


def test_a_bare_number_after_an_unnumbered_list_is_chatter(bot):
    """「経営相談」 asks which of 47 prefectures, not numbered: a 「3」 in the thread is not a pick (it was 岩手県)."""
    bot.event(mention("経営相談", ts="303.1"))
    bot.slack.wait_for("chat.postMessage")
    bot.event(reply("3", "303.1"))
    settle(bot)
    assert len([c for c in bot.slack.calls if c.method == "chat.postMessage"]) == 1
