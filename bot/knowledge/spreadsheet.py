"""The knowledge staff edit as tables, as one Excel workbook: `madoguchi knowledge export FILE.xlsx` (and 「データを書き出す」
in Slack) writes a sheet per contact table and one for the words staff add (synonyms.csv), Japanese headers, every
cell as text so that 0 in front of a phone number survives. bot.knowledge.workbook_import reads it back.

A text cell that Excel would take for a formula (=…) is exported as text, so that opening the export never runs
anything."""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.contacts import COLUMN_LABELS, CONTACT_COLUMNS
from bot.knowledge.reading import ID, KnowledgeError, Reader
from bot.knowledge.synonyms import SYNONYM_COLUMNS, SYNONYM_LABELS, SYNONYMS_FILE

INDEX_SHEET = "目次"
SYNONYMS_SHEET = "synonyms"
BOM = b"\xef\xbb\xbf"
_WIDTHS = {"id": 24, "organization": 36, "department": 18, "division": 24, "serves": 14, "phone": 30, "url": 36,
           "operator": 28, "merged_with": 20, "notes": 40, "source_line": 10, "word": 24, "means": 36, "note": 40}
SYNONYMS_TITLE = "言いかえ（質問に出てくる言葉と、それが指す相談の名前か組織の名前。1行に1語）"


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook and the knowledge file it is: a contact table (its id) or the staff's words."""

    name: str  # the sheet's name: a table id, or "synonyms"
    rel: str  # the file under the knowledge folder: contacts/<id>.csv, synonyms.csv
    title: str
    columns: tuple[str, ...]
    labels: dict[str, str]  # column → its Japanese header

    def column_of(self, header: str) -> str:
        """The column a header names (its Japanese label or the column itself), or the header when it names none."""
        wanted = header.strip()
        return next((c for c, label in self.labels.items() if label == wanted), wanted)


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
    listed = [(e["id"], e.get("title", "")) for e in _categories(root) if isinstance(e.get("id"), str)]
    present = {p.stem for p in (root / "contacts").glob("*.csv")}
    return [t for t in listed if t[0] in present] + [(s, "") for s in sorted(present - {i for i, _ in listed})]


def sheets(root: Path) -> list[Sheet]:
    """The workbook's sheets, in order: the contact tables, then the staff's words."""
    names = {e["id"] for e in _categories(root) if isinstance(e.get("id"), str)} | {t for t, _ in table_ids(root)}
    titles = dict(table_ids(root))
    tables = [Sheet(n, f"contacts/{n}.csv", titles.get(n, ""), CONTACT_COLUMNS, COLUMN_LABELS)
              for n in [t for t, _ in table_ids(root)] + sorted(names - set(titles)) if ID.match(n) and n != SYNONYMS_SHEET]
    return tables + [Sheet(SYNONYMS_SHEET, SYNONYMS_FILE, SYNONYMS_TITLE, SYNONYM_COLUMNS, SYNONYM_LABELS)]


def _categories(root: Path) -> list[dict]:
    try:
        return tomllib.loads(Reader(root).text("categories.toml") or "").get("category", [])
    except tomllib.TOMLDecodeError:
        return []


def sheet_rows(root: Path, sheet: Sheet) -> list[list[str]]:
    """A sheet's rows as its file holds them (a header only when the file is not there: the staff's words may be
    left out)."""
    return read_table(root, sheet.rel) if (root / sheet.rel).is_file() else [list(sheet.columns)]


VERSION_MARK = "madoguchi-version:"  # in the workbook's keywords (Excel's タグ): the version it was exported from


def export_workbook(root: Path, target: Path | io.BytesIO, version: int | None = None) -> list[str]:
    """Every table as a sheet; version: the knowledge version exported (kept in the workbook's properties, so that a
    workbook sent back after another change can be told apart)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    index = book.active
    index.title = INDEX_SHEET
    index.append(["シート", "原資料の表題", "行の数"])
    index.column_dimensions["A"].width, index.column_dimensions["B"].width = 30, 60
    for sheet in sheets(root):
        rows = sheet_rows(root, sheet)
        page = book.create_sheet(sheet.name)
        for values in [[sheet.labels.get(h, h) for h in rows[0]], *rows[1:]]:
            page.append(values)
        for column, name in zip(page.iter_cols(min_row=1), rows[0], strict=False):
            for c in column:
                c.number_format = "@"  # text: 022-… and 0120… stay as typed
                if c.data_type == "f":  # a value beginning with = stays text: opening the export runs no formula
                    c.data_type = "s"
            width = page.column_dimensions[column[0].column_letter]
            width.width, width.number_format = _WIDTHS.get(name, 16), "@"  # also the rows staff add below
        for c in page[1]:
            c.font = Font(bold=True)
        page.freeze_panes = "A2"
        index.append([sheet.name, sheet.title, len(rows) - 1])
    if version is not None:
        book.properties.keywords = f"{VERSION_MARK}{version}"
    book.save(target)
    return [f"{target} に {len(book.sheetnames) - 1} の表を書き出しました（表ごとに1シート、1行目が見出し）。",
            f"直したら madoguchi knowledge import {target} で取り込みます。"]
