"""Where a command's knowledge comes from: the knowledge folder, with the versions curators applied (from Slack or
`madoguchi knowledge import/restore`) when there is a records database (bot.curation.source). The database
libraries are imported only then."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from bot.settings import Settings

log = logging.getLogger("madoguchi.knowledge")


def open_source(settings: Settings, folder: str | os.PathLike):
    """A KnowledgeSource: the folder alone when nothing is recorded (MADOGUCHI_DB=off) or the database cannot be
    opened now (said once: answers go on from the folder), else the folder with the applied versions."""
    from bot.curation.source import KnowledgeSource, choose_mode
    from bot.curation.versions import Versions, VersionsError

    folder = Path(folder)
    if settings.records_target is None:
        return KnowledgeSource(folder)
    try:
        versions = Versions(settings.records_target)
    except VersionsError as e:
        print(f"madoguchi: {e}（知識はフォルダーのファイルだけで答えます）", file=sys.stderr)
        return KnowledgeSource(folder)
    return KnowledgeSource(folder, versions, choose_mode(folder, bool(settings.database_url)))


def open_curation(settings: Settings, folder: str | os.PathLike):
    """What a curator's command needs (bot.curation.curating.Curation), or None when nothing is recorded: without a
    database there is no version to keep, apply or restore."""
    from bot.curation.curating import Curation

    source = open_source(settings, folder)
    return Curation(source) if source.versions is not None else None


def follow_versions(runtime, settings: Settings, stop=None):
    """Load every version curators apply from now on (bot.curation.source.watch), for a long-running front end (the
    Slack app, the MCP server); the event that stops it, or None when there are no versions to follow."""
    import threading

    source = runtime.source
    if source is None or source.versions is None:
        return None
    from bot.curation.source import watch

    stop = stop or threading.Event()
    watch(source, runtime.reload, stop, settings.knowledge_poll)
    return stop
