"""How long the records are kept (MADOGUCHI_RETENTION_DAYS, 365 days unless set; 0 keeps them), and deleting one
workspace's records (`madoguchi records delete --team ID`): what docs/privacy.md promises."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import delete
from sqlalchemy.engine import Connection

from bot.curation.schema import answers, feedback, reasons

TABLES = (answers, feedback, reasons)
PURGE_EVERY = 24 * 3600.0  # seconds between two deletions of old records by a running bot


def cutoff(days: int, now: datetime | None = None) -> str:
    """The `at` before which rows are older than `days` (UTC, as the rows store it)."""
    return ((now or datetime.now(timezone.utc)) - timedelta(days=days)).isoformat(timespec="seconds")


def delete_older(connection: Connection, days: int, now: datetime | None = None) -> dict[str, int]:
    """Delete the rows older than `days` from every records table (days 0: none); rows deleted per table."""
    if days <= 0:
        return {}
    before = cutoff(days, now)
    return {t.name: connection.execute(delete(t).where(t.c.at < before)).rowcount for t in TABLES}


def delete_workspace(connection: Connection, team: str) -> dict[str, int]:
    """Delete every row of one workspace (its team or enterprise id); rows deleted per table."""
    return {t.name: connection.execute(delete(t).where(t.c.team == team)).rowcount for t in TABLES}
