"""After 違う, one click says why (番号がつながらない / 窓口が違う / その他): recorded with the offices the answer
showed, counted by `madoguchi report` and by `madoguchi knowledge audit` — end to end through the Slack fake and the
real records database."""

import json
import os
import subprocess
import sys

import pytest

from bot.curation.recorder import Reason
from bot.curation.records import DatabaseRecorder
from bot.slack.blocks import ACTION_FEEDBACK_BAD, ACTION_FEEDBACK_REASON
from tests.slack.conftest import dm, feedback_action, running_bot

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "MADOGUCHI_CACHE_DIR": "off"}


@pytest.fixture
def recorded_bot(slack, knowledge, tokenizer, index, tmp_path):
    recorder = DatabaseRecorder(tmp_path / "records.sqlite3", hash_key=b"k" * 32)
    with running_bot(slack, knowledge, tokenizer, index, over_http=False, recorder=recorder) as running:
        running.db = tmp_path / "records.sqlite3"
        yield running
    recorder.close()


def buttons(params, action_id):
    return [e for b in params["blocks"] if b["type"] == "actions" for e in b["elements"]
            if e["action_id"].startswith(action_id)]


def test_a_number_that_did_not_work_is_one_click_after_wrong_and_reaches_the_audit(recorded_bot, knowledge):
    bot = recorded_bot
    bot.event(dm("ジェトロ仙台の電話番号"))
    (answer,) = bot.slack.wait_for("chat.postMessage")
    bot.click(feedback_action(answer.params, good=False), response="bad")  # Slack's 👎
    (asked,) = bot.slack.wait_for("response_url")
    reasons = buttons(asked.params, ACTION_FEEDBACK_REASON)
    assert [json.loads(b["value"])["r"] for b in reasons] == [r.value for r in Reason]
    assert [b["text"]["text"] for b in reasons] == ["番号がつながらない", "窓口が違う", "その他"]
    assert asked.params["response_type"] == "ephemeral" and asked.params.get("replace_original") is False
    unreachable = reasons[0]
    bot.click({"type": "button", "action_id": unreachable["action_id"], "value": unreachable["value"]}, response="why")
    thanks = [c for c in bot.slack.wait_for("response_url", count=2) if c.params.get("replace_original")]
    assert thanks and "「番号がつながらない」として担当者に伝えます" in thanks[0].params["text"]
    assert bot.runtime.recorder.flush()
    env = {**ENV, "MADOGUCHI_KNOWLEDGE": knowledge.root}
    audit = subprocess.run([sys.executable, "-m", "bot", "knowledge", "audit", "--database", str(bot.db), "--top", "3"],
                           capture_output=True, text=True, timeout=120, env=env)
    assert audit.returncode == 0, audit.stderr
    top = audit.stdout.split("確かめる順")[1]
    assert "jetro-sendai" in top.splitlines()[1] and "番号がつながらない」と報告 1 回" in top
    report = subprocess.run([sys.executable, "-m", "bot", "report", "--database", str(bot.db), "--since", "all"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert "違うの理由: 番号がつながらない 1、窓口が違う 0、その他 0" in report.stdout
    office = knowledge.contact_by_id["jetro-sendai"]  # named as curators know it, not by its id
    assert f"番号がつながらない   1  {office.name}（{office.phones[0].number}）" in report.stdout


def test_a_forged_reason_is_ignored(bot):
    """A button value is input from outside: an unknown reason or ids that are not strings record nothing."""
    bot.click({"type": "button", "action_id": f"{ACTION_FEEDBACK_REASON}_other",
               "value": json.dumps({"q": "x", "ids": [1, {"a": 2}], "r": "drop table"})})
    bot.click({"type": "button", "action_id": f"{ACTION_FEEDBACK_REASON}_unreachable", "value": "not json"})
    bot.event(dm("ジェトロ仙台"))  # something the bot does answer, to know the clicks were handled first
    bot.slack.wait_for("chat.postMessage")
    assert bot.recorder.reasons == []


def test_buttons_of_answers_posted_before_still_record(bot):
    """Answers posted by an earlier version carry 役に立った / 違う as plain buttons: a click on one still counts."""
    value = json.dumps({"c": "T1:D1", "q": "ジェトロ仙台", "k": "contacts", "ids": ["jetro-sendai"]})
    bot.click({"type": "button", "action_id": ACTION_FEEDBACK_BAD, "value": value})
    (record,) = bot.recorder.feedbacks
    assert record[1] is False and record[2] == "ジェトロ仙台"


def test_a_thumbs_up_is_recorded_as_helpful(bot):
    bot.event(dm("ジェトロ仙台"))
    (answer,) = bot.slack.wait_for("chat.postMessage")
    bot.click(feedback_action(answer.params, good=True))
    (record,) = bot.recorder.feedbacks
    assert record[1] is True and record[2] == "ジェトロ仙台"
