"""Shared fixtures: the real knowledge folder, loaded once per test session."""

import os
from pathlib import Path

import pytest

# Tests never write to the curators' records in the working tree; tests of recording pass their own file.
os.environ["MADOGUCHI_DB"] = "off"

from bot.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = ROOT / "knowledge"


@pytest.fixture(scope="session")
def knowledge():
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def source_lines(knowledge):
    text = Path(knowledge.source_path).read_text(encoding="utf-8")
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
