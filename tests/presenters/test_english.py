"""English replies: the same facts as the Japanese ones, other words; office names and numbers as printed."""

import re

import pytest

from bot.core.answer import FALLBACK, Answer, Ask, Gap, Missing, Place
from bot.presenters.sentences import ENGLISH
from bot.presenters.wording import Wording
from tests.conftest import number_of

MIYAGI = Place(prefectures=("宮城",), prefecture_names=("宮城県",))


@pytest.fixture(scope="module")
def english(knowledge):
    return Wording(knowledge, ENGLISH)


@pytest.mark.parametrize("gap", list(Gap))
def test_what_is_missing_is_said_in_english_with_places_in_romaji(english, gap):
    text = english.missing_text(Answer(kind=FALLBACK, place=MIYAGI, missing=Missing(gap, subject=("事業承継・事業引継ぎ",),
                                                                                     where=("岩手", "宮城"))))
    assert text and not re.search(r"[ぁ-んァ-ン]", text), text
    assert "{" not in text


@pytest.mark.parametrize("asks", list(Ask))
def test_clarifying_questions_are_english(english, asks):
    text = english.ask_text(Answer(kind=FALLBACK, place=MIYAGI, asks=asks))
    assert "?" in text and "宮城" not in text and not re.search(r"[ぁ-んァ-ン]", text)


def test_an_english_question_gets_an_english_answer_with_the_office_as_printed(render, knowledge):
    text = render("Who can help me find a successor for my company in Sendai?")
    office = knowledge.contact_by_id["hikitsugi-miyagi"]
    lines = text.splitlines()
    assert lines[0] == f"For business succession and transfer in Sendai (Miyagi), contact {office.name}."
    assert f"Phone: {number_of('hikitsugi-miyagi')}" in text
    assert lines[-1].startswith("Based on ") and lines[-1].endswith("Numbers may have changed.")


def test_an_english_conversation_stays_english_for_a_place_alone(render):
    text = render("business succession please", "Miyagi")
    assert text.startswith("For business succession and transfer in Miyagi")


def test_choices_are_offered_in_english(render):
    text = render("export support in Tohoku")
    assert "Aomori" in text and "青森県" not in text


def test_a_japanese_question_is_still_answered_in_japanese(render):
    assert render("仙台で事業承継の相談をしたい").startswith("仙台市（宮城県）の事業承継")


def test_english_fallback_help_and_greeting(render):
    assert render("What is the weather in Tokyo?").startswith("Sorry, I could not find an office for that.")
    assert render("help").startswith("How to use madoguchi")
    assert render("hello").startswith("Hello, this is madoguchi.")


@pytest.mark.parametrize("kana, english", [("こうべ", "Kobe"), ("きょうと", "Kyoto"), ("おおいた", "Oita"),
                                           ("せんだい", "Sendai"), ("さっぽろ", "Sapporo")])
def test_cities_are_named_as_written_in_english(kana, english):
    from bot.language.text import place_romaji

    assert place_romaji(kana) == english
