"""The curators' tables, in SQLAlchemy Core: one schema for the embedded SQLite file (the default) and PostgreSQL
(DATABASE_URL). Every row carries its workspace (team or enterprise id). A database written by an earlier version
(no workspace column) is brought up to date in place; nothing is lost."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import (Column, Index, Integer, LargeBinary, MetaData, String, Table, Text, create_engine, event, inspect,
                        text)
from sqlalchemy.engine import Engine

BUSY_TIMEOUT = 0.5  # seconds SQLite waits for a lock held by another process
SERVER_TIMEOUT = 2  # seconds for connecting to PostgreSQL, for each statement, and for a pooled connection

metadata = MetaData()
answers = Table(
    "answers", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Text, nullable=False),  # UTC, ISO 8601
    Column("surface", Text, nullable=False),  # console, mention, dm, command, button, share …
    Column("kind", Text, nullable=False),  # contacts, clarify, fallback, reverse, …
    Column("category", Text),
    Column("prefecture", Text),
    Column("intent", Text),
    Column("question", Text),  # kept for fallback and clarify only
    Column("reply", Text),  # what the bot answered, for fallback and clarify only
    Column("user_hash", Text),
    Column("team", String(64)),  # the Slack workspace (team or enterprise id); empty for the console
    Index("answers_at", "at"),
)
feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Text, nullable=False),
    Column("surface", Text, nullable=False),
    Column("helpful", Integer, nullable=False),  # 1: 役に立った, 0: 違う
    Column("question", Text, nullable=False),
    Column("reply", Text, nullable=False),  # what the bot had answered (kind and contact ids)
    Column("user_hash", Text),
    Column("team", String(64)),
    Index("feedback_at", "at"),
)
reasons = Table(
    "feedback_reasons", metadata,  # why a 違う: one click after it
    Column("id", Integer, primary_key=True),
    Column("at", Text, nullable=False),
    Column("surface", Text, nullable=False),
    Column("reason", Text, nullable=False),  # unreachable (番号がつながらない), wrong_office, other
    Column("contacts", Text, nullable=False),  # the ids of the offices shown, comma-separated
    Column("question", Text, nullable=False),
    Column("user_hash", Text),
    Column("team", String(64)),
    Index("feedback_reasons_at", "at"),
)

knowledge_versions = Table(
    "knowledge_versions", metadata,  # the knowledge curators change from Slack: who proposed and applied what, when
    Column("id", Integer, primary_key=True),
    Column("state", String(16), nullable=False),  # pending, applied, discarded
    Column("base", Integer, nullable=False),  # the applied version it was checked against (0: the files as shipped)
    Column("kind", String(16), nullable=False),  # workbook, restore
    Column("name", Text, nullable=False),  # the workbook's file name, or what is restored
    Column("summary", Text, nullable=False),  # the changes, one per line, as the curator saw them
    Column("files", LargeBinary, nullable=False),  # zlib-compressed JSON: file → its new text (null: no such file)
    Column("previous", LargeBinary, nullable=False),  # the same for what those files held before
    Column("proposed_at", Text, nullable=False),
    Column("proposed_by", String(64), nullable=False),  # the curator's Slack user id (or "cli")
    Column("team", String(64)),
    Column("decided_at", Text),
    Column("decided_by", String(64)),
    Index("knowledge_versions_state", "state", "id"),
)


def url_for(target: str | os.PathLike) -> str:
    """A database URL for a URL or a file path (a path is the SQLite file); postgresql:// uses psycopg 3."""
    value = str(target)
    if "://" not in value:
        return f"sqlite:///{Path(value)}"
    for plain in ("postgresql://", "postgres://"):
        if value.startswith(plain):
            return "postgresql+psycopg://" + value[len(plain):]
    return value


def sqlite_path(url: str) -> Path | None:
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None


def private_file(path: Path) -> None:
    """The SQLite file readable and writable by its owner only (0600), created so before SQLite opens it — its -wal and
    -shm files then get the same mode — and an existing one (of an earlier version: 0644) made so."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if name.exists() and name.stat().st_mode & 0o077:
            os.chmod(name, 0o600)


def open_engine(target: str | os.PathLike, read_only: bool = False) -> Engine:
    url = url_for(target)
    path = sqlite_path(url)
    if path is not None:
        if read_only:
            url = f"sqlite:///file:{path}?mode=ro&uri=true"
        else:
            private_file(path)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):
            if not read_only:
                connection.execute("PRAGMA journal_mode=WAL")  # the report reads while the bot writes
                connection.execute("PRAGMA synchronous=NORMAL")

        return engine
    # a database server that is down or unreachable must not hold a request: every wait is bounded
    return create_engine(url, pool_pre_ping=True, pool_timeout=SERVER_TIMEOUT,
                         connect_args={"connect_timeout": SERVER_TIMEOUT,
                                       "options": f"-c statement_timeout={SERVER_TIMEOUT * 1000}"})


MIGRATION_LOCK = 7_271_983  # a PostgreSQL advisory lock: replicas starting together create the tables one at a time


def migrate_tables(engine: Engine, *tables: MetaData) -> None:
    """Create the tables that are missing (of the records, or of slack_sdk's OAuth stores), widening what an earlier
    version created narrower (a token column's type); on PostgreSQL under an advisory lock, so that replicas starting
    at once do not collide."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL statement_timeout = 30000"))  # waiting for another replica's migration
            connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        for group in tables:
            group.create_all(connection)
        if connection.dialect.name == "postgresql":
            existing = inspect(connection)
            for group in tables:
                for table in group.tables.values():
                    for column in existing.get_columns(table.name):
                        wanted = table.c.get(column["name"])
                        if wanted is not None and isinstance(wanted.type, Text) and not isinstance(column["type"], Text):
                            connection.execute(text(f'ALTER TABLE "{table.name}" ALTER COLUMN "{column["name"]}" TYPE TEXT'))


def migrate(engine: Engine) -> None:
    """The records' tables, created when missing; the workspace column added to tables of an earlier version."""
    migrate_tables(engine, metadata)
    with engine.begin() as connection:
        inspector = inspect(connection)
        for table in (answers, feedback):
            if "team" not in {c["name"] for c in inspector.get_columns(table.name)}:
                connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN team VARCHAR(64)"))
