"""The work after Slack has been answered "200": understanding, answering and posting, on a pool of its own.

Bolt runs listeners on one small pool; a listener that waits on a slow Web API there holds up every slash command
and button click behind it (Slack gives up after 3 seconds). So listeners only acknowledge and hand the slow part to
a Workers pool: bounded threads and a bounded queue. When the queue is full, submit() says so at once and the
caller answers 「混み合っています」 rather than a reply minutes late. On shutdown, drain() waits for what was accepted.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

log = logging.getLogger("madoguchi.workers")


class Workers:
    def __init__(self, threads: int, queue: int, name: str):
        self.name = name
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
        self._slots = threading.BoundedSemaphore(threads + queue)
        self._done = threading.Condition()
        self.pending = 0
        self.rejected = 0
        self._closed = False

    def submit(self, job: Callable[..., object], *args) -> bool:
        """Run job(*args) on the pool; False (and nothing run) when the pool and its queue are full."""
        if not self._slots.acquire(blocking=False):
            with self._done:
                self.rejected += 1
            return False
        with self._done:
            self.pending += 1
        try:
            self._executor.submit(self._run, job, args)
        except RuntimeError:  # shut down
            self._finished()
            return False
        return True

    def _run(self, job, args) -> None:
        try:
            if not self._closed:
                job(*args)
        except Exception:
            log.exception("%s: a job failed", self.name)
        finally:
            self._finished()

    def _finished(self) -> None:
        self._slots.release()
        with self._done:
            self.pending -= 1
            self._done.notify_all()

    def drain(self, timeout: float) -> bool:
        """Wait until every accepted job has finished, at most `timeout` seconds; True if they all did."""
        deadline = time.monotonic() + timeout
        with self._done:
            while self.pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._done.wait(left)
        return True

    def close(self) -> None:
        """Take no more jobs and skip those still waiting (each still counts as finished); running ones go on."""
        self._closed = True
        self._executor.shutdown(wait=False)
