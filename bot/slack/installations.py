"""Each workspace's installation (OAuth mode): kept apart from the curators' records, its tokens encrypted at rest,
and served from a bounded cache when the database is slow or down.

- Encrypted: every bot, user and refresh token is stored as a Fernet token (cryptography's MultiFernet over the keys of
  MADOGUCHI_TOKEN_KEY: the first encrypts, any decrypts, so a key can be rotated). A token stored in clear by an
  earlier version is still read, and encrypted in place at start-up (encrypt_stored).
- Cached: an installation found is kept (at most MAX_CACHED, the least recently used going first). Within FRESH
  seconds it is served without asking the database; later it is asked again, and if the database fails (down,
  unreachable, slow past its timeout) the cached copy is served for up to STALE seconds — installed workspaces keep
  being answered — while the database is left alone for RETRY seconds after each failure (no request waits on it).
  A look-up waits DB_WAIT seconds at most (run on a small pool of its own: a database that accepts connections and
  then never answers cannot hold a request past Slack's 3 s). The outage is logged once when it starts and once when
  it ends; `state()` says it for /healthz.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong
from typing import Callable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from sqlalchemy import Text, select, text, update
from sqlalchemy.exc import SQLAlchemyError

TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
FRESH, STALE, RETRY, DB_WAIT = 60.0, 24 * 3600.0, 10.0, 1.0  # seconds
MAX_CACHED = 5_000
log = logging.getLogger("madoguchi.installations")


def fernet(keys: tuple[str, ...]) -> MultiFernet:
    """The cipher of MADOGUCHI_TOKEN_KEY's keys (checked by the settings)."""
    return MultiFernet([Fernet(k.encode()) for k in keys])


def widen_token_columns(metadata) -> None:
    """slack_sdk's tables keep tokens in VARCHAR(200); an encrypted token is longer: TEXT before the tables exist."""
    for table in metadata.tables.values():
        for name in TOKEN_FIELDS:
            if name in table.c:
                table.c[name].type = Text()


class EncryptedInstallationStore(InstallationStore):
    """slack_sdk's installation store with every token encrypted on the way in and decrypted on the way out."""

    def __init__(self, inner: InstallationStore, cipher: MultiFernet):
        self.inner, self.cipher = inner, cipher

    @property
    def logger(self) -> logging.Logger:
        return log

    def _encrypt(self, record):
        stored = copy.copy(record)
        for f in TOKEN_FIELDS:
            value = getattr(record, f, None)
            if isinstance(value, str) and value:
                setattr(stored, f, self.cipher.encrypt(value.encode()).decode())
        return stored

    def decrypt(self, value: str | None) -> str | None:
        if not value or value.startswith(("xox", "xapp-")):  # empty, or stored in clear by an earlier version
            return value
        try:
            return self.cipher.decrypt(value.encode()).decode()
        except InvalidToken:
            log.error("a stored token cannot be decrypted with MADOGUCHI_TOKEN_KEY (was the key changed?)")
            return None

    def _decrypt(self, record):
        if record is None:
            return None
        for f in TOKEN_FIELDS:
            if hasattr(record, f):
                setattr(record, f, self.decrypt(getattr(record, f)))
        return record

    def save(self, installation: Installation) -> None:
        self.inner.save(self._encrypt(installation))

    def save_bot(self, bot: Bot) -> None:
        self.inner.save_bot(self._encrypt(bot))

    def find_bot(self, *, enterprise_id, team_id, is_enterprise_install=False) -> Bot | None:
        return self._decrypt(self.inner.find_bot(enterprise_id=enterprise_id, team_id=team_id,
                                                 is_enterprise_install=is_enterprise_install))

    def find_installation(self, *, enterprise_id, team_id, user_id=None, is_enterprise_install=False) -> Installation | None:
        return self._decrypt(self.inner.find_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
                                                          is_enterprise_install=is_enterprise_install))

    def delete_bot(self, *, enterprise_id, team_id) -> None:
        self.inner.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(self, *, enterprise_id, team_id, user_id=None) -> None:
        self.inner.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    def delete_all(self, *, enterprise_id, team_id) -> None:
        self.inner.delete_all(enterprise_id=enterprise_id, team_id=team_id)


def _in_clear(value) -> bool:
    return isinstance(value, str) and value.startswith(("xox", "xapp-"))


def encrypted_row(row: dict, cipher: MultiFernet) -> dict:
    """A row of slack_sdk's tables with every token in clear encrypted."""
    return {k: cipher.encrypt(v.encode()).decode() if k in TOKEN_FIELDS and _in_clear(v) else v for k, v in row.items()}


