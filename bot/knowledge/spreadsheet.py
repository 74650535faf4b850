"""The contact tables as one Excel workbook for staff: `madoguchi knowledge export FILE.xlsx` writes a sheet per table
(Japanese headers, every cell as text so that 0 in front of a phone number survives); `madoguchi knowledge import
FILE.xlsx` checks the edited workbook exactly as check-knowledge checks the files, writes the CSVs only when all is
valid, and says what changed. A round trip with no edits changes no byte."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.contacts import COLUMN_LABELS, CONTACT_COLUMNS
from bot.knowledge.reading import KnowledgeError, Reader

INDEX_SHEET = "目次"
BOM = b"\xef\xbb\xbf"
_COLUMN_OF = {**{label: c for c, label in COLUMN_LABELS.items()}, **{c: c for c in CONTACT_COLUMNS}}
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

    try:
        book = load_workbook(source, data_only=True, read_only=True)
    except Exception as e:  # not a workbook, or damaged: said, never a traceback
        return 1, [f"{source}: Excel のブック（.xlsx）として開けません（{type(e).__name__}） → Excel で .xlsx 形式で保存し直してください"]
    tables: dict[str, list[list[str]]] = {}
    problems = []
    for sheet in book.worksheets:
        if sheet.title == INDEX_SHEET:
            continue
        rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        rows = [r for r in rows if any(r)]
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
            (trial / "contacts" / f"{table}.csv").write_bytes(table_text(rows))
        from bot.knowledge.loader import load_knowledge

        try:
            load_knowledge(trial)
        except KnowledgeError as e:
            shown = [_in_workbook(str(p), trial, root, source) for p in e.problems]
            return 1, shown + [f"問題が {len(e.problems)} 件あります。何も書き換えていません。直してからもう一度取り込んでください。"]
    lines = []
    for table, rows in tables.items():
        path = root / "contacts" / f"{table}.csv"
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
