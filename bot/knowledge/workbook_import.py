"""An edited workbook read back: checked exactly as check-knowledge checks the files (on a trial copy of the knowledge
with the workbook's sheets in it), then either the problems — sheet, row, what is wrong, how to fix it — or the files
it changes and the changes as staff would describe them. `madoguchi knowledge import` writes them into the folder;
in Slack they become a version a curator applies with one click (bot.curation.versions).

A workbook comes from outside and is treated as hostile until checked: its size and its unpacked size (a zip bomb)
before it is opened, rows and columns while it is read, a sheet name only as a sheet the export writes (never a
path: files are written under the knowledge folder's own names and nowhere else), every cell's length."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.reading import MAX_VALUE, KnowledgeError, too_long
from bot.knowledge.spreadsheet import INDEX_SHEET, VERSION_MARK, Sheet, sheet_rows, sheets, table_text

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024  # today's export is ~60 kB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what its parts may unpack to (a 464 kB zip bomb once took 3.9 GB)
MAX_RATIO = 200  # a part that unpacks to more than this many times its packed size is a bomb, not a table
MAX_ROWS, MAX_COLUMNS = 20_000, 30
NOT_A_WORKBOOK = "Excel のブック（.xlsx）ではありません → Excel で .xlsx 形式で保存し直してください"


def too_big(size: int) -> str:
    return (f"ファイルが大きすぎます（{size / 1024 / 1024:.1f} MB、{MAX_WORKBOOK_BYTES // 1024 // 1024} MB まで） → "
            f"書き出したブックを直したものを使ってください")


@dataclass
class FileChange:
    """What a workbook changes in one file: rows added and removed (by their first column), cells changed."""

    sheet: str
    rel: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = f"{self.rel}: 追加 {len(self.added)} 行、削除 {len(self.removed)} 行、変更 {len(self.cells)} か所"
        return [head, *(f"  + {i}" for i in self.added), *(f"  - {i}" for i in self.removed), *(f"  {c}" for c in self.cells)]


@dataclass
class Checked:
    """A workbook checked against a knowledge folder: problems (nothing may be written), or the files to write."""

    problems: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # knowledge-relative path → its new content
    changes: list[FileChange] = field(default_factory=list)
    refused: bool = False  # the file as a whole (too big, not a workbook): one line says it all
    exported_from: int | None = None  # the knowledge version the workbook was exported from (None: not said)


def unsafe(source: Path, name: str = "") -> str:
    """Why a file must not be opened as a workbook ('' when it may): too big, not a zip, or a part that unpacks to far
    more than a table could (checked from the zip's directory, before anything is unpacked)."""
    name = name or str(source)
    try:
        size = source.stat().st_size
    except OSError as e:
        return f"{name}: ファイルを開けません（{e.strerror or e}）"
    if size > MAX_WORKBOOK_BYTES:
        return f"{name}: {too_big(size)}"
    try:
        with zipfile.ZipFile(source) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError):
        return f"{name}: {NOT_A_WORKBOOK}"
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED_BYTES or any(p.file_size > MAX_RATIO * max(p.compress_size, 1) and p.file_size > 1_000_000
                                            for p in parts):
        return (f"{name}: 中身が表にしては大きすぎます（展開すると {unpacked / 1024 / 1024:.0f} MB） → 書き出したブックを"
                f"直したものを使ってください")
    return ""


def check_workbook(source: Path, root: Path, name: str = "") -> Checked:
    """Check a workbook against the knowledge folder `root` (nothing is written). name: how the workbook is called in
    the problems (the file's name as staff know it; by default the path given)."""
    from openpyxl import load_workbook

    name = name or str(source)
    refused = unsafe(source, name)
    if refused:
        return Checked([refused], refused=True)
    try:
        book = load_workbook(source, data_only=True, read_only=True)
    except Exception as e:  # not a workbook, or damaged: said, never a traceback
        return Checked([f"{name}: Excel のブック（.xlsx）として開けません（{type(e).__name__}） → Excel で .xlsx 形式で"
                        f"保存し直してください"], refused=True)
    known = {s.name: s for s in sheets(root)}
    exported_from = _exported_from(book)
    read: dict[str, tuple[Sheet, list[list[str]], list[int]]] = {}
    problems = []
    try:
        for page in book.worksheets:
            if page.title == INDEX_SHEET:
                continue
            sheet = known.get(page.title)
            if sheet is None:  # a sheet's name is one the export writes, never a path
                problems.append(f"{name} シート「{page.title[:60]}」: 知識ファイルの表の名前ではありません → シートの名前は"
                                f"書き出したときのまま（{'・'.join(sorted(known))}）使ってください")
                continue
            rows, numbers, problem = _read_sheet(page, name)
            if problem or not rows:
                problems += [problem] if problem else []
                continue
            header = [sheet.column_of(h) for h in rows[0]]
            unknown = [h for h in header if h and h not in sheet.columns]
            if unknown:
                problems.append(f"{name} シート「{page.title}」1 行目: 知らない見出し {'、'.join(unknown)} → 書き出したときの"
                                f"見出し（{'・'.join(sheet.labels.values())}）に戻してください")
                continue
            width = len(header)
            read[sheet.name] = (sheet, [header, *[(r + [""] * width)[:width] for r in rows[1:]]], numbers)
    finally:
        book.close()
    if problems:
        return Checked(problems)
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "knowledge"
        shutil.copytree(root, trial)
        for sheet, rows, _ in read.values():
            (trial / sheet.rel).write_bytes(table_text(rows))
        from bot.knowledge.loader import load_knowledge

        try:
            load_knowledge(trial)
        except KnowledgeError as e:
            where = _Places(trial, root, name, {s.rel: (s.name, _sheet_rows_of(rows, numbers)) for s, rows, numbers in read.values()})
            return Checked([where.problem(p) for p in e.problems])
    checked = Checked(exported_from=exported_from)
    for sheet, rows, _ in read.values():
        old = sheet_rows(root, sheet)
        if (root / sheet.rel).is_file() and old == rows:
            continue  # the same cells: the file is left as it is saved (encoding and line ends too)
        change = FileChange(sheet.name, sheet.rel, *compare(old, rows, sheet.labels))
        if (root / sheet.rel).is_file() or change.added:
            checked.files[sheet.rel] = table_text(rows)
            checked.changes.append(change)
    return checked


