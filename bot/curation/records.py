"""What the curators need to see, kept in an embedded SQLite database.

Every answer is counted (surface, kind, category, prefecture); the text of the question and of the reply is
kept only for questions that ended in a fallback or a clarifying question, and for 違う / 役に立った clicks.
User ids are stored only as salted hashes; tokens are never stored.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Protocol

from bot.core import answer as A
from bot.core.answer import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,               -- UTC, ISO 8601
    surface TEXT NOT NULL,          -- console, mention, dm, command, button, share …
    kind TEXT NOT NULL,             -- contacts, clarify, fallback, reverse, …
    category TEXT,
    prefecture TEXT,
    intent TEXT,
    question TEXT,                  -- kept for fallback and clarify only
    reply TEXT,                     -- what the bot answered, for fallback and clarify only
    user_hash TEXT
);
CREATE INDEX IF NOT EXISTS answers_at ON answers(at);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    surface TEXT NOT NULL,
    helpful INTEGER NOT NULL,       -- 1: 役に立った, 0: 違う
    question TEXT NOT NULL,
    reply TEXT NOT NULL,            -- what the bot had answered (kind and contact ids)
    user_hash TEXT
);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback(at);
"""
KEPT_KINDS = (A.FALLBACK, A.CLARIFY, A.UNKNOWN_NUMBER)
MAX_TEXT = 2000


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Recorder(Protocol):
    """Where answers and feedback are recorded for the curators. `reply` renders the answer's text, called only
    when the text is kept."""

    def answered(self, surface: str, question: str, answer: Answer, user: str, reply: Callable[[], str]) -> None: ...

    def feedback(self, surface: str, helpful: bool, question: str, answer_summary: str, user: str) -> None: ...


class NullRecorder:
    """Records nothing."""

    def answered(self, surface: str, question: str, answer: Answer, user: str, reply: Callable[[], str]) -> None:
        pass

    def feedback(self, surface: str, helpful: bool, question: str, answer_summary: str, user: str) -> None:
        pass


class SqliteRecorder:
    """Thread-safe recorder on one SQLite file (WAL journal, so the report can read while the bot writes)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key='salt'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta(key, value) VALUES ('salt', ?)", (secrets.token_hex(16),))
                row = self._db.execute("SELECT value FROM meta WHERE key='salt'").fetchone()
            self._salt = row[0]

    def user_hash(self, user: str) -> str | None:
        """A salted hash: lets the report count distinct users without storing who they are."""
        if not user:
            return None
        return hashlib.sha256(f"{self._salt}:{user}".encode()).hexdigest()[:16]

    def answered(self, surface: str, question: str, answer: Answer, user: str, reply: Callable[[], str]) -> None:
        keep = answer.kind in KEPT_KINDS
        row = (utc_now(), surface, answer.kind, answer.category or None, answer.prefecture or None, answer.intent or None,
               question[:MAX_TEXT] if keep else None, reply()[:MAX_TEXT] if keep else None,
               self.user_hash(user))
        with self._lock:
            self._db.execute("INSERT INTO answers(at, surface, kind, category, prefecture, intent, question, reply, user_hash) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)

    def feedback(self, surface: str, helpful: bool, question: str, answer_summary: str, user: str) -> None:
        with self._lock:
            self._db.execute("INSERT INTO feedback(at, surface, helpful, question, reply, user_hash) VALUES (?, ?, ?, ?, ?, ?)",
                             (utc_now(), surface, int(helpful), question[:MAX_TEXT], answer_summary[:MAX_TEXT],
                              self.user_hash(user)))

    def close(self) -> None:
        with self._lock:
            self._db.close()


def open_recorder(path: str | os.PathLike | None) -> Recorder:
    """The recorder for a database file (None: records nothing)."""
    return SqliteRecorder(path) if path else NullRecorder()
