"""The question tables (tests/cases/*.jsonl, the `madoguchi eval` format) through the same scorer as `madoguchi eval`.

Contacts are expected by id, so a corrected phone number breaks nothing; every other office shown must serve the
place asked about and come from the expected offices' tables (no office of another prefecture or topic).
"""

import pytest

from bot.curation.evaluate import evaluate, load_items
from bot.runtime import Runtime, build_snapshot
from tests.conftest import ROOT

CASES = sorted((ROOT / "tests" / "cases").glob("*.jsonl"))
ITEMS = [(path.stem, item) for path in CASES for item in load_items(str(path))]


@pytest.fixture(scope="module")
def runtime(knowledge, engine):
    return Runtime(build_snapshot(knowledge, None, engine=engine))


def test_there_are_cases_of_every_kind():
    assert {stem for stem, _ in ITEMS} >= {"contacts", "clarify", "fallback", "conversations"}


@pytest.mark.parametrize("item", [item for _, item in ITEMS], ids=[f"{stem}:{item['id']}" for stem, item in ITEMS])
def test_case(runtime, item):
    result = evaluate(runtime, [item])
    assert result.scored == 1, "a case file item must have expectations"
    for _, k, why, reply in result.failures:
        pytest.fail(f"turn {k + 1} {item['turns'][k]!r}: {'; '.join(why)}\n{reply}")
