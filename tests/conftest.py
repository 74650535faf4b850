"""Shared fixtures: the real knowledge folder, loaded once per test session."""

import os
from pathlib import Path

import pytest

# Tests never write to the curators' records in the working tree; tests of recording pass their own file.
os.environ["MADOGUCHI_DB"] = "off"

from bot.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
# The knowledge the tests answer from: the repository's, or (MADOGUCHI_TEST_KNOWLEDGE) a copy edited as staff edit it —
# tests/knowledge/test_curator_edits.py runs the whole suite on such a copy. Commands the tests start read it too.
KNOWLEDGE_DIR = Path(os.environ.get("MADOGUCHI_TEST_KNOWLEDGE") or ROOT / "knowledge")
if os.environ.get("MADOGUCHI_TEST_KNOWLEDGE"):
    os.environ["MADOGUCHI_KNOWLEDGE"] = str(KNOWLEDGE_DIR)


def number_of(contact_id: str, index: int = 0) -> str:
    """A contact's phone number in today's knowledge: tests name offices by id, never by today's numbers."""
    return _knowledge_now().contact_by_id[contact_id].phones[index].number


def _knowledge_now():
    global _LOADED
    if _LOADED is None:
        _LOADED = load_knowledge(KNOWLEDGE_DIR)
    return _LOADED


_LOADED = None


@pytest.fixture(scope="session")
def knowledge():
    return _knowledge_now()


IMPORTED_DIR = ROOT / "tests" / "fixtures" / "imported"


@pytest.fixture(scope="session")
def imported(tmp_path_factory):
    """The contact tables as imported from the source (a frozen fixture) over today's other knowledge files: what
    the fidelity tests check, so that staff edits to knowledge/ never break them."""
    import shutil

    folder = tmp_path_factory.mktemp("imported") / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    for table in (IMPORTED_DIR / "contacts").glob("*.csv"):
        shutil.copy(table, folder / "contacts" / table.name)
    return load_knowledge(folder)


@pytest.fixture(scope="session")
def source_lines():
    text = (KNOWLEDGE_DIR / "source" / "toiawase_ichiran.txt").read_text(encoding="utf-8")
    return text.split("\n")


@pytest.fixture(scope="session")
def tokenizer():
    from bot.language.tokenizer import get_tokenizer

    return get_tokenizer()


@pytest.fixture(scope="session")
def engine(knowledge, tokenizer):
    from bot.core.engine import Engine

    return Engine(knowledge, tokenizer)


class Chat:
    """The engine with its conversations kept between messages, as the runtime keeps them: for tests that talk."""

    def __init__(self, engine, store=None):
        from bot.core.turns import Conversations

        self.engine = engine
        self.conversations = Conversations(store)
        self.store = self.conversations.store

    def reply(self, conversation: str, text: str):
        return self.conversations.reply(self.engine, conversation, text)

    def choose(self, conversation: str, value: str):
        return self.conversations.choose(self.engine, conversation, value)


@pytest.fixture(scope="session")
def chat(engine):
    return Chat(engine)


@pytest.fixture(scope="session")
def text_presenter(knowledge):
    from bot.presenters.text import TextPresenter

    return TextPresenter(knowledge)


@pytest.fixture
def conversation(request):
    """A conversation id of its own for each test."""
    return f"test:{request.node.nodeid}"


def assert_no_update_is_lost(chats, conversation: str) -> None:
    """「事業承継の相談をしたい」, then 「宮城」 and 「福島は？」 at the same moment through `chats` (one chat twice, or two
    replicas): whichever runs first answers the pending question with its place, the other follows up on that topic.
    Without the conversation's lock both would read the first state and one update would be lost."""
    import threading

    from bot.core import answer as A

    chats[0].reply(conversation, "事業承継の相談をしたい")
    answers = []
    threads = [threading.Thread(target=lambda chat=chat, text=text: answers.append(chat.reply(conversation, text)))
               for chat, text in zip(chats, ("宮城", "福島は？"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.kind for a in answers] == [A.CONTACTS, A.CONTACTS]
    assert {a.prefecture for a in answers} == {"宮城県", "福島県"} and all(a.intent == "succession" for a in answers)


@pytest.fixture
def render(chat, text_presenter, conversation):
    """The plain-text reply to the last of some turns of one conversation."""
    def _render(*turns):
        answer = None
        for t in turns:
            answer = chat.reply(conversation, t)
        return text_presenter.render(answer)

    return _render
