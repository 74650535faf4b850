"""The contact tables as one Excel workbook for staff: `madoguchi knowledge export FILE.xlsx` writes a sheet per table
(Japanese headers, every cell as text so that 0 in front of a phone number survives); `madoguchi knowledge import
FILE.xlsx` checks the edited workbook exactly as check-knowledge checks the files, writes the CSVs only when all is
valid, and says what changed. A round trip with no edits changes no byte.

A workbook comes from outside and is treated as hostile until checked: its size and its unpacked size (a zip bomb)
before it is opened, rows and columns while it is read, a sheet name only as a table id (never a path: the CSVs are
written in contacts/ and nowhere else), every cell's length. A text cell that Excel would take for a formula (=…) is
exported as text, so that opening the export never runs anything."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.contacts import COLUMN_LABELS, CONTACT_COLUMNS
from bot.knowledge.reading import ID, MAX_VALUE, KnowledgeError, Reader, too_long

INDEX_SHEET = "目次"
BOM = b"\xef\xbb\xbf"
_COLUMN_OF = {**{label: c for c, label in COLUMN_LABELS.items()}, **{c: c for c in CONTACT_COLUMNS}}
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024  # today's export is ~60 kB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what its parts may unpack to (a 464 kB zip bomb once took 3.9 GB)
MAX_RATIO = 200  # a part that unpacks to more than this many times its packed size is a bomb, not a table
MAX_ROWS, MAX_COLUMNS = 20_000, 30
_WIDTHS = {"id": 24, "organization": 36, "department": 18, "division": 24, "serves": 14, "phone": 30, "url": 36,
           "operator": 28, "merged_with": 20, "notes": 40, "source_line": 10}


def table_text(rows: list[list[str]]) -> bytes:
    """A table as the knowledge ships it: UTF-8 with a BOM (Japanese Excel opens it by double-click), LF, quotes
    only where a value needs them."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return BOM + out.getvalue().encode("utf-8")


def read_table(root: Path, rel: str) -> list[list[str]]:
    reader = Reader(root)
    text = reader.text(rel)
    if text is None:
        raise KnowledgeError(reader.problems)
    return [row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)]


def table_ids(root: Path) -> list[tuple[str, str]]:
    """(id, title) of each table in categories.toml's order (files not listed there follow, by name)."""
    try:
        entries = tomllib.loads(Reader(root).text("categories.toml") or "").get("category", [])
    except tomllib.TOMLDecodeError:
        entries = []
    listed = [(e["id"], e.get("title", "")) for e in entries if isinstance(e.get("id"), str)]
    present = {p.stem for p in (root / "contacts").glob("*.csv")}
    return [t for t in listed if t[0] in present] + [(s, "") for s in sorted(present - {i for i, _ in listed})]


def known_tables(root: Path) -> set[str]:
    """The table ids a sheet may be named: the tables of categories.toml and the CSVs in contacts/ (ids only)."""
    try:
        entries = tomllib.loads(Reader(root).text("categories.toml") or "").get("category", [])
    except tomllib.TOMLDecodeError:
        entries = []
    names = {e["id"] for e in entries if isinstance(e.get("id"), str)} | {t for t, _ in table_ids(root)}
    return {n for n in names if ID.match(n)}


def unsafe(source: Path) -> str:
    """Why a file must not be opened as a workbook ('' when it may): too big, not a zip, or a part that unpacks to far
    more than a table could (checked from the zip's directory, before anything is unpacked)."""
    try:
        size = source.stat().st_size
    except OSError as e:
        return f"{source}: ファイルを開けません（{e.strerror or e}）"
    if size > MAX_WORKBOOK_BYTES:
        return f"{source}: ファイルが大きすぎます（{size / 1024 / 1024:.1f} MB） → 書き出したブックを直したものを使ってください"
    try:
        with zipfile.ZipFile(source) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError):
        return f"{source}: Excel のブック（.xlsx）ではありません → Excel で .xlsx 形式で保存し直してください"
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED_BYTES or any(p.file_size > MAX_RATIO * max(p.compress_size, 1) and p.file_size > 1_000_000
                                            for p in parts):
        return (f"{source}: 中身が表にしては大きすぎます（展開すると {unpacked / 1024 / 1024:.0f} MB） → 書き出したブックを"
                f"直したものを使ってください")
    return ""


def export_workbook(root: Path, target: Path) -> list[str]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    index = book.active
    index.title = INDEX_SHEET
    index.append(["シート", "原資料の表題", "窓口の数"])
    index.column_dimensions["A"].width, index.column_dimensions["B"].width = 30, 60
    for table, title in table_ids(root):
        rows = read_table(root, f"contacts/{table}.csv")
        sheet = book.create_sheet(table)
        header = [COLUMN_LABELS.get(h, h) for h in rows[0]]
        for values in [header, *rows[1:]]:
            sheet.append(values)
        for column, name in zip(sheet.iter_cols(min_row=1), rows[0], strict=False):
            for c in column:
                c.number_format = "@"  # text: 022-… and 0120… stay as typed
                if c.data_type == "f":  # a value beginning with = stays text: opening the export runs no formula
                    c.data_type = "s"
            sheet.column_dimensions[column[0].column_letter].width = _WIDTHS.get(name, 16)
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        index.append([table, title, len(rows) - 1])
    book.save(target)
    return [f"{target} に {len(book.sheetnames) - 1} の表を書き出しました（表ごとに1シート、1行目が見出し）。",
            f"直したら madoguchi knowledge import {target} で取り込みます。"]


@dataclass
class Changes:
    added: list[str]
    removed: list[str]
    cells: list[str]


