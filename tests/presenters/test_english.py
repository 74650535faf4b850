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


def test_every_office_has_an_english_gloss_beside_its_printed_name(english, knowledge):
    """Swept over the knowledge: in English each office's title is its printed name and, beside it, what it is and where
    (its organization's name_en or its table's label_en, and the place's romaji) — all ASCII, so a reader who cannot
    read the name can tell the offices apart. Japanese titles are the printed names alone."""
    japanese = Wording(knowledge)
    for c in knowledge.contacts:
        assert japanese.title(c) == c.name
        title = english.title(c)
        if c.name.isascii():
            assert title == c.name
            continue
        assert title.startswith(f"{c.name} (") and title.endswith(")"), title
        gloss = title[len(c.name) + 2:-1]
        assert gloss and gloss.isascii() and "  " not in gloss, (c.id, gloss)


def test_the_gloss_tells_offices_of_one_answer_apart(render):
    """Two lenders and a federation, or two prefectures' desks: each line says which in English."""
    lines = [line for line in render("bank loan").splitlines() if line.startswith("■ ")]
    glosses = [line[line.rindex("(") + 1:-1] for line in lines]
    assert len(lines) >= 2 and len(set(glosses)) == len(glosses)
    assert any("Japan Finance Corporation" in g for g in glosses)


def test_a_regional_office_is_glossed_with_its_region(render, knowledge):
    """A bureau's division: its table's English label and its region's English name (regions.toml)."""
    office = next(c for c in knowledge.contacts if c.serves.kind.value == "area" and "特許室" in c.name
                  and knowledge.area_by_id[c.serves.value].short == "東北")
    region = next(n for r in knowledge.regions if r.name == "東北" for n in r.names if n.isascii())
    text = render("patent office of the METI bureau, Tohoku")
    assert f"■ {office.name} ({knowledge.category_by_id[office.category].label_en}, {region})" in text
