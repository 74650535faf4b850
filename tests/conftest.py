"""Shared fixtures: the real knowledge folder, loaded once per test session."""

import os
import threading
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


STAFF_ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "MADOGUCHI_DB": "off", "MADOGUCHI_CACHE_DIR": "off"}


def madoguchi_on(folder, *args):
    """`madoguchi ARGS` as staff run it on a knowledge folder (nothing recorded, no index cache)."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=120,
                          env={**STAFF_ENV, "MADOGUCHI_KNOWLEDGE": str(folder)})


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


class ReadTogether:
    """A conversation store whose reads wait (up to half a second) until another turn has read too: two turns of one
    conversation then both read the state before either saves it, unless the conversation's lock makes the second
    wait for the first to finish (the first's wait then just runs out)."""

    def __init__(self, store, barrier):
        self.store, self.barrier = store, barrier

    def get(self, key):
        state = self.store.get(key)
        try:
            self.barrier.wait(0.5)
        except threading.BrokenBarrierError:
            pass
        return state

    def put(self, key, state):
        self.store.put(key, state)

    def lock(self, key, wait=3.0):
        return self.store.lock(key, wait)


def assert_no_update_is_lost(engine, stores, conversation: str) -> None:
    """「事業承継 宮城」, then 「福島も」 and 「山形も」 at the same moment through `stores` (one store twice, or two replicas'):
    each adds its prefecture to the answer before it, so the conversation must end with all three. Without the
    conversation's lock both additions would read the state with 宮城 alone and one of them would be lost."""
    barrier = threading.Barrier(2)
    Chat(engine, stores[0]).reply(conversation, "事業承継 宮城")
    chats = [Chat(engine, ReadTogether(store, barrier)) for store in stores]
    threads = [threading.Thread(target=chat.reply, args=(conversation, text))
               for chat, text in zip(chats, ("福島も", "山形も"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = stores[0].get(conversation)
    assert set(final.prefectures) == {"宮城", "福島", "山形"}, f"an update was lost: {final.prefectures}"
    assert final.intents == ("succession",)


@pytest.fixture
def render(chat, text_presenter, conversation):
    """The plain-text reply to the last of some turns of one conversation."""
    def _render(*turns):
        answer = None
        for t in turns:
            answer = chat.reply(conversation, t)
        return text_presenter.render(answer)

    return _render


KNOWLEDGE_FIXTURES = frozenset({"knowledge", "engine", "chat", "render", "text_presenter", "imported", "source_lines", "index"})
SERVER_FIXTURES = frozenset({"slack", "bot", "redis_server", "postgres_url", "shared"})
ABOUT_SERVING = ("tests/slack/", "tests/stores/", "tests/curation/test_records")  # they answer, but test serving, recording


def pytest_collection_modifyitems(items):
    """Tests that answer from the knowledge in-process (no server started) are marked `knowledge`: the ones the
    curator-edit test runs again on an edited copy (tests/knowledge/test_curator_edits.py)."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        where = item.path.relative_to(ROOT).as_posix()
        if KNOWLEDGE_FIXTURES & used and not SERVER_FIXTURES & used and not where.startswith(ABOUT_SERVING):
            item.add_marker("knowledge")