def import_workbook(source: Path, root: Path) -> tuple[int, list[str]]:
    """(exit code, lines to print). Nothing is written unless the whole workbook is valid."""
    from openpyxl import load_workbook

    refused = unsafe(source)
    if refused:
        return 1, [refused]
    try:
        book = load_workbook(source, data_only=True, read_only=True)
    except Exception as e:  # not a workbook, or damaged: said, never a traceback
        return 1, [f"{source}: Excel のブック（.xlsx）として開けません（{type(e).__name__}） → Excel で .xlsx 形式で保存し直してください"]
    tables: dict[str, list[list[str]]] = {}
    problems = []
    known = known_tables(root)
    for sheet in book.worksheets:
        if sheet.title == INDEX_SHEET:
            continue
        if sheet.title not in known:  # a sheet's name is a table id, never a path
            problems.append(f"{source} シート「{sheet.title[:60]}」: 知識ファイルの表の名前ではありません → シートの名前は"
                            f"書き出したときの表の id（{'・'.join(sorted(known))}）のまま使ってください")
            continue
        rows, problem = _read_sheet(sheet, source)
        if problem:
            problems.append(problem)
            continue
        if not rows:
            continue
        header = [_COLUMN_OF.get(h.strip(), h.strip()) for h in rows[0]]
        unknown = [h for h in header if h and h not in CONTACT_COLUMNS]
        if unknown:
            problems.append(f"{source} シート「{sheet.title}」1 行目: 知らない見出し {'、'.join(unknown)} → "
                            f"書き出したときの見出し（{'・'.join(COLUMN_LABELS.values())}）に戻してください")
            continue
        width = len(header)
        tables[sheet.title] = [header, *[(r + [""] * width)[:width] for r in rows[1:]]]
    book.close()
    if problems:
        return 1, problems + ["何も書き換えていません。"]
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "knowledge"
        shutil.copytree(root, trial)
        for table, rows in tables.items():
            _table_path(trial, table).write_bytes(table_text(rows))
        from bot.knowledge.loader import load_knowledge

        try:
            load_knowledge(trial)
        except KnowledgeError as e:
            shown = [_in_workbook(str(p), trial, root, source) for p in e.problems]
            return 1, shown + [f"問題が {len(e.problems)} 件あります。何も書き換えていません。直してからもう一度取り込んでください。"]
    lines = []
    for table, rows in tables.items():
        path = _table_path(root, table)
        old = read_table(root, f"contacts/{table}.csv") if path.is_file() else [rows[0]]
        if path.is_file() and old == rows:
            continue  # the same cells: the file is left as it is saved (encoding and line ends too)
        changes = compare(old, rows)
        path.write_bytes(table_text(rows))
        lines.append(f"contacts/{table}.csv: 追加 {len(changes.added)} 行、削除 {len(changes.removed)} 行、"
                     f"変更 {len(changes.cells)} か所")
        lines += [f"  + {i}" for i in changes.added] + [f"  - {i}" for i in changes.removed]
        lines += [f"  {c}" for c in changes.cells]
    if not lines:
        return 0, ["変更はありません（ブックの内容は知識ファイルと同じです）。"]
    return 0, lines + ["取り込みました。動いているボットには /madoguchi reload（または systemctl reload madoguchi）で読み込ませてください。"]


def compare(old: list[list[str]], new: list[list[str]]) -> Changes:
    """Rows added and removed (by id) and cells changed, as staff would describe them."""
    def by_id(rows):
        header = rows[0]
        return {r[0]: dict(zip(header, r, strict=False)) for r in rows[1:] if r and r[0]}

    before, after = by_id(old), by_id(new)
    cells = [f"{i} の{COLUMN_LABELS.get(col, col)}: {before[i].get(col, '')} → {value}"
             for i, row in after.items() if i in before
             for col, value in row.items() if before[i].get(col, "") != value]
    return Changes([i for i in after if i not in before], [i for i in before if i not in after], cells)


def _table_path(root: Path, table: str) -> Path:
    """contacts/<table>.csv, and only there (table is an id: checked again, as this is where files are written)."""
    folder = (root / "contacts").resolve()
    path = (folder / f"{table}.csv").resolve()
    if not ID.match(table) or path.parent != folder:
        raise ValueError(f"not a table id: {table!r}")
    return path


def _read_sheet(sheet, source: Path) -> tuple[list[list[str]], str]:
    """The sheet's non-empty rows as text; or a problem (too many rows or columns, a cell too long)."""
    rows = []
    for n, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if n > MAX_ROWS:
            return [], f"{source} シート「{sheet.title}」: 行が多すぎます（{MAX_ROWS:,} 行まで） → 表の行だけにしてください"
        if len(row) > MAX_COLUMNS and any(v not in (None, "") for v in row[MAX_COLUMNS:]):
            return [], f"{source} シート「{sheet.title}」{n} 行目: 列が多すぎます（{MAX_COLUMNS} 列まで） → 余分な列を消してください"
        values = [_text(v) for v in row[:MAX_COLUMNS]]
        long = next((v for v in values if len(v) > MAX_VALUE), None)
        if long is not None:
            return [], f"{source} シート「{sheet.title}」{n} 行目: " + too_long(len(long))
        if any(values):
            rows.append(values)
    return rows, ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _in_workbook(problem: str, trial: Path, root: Path, source: Path) -> str:
    """A problem found in the trial copy, pointed at the sheet and row staff edited (or the real knowledge file)."""
    prefix = f"{trial}/contacts/"
    if problem.startswith(prefix):
        file_line, _, message = problem[len(prefix):].partition(": ")
        table, _, line = file_line.partition(".csv:")
        return f"{source} シート「{table}」{line} 行目: {message}"
    return problem.replace(str(trial), str(root))
