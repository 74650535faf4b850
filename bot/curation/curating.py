"""What a curator does to the knowledge, for every front end (a Slack DM, the command line): check an edited workbook
and propose it, apply or discard a proposal, propose going back to before the last applied version. Facts only; the
words are bot.presenters.curation's."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from bot.curation.source import KnowledgeSource, Mode, put_files, read_files
from bot.curation.versions import Files, Refusal, State, Versions
from bot.knowledge import KnowledgeError, Problem
from bot.knowledge.contacts import COLUMN_LABELS, CONTACT_COLUMNS
from bot.knowledge.spreadsheet import SYNONYMS_SHEET
from bot.knowledge.synonyms import SYNONYM_COLUMNS, SYNONYM_LABELS, SYNONYMS_FILE
from bot.knowledge.workbook_import import FileChange, check_workbook, compare

log = logging.getLogger("madoguchi.knowledge")


@dataclass
class Proposal:
    """A workbook checked (or a restore prepared): its problems, or the pending version and its changes."""

    problems: list[str] = field(default_factory=list)
    refused: bool = False  # the file as a whole (too big, not a workbook)
    version: int = 0  # the pending version (0: nothing to change)
    changes: list[FileChange] = field(default_factory=list)
    restores: int = 0  # a restore: the version it undoes
    behind: tuple[int, int] | None = None  # (exported from, applied now): versions were applied after the export


@dataclass
class Decision:
    refusal: Refusal | None  # None: done
    version: int
    applied: bool = False
    problems: list[Problem] = field(default_factory=list)  # the knowledge did not reload (not expected: it was checked)
    contacts: int = 0  # offices in the knowledge now


class Curation:
    """runtime: the bot's (bot.runtime.Runtime), reloaded when a version is applied; None for a command that only
    changes the knowledge (the running bot finds the new version itself, bot.curation.source.watch)."""

    def __init__(self, source: KnowledgeSource, runtime=None):
        self.source, self.runtime = source, runtime

    @property
    def versions(self) -> Versions:
        return self.source.versions

    def _reload(self) -> tuple[list[Problem], int]:
        """Load the latest knowledge: (problems, offices in it)."""
        if self.runtime is not None:
            problems = self.runtime.reload()
            return problems, len(self.runtime.knowledge.contacts)
        try:
            return [], len(self.source.load().contacts)
        except KnowledgeError as e:
            return e.problems, 0

    def current(self) -> None:
        """This process holds the latest applied version before checking against it (another replica may have
        applied one a moment ago)."""
        if self.source.latest() != self.source.version:
            self._reload()

    def check(self, workbook: Path, name: str, user: str, team: str = "") -> Proposal:
        self.current()
        checked = check_workbook(workbook, self.source.root, name)
        if checked.problems:
            return Proposal(checked.problems, checked.refused)
        if not checked.files:
            return Proposal()
        files: Files = {rel: data.decode("utf-8") for rel, data in checked.files.items()}
        version = self.versions.propose(
            files=files, previous=read_files(self.source.root, files), base=self.source.version, kind="workbook",
            name=name, summary=_summary(checked.changes), user=user, team=team)
        behind = None
        if checked.exported_from is not None and checked.exported_from < self.source.version:
            behind = (checked.exported_from, self.source.version)  # its changes may undo what was applied since
        return Proposal(version=version, changes=checked.changes, behind=behind)

    def restore(self, user: str, team: str = "") -> Proposal:
        """A proposal that undoes the last applied version (Proposal() when there is none)."""
        self.current()
        applied = self.versions.applied()
        if not applied:
            return Proposal()
        last = applied[-1]
        now = read_files(self.source.root, last.files)
        if now != last.files:  # the folder was edited since (by hand, or another import): not this version's to undo
            return Proposal([f"版 {last.id} のあとで知識ファイルが直接書き換えられています → 元に戻すのではなく、ブックを"
                             f"書き出して直してください"], restores=last.id)
        changes = [_change(rel, now.get(rel), last.previous.get(rel)) for rel in last.files]
        version = self.versions.propose(files=last.previous, previous=now, base=self.source.version, kind="restore",
                                        name=f"版 {last.id}（{last.name}）の前", summary=_summary(changes), user=user,
                                        team=team)
        return Proposal(version=version, changes=changes, restores=last.id)

    def decide(self, version: int, user: str, apply: bool) -> Decision:
        proposal = self.versions.get(version)
        if proposal is None:
            return Decision(Refusal.GONE, version)
        if proposal.state is not State.PENDING:
            return Decision(Refusal.DECIDED, version)
        if apply:
            self.current()
            if self.source.mode is Mode.FOLDER and read_files(self.source.folder, proposal.files) != proposal.previous:
                return Decision(Refusal.STALE, version)  # the files changed after the check (edited by hand, say)
        refusal = self.versions.decide(version, user, apply)
        if refusal is not None or not apply:
            return Decision(refusal, version)
        if self.source.mode is Mode.FOLDER:
            put_files(self.source.folder, proposal.files)
        problems, contacts = self._reload()
        log.info("knowledge version %d (%s) applied by %s", version, proposal.name, user)
        return Decision(None, version, True, problems, contacts)


def _summary(changes: list[FileChange]) -> str:
    return "\n".join(line for change in changes for line in change.lines())


def _rows(content: str | None, columns) -> list[list[str]]:
    if content is None:
        return [list(columns)]
    return [r for r in csv.reader(io.StringIO(content.lstrip("\ufeff"), newline="")) if any(c.strip() for c in r)]


def _change(rel: str, before: str | None, after: str | None) -> FileChange:
    """What going from `before` to `after` changes in one file, as a workbook's changes are described."""
    if rel == SYNONYMS_FILE:
        name, columns, labels = SYNONYMS_SHEET, SYNONYM_COLUMNS, SYNONYM_LABELS
    else:
        name, columns, labels = Path(rel).stem, CONTACT_COLUMNS, COLUMN_LABELS
    return FileChange(name, rel, *compare(_rows(before, columns), _rows(after, columns), labels))
