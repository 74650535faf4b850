"""Start-up shared by every front end: load the knowledge (refusing to start on problems), build the engine,
record for the curators, and reload the knowledge without a restart."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Protocol

from bot.core.answer import Answer
from bot.core.conversation import StateStore
from bot.core.engine import Engine
from bot.core.index import cached_index, default_cache_dir
from bot.knowledge import Knowledge, KnowledgeError, Problem, load_knowledge
from bot.presenters.text import TextPresenter


class Recorder(Protocol):
    """Where answers and feedback are recorded for the curators (see bot.curation.records)."""

    def answered(self, surface: str, question: str, answer: Answer, user: str) -> None: ...

    def feedback(self, surface: str, helpful: bool, question: str, answer_summary: str, user: str) -> None: ...


class NullRecorder:
    """Records nothing."""

    def answered(self, surface: str, question: str, answer: Answer, user: str) -> None:
        pass

    def feedback(self, surface: str, helpful: bool, question: str, answer_summary: str, user: str) -> None:
        pass


@dataclass
class Runtime:
    """The core as the front ends use it: answer, record, render, reload."""

    knowledge: Knowledge
    engine: Engine
    text: TextPresenter
    recorder: Recorder = field(default_factory=NullRecorder)
    cache_dir: str | os.PathLike | None = None
    _reload_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def ask(self, surface: str, conversation: str, question: str, user: str = "") -> Answer:
        """Answer a message in a conversation and record it."""
        engine = self.engine  # one engine for the whole answer, even if a reload swaps it meanwhile
        answer = engine.reply(conversation, question)
        self.recorder.answered(surface, question, answer, user)
        return answer

    def choose(self, surface: str, conversation: str, value: str, user: str = "") -> Answer:
        """Answer the click on a clarifying choice and record it."""
        engine = self.engine
        answer = engine.choose(conversation, value)
        self.recorder.answered(surface, engine.choice_label(value), answer, user)
        return answer

    def reload(self, knowledge_dir: str | None = None) -> list[Problem]:
        """Load the knowledge files again. They are validated first: on any problem nothing changes and the
        problems are returned; otherwise the new knowledge replaces the old one (conversations continue)."""
        with self._reload_lock:
            try:
                knowledge = load_knowledge(knowledge_dir or self.knowledge.root)
            except KnowledgeError as e:
                return e.problems
            old = self.engine
            engine = Engine(knowledge, tokenizer=old.understander.tokenizer, store=old.store,
                            index=cached_index(knowledge, self.cache_dir), clock=old.clock)
            self.knowledge, self.engine, self.text = knowledge, engine, TextPresenter(knowledge)
            return []


def build_runtime(knowledge_dir: str | None = None, store: StateStore | None = None,
                  cache_dir: str | os.PathLike | None | bool = True, database: str | None = "off") -> Runtime:
    """Load and validate the knowledge and build the engine; raises KnowledgeError.

    cache_dir: where the knowledge index is cached (True: the default folder; None/False: no cache).
    database: the SQLite file for the curators' records (None: $MADOGUCHI_DB or var/madoguchi.sqlite3; 'off': none).
    """
    from bot.curation.records import open_recorder

    knowledge = load_knowledge(knowledge_dir)
    folder = default_cache_dir() if cache_dir is True else (cache_dir or None)
    index = cached_index(knowledge, folder)
    text = TextPresenter(knowledge)
    runtime = Runtime(knowledge, Engine(knowledge, store=store, index=index), text, cache_dir=folder)
    runtime.recorder = open_recorder(database, summarize=lambda answer: runtime.text.render(answer))
    return runtime


def build_runtime_or_exit(knowledge_dir: str | None = None, store: StateStore | None = None,
                          database: str | None = "off") -> Runtime:
    """Like build_runtime, but print every knowledge problem as `path:line: message` and exit 1."""
    try:
        return build_runtime(knowledge_dir, store, database=database)
    except KnowledgeError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print(f"{len(e.problems)} problem(s) in the knowledge files; not starting.", file=sys.stderr)
        raise SystemExit(1) from None
