"""Block Kit replies stay within Slack's limits, escape text, and carry the same facts as the text fallback."""

import json
import pytest

from bot.slack.blocks import BlocksPresenter, escape, home_view

QUESTIONS = ["二重ローン 宮城", "二重ローン", "事業承継", "宮城県", "東北経済産業局", "022-225-6636", "天気", "使い方",
             "ファンド 青森", "中小企業庁", "二重ローン 宮城 " + "い" * 5000, "03-3501-1669と022-722-3858", "03-3501-1511と03-3501-1669"]


@pytest.fixture(scope="module")
def blocks(knowledge):
    return BlocksPresenter(knowledge)


@pytest.mark.parametrize("question", QUESTIONS)
def test_messages_stay_within_slack_limits(chat, blocks, question):
    """≤ 50 blocks, section text ≤ 3000, header ≤ 150, button values ≤ 2000, option values ≤ 150."""
    answer = chat.reply(f"blocks:{question[:20]}", question)
    message = blocks.render(answer, "T1:C1:1.0", share="s" * 16)
    assert len(message["blocks"]) <= 50 and message["text"]
    for b in message["blocks"]:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150
        for e in b.get("elements", []):
            assert len(e.get("value", "")) <= 2000
            assert all(len(o["value"]) <= 150 for o in e.get("options", []))


def test_every_number_in_the_blocks_is_also_in_the_text_fallback(chat, blocks):
    """The notification text carries the same phone numbers as the blocks."""
    answer = chat.reply("blocks:facts", "ファンド 青森")
    message = blocks.render(answer, "c")
    for c in answer.contacts:
        for p in c.phones:
            assert p.number in message["text"] and p.number in str(message["blocks"])


def test_escape_neutralises_slack_markup():
    """&, < and > are escaped, so <!channel> cannot broadcast."""
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_home_view_lists_every_category(knowledge):
    """The Home tab names every table the bot can answer from."""
    view = home_view(knowledge)
    text = str(view)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert all(c.label in text for c in knowledge.categories if c.description)


def test_the_home_tab_says_where_the_data_comes_from_how_old_it_is_and_what_it_leaves_out(knowledge):
    view = home_view(knowledge)
    text = json.dumps(view, ensure_ascii=False)
    source = knowledge.source
    assert source.as_of in text and source.reviewed in text and source.publisher in text
    assert all(item in text for item in source.not_covered) and len(view["blocks"]) <= 100
    assert all(reason in text for reason in source.as_of_reasons)  # why the list is dated so, with its sources
    assert all(x.text in text and x.source_url in text for x in knowledge.changes)  # what changed since, and who says
