"""The core as the front ends use it: one immutable snapshot of knowledge, engine and presenter; conversations
kept around the engine; records for the curators; reload without a restart."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple

from bot.core.answer import Answer
from bot.core.conversation import LOCK_WAIT, StateStore
from bot.core.engine import Engine
from bot.core.index_cache import cached_index
from bot.core.turns import Conversations
from bot.curation.recorder import NullRecorder, Recorder
from bot.knowledge import Knowledge, KnowledgeError, Problem, load_knowledge
from bot.language.tokenizer import Tokenizer, get_tokenizer
from bot.presenters.text import TextPresenter


@dataclass(frozen=True)
class Snapshot:
    """Everything made from one version of the knowledge; a reload replaces it whole."""

    knowledge: Knowledge
    engine: Engine
    text: TextPresenter


def build_snapshot(knowledge: Knowledge, cache_dir: Path | None, tokenizer: Tokenizer | None = None,
                   engine: Engine | None = None) -> Snapshot:
    tokenizer = tokenizer or get_tokenizer()
    engine = engine or Engine(knowledge, tokenizer, index=cached_index(knowledge, cache_dir))
    return Snapshot(knowledge, engine, TextPresenter(knowledge))


class Reply(NamedTuple):
    """An answer and the snapshot it was made from: render it with that snapshot's presenters."""

    answer: Answer
    snapshot: Snapshot

    @property
    def text(self) -> str:
        return self.snapshot.text.render(self.answer)


class Runtime:
    def __init__(self, snapshot: Snapshot, conversations: Conversations | None = None,
                 recorder: Recorder | None = None, cache_dir: Path | None = None, source=None):
        self.snapshot = snapshot
        self.source = source  # a bot.curation.source.KnowledgeSource: the folder and the versions curators applied
        self.conversations = conversations or Conversations()
        self.recorder: Recorder = recorder or NullRecorder()
        self.cache_dir = cache_dir
        self._reload_lock = threading.Lock()

    @property
    def knowledge(self) -> Knowledge:
        return self.snapshot.knowledge

    def ask(self, surface: str, conversation: str, question: str, user: str = "", team: str = "",
            forgot: bool = False, wait: float = LOCK_WAIT, follow_ups_only: bool = False) -> Reply | None:
        """Answer a message in a conversation and record it (team: the Slack workspace, on the record). forgot: the
        conversation's earlier turns are lost (its state expired or Redis lost it): the answer says so. wait: at most
        this long for the conversation's previous message (an answer acknowledged within Slack's 3 s waits less).
        follow_ups_only: a message in a thread people share: None — not answered, not recorded — unless it is for
        the bot."""
        snapshot = self.snapshot  # one snapshot for the whole answer, even if a reload swaps it meanwhile
        answer = self.conversations.reply(snapshot.engine, conversation, question, wait, follow_ups_only)
        if answer is None:
            return None
        if forgot:
            answer = answer._replace(forgot=True)
        reply = Reply(answer, snapshot)
        self.recorder.answered(surface, question, answer, user, lambda: reply.text, team)
        return reply

    def choose(self, surface: str, conversation: str, value: str, user: str = "", team: str = "") -> Reply:
        """Answer the click on a clarifying choice and record it."""
        snapshot = self.snapshot
        answer = self.conversations.choose(snapshot.engine, conversation, value)
        reply = Reply(answer, snapshot)
        self.recorder.answered(surface, snapshot.engine.choice_label(value), answer, user, lambda: reply.text, team)
        return reply

    def reload(self, knowledge_dir: str | os.PathLike | None = None) -> list[Problem]:
        """Load the knowledge files again (from its source: the folder and the versions applied since). They are
        validated first: on any problem nothing changes and the problems are returned; otherwise a new snapshot
        replaces the old one (conversations continue)."""
        with self._reload_lock:
            try:
                if knowledge_dir is None and self.source is not None:
                    knowledge = self.source.load()
                else:
                    knowledge = load_knowledge(knowledge_dir or self.knowledge.root)
            except KnowledgeError as e:
                return e.problems
            old = self.snapshot.engine
            engine = Engine(knowledge, old.understander.tokenizer, index=cached_index(knowledge, self.cache_dir),
                            clock=old.clock)
            self.snapshot = build_snapshot(knowledge, self.cache_dir, engine=engine)
            return []


def build_runtime(knowledge_dir: str | os.PathLike, store: StateStore | None = None, cache_dir: Path | None = None,
                  recorder: Recorder | None = None, source=None) -> Runtime:
    """Load and validate the knowledge and build the engine; raises KnowledgeError.

    cache_dir: where the tokenized knowledge index is cached (None: no cache). source: a KnowledgeSource (the folder
    with the versions curators applied), loaded instead of the folder alone."""
    snapshot = build_snapshot(source.load() if source is not None else load_knowledge(knowledge_dir), cache_dir)
    return Runtime(snapshot, Conversations(store), recorder, cache_dir, source)


def exit_on_problems(build: Callable[[], Runtime]) -> Runtime:
    """Run a build; on knowledge problems print each as `path:line: message` and exit 1."""
    import sys

    try:
        return build()
    except KnowledgeError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print(f"知識ファイルに問題が {len(e.problems)} 件あるため起動しません（madoguchi check-knowledge で確かめられます）。",
              file=sys.stderr)
        raise SystemExit(1) from None
