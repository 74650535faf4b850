"""Where the running bot's knowledge comes from: the files as shipped (the knowledge folder) with the versions curators
applied on top (bot.curation.versions). Two ways to hold them, one rule:

- folder: a single process that may write its knowledge folder (no DATABASE_URL; a checkout, the systemd unit):
  an applied version is written into the folder as `madoguchi knowledge import` writes it, so that the folder stays
  the truth — staff's own edits and SIGHUP keep working as they did.
- shared: replicas sharing DATABASE_URL, or a folder this process may not write (the image's, a read-only mount, the
  installed package): the folder is never written; the knowledge is the folder with the applied versions replayed
  onto a copy in a work folder of this process. A new image brings new files; the versions stay in the database and
  are replayed onto them (a file curators changed is theirs; the image's other files are the image's).

Each process looks for a newer applied version every few seconds (`watch`, one indexed query): the database is the
truth, so a replica that was down, or Redis restarting, cannot miss one."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from enum import StrEnum
from pathlib import Path

from bot.curation.versions import Files, Version, Versions, VersionsError
from bot.knowledge import Knowledge, KnowledgeError, load_knowledge

log = logging.getLogger("madoguchi.knowledge")
WATCH_EVERY = 3.0  # seconds between two looks for a newer version (MADOGUCHI_KNOWLEDGE_POLL)


class Mode(StrEnum):
    FOLDER = "folder"
    SHARED = "shared"


def choose_mode(folder: Path, shared_database: bool) -> Mode:
    """Shared with replicas (DATABASE_URL), or when the folder may not be written (or is the installed package's
    own copy); else the folder."""
    installed = any(part in ("site-packages", "dist-packages") for part in folder.resolve().parts)
    writable = all(os.access(p, os.W_OK) for p in (folder, folder / "contacts") if p.exists())
    return Mode.SHARED if shared_database or installed or not writable else Mode.FOLDER


def read_files(root: Path, names) -> Files:
    """The text of each file (None when it is not there)."""
    out: Files = {}
    for rel in names:
        path = root / rel
        out[rel] = path.read_bytes().decode("utf-8") if path.is_file() else None
    return out


def put_files(root: Path, files: Files) -> None:
    """Write the files (None: remove it), each whole: to a temporary name first, then renamed over the old one."""
    for rel, content in files.items():
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise ValueError(f"not a file of the knowledge folder: {rel!r}")
        path = root / rel
        if content is None:
            path.unlink(missing_ok=True)
            continue
        part = path.with_name(path.name + ".part")
        part.write_bytes(content.encode("utf-8"))
        part.replace(path)


class KnowledgeSource:
    def __init__(self, folder: str | os.PathLike, versions: Versions | None = None, mode: Mode = Mode.FOLDER):
        self.folder = Path(folder)
        self.versions = versions
        self.mode = mode if versions is not None else Mode.FOLDER
        self.version = 0  # the applied version the knowledge last loaded holds
        self.root = self.folder  # the folder it was read from
        self._work: Path | None = None
        self._made = 0  # replays made in the work folder (each load makes one)
        self._lock = threading.Lock()

    def latest(self) -> int:
        """The latest applied version in the database (the one loaded when the database cannot be read)."""
        if self.versions is None:
            return self.version
        try:
            return self.versions.latest()
        except VersionsError:
            return self.version

    def load(self) -> Knowledge:
        """The knowledge as it is now; KnowledgeError when the folder's own files have problems."""
        with self._lock:
            if self.mode is Mode.FOLDER:
                knowledge = load_knowledge(self.folder)
                self.version, self.root = self.latest(), self.folder
                return knowledge
            try:
                applied = self.versions.applied()
            except VersionsError as e:  # the database is away: the versions last replayed are kept
                log.warning("knowledge versions unreadable (%s); keeping version %d", e.__cause__.__class__.__name__, self.version)
                return load_knowledge(self.root)
            root = self._replay(applied) if applied else self.folder
            try:
                knowledge = load_knowledge(root)
            except KnowledgeError as e:  # the image's new files and a version do not go together: the image's files
                if root == self.folder:
                    raise
                log.error("knowledge version %d does not load onto these files; answering from the files as shipped:\n%s",
                          applied[-1].id, "\n".join(map(str, e.problems[:20])))
                knowledge, root = load_knowledge(self.folder), self.folder
            self.version, self.root = applied[-1].id if applied else 0, root
            return knowledge

    def _replay(self, applied: list[Version]) -> Path:
        """A copy of the folder with every applied version's files written in order, in this process's work folder.
        Made anew at every load: the folder itself may have changed (staff's edit of a read-only mount, then SIGHUP)."""
        if self._work is None:
            self._work = Path(tempfile.mkdtemp(prefix="madoguchi-knowledge-"))
        self._made += 1
        target = self._work / f"v{applied[-1].id}-{self._made}"
        building = self._work / f".{target.name}.part"
        shutil.copytree(self.folder, building)
        for version in applied:
            put_files(building, version.files)
        building.rename(target)
        for old in self._work.iterdir():  # the one before is kept: an answer begun on it may still read it
            if old != target and old != self.root and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        return target

    def close(self) -> None:
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
        if self.versions is not None:
            self.versions.close()


def watch(source: KnowledgeSource, reload, stop: threading.Event, every: float = WATCH_EVERY) -> threading.Thread:
    """Look for a newer applied version every `every` seconds and reload when there is one (reload: the runtime's,
    returning problems). Database faults are logged once and retried; answering never waits on this."""
    def run():
        failing, refused = False, -1
        while not stop.wait(every):
            try:
                latest = source.versions.latest()
                if failing:
                    log.info("knowledge versions readable again")
                failing = False
            except VersionsError:
                if not failing:
                    log.warning("knowledge versions unreadable; still answering with version %d", source.version)
                failing = True
                continue
            if latest != source.version and latest != refused:
                problems = reload()
                if problems:  # said once per version: the files as shipped have problems (checked at every start)
                    refused = latest
                    log.error("knowledge version %d not loaded:\n%s", latest, "\n".join(map(str, problems[:20])))
                else:
                    log.info("knowledge version %d loaded", source.version)

    thread = threading.Thread(target=run, name="knowledge-watch", daemon=True)
    thread.start()
    return thread
