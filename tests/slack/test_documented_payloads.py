"""The app against payloads shaped like Slack's documented examples (tests/fixtures/slack-payloads), signed and
dispatched in-process as bolt-python tests its listeners, with what it sends back checked against the fake Web API: thread follow-ups without a mention, the Messages
tab's suggested prompts, the message shortcut, the Workflow Builder step, App Home, clicks."""

import json
import urllib.parse
import uuid

import pytest

from tests.conftest import ROOT
from tests.slack.conftest import running_bot

PAYLOADS = ROOT / "tests" / "fixtures" / "slack-payloads"


def payload(name: str, **event) -> dict:
    body = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    if "event" in body:
        body["event"].update(event)
        body["event_id"] = f"Ev{uuid.uuid4().hex[:10]}"  # each delivery its own, as Slack does
    return body


def send(bot, body: dict):
    return bot.post(json.dumps(body, ensure_ascii=False))


def interact(bot, body: dict):
    body = json.loads(json.dumps(body).replace("RESPONSE_URL", bot.slack.response_url("payload")))
    return bot.post(urllib.parse.urlencode({"payload": json.dumps(body, ensure_ascii=False)}),
                    "application/x-www-form-urlencoded")


def test_a_thread_follow_up_without_a_mention_is_answered_in_the_thread(bot):
    """「事業承継の相談をしたい」 with a mention asks which prefecture; 「宮城です」 in the thread, no mention: answered."""
    assert send(bot, payload("app_mention", text="<@UBOT> 事業承継の相談をしたい", client_msg_id="m-1"))[0] == 200
    (question,) = bot.slack.wait_for("chat.postMessage")
    assert question.params["thread_ts"] == "1515449522.000016"
    assert send(bot, payload("message_channels_thread_reply", text="宮城です", client_msg_id="m-2"))[0] == 200
    calls = bot.slack.wait_for("chat.postMessage", 2)
    assert len(calls) == 2 and calls[1].params["thread_ts"] == "1515449522.000016"
    assert calls[1].params["channel"] == "C123ABC456" and "宮城" in calls[1].params["text"]


def test_channel_messages_outside_the_bots_threads_get_nothing(bot):
    """A thread the bot never answered in, a top-level channel message: ignored (not answered, not recorded)."""
    send(bot, payload("message_channels_thread_reply", text="二重ローン 宮城", thread_ts="1515449000.000001"))
    send(bot, payload("message_channels_thread_reply", text="二重ローン 宮城", thread_ts=None, ts="1515449700.000300"))
    bot.settle()
    assert bot.posts() == [] and all(a[0] != "thread" for a in bot.recorder.answers)


def test_a_mention_delivered_as_app_mention_and_as_a_channel_message_is_answered_once(bot):
    """With both subscriptions Slack sends a mention twice (same client_msg_id), in either order."""
    mention = payload("app_mention", text="<@UBOT> 二重ローン 宮城", client_msg_id="same")
    also = payload("message_channels_thread_reply", text="<@UBOT> 二重ローン 宮城", client_msg_id="same",
                   thread_ts=None, ts=mention["event"]["ts"])
    send(bot, also)
    send(bot, mention)
    bot.settle()
    assert len(bot.posts()) == 1


def test_the_messages_tab_gets_suggested_prompts_from_the_knowledge(bot, knowledge):
    send(bot, payload("app_home_opened_messages"))
    (call,) = bot.slack.wait_for("assistant.threads.setSuggestedPrompts")
    prompts = call.params["prompts"]
    assert call.params["channel_id"] == "D0LAN2Q65" and "thread_ts" not in call.params  # an agent app: no thread_ts
    assert 1 <= len(prompts) <= 4 and all(set(p) == {"title", "message"} for p in prompts)
    assert {p["message"] for p in prompts} <= {e for i in knowledge.intents for e in i.examples}


def test_the_home_tab_is_published(bot):
    send(bot, payload("app_home_opened_home"))
    (call,) = bot.slack.wait_for("views.publish")
    assert call.params["user_id"] == "U061F7AUR" and call.params["view"]["type"] == "home"


def test_a_click_in_the_documented_shape_answers_in_place(bot):
    send(bot, payload("message_im", text="事業承継の相談をしたい", channel="D024BE91L"))
    bot.slack.wait_for("chat.postMessage")
    assert interact(bot, payload("block_actions"))[0] == 200
    (response,) = bot.slack.wait_for("response_url")
    assert response.params["replace_original"] is True and "宮城" in response.params["text"]


def test_the_message_shortcut_answers_the_clicker_privately_with_a_share_button(bot):
    assert interact(bot, payload("message_action"))[0] == 200
    (response,) = bot.slack.wait_for("response_url")
    assert response.params["response_type"] == "ephemeral" and "宮城" in response.params["text"]
    buttons = [e["action_id"] for b in response.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "madoguchi_share" in buttons
    assert bot.posts() == []  # nothing in the channel for everyone


@pytest.mark.parametrize("question", ["二重ローン 宮城", "ジェトロ福岡"])
def test_the_workflow_step_completes_with_the_office(bot, question):
    body = payload("function_executed")
    body["event"]["inputs"] = {"question": question}
    assert send(bot, body)[0] == 200
    (call,) = bot.slack.wait_for("functions.completeSuccess")
    outputs = call.params["outputs"]
    assert call.params["function_execution_id"] == "Fx1234567O9L"
    assert set(outputs) == {"office_name", "phone", "url", "reply_text"}
    assert outputs["office_name"] and outputs["phone"] and outputs["phone"] in outputs["reply_text"]
    assert call.headers["Authorization"].startswith("Bearer xwfp-")  # the step's own token, as Slack gives it


@pytest.mark.parametrize("inputs", [{"question": "おすすめのランチ"}, {}, {"topic": "事業承継"}])
def test_the_workflow_step_fails_clearly_rather_than_inventing_an_office(bot, inputs):
    body = payload("function_executed")
    body["event"]["inputs"] = inputs
    send(bot, body)
    (call,) = bot.slack.wait_for("functions.completeError")
    assert call.params["error"] and not bot.slack.sent("functions.completeSuccess")


def test_the_workflow_step_takes_a_topic_and_a_prefecture(bot):
    body = payload("function_executed")
    body["event"]["inputs"] = {"topic": "事業承継", "prefecture": "宮城県"}
    send(bot, body)
    (call,) = bot.slack.wait_for("functions.completeSuccess")
    assert "宮城" in call.params["outputs"]["office_name"]


def test_a_mention_only_install_tells_channel_users_to_mention_the_bot(slack, knowledge, tokenizer, index):
    """Without channels:history a thread reply never reaches the bot: its clarifying question says to mention it."""
    from bot.slack.services import SlackServices

    with running_bot(slack, knowledge, tokenizer, index,
                     services=lambda runtime, settings: SlackServices(runtime, settings, thread_replies=False)) as bot:
        send(bot, payload("app_mention", text="<@UBOT> 事業承継の相談をしたい"))
        (call,) = bot.slack.wait_for("chat.postMessage")
    assert "メンション" in json.dumps(call.params["blocks"], ensure_ascii=False)


def test_a_workflow_step_whose_answer_fails_is_failed_with_a_reason(bot, monkeypatch, caplog):
    """An error while answering once left the step neither completed nor failed: the workflow waited for good."""
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.runtime, "ask", broken)
    body = payload("function_executed")
    body["event"]["inputs"] = {"question": "二重ローン 宮城"}
    send(bot, body)
    (call,) = bot.slack.wait_for("functions.completeError")
    assert "エラー" in call.params["error"] and not bot.slack.sent("functions.completeSuccess")