def encrypt_stored(store, cipher: MultiFernet) -> int:
    """Encrypt in place the tokens an earlier version stored in clear (slack_sdk's SQLAlchemy tables); how many rows.
    A SQLite file is then rewritten (VACUUM, and its write-ahead log emptied), so that no old page keeps a token."""
    changed = 0
    with store.engine.begin() as connection:
        for table in (store.installations, store.bots):
            columns = [table.c[f] for f in TOKEN_FIELDS if f in table.c]
            for row in connection.execute(select(table.c.id, *columns)):
                plain = {c.name: getattr(row, c.name) for c in columns if _in_clear(getattr(row, c.name))}
                if plain:
                    connection.execute(update(table).where(table.c.id == row.id).values(**encrypted_row(plain, cipher)))
                    changed += 1
    if changed and store.engine.dialect.name == "sqlite":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM"))
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return changed


class CachedInstallationStore(InstallationStore):
    """Answers installed workspaces from memory when the database cannot (see the module's docstring)."""

    def __init__(self, inner: InstallationStore, clock: Callable[[], float] = time.monotonic, limit: int = MAX_CACHED):
        self.inner, self.clock, self.limit = inner, clock, limit
        self._cache: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._outage = ""
        self._db = ThreadPoolExecutor(max_workers=2, thread_name_prefix="installations")

    @property
    def logger(self) -> logging.Logger:
        return log

    def state(self) -> tuple[bool, str]:
        """(the database answers, a line for /healthz)."""
        if not self._outage:
            return True, "installation store ok"
        return False, f"installation store unavailable ({self._outage}); answering the {len(self._cache)} cached workspaces"

    def _find(self, kind: str, find: Callable[[], object], **key):
        cache_key = (kind, *sorted(key.items()))
        now = self.clock()
        with self._lock:
            cached = self._cache.get(cache_key)
            if cached is not None:
                self._cache.move_to_end(cache_key)
        if cached is not None and (now - cached[0] < FRESH or now < self._down_until) and now - cached[0] < STALE:
            return _copy(cached[1])
        if now < self._down_until:
            return None  # the database is left alone for now, and this workspace is not in the cache
        try:
            found = self._db.submit(find).result(timeout=DB_WAIT)
        except (SQLAlchemyError, OSError, WaitedTooLong) as e:
            self._failed(e)
            return _copy(cached[1]) if cached is not None and now - cached[0] < STALE else None
        self._worked()
        with self._lock:
            if found is None:
                self._cache.pop(cache_key, None)
            else:
                self._cache[cache_key] = (now, _copy(found))
                self._cache.move_to_end(cache_key)
                while len(self._cache) > self.limit:
                    self._cache.popitem(last=False)
        return found

    def _failed(self, error: Exception) -> None:
        with self._lock:
            self._down_until = self.clock() + RETRY
            if not self._outage:
                self._outage = "no answer within {:.0f} s".format(DB_WAIT) if isinstance(error, WaitedTooLong) else \
                    type(error).__name__
                log.error("the installation store failed (%s: %s): answering installed workspaces from the cache",
                          self._outage, str(error).splitlines()[0] if str(error) else "")

    def _worked(self) -> None:
        if self._outage:
            with self._lock:
                if self._outage:
                    log.warning("the installation store works again")
                    self._outage = ""

    def _forget(self, enterprise_id, team_id) -> None:
        with self._lock:
            for key in [k for k in self._cache if ("enterprise_id", enterprise_id) in k and ("team_id", team_id) in k]:
                del self._cache[key]

    def find_bot(self, *, enterprise_id, team_id, is_enterprise_install=False) -> Bot | None:
        return self._find("bot", lambda: self.inner.find_bot(enterprise_id=enterprise_id, team_id=team_id,
                                                             is_enterprise_install=is_enterprise_install),
                          enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install)

    def find_installation(self, *, enterprise_id, team_id, user_id=None, is_enterprise_install=False) -> Installation | None:
        return self._find("installation", lambda: self.inner.find_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, is_enterprise_install=is_enterprise_install),
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, is_enterprise_install=is_enterprise_install)

    def save(self, installation: Installation) -> None:
        self.inner.save(installation)
        self._forget(installation.enterprise_id, installation.team_id)

    def save_bot(self, bot: Bot) -> None:
        self.inner.save_bot(bot)
        self._forget(bot.enterprise_id, bot.team_id)

    def delete_bot(self, *, enterprise_id, team_id) -> None:
        self._forget(enterprise_id, team_id)
        self.inner.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(self, *, enterprise_id, team_id, user_id=None) -> None:
        self._forget(enterprise_id, team_id)
        self.inner.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    def delete_all(self, *, enterprise_id, team_id) -> None:
        self._forget(enterprise_id, team_id)
        self.inner.delete_all(enterprise_id=enterprise_id, team_id=team_id)


def _copy(record):
    """Bolt changes what it is given (it clears the user token of another user's installation): give it a copy."""
    return copy.copy(record)
