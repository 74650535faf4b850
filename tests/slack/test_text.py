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


HOSTILE = {"unclosed <": "<" * 20_000, "unclosed <@": "<@" * 10_000, "unclosed <tel:": "<tel:" * 4_000,
           "unclosed <a|": "<a|" * 7_000, "unclosed <!x": "<!x" * 7_000, "colons": ":a" * 10_000}


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_crafted_markup_costs_no_more_than_a_plain_message_of_the_same_length(hostile):
    """Unclosed `<` and friends: the cleaner runs in time proportional to the text, measured against a plain message of
    the same length (a ratio, not an absolute time, so a slow machine does not fail it)."""
    import time

    def cost(text):
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            question_from_slack(text)
            best = min(best, time.perf_counter() - start)
        return best

    plain = "二重ローン 宮城 " * (len(hostile) // 9 + 1)
    assert cost(hostile) < 20 * cost(plain[: len(hostile)]) + 0.002
