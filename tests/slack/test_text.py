"""Slack's markup is taken off before the core reads the question."""

import pytest

from bot.slack.text import question_from_slack


@pytest.mark.parametrize("text, question", [
    ("<@U0123ABC> 二重ローン 宮城", "二重ローン 宮城"),
    ("<!here> 事業承継 <#C0123|general> 仙台", "事業承継   仙台"),
    ("電話 <tel:0227223858|022-722-3858> はどこ？", "電話 022-722-3858 はどこ？"),
    ("相談したい :pray: 宮城 :+1::skin-tone-2:", "相談したい   宮城"),
    ("A &amp; B &lt;3", "A & B <3"),
    ("12:30に電話できる窓口", "12:30に電話できる窓口"),  # a time is not an emoji code
])
def test_slack_markup_is_removed_and_what_was_typed_is_kept(text, question):
    """Mentions, channel references and emoji codes go; links are unwrapped; escaped characters come back."""
    assert question_from_slack(text) == question
