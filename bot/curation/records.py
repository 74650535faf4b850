"""What the curators need to see, kept in an embedded SQLite database.

Every answer is counted (surface, kind, category, prefecture); the text of the question and of the reply is
kept only for questions that ended in a fallback or a clarifying question, and for 違う / 役に立った clicks.
User ids are stored only as keyed hashes (HMAC with MADOGUCHI_USER_HASH_KEY, a secret kept outside the database);
tokens are never stored.

Recording is best-effort: rows go through a bounded queue to one writer thread, so a locked, read-only, full or
deleted database never delays or replaces an answer. An outage is logged once when it starts and once when it ends
(with the number of rows dropped); rows are dropped and counted while the queue is full.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import queue
import sqlite3
import threading
import time
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
QUEUE_SIZE = 1000  # rows waiting for the writer; beyond that they are dropped and counted
BUSY_TIMEOUT = 0.5  # seconds SQLite waits for a lock held by another process before giving up on a row
INSERT_ANSWER = ("INSERT INTO answers(at, surface, kind, category, prefecture, intent, question, reply, user_hash) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
INSERT_FEEDBACK = "INSERT INTO feedback(at, surface, helpful, question, reply, user_hash) VALUES (?, ?, ?, ?, ?, ?)"
log = logging.getLogger("madoguchi.records")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class RecordsError(Exception):
    """The database cannot be opened at start-up (one line for the admin)."""


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


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")  # the report reads while the bot writes
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    return db


class SqliteRecorder:
    """Best-effort recorder on one SQLite file, written by a background thread."""

    def __init__(self, path: str | os.PathLike, hash_key: bytes | None = None, queue_size: int = QUEUE_SIZE):
        self.path = Path(path)
        self._key = hash_key
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = _connect(self.path)
        except (OSError, sqlite3.Error) as e:
            raise RecordsError(f"the records database {self.path} cannot be opened ({e}); fix MADOGUCHI_DB or set "
                               f"it to off") from None
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self.dropped = 0  # rows lost: the queue was full, or the database refused them
        self._outage = ""  # why writing fails, while it does
        self._dropped_at_outage = 0
        self._thread = threading.Thread(target=self._write_forever, name="records", daemon=True)
        self._thread.start()

    def user_hash(self, user: str) -> str | None:
        """A keyed hash: lets the report count distinct users; without the key nobody can tell who they are."""
        if not user or not self._key:
            return None
        return hmac.new(self._key, user.encode(), hashlib.sha256).hexdigest()[:16]

    def answered(self, surface: str, question: str, answer: Answer, user: str, reply: Callable[[], str]) -> None:
        keep = answer.kind in KEPT_KINDS
        self._put((INSERT_ANSWER, (utc_now(), surface, str(answer.kind), answer.category or None, answer.prefecture or None,
                                   answer.intent or None, question[:MAX_TEXT] if keep else None,
                                   reply()[:MAX_TEXT] if keep else None, self.user_hash(user))))

    def feedback(self, surface: str, helpful: bool, question: str, answer_summary: str, user: str) -> None:
        self._put((INSERT_FEEDBACK, (utc_now(), surface, int(helpful), question[:MAX_TEXT], answer_summary[:MAX_TEXT],
                                     self.user_hash(user))))

    def _put(self, row) -> None:
        try:
            self._queue.put_nowait(row)
        except queue.Full:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning("records queue full: %d row(s) dropped so far (answers go on)", self.dropped)

    # ------------------------------------------------------------------ the writer thread
    def _write_forever(self) -> None:
        while True:
            row = self._queue.get()
            try:
                if row is None:
                    return
                self._write(*row)
            finally:
                self._queue.task_done()

    def _write(self, sql: str, values: tuple) -> None:
        try:
            if not self.path.exists():  # the file (or its folder) was deleted: start a new one rather than write nowhere
                self._reopen("the database file was deleted")
            self._db.execute(sql, values)
        except (sqlite3.Error, OSError) as e:
            self.dropped += 1
            if not self._outage:
                self._outage, self._dropped_at_outage = str(e), self.dropped - 1
                log.error("recording paused: %s (%s); the bot keeps answering, rows are dropped until it recovers",
                          e, self.path)
            return
        if self._outage:
            log.warning("recording resumed (%s); %d row(s) were dropped", self.path, self.dropped - self._dropped_at_outage)
            self._outage = ""

    def _reopen(self, why: str) -> None:
        log.warning("%s: creating %s again", why, self.path)
        self._db.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = _connect(self.path)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued row has been written (or dropped); True if done within the timeout."""
        deadline = time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._queue.all_tasks_done.wait(left)
        return True

    def close(self) -> None:
        self.flush()
        try:
            self._queue.put(None, timeout=1)
            self._thread.join(timeout=2)
        except queue.Full:
            pass
        self._db.close()


def open_recorder(path: str | os.PathLike | None, hash_key: bytes | None = None) -> Recorder:
    """The recorder for a database file (None: records nothing); raises RecordsError if it cannot be opened."""
    return SqliteRecorder(path, hash_key) if path else NullRecorder()
