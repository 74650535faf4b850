"""Start-up shared by every front end: load the knowledge (refusing to start on problems) and build the engine."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Protocol

from bot.core.conversation import StateStore
from bot.core.answer import Answer
from bot.core.engine import Engine
from bot.core.index import cached_index, default_cache_dir
from bot.knowledge import Knowledge, KnowledgeError, load_knowledge
from bot.presenters.text import TextPresenter


class Recorder(Protocol):
    """Where answers and feedback are recorded for the curators (see bot.curation)."""

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
    """The core as the front ends use it: answer, record, render."""

    knowledge: Knowledge
    engine: Engine
    text: TextPresenter
    recorder: Recorder = field(default_factory=NullRecorder)

    def ask(self, surface: str, conversation: str, question: str, user: str = "") -> Answer:
        """Answer a message in a conversation and record it."""
        answer = self.engine.reply(conversation, question)
        self.recorder.answered(surface, question, answer, user)
        return answer

    def choose(self, surface: str, conversation: str, value: str, user: str = "") -> Answer:
        """Answer the click on a clarifying choice and record it."""
        answer = self.engine.choose(conversation, value)
        self.recorder.answered(surface, self.engine.choice_label(value), answer, user)
        return answer


def build_runtime(knowledge_dir: str | None = None, store: StateStore | None = None,
                  cache_dir: str | os.PathLike | None | bool = True) -> Runtime:
    """Load and validate the knowledge and build the engine; raises KnowledgeError.

    cache_dir: where the knowledge index is cached (True: the default folder; None/False: no cache).
    """
    knowledge = load_knowledge(knowledge_dir)
    folder = default_cache_dir() if cache_dir is True else (cache_dir or None)
    index = cached_index(knowledge, folder)
    return Runtime(knowledge, Engine(knowledge, store=store, index=index), TextPresenter(knowledge))


def build_runtime_or_exit(knowledge_dir: str | None = None, store: StateStore | None = None) -> Runtime:
    """Like build_runtime, but print every knowledge problem as `path:line: message` and exit 1."""
    try:
        return build_runtime(knowledge_dir, store)
    except KnowledgeError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print(f"{len(e.problems)} problem(s) in the knowledge files; not starting.", file=sys.stderr)
        raise SystemExit(1)
