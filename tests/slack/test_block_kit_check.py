"""The fake Web API's Block Kit check (tests/fakes/block_kit.py) refuses what Slack refuses — so that every Slack test
is a Block Kit test — and passes what the bot sends."""

import pytest

from tests.fakes.block_kit import message_problems, problems, view_problems


def section(text="x"):
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(action_id):
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": "ok"}, "value": "v"}


@pytest.mark.parametrize("blocks, says", [
    ([{"type": "nonsense"}], "unknown block type"),
    ([section()] * 51, "51 blocks: at most 50"),
    ([section("x" * 3001)], "3000"),
    ([{"type": "actions", "elements": [button("a"), button("a")]}], "action_id used more than once"),
    ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], "10"),
    ([{"type": "section", "text": {"type": "mrkdwn", "text": "t"},
       "accessory": {"type": "static_select", "action_id": "s", "placeholder": {"type": "plain_text", "text": "p"},
                     "options": [{"text": {"type": "plain_text", "text": str(n)}, "value": str(n)} for n in range(101)]}}],
     "101 options"),
    ([{"type": "section", "text": {"type": "mrkdwn", "text": "t"}, "colour": "red"}], "colour"),
    ("not a list", "must be a list"),
], ids=["type", "count", "text", "action ids", "fields", "options", "unknown key", "shape"])
def test_what_slack_refuses_is_refused(blocks, says):
    found = problems(blocks)
    assert found and any(says in p for p in found), found


def test_a_view_may_have_100_blocks_and_a_message_text_has_a_limit():
    assert view_problems({"type": "home", "blocks": [section()] * 100}) == []
    assert view_problems({"type": "home", "blocks": [section()] * 101})
    assert message_problems({"text": "x" * 40_001})


def test_what_the_bot_sends_passes(knowledge):
    from bot.core.engine import Engine
    from bot.slack.blocks import BlocksPresenter, home_view
    from bot.language.tokenizer import get_tokenizer

    engine = Engine(knowledge, get_tokenizer())
    presenter = BlocksPresenter(knowledge)
    for question in ("二重ローン 宮城", "経営相談", "ジェトロ", "022-225-6636", "ふがふが", "使い方", "よろず支援拠点 宮城"):
        answer, _ = engine.reply(None, question)
        assert message_problems(presenter.render(answer, "T1:C1:1.0", share="1.0")) == [], question
    assert view_problems(home_view(knowledge)) == []
