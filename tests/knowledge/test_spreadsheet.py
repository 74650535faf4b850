"""The spreadsheet path: `madoguchi knowledge export` → edit in Excel → `madoguchi knowledge import`."""

import os
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from bot.knowledge import load_knowledge
from tests.conftest import KNOWLEDGE_DIR

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def madoguchi(*args):
    return subprocess.run([sys.executable, "-m", "bot", "knowledge", *args], capture_output=True, text=True, env=ENV,
                          timeout=120)


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


@pytest.fixture
def exported(folder, tmp_path):
    book = tmp_path / "窓口一覧.xlsx"
    result = madoguchi("export", str(book), "--directory", str(folder))
    assert result.returncode == 0, result.stderr
    return book


def contents(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_workbook_has_a_sheet_per_table_with_japanese_headers_and_phones_as_text(exported, folder):
    knowledge = load_knowledge(folder)
    book = load_workbook(exported)
    assert book.sheetnames == ["目次", *(c.id for c in knowledge.categories)]
    sheet = book[knowledge.categories[0].id]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["id", "組織名", "部", "課・室", "担当地域", "電話番号"]
    phone = sheet.cell(row=2, column=6)
    assert phone.number_format == "@" and isinstance(phone.value, str) and phone.value.startswith("0")
    assert sheet.max_row == len(knowledge.contacts_in(knowledge.categories[0].id)) + 1


def test_a_round_trip_without_edits_changes_nothing(exported, folder):
    before = contents(folder)
    result = madoguchi("import", str(exported), "--directory", str(folder))
    assert result.returncode == 0, result.stderr
    assert "変更はありません" in result.stdout
    assert contents(folder) == before


def row_of(sheet, contact_id):
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == contact_id)


def test_edits_are_written_and_described(exported, folder):
    """A corrected number, a new row and a deleted row: the CSVs change, the knowledge loads, the changes are listed."""
    knowledge = load_knowledge(folder)
    table = knowledge.categories[1].id
    first, second = knowledge.contacts_in(table)[:2]
    book = load_workbook(exported)
    sheet = book[table]
    sheet.cell(row=row_of(sheet, first.id), column=6, value="099-999-0000")
    sheet.delete_rows(row_of(sheet, second.id))
    sheet.append([f"{table}-new", "新しい窓口", "", "", "宮城県", "022-000-1234"])
    book.save(exported)
    result = madoguchi("import", str(exported), "--directory", str(folder))
    assert result.returncode == 0, result.stderr
    assert f"contacts/{table}.csv: 追加 1 行、削除 1 行、変更 1 か所" in result.stdout
    assert f"{first.id} の電話番号: {first.phones[0].number}" in result.stdout and "→ 099-999-0000" in result.stdout
    again = load_knowledge(folder)
    assert again.contact_by_id[first.id].phones[0].number == "099-999-0000"
    assert second.id not in again.contact_by_id and again.contact_by_id[f"{table}-new"].name == "新しい窓口"
    assert (folder / "contacts" / f"{table}.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # still opens in Excel


@pytest.mark.parametrize("value, says", [
    ("宮木県", "担当地域（serves）「宮木県」が分かりません"),
    (222256636, "電話番号「222256636」の書き方が読めません"),  # Excel turned a typed number into 222256636
], ids=["unknown place", "leading zero eaten"])
def test_an_invalid_workbook_writes_nothing_and_points_at_the_sheet_and_row(exported, folder, value, says):
    knowledge = load_knowledge(folder)
    table = knowledge.categories[2].id
    target = knowledge.contacts_in(table)[3]
    book = load_workbook(exported)
    sheet = book[table]
    row = row_of(sheet, target.id)
    sheet.cell(row=row, column=5 if isinstance(value, str) else 6, value=value)
    book.save(exported)
    before = contents(folder)
    result = madoguchi("import", str(exported), "--directory", str(folder))
    assert result.returncode == 1
    assert f"{exported} シート「{table}」{row} 行目: " in result.stderr and says in result.stderr
    assert "何も書き換えていません" in result.stderr and "Traceback" not in result.stderr
    assert contents(folder) == before


def test_a_file_that_is_not_a_workbook_is_one_clear_line(folder, tmp_path):
    fake = tmp_path / "table.xlsx"
    fake.write_text("id,organization\n", encoding="utf-8")
    result = madoguchi("import", str(fake), "--directory", str(folder))
    assert result.returncode == 1 and "Excel のブック（.xlsx）として開けません" in result.stderr
    assert "Traceback" not in result.stderr
