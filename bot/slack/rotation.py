"""Token rotation with several replicas: one refresh at a time per installation.

Slack invalidates a refresh token once used, so two replicas refreshing the same installation at once would leave
one of them with a dead token. Refreshes are therefore serialised per installation — by a PostgreSQL advisory lock
(several replicas), or a lock in this process (the SQLite file: one replica) — and inside the lock the installation
is read again from the store: a replica that waited finds the token another one has just refreshed, and uses it.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from typing import Iterator

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import text
from sqlalchemy.engine import Engine


class SerializedTokenRotator(TokenRotator):
    def __init__(self, *, client_id: str, client_secret: str, client, store, engine: Engine, reader=None):
        """store: where refreshed tokens are saved; reader: where the latest copy is read (not a cache: another
        replica may have just refreshed the token); by default the store itself."""
        super().__init__(client_id=client_id, client_secret=client_secret, client=client)
        self.store, self.engine, self.reader = store, engine, reader or store
        self._local: dict[int, threading.Lock] = {}
        self._local_guard = threading.Lock()
        self._held = threading.local()  # keys this thread holds already

    def perform_token_rotation(self, *, installation: Installation,
                               minutes_before_expiration: int = 120) -> Installation | None:
        return self._serialised(installation, (installation.bot_token_expires_at, installation.user_token_expires_at),
                                lambda: self.reader.find_installation(enterprise_id=installation.enterprise_id,
                                                                     team_id=installation.team_id,
                                                                     is_enterprise_install=installation.is_enterprise_install),
                                lambda latest: super(SerializedTokenRotator, self).perform_token_rotation(
                                    installation=latest, minutes_before_expiration=minutes_before_expiration),
                                self.store.save, lambda x: (x.bot_token, x.user_token), minutes_before_expiration)

    def perform_bot_token_rotation(self, *, bot: Bot, minutes_before_expiration: int = 120) -> Bot | None:
        return self._serialised(bot, (bot.bot_token_expires_at,),
                                lambda: self.reader.find_bot(enterprise_id=bot.enterprise_id, team_id=bot.team_id,
                                                            is_enterprise_install=bot.is_enterprise_install),
                                lambda latest: super(SerializedTokenRotator, self).perform_bot_token_rotation(
                                    bot=latest, minutes_before_expiration=minutes_before_expiration),
                                self.store.save_bot, lambda x: x.bot_token, minutes_before_expiration)

    def _serialised(self, current, expires_at, find_latest, rotate, save, tokens, minutes: int):
        """Rotate under the installation's lock, from its latest stored copy; None when there is nothing new."""
        if not _expiring(expires_at, minutes):
            return None
        with self._lock(current.enterprise_id, current.team_id):
            latest = find_latest() or current
            refreshed = rotate(latest)
            if refreshed is not None:
                save(refreshed)
                return refreshed
            return latest if tokens(latest) != tokens(current) else None

    @contextlib.contextmanager
    def _lock(self, enterprise_id: str | None, team_id: str | None) -> Iterator[None]:
        key = zlib.crc32(f"madoguchi-rotation:{enterprise_id or ''}:{team_id or ''}".encode())
        held = self._held.__dict__.setdefault("keys", set())
        if key in held:  # the installation's rotation refreshes its bot token through the bot's rotation: same lock
            yield
            return
        held.add(key)
        try:
            with self._acquired(key):
                yield
        finally:
            held.discard(key)

    @contextlib.contextmanager
    def _acquired(self, key: int) -> Iterator[None]:
        if self.engine.dialect.name != "postgresql":
            with self._local_guard:
                lock = self._local.setdefault(key, threading.Lock())
            with lock:
                yield
            return
        with self.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


def _expiring(expires_at: tuple[int | None, ...], minutes: int) -> bool:
    deadline = time.time() + minutes * 60
    return any(at is not None and at <= deadline for at in expires_at)