def _exported_from(book) -> int | None:
    keywords = str(getattr(book.properties, "keywords", "") or "")
    mark = keywords.rpartition(VERSION_MARK)[2] if VERSION_MARK in keywords else ""
    return int(mark.split()[0]) if mark.split() and mark.split()[0].isdigit() else None


def write_files(root: Path, files: dict[str, bytes]) -> None:
    """Write checked files into the knowledge folder (their names are the export's own: contacts/<id>.csv or the
    staff's words; each is written whole, to a temporary name first, then renamed over the old one)."""
    allowed = {s.rel for s in sheets(root)}
    for rel, data in files.items():
        if rel not in allowed:
            raise ValueError(f"not a file of the workbook: {rel!r}")
        path = root / rel
        part = path.with_name(path.name + ".part")
        part.write_bytes(data)
        part.replace(path)


def import_workbook(source: Path, root: Path) -> tuple[int, list[str]]:
    """`madoguchi knowledge import`: (exit code, lines to print). Nothing is written unless the whole workbook is
    valid."""
    checked = check_workbook(source, root)
    if checked.refused:
        return 1, checked.problems
    if checked.problems:
        return 1, checked.problems + [f"問題が {len(checked.problems)} 件あります。何も書き換えていません。直してから"
                                      f"もう一度取り込んでください。"]
    if not checked.files:
        return 0, ["変更はありません（ブックの内容は知識ファイルと同じです）。"]
    write_files(root, checked.files)
    return 0, [line for change in checked.changes for line in change.lines()] + [
        "取り込みました。動いているボットには /madoguchi reload（または systemctl reload madoguchi）で読み込ませてください。"]


def compare(old: list[list[str]], new: list[list[str]], labels: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """Rows added and removed (by their first column: the id, or the word) and cells changed, as staff would say it
    (labels: the columns' Japanese headers)."""
    def by_key(rows):
        header = rows[0]
        return header, {r[0]: dict(zip(header, r, strict=False)) for r in rows[1:] if r and r[0]}

    _, before = by_key(old)
    _, after = by_key(new)
    cells = [f"{i} の{labels.get(col, col)}: {before[i].get(col, '')} → {value}"
             for i, row in after.items() if i in before
             for col, value in row.items() if before[i].get(col, "") != value]
    return [i for i in after if i not in before], [i for i in before if i not in after], cells


def _read_sheet(sheet, name: str) -> tuple[list[list[str]], list[int], str]:
    """The sheet's non-empty rows as text and the sheet row of each; or a problem (too many rows or columns, a cell
    too long)."""
    rows, numbers = [], []
    for n, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if n > MAX_ROWS:
            return [], [], f"{name} シート「{sheet.title}」: 行が多すぎます（{MAX_ROWS:,} 行まで） → 表の行だけにしてください"
        if len(row) > MAX_COLUMNS and any(v not in (None, "") for v in row[MAX_COLUMNS:]):
            return [], [], f"{name} シート「{sheet.title}」{n} 行目: 列が多すぎます（{MAX_COLUMNS} 列まで） → 余分な列を消してください"
        values = [_text(v) for v in row[:MAX_COLUMNS]]
        long = next((v for v in values if len(v) > MAX_VALUE), None)
        if long is not None:
            return [], [], f"{name} シート「{sheet.title}」{n} 行目: " + too_long(len(long))
        if any(values):
            rows.append(values)
            numbers.append(n)
    return rows, numbers, ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _sheet_rows_of(rows: list[list[str]], numbers: list[int]) -> dict[int, int]:
    """The file line a row ends on (as the loader counts: a cell may hold line breaks) → its row in the sheet."""
    out, line = {}, 0
    for row, number in zip(rows, numbers, strict=True):
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow(row)
        line += text.getvalue().count("\n")
        out[line] = number
    return out


class _Places:
    """Problems found in the trial copy, said where staff edited: the workbook's sheet and row (also a row a message
    refers to), or the real knowledge file."""

    def __init__(self, trial: Path, root: Path, name: str, rows: dict[str, tuple[str, dict[int, int]]]):
        self.trial, self.root, self.name, self.rows = str(trial), str(root), name, rows
        self._cited = re.compile(re.escape(self.trial) + r"/([^\s:]+):(\d+) ?")  # and the space after a path

    def _sheet_row(self, rel: str, line: int) -> tuple[str, int] | None:
        sheet, rows = self.rows.get(rel, ("", {}))
        return (sheet, rows[line]) if line in rows else None

    def problem(self, problem) -> str:
        def cited(m: re.Match) -> str:
            place = self._sheet_row(m.group(1), int(m.group(2)))
            return f"シート「{place[0]}」{place[1]} 行目" if place else f"{self.root}/{m.group(1)}:{m.group(2)} "

        message = self._cited.sub(cited, problem.message)
        path = problem.origin.path
        rel = path[len(self.trial) + 1:] if path.startswith(self.trial + "/") else ""
        place = self._sheet_row(rel, problem.origin.line) if rel else None
        if place:
            return f"{self.name} シート「{place[0]}」{place[1]} 行目: {message}"
        return f"{path.replace(self.trial, self.root)}:{problem.origin.line}: {message}"

