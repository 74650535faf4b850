"""Every surface, threads, buttons and clicks, retries, signatures, safety: the listeners in-process, and over HTTP
where the HTTP layer matters (a mention end to end, signatures, health, logs)."""

import json
import logging
import time
import urllib.request

from tests.fakes.fake_slack import BOT_ID, BOT_USER_ID
from bot.slack.blocks import ACTION_CHOICE_SELECT, ACTION_MORE, ACTION_SHARE
from tests.slack.conftest import all_text, dm, feedback_action, mention
from tests.conftest import number_of


def test_url_verification_is_answered(bot):
    """Slack's URL verification challenge is echoed back."""
    status, body = bot.post(json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}))
    assert status == 200 and "c-123" in body


def test_a_mention_is_answered_in_the_thread_of_the_message(http_bot):
    """@madoguchi 二重ローン 宮城 → the answer in that message's thread, blocks and text fallback alike."""
    status, _ = http_bot.event(mention("二重ローン 宮城", ts="1700000001.000100"))
    assert status == 200
    (call,) = http_bot.slack.wait_for("chat.postMessage")
    assert call.params["channel"] == "C1" and call.params["thread_ts"] == "1700000001.000100"
    assert number_of("fukko-sodan-miyagi") in all_text(call.params["blocks"]) and number_of("fukko-sodan-miyagi") in call.params["text"]
    assert call.params["blocks"][0]["type"] == "header"
    assert any(b["type"] == "context" and "お問い合わせ先一覧" in all_text(b) for b in call.params["blocks"])


def test_follow_ups_in_the_thread_continue_the_conversation(bot):
    """A clarifying question in a thread, then 「宮城です」 in the same thread → the answer."""
    bot.event(mention("事業承継の相談をしたい", ts="1700000002.000100"))
    bot.slack.wait_for("chat.postMessage", 1)
    bot.event(mention("宮城です", ts="1700000003.000100", thread_ts="1700000002.000100"))
    calls = bot.slack.wait_for("chat.postMessage", 2)
    assert "どちらの都道府県ですか" in calls[0].params["text"]
    assert calls[1].params["thread_ts"] == "1700000002.000100"
    assert number_of("hikitsugi-miyagi") in calls[1].params["text"]


def test_each_dm_question_is_a_thread_of_its_own_as_agent_apps_answer(bot):
    """事業承継の相談をしたい → the bot asks where, in a thread of that message → 宮城です in the thread → the answer
    there; a new question at the top of the DM is a new conversation, answered in its own thread."""
    question = dm("事業承継の相談をしたい", ts="500.1")
    bot.event(question)
    (asked,) = bot.slack.wait_for("chat.postMessage", 1)
    assert asked.params["channel"] == "D1" and asked.params["thread_ts"] == "500.1"
    bot.event(dm("宮城です", ts="500.2", thread_ts="500.1"))
    answered = bot.slack.wait_for("chat.postMessage", 2)[1]
    assert answered.params["thread_ts"] == "500.1" and number_of("hikitsugi-miyagi") in answered.params["text"]
    bot.event(dm("宮城です", ts="501.1"))  # not in the thread: a question of its own, with nothing asked before
    fresh = bot.slack.wait_for("chat.postMessage", 3)[2]
    assert fresh.params["thread_ts"] == "501.1" and number_of("hikitsugi-miyagi") not in fresh.params["text"]


def test_clarifying_buttons_answer_in_place_when_clicked(bot):
    """A bare prefecture offers category buttons; clicking one replaces the question with the answer."""
    bot.event(dm("宮城県"))
    (call,) = bot.slack.wait_for("chat.postMessage")
    actions = next(b for b in call.params["blocks"] if b["type"] == "actions")
    button = next(e for e in actions["elements"] if "事業承継" in e["text"]["text"])
    status, _ = bot.click({"type": "button", "action_id": button["action_id"], "value": button["value"]})
    assert status == 200
    (response,) = bot.slack.wait_for("response_url")
    assert response.params["replace_original"] is True
    assert number_of("hikitsugi-miyagi") in response.params["text"]


