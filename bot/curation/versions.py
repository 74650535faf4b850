"""The versions of the knowledge curators make from Slack (or `madoguchi knowledge restore`), in the records database
(SQLite, or PostgreSQL shared by the replicas): a checked workbook is proposed, then applied or discarded by a
curator's click; who and when is kept. The applied versions, in order, are the changes on top of the files as shipped.

A version is applied only onto the version it was checked against (`base`): two curators applying at once, or a
click on an old proposal, cannot put a change on top of knowledge it was not checked with."""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from bot.curation.records import utc_now
from bot.curation.schema import knowledge_versions as table
from bot.curation.schema import migrate, open_engine

APPLY_LOCK = 7_271_984  # a PostgreSQL advisory lock: one version applied at a time across the replicas
Files = dict[str, "str | None"]  # knowledge-relative path → its text (None: the file is not there)


class State(StrEnum):
    PENDING = "pending"
    APPLIED = "applied"
    DISCARDED = "discarded"


class Refusal(StrEnum):
    """Why a version was not applied or discarded."""

    GONE = "gone"  # no such version
    DECIDED = "decided"  # applied or discarded already
    STALE = "stale"  # another version was applied since it was checked


class VersionsError(Exception):
    """The database holding the versions cannot be used now (said in Japanese, for the curator)."""


@dataclass(frozen=True)
class Version:
    id: int
    state: State
    base: int
    kind: str
    name: str
    summary: str
    files: Files
    previous: Files
    proposed_at: str
    proposed_by: str
    team: str
    decided_at: str
    decided_by: str


def _pack(files: Files) -> bytes:
    return zlib.compress(json.dumps(files, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def _unpack(data: bytes) -> Files:
    return json.loads(zlib.decompress(data).decode("utf-8"))


class Versions:
    def __init__(self, target: str | os.PathLike):
        self.engine = open_engine(target)
        self._guard(lambda: migrate(self.engine))

    def _guard(self, work):
        try:
            return work()
        except SQLAlchemyError as e:
            raise VersionsError(f"知識の版を記録するデータベースが使えません（{type(e).__name__}） → しばらくしてからもう一度"
                                f"お試しください。続くときは管理者にお知らせください") from e

    def latest(self) -> int:
        """The id of the version applied last (0: none: the files as shipped)."""
        def read():
            with self.engine.connect() as c:
                return c.execute(select(func.coalesce(func.max(table.c.id), 0)).where(table.c.state == State.APPLIED)).scalar()
        return int(self._guard(read))

    def propose(self, *, files: Files, previous: Files, base: int, kind: str, name: str, summary: str, user: str,
                team: str = "") -> int:
        def write():
            with self.engine.begin() as c:
                return c.execute(insert(table).values(
                    state=State.PENDING, base=base, kind=kind, name=name[:200], summary=summary, files=_pack(files),
                    previous=_pack(previous), proposed_at=utc_now(), proposed_by=user[:64], team=team[:64])
                ).inserted_primary_key[0]
        return int(self._guard(write))

    def get(self, version: int) -> Version | None:
        def read():
            with self.engine.connect() as c:
                return c.execute(select(table).where(table.c.id == version)).first()
        row = self._guard(read)
        return _version(row) if row else None

    def decide(self, version: int, user: str, apply: bool) -> Refusal | None:
        """Apply or discard a pending version; None when done, else why not."""
        def write():
            with self.engine.begin() as c:
                if c.dialect.name == "postgresql":
                    c.execute(text(f"SELECT pg_advisory_xact_lock({APPLY_LOCK})"))
                row = c.execute(select(table.c.state, table.c.base).where(table.c.id == version)).first()
                if row is None:
                    return Refusal.GONE
                if row.state != State.PENDING:
                    return Refusal.DECIDED
                latest = select(func.coalesce(func.max(table.c.id), 0)).where(table.c.state == State.APPLIED)
                condition = [table.c.id == version, table.c.state == State.PENDING]
                if apply:  # in the statement itself, so that SQLite decides it under its write lock
                    condition.append(table.c.base == latest.scalar_subquery())
                done = c.execute(update(table).where(*condition).values(
                    state=State.APPLIED if apply else State.DISCARDED, decided_at=utc_now(), decided_by=user[:64]))
                return None if done.rowcount == 1 else Refusal.STALE
        return self._guard(write)

    def applied(self) -> list[Version]:
        """Every applied version, oldest first (a version is applied only onto the last one: ids follow that order)."""
        def read():
            with self.engine.connect() as c:
                return c.execute(select(table).where(table.c.state == State.APPLIED).order_by(table.c.id)).all()
        return [_version(r) for r in self._guard(read)]

    def history(self, limit: int = 10) -> list[Version]:
        """The latest versions of every state, newest first."""
        def read():
            with self.engine.connect() as c:
                return c.execute(select(table).order_by(table.c.id.desc()).limit(limit)).all()
        return [_version(r) for r in self._guard(read)]

    def close(self) -> None:
        self.engine.dispose()


def _version(row) -> Version:
    return Version(row.id, State(row.state), row.base, row.kind, row.name, row.summary, _unpack(row.files),
                   _unpack(row.previous), row.proposed_at, row.proposed_by, row.team or "", row.decided_at or "",
                   row.decided_by or "")
