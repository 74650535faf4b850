"""No reply anywhere carries a phone number that is not in the knowledge or in the question: swept over every case
file, the public evaluation set and every topic × prefecture, conversation by conversation as people ask."""

import json

import pytest

from bot.curation.evaluate import load_items, with_numbers
from bot.knowledge.phones import numbers_in_text
from bot.runtime import Runtime, build_snapshot
from tests.conftest import ROOT

FILES = sorted((ROOT / "tests" / "cases").glob("*.jsonl")) + [ROOT.parent / "shared" / "eval" / "public.jsonl"]


@pytest.fixture(scope="module")
def runtime(knowledge, engine):
    return Runtime(build_snapshot(knowledge, None, engine=engine))


@pytest.fixture(scope="module")
def known(knowledge):
    return {n for c in knowledge.contacts for p in c.phones for n in numbers_in_text(p.number)}


def _invented(runtime, known, conversation, turns):
    out = []
    for turn in turns:
        question = with_numbers(turn, runtime.knowledge)
        reply = runtime.ask("sweep", conversation, question).text
        invented = set(numbers_in_text(reply)) - known - set(numbers_in_text(question))
        if invented:
            out.append((question, sorted(invented)))
    return out


@pytest.mark.parametrize("path", [p for p in FILES if p.is_file()], ids=lambda p: p.name)
def test_no_case_file_reply_carries_a_number_the_knowledge_does_not_have(runtime, known, path):
    items = load_items(str(path))
    assert items
    wrong = [w for item in items for w in _invented(runtime, known, f"{path.stem}:{item['id']}", item["turns"])]
    assert not wrong, wrong[:5]


def test_no_reply_to_any_topic_in_any_prefecture_carries_an_unknown_number(runtime, known, knowledge):
    wrong = []
    for p in knowledge.prefectures:
        for i in knowledge.intents:
            if i.keywords:
                wrong += _invented(runtime, known, f"sweep:{p.short}:{i.id}", [f"{p.name}で{i.keywords[0]}の相談"])
    assert not wrong, wrong[:5]


def test_the_sweep_would_see_an_invented_number(runtime, known):
    """The check itself: a number typed by nobody and listed nowhere is caught (and one the user typed is not)."""
    assert numbers_in_text("電話 022-000-1234 です") == ["0220001234"] and "0220001234" not in known
    assert json.dumps(_invented(runtime, known, "probe", ["022-000-1234 はどこの番号？"])) == "[]"
