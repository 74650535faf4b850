"""Sentence splitting (bot.language.sentences): where a pasted paragraph's sentences end, and which ask."""

import pytest

from bot.language.sentences import split_sentences


@pytest.mark.parametrize("text, sentences, questions", [
    ("二重ローン 宮城", ["二重ローン 宮城"], [False]),
    ("和菓子屋です。借入もあります。どこですか?", ["和菓子屋です。", "借入もあります。", "どこですか?"], [False, False, True]),
    ("父の店です\n宮城です\n\nどこ？", ["父の店です", "宮城です", "どこ？"], [False, False, True]),
    ("「事業承継。」の窓口はどこ?!", ["「事業承継。」の窓口はどこ?!"], [True]),  # not inside brackets; ?! asks
    ("どこですか？」と聞かれました。", ["どこですか？」", "と聞かれました。"], [True, False]),
    ("年商1.5億円です。No.1の店です。", ["年商1.5億円です。", "No.1の店です。"], [False, False]),
    ("I run a shop. Where can I get help? Thanks", ["I run a shop.", "Where can I get help?", "Thanks"],
     [False, True, False]),
    ("（工場は川口市です\n事業承継の相談", ["（工場は川口市です", "事業承継の相談"], [False, False]),  # unclosed bracket
    ("", [], []),
])
def test_sentences_and_which_end_in_a_question_mark(text, sentences, questions):
    found = split_sentences(text)
    assert [s.text for s in found] == sentences
    assert [s.question for s in found] == questions
