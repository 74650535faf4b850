"""Start-up shared by every front end: load the knowledge (refusing to start on problems) and build the engine."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from bot.core.conversation import StateStore
from bot.core.engine import Engine
from bot.core.index import cached_index, default_cache_dir
from bot.knowledge import Knowledge, KnowledgeError, load_knowledge
from bot.presenters.text import TextPresenter


@dataclass
class Runtime:
    knowledge: Knowledge
    engine: Engine
    text: TextPresenter


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