def test_a_long_answer_has_a_button_for_the_next_offices(bot):
    """中小企業庁 shows 5 of 15 divisions with 「ほかの10件を見る」; clicking it shows the next five in place."""
    bot.event(dm("中小企業庁"))
    (call,) = bot.slack.wait_for("chat.postMessage")
    button = next(e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == ACTION_MORE)
    assert button["text"]["text"] == "ほかの10件を見る"
    bot.click({"type": "button", "action_id": ACTION_MORE, "value": button["value"]})
    (response,) = bot.slack.wait_for("response_url")
    assert response.params["replace_original"] is True
    assert number_of("chusho-cho-06") in response.params["text"] and number_of("chusho-cho-01") not in response.params["text"]  # page 2 only


def test_many_choices_become_a_select_menu_and_a_selection_answers(bot):
    """47 prefectures are offered as a select menu, not 47 buttons."""
    bot.event(dm("事業承継について誰に聞けばいい？"))
    (call,) = bot.slack.wait_for("chat.postMessage")
    select = next(e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert select["type"] == "static_select" and len(select["options"]) == 47
    option = next(o for o in select["options"] if o["text"]["text"] == "高知県")
    bot.click({"type": "static_select", "action_id": ACTION_CHOICE_SELECT, "selected_option": option})
    (response,) = bot.slack.wait_for("response_url")
    assert number_of("hikitsugi-kochi") in response.params["text"]


def test_slash_command_answers_ephemerally_with_a_share_button(bot):
    """/madoguchi 二重ローン 宮城 → an ephemeral answer in the acknowledgement itself, with a share button."""
    started = time.monotonic()
    status, body = bot.command("二重ローン 宮城")
    assert status == 200 and time.monotonic() - started < 3
    message = json.loads(body)
    assert message["response_type"] == "ephemeral"
    assert number_of("fukko-sodan-miyagi") in message["text"]
    buttons = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert ACTION_SHARE in [b["action_id"] for b in buttons]


def test_slash_command_without_text_shows_usage(bot):
    """/madoguchi alone (or help) explains how to ask."""
    for text in ("", "help"):
        status, body = bot.command(text)
        assert status == 200 and "使い方" in json.loads(body)["text"]


def test_share_posts_the_answer_in_the_channel(bot):
    """Clicking 共有 posts the answer for everyone and removes the ephemeral copy."""
    _, body = bot.command("ジェトロ福岡")
    share = next(e for b in json.loads(body)["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == ACTION_SHARE)
    bot.click({"type": "button", "action_id": ACTION_SHARE, "value": share["value"]}, channel="C9")
    (post,) = bot.slack.wait_for("chat.postMessage")
    assert post.params["channel"] == "C9" and number_of("jetro-fukuoka") in post.params["text"]
    assert "<@U1>" in post.params["text"]
    (response,) = bot.slack.wait_for("response_url")
    assert response.params.get("delete_original") is True


def test_a_shared_long_answer_has_no_button_for_the_next_offices(bot):
    """The shared copy once kept 「ほかのN件を見る」: refused for everyone else, and replacing the channel post when the
    sharer clicked it. The copy says how many more there are; only the sharer's own answer has the button."""
    from bot.slack.blocks import ACTION_MORE

    _, body = bot.command("中小企業庁")  # an organization of many divisions: more than one answer shows
    own = json.loads(body)
    assert ACTION_MORE in [e["action_id"] for b in own["blocks"] if b["type"] == "actions" for e in b["elements"]]
    share = next(e for b in own["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == ACTION_SHARE)
    bot.click({"type": "button", "action_id": ACTION_SHARE, "value": share["value"]}, channel="C9")
    (post,) = bot.slack.wait_for("chat.postMessage")
    shared = [e["action_id"] for b in post.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert ACTION_MORE not in shared and "ほかに" in post.params["text"]


def test_the_notification_text_escapes_what_slack_would_read_as_markup(bot, knowledge):
    """The fallback text is mrkdwn too: a raw & once went out in it (here a slip read back to the user, with a
    broadcast typed beside it)."""
    from bot.core.answer import CONTACTS, Answer
    from bot.slack.blocks import BlocksPresenter

    office = knowledge.contact_by_id["jetro-fukuoka"]
    answer = Answer(kind=CONTACTS, contacts=(office,), named=True, corrections=(("M&A<!channel>", "M&A"),))
    text = BlocksPresenter(knowledge).render(answer, "T1:C1:1.0")["text"]
    assert "M&amp;A&lt;!channel&gt;" in text and "<!channel>" not in text


def test_sharing_where_the_bot_is_not_a_member_says_how_to_fix_it(bot):
    """Slack's not_in_channel error becomes a short ephemeral hint to invite the bot."""
    _, body = bot.command("ジェトロ福岡")
    share = next(e for b in json.loads(body)["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == ACTION_SHARE)
    bot.click({"type": "button", "action_id": ACTION_SHARE, "value": share["value"]}, channel="CNOTMEMBER1")
    (response,) = bot.slack.wait_for("response_url")
    assert "/invite" in response.params["text"] and response.params["response_type"] == "ephemeral"


def test_feedback_clicks_are_recorded(bot):
    """違う is recorded with the question and what was answered, and the user is thanked."""
    bot.event(dm("二重ローン 宮城"))
    (call,) = bot.slack.wait_for("chat.postMessage")
    bot.click(feedback_action(call.params, good=False))  # Slack's 👎 under the answer
    (response,) = bot.slack.wait_for("response_url")
    assert "ありがとうございます" in response.params["text"]
    (record,) = bot.recorder.feedbacks
    assert record[1] is False and record[2] == "二重ローン 宮城" and "fukko-sodan-miyagi" in record[3]


def test_app_home_is_published(bot):
    """Opening the Home tab publishes what the bot answers, examples, categories and the source."""
    bot.event({"type": "app_home_opened", "user": "U7", "channel": "D7", "tab": "home"})
    (call,) = bot.slack.wait_for("views.publish")
    assert call.params["user_id"] == "U7"
    text = all_text(call.params["view"])
    assert call.params["view"]["type"] == "home"
    assert "二重ローン 宮城" in text and "事業引継ぎ相談窓口" in text and "お問い合わせ先一覧" in text


def test_retries_and_duplicates_produce_one_answer(bot):
    """The same event delivered again (X-Slack-Retry-Num) and the same message as two events → one reply."""
    event = mention("二重ローン 宮城", client_msg_id="m-1")
    assert bot.event(event, event_id="EvSame")[0] == 200
    assert bot.event(event, event_id="EvSame", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})[0] == 200
    assert bot.event(dm("二重ローン 宮城", channel="C1", client_msg_id="m-1"), event_id="EvOther")[0] == 200
    bot.settle()
    assert len(bot.posts()) == 1


def test_bad_signature_and_stale_timestamp_are_rejected(http_bot):
    """A wrong signature or a timestamp older than five minutes → 401 and nothing sent."""
    body = json.dumps({"type": "event_callback", "event_id": "EvX", "team_id": "T123", "event": mention("二重ローン 宮城")})
    assert http_bot.post(body, secret="wrong-secret")[0] == 401
    assert http_bot.post(body, timestamp=int(time.time()) - 600)[0] == 401
    http_bot.settle()
    assert http_bot.posts() == []


def test_the_bots_own_and_other_bots_messages_are_ignored(bot):
    """Messages from this bot or another bot get 200 and no reply."""
    assert bot.event(dm("二重ローン 宮城", user=BOT_USER_ID, bot_id=BOT_ID))[0] == 200
    assert bot.event(dm("二重ローン 宮城", user="U9", bot_id="BOTHER", subtype="bot_message"))[0] == 200
    bot.settle()
    assert bot.posts() == []


def test_every_subscribed_event_gets_a_2xx(bot):
    """message_changed, message_deleted and events the bot does not use are acknowledged, never 404."""
    for event in (dm("x", subtype="message_changed"), dm("x", subtype="message_deleted"),
                  {"type": "message", "channel_type": "channel", "text": "hi", "user": "U1", "channel": "C1", "ts": "1.1"},
                  {"type": "reaction_added", "user": "U1", "reaction": "+1"},
                  {"type": "app_home_opened", "user": "U1", "tab": "messages"}):
        assert bot.event(event)[0] == 200
    bot.settle()
    assert bot.posts() == []


def test_user_text_echoed_back_cannot_ping_or_link(bot):
    """What the user typed is echoed as plain text (never <!channel>, <@U…>, a link, bold or a #channel), and no
    markdown text carries it."""
    bot.event(dm("&lt;!channel&gt; &lt;@U999&gt; &lt;https://evil.example|click&gt; *太字* #general 二重ローン 宮城 &amp; more"))
    (call,) = bot.slack.wait_for("chat.postMessage")
    echo = [e for b in call.params["blocks"] if b["type"] == "context" for e in b["elements"] if e["text"].startswith("ご質問")]
    assert [e["type"] for e in echo] == ["plain_text"] and "<!channel>" in echo[0]["text"]
    markdown = [node["text"] for b in call.params["blocks"] for node in [b.get("text") or {}, *b.get("elements", [])]
                if isinstance(node, dict) and node.get("type") == "mrkdwn"]
    assert not any("<!channel>" in t or "<@U999>" in t or "<https://evil" in t or "*太字*" in t for t in markdown)


def test_long_input_is_cut_with_a_polite_note(bot):
    """20,000 characters are answered, with a note that only the beginning was read."""
    bot.event(dm("二重ローン 宮城 " + "あ" * 20_000))
    (call,) = bot.slack.wait_for("chat.postMessage")
    assert "最初の500文字" in call.params["text"] and number_of("fukko-sodan-miyagi") in call.params["text"]
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in call.params["blocks"])


def test_an_error_in_a_handler_gets_an_apology_and_the_app_keeps_serving(bot, monkeypatch, caplog):
    """An exception is logged with its traceback, the user gets a short apology, the next message is answered."""
    real = bot.runtime.ask

    def failing(surface, conversation, question, *args, **kwargs):
        if "爆発" in question:
            raise RuntimeError("boom")
        return real(surface, conversation, question, *args, **kwargs)

    monkeypatch.setattr(bot.runtime, "ask", failing)
    with caplog.at_level(logging.ERROR):
        bot.event(dm("爆発"))
        (apology,) = bot.slack.wait_for("chat.postMessage")
    assert "申し訳ありません" in apology.params["text"]
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)
    bot.event(dm("二重ローン 宮城", channel="D2"))
    calls = bot.slack.wait_for("chat.postMessage", 2)
    assert number_of("fukko-sodan-miyagi") in calls[1].params["text"]


def test_rate_limited_web_api_calls_are_retried(bot):
    """A 429 from chat.postMessage is retried by slack_sdk's RateLimitErrorRetryHandler; one message lands."""
    bot.slack.rate_limit("chat.postMessage", times=1)
    bot.event(dm("二重ローン 宮城"))
    calls = bot.slack.wait_for("chat.postMessage", timeout=15)
    assert len(bot.slack.sent("chat.postMessage:429")) == 1
    assert len(calls) == 1 and number_of("fukko-sodan-miyagi") in calls[0].params["text"]


def test_health_check_answers_ok(http_bot):
    """GET /healthz → 200 ok."""
    with urllib.request.urlopen(http_bot.url + "/healthz", timeout=5) as r:
        assert r.status == 200 and r.read() == b"ok\n"


def test_tokens_never_appear_in_logs(http_bot, caplog):
    """With DEBUG logging, neither the http_bot token nor the signing secret is logged."""
    from tests.slack.conftest import SECRET, TOKEN

    with caplog.at_level(logging.DEBUG):
        http_bot.event(dm("二重ローン 宮城"))
        http_bot.slack.wait_for("chat.postMessage")
        http_bot.settle()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert TOKEN not in logged and SECRET not in logged
