"""What the curators need to see, kept in an embedded SQLite database.

Every answer is counted (surface, kind, category, prefecture); the text of the question and of the reply is
kept only for questions that ended in a fallback or a clarifying question, and for 違う / 役に立った clicks.
Every row carries its Slack workspace. User ids are stored only as keyed hashes (HMAC with MADOGUCHI_USER_HASH_KEY, a secret kept outside the database);
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
import threading
import time
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy.exc import SQLAlchemyError

from bot.core import answer as A
from bot.core.answer import Answer, Gap
from bot.curation.recorder import NullRecorder, Reason, Recorder  # noqa: F401 - the interface this module implements
from bot.curation.retention import PURGE_EVERY, delete_older
from bot.curation.schema import answers, feedback, migrate, open_engine, reasons, sqlite_path, url_for

OUTAGE_QUIET = 60.0  # seconds: a pause soon after a resume is not logged again (a disk nearly full flaps)
KEPT_KINDS = (A.FALLBACK, A.CLARIFY, A.UNKNOWN_NUMBER)
MAX_TEXT = 2000
QUEUE_SIZE = 1000  # rows waiting for the writer; beyond that they are dropped and counted
log = logging.getLogger("madoguchi.records")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class RecordsError(Exception):
    """The database cannot be opened at start-up (one line for the admin)."""


class DatabaseRecorder:
    """Best-effort recorder on the SQLite file (default) or PostgreSQL (DATABASE_URL), written by a background thread
    through one connection of its own."""

    def __init__(self, target: str | os.PathLike, hash_key: bytes | None = None, queue_size: int = QUEUE_SIZE,
                 retention_days: int = 0):
        self.url = url_for(target)
        self.path = sqlite_path(self.url)  # None for a database server
        self._key = hash_key
        self.retention_days = retention_days  # rows older than this are deleted by the writer (0: kept)
        self._purged = float("-inf")  # when they last were (monotonic)
        try:
            self._open()
        except (OSError, SQLAlchemyError) as e:
            where = self.path or self.url.split("@")[-1]
            raise RecordsError(f"the records database {where} cannot be opened ({str(e).splitlines()[0]}); fix "
                               f"DATABASE_URL or MADOGUCHI_DB, or set MADOGUCHI_DB=off") from None
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self.dropped = 0  # rows lost: the queue was full, or the database refused them
        self._outage = ""  # why writing fails, while it does
        self._outage_logged, self._said_outage = -OUTAGE_QUIET, False
        self._dropped_at_outage = 0
        self._thread = threading.Thread(target=self._write_forever, name="records", daemon=True)
        self._thread.start()

    def user_hash(self, user: str) -> str | None:
        """A keyed hash: lets the report count distinct users; without the key nobody can tell who they are."""
        if not user or not self._key:
            return None
        return hmac.new(self._key, user.encode(), hashlib.sha256).hexdigest()[:16]

    def answered(self, surface: str, question: str, answer: Answer, user: str, reply: Callable[[], str],
                 team: str = "") -> None:
        # the text of what went unanswered; 「ほかには？」 with nothing more to show was answered (there is no more)
        keep = answer.kind in KEPT_KINDS and not (answer.missing and answer.missing.gap == Gap.NO_MORE)
        self._put((answers, {"at": utc_now(), "surface": surface, "kind": str(answer.kind),
                             "category": answer.category or None, "prefecture": answer.prefecture or None,
                             "intent": answer.intent or None, "question": question[:MAX_TEXT] if keep else None,
                             "reply": reply()[:MAX_TEXT] if keep else None, "user_hash": self.user_hash(user),
                             "team": team or None}))

    def feedback(self, surface: str, helpful: bool, question: str, answer_summary: str, user: str,
                 team: str = "") -> None:
        self._put((feedback, {"at": utc_now(), "surface": surface, "helpful": int(helpful), "question": question[:MAX_TEXT],
                              "reply": answer_summary[:MAX_TEXT], "user_hash": self.user_hash(user), "team": team or None}))

    def reason(self, surface: str, reason: Reason, question: str, contacts, user: str, team: str = "") -> None:
        self._put((reasons, {"at": utc_now(), "surface": surface, "reason": str(reason), "question": question[:MAX_TEXT],
                             "contacts": ",".join(contacts)[:MAX_TEXT], "user_hash": self.user_hash(user),
                             "team": team or None}))

    def _put(self, row) -> None:
        try:
            self._queue.put_nowait(row)
        except queue.Full:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning("records queue full: %d row(s) dropped so far (answers go on)", self.dropped)

    # ------------------------------------------------------------------ the writer thread
    def _write_forever(self) -> None:
        self._purge()
        while True:
            row = self._queue.get()
            try:
                if row is None:
                    return
                self._write(*row)
                self._purge()
            finally:
                self._queue.task_done()

    def _purge(self) -> None:
        """Delete the rows older than the retention, once a day (on the writer's connection: no lock taken)."""
        if self.retention_days <= 0 or time.monotonic() - self._purged < PURGE_EVERY:
            return
        self._purged = time.monotonic()
        try:
            deleted = delete_older(self.connection, self.retention_days)
            self.connection.commit()
        except (SQLAlchemyError, OSError) as e:
            self._rollback()
            log.warning("old records could not be deleted now (%s); trying again tomorrow", str(e).splitlines()[0])
            return
        if any(deleted.values()):
            log.info("records older than %d days deleted: %s", self.retention_days, deleted)

    def _write(self, table, values: dict) -> None:
        try:
            if self.path is not None and not self.path.exists():  # deleted: a new file, rather than writing nowhere
                self._reopen("the database file was deleted")
            self.connection.execute(table.insert(), values)
            self.connection.commit()
        except (SQLAlchemyError, OSError) as e:
            self._rollback()
            self.dropped += 1
            if not self._outage:
                self._outage, self._dropped_at_outage = str(e), self.dropped - 1
                # a nearly full disk lets a small row through now and then: said once a minute, not at each flap
                self._said_outage = time.monotonic() - self._outage_logged >= OUTAGE_QUIET
                if self._said_outage:
                    self._outage_logged = time.monotonic()
                    log.error("recording paused: %s (%s); the bot keeps answering, rows are dropped until it recovers",
                              str(e).splitlines()[0], self.path or self.url.split("@")[-1])
            return
        if self._outage:
            if self._said_outage:
                log.warning("recording resumed (%s); %d row(s) were dropped", self.path or self.url.split("@")[-1],
                            self.dropped - self._dropped_at_outage)
            self._outage = ""

    def _open(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = open_engine(self.url)
        migrate(self.engine)
        self.connection = self.engine.connect()

    def _rollback(self) -> None:
        try:
            self.connection.rollback()
        except (SQLAlchemyError, OSError):
            pass

    def _reopen(self, why: str) -> None:
        log.warning("%s: creating %s again", why, self.path)
        self.connection.close()
        self.engine.dispose()
        self._open()

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
        self.connection.close()
        self.engine.dispose()


def open_recorder(target: str | os.PathLike | None, hash_key: bytes | None = None, retention_days: int = 0) -> Recorder:
    """The recorder for a database file or URL (None: records nothing); raises RecordsError if it cannot be opened.
    retention_days: older rows are deleted (0: kept)."""
    return DatabaseRecorder(target, hash_key, retention_days=retention_days) if target else NullRecorder()
