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
    assert book.sheetnames == ["目次", *(c.id for c in knowledge.categories), "synonyms"]
    assert [c.value for c in book["synonyms"][1]] == ["言葉", "指すもの", "メモ"]
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


def test_a_word_added_in_the_synonyms_sheet_is_understood(exported, folder):
    """One row in the words sheet: a new word for a topic (by a part of its name) is written to synonyms.csv, listed
    as added, and the bot understands it."""
    book = load_workbook(exported)
    book["synonyms"].append(["事業の襷渡し", "事業承継", "職員が追加"])
    book.save(exported)
    result = madoguchi("import", str(exported), "--directory", str(folder))
    assert result.returncode == 0, result.stderr
    assert "synonyms.csv: 追加 1 行、削除 0 行、変更 0 か所" in result.stdout and "  + 事業の襷渡し" in result.stdout
    knowledge = load_knowledge(folder)
    assert "事業の襷渡し" in next(i for i in knowledge.intents if i.label.startswith("事業承継")).keywords


def test_a_repeated_id_names_the_new_row_s_sheet_and_row_and_no_temporary_path(exported, folder):
    """A row copied below with its id unchanged: the problem is at the copy's sheet and row, and names the
    original's row in the sheet — never the trial folder the check ran in."""
    book = load_workbook(exported)
    sheet = book["jetro"]
    original = row_of(sheet, "jetro-sendai")
    sheet.append([c.value for c in sheet[original]][:5] + ["022-000-3333"])
    book.save(exported)
    result = madoguchi("import", str(exported), "--directory", str(folder))
    assert result.returncode == 1
    assert (f"{exported} シート「jetro」{sheet.max_row} 行目: id「jetro-sendai」は、シート「jetro」{original} 行目の行と"
            f"同じです") in result.stderr
    assert "/tmp" not in result.stderr.replace(str(exported), "")


@pytest.mark.parametrize("value, says", [
    ("宮木県", "担当地域（serves）「宮木県」が分かりません"),
    (222256636, "電話番号「222256636」は、Excel が先頭の 0 を消して数字にしたもののようです（もとは 0222256636）"),
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
    assert result.returncode == 1 and "Excel のブック（.xlsx）ではありません" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "Traceback" not in result.stderr


# -- a workbook is input from outside -------------------------------------------------------------------------------
def test_a_sheet_named_with_a_path_writes_nothing_anywhere(exported, folder, tmp_path):
    """A sheet named with an absolute path once rewrote the live jetro.csv (the bot then answered a planted number)
    though the import ended in an error, and a ../ name wrote outside the folder. Only table ids are sheet names."""
    import zipfile

    outside = tmp_path / "planted"
    book = load_workbook(exported)
    names = {f"evil{n}": name for n, name in enumerate((str(folder / "contacts" / "jetro"), "../../planted", str(outside)))}
    for placeholder in names:
        copy = book.copy_worksheet(book["jetro"])
        copy.title = placeholder
        copy["F2"] = "0120-999-999"
    book.save(exported)
    # Excel and openpyxl refuse / in a sheet's name, but a crafted file has it, and openpyxl's reader takes it
    crafted = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(crafted, "w") as target:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/workbook.xml":
                for placeholder, name in names.items():
                    data = data.replace(f'name="{placeholder}"'.encode(), f'name="{name}"'.encode())
            target.writestr(part, data)
    exported = crafted
    assert set(names.values()) <= set(load_workbook(crafted, read_only=True).sheetnames)
    before = contents(folder)
    result = madoguchi("import", str(exported), "--directory", str(folder))
    assert result.returncode == 1 and "知識ファイルの表の名前ではありません" in result.stderr
    assert contents(folder) == before and not list(tmp_path.glob("*planted*"))
    assert "0120-999-999" not in (folder / "contacts" / "jetro.csv").read_text(encoding="utf-8-sig")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(folder, tmp_path):
    """A 464 kB workbook unpacking to gigabytes once took 3.9 GB and ended in a traceback: refused from the zip's
    directory, in one line, unopened."""
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<row/>" * 30_000_000)  # ~180 MB of repeats, ~200 kB packed
    assert bomb.stat().st_size < 1_000_000
    result = madoguchi("import", str(bomb), "--directory", str(folder))
    assert result.returncode == 1 and "大きすぎます" in result.stderr and "Traceback" not in result.stderr


def test_a_cell_too_long_for_the_bot_is_refused_in_the_workbook_and_in_the_files(exported, folder):
    """A 32,767-character cell passed import and check-knowledge, then the bot could not start (SudachiPy refuses
    input over 49,149 bytes): now a problem naming the sheet and row, and the file and line."""
    book = load_workbook(exported)
    book["jetro"]["J2"] = "あ" * 32_767
    book.save(exported)
    result = madoguchi("import", str(exported), "--directory", str(folder))
    assert result.returncode == 1 and "シート「jetro」2 行目" in result.stderr and "値が長すぎます（32,767 文字）" in result.stderr
    path = folder / "contacts" / "jetro.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1][:-1] + "あ" * 5_000 + lines[1][-1:]  # the last column (source_line) keeps its value
    lines[1] = lines[1].replace(",,", "," + "い" * 5_000 + ",", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "bot", "check-knowledge", str(folder)], capture_output=True, text=True,
                           env=ENV, timeout=120)
    assert check.returncode == 1 and "contacts/jetro.csv:2: 列「" in check.stderr and "値が長すぎます" in check.stderr


def test_a_text_cell_beginning_with_equals_is_exported_as_text_and_comes_back_unchanged(folder, tmp_path):
    """knowledge export once turned a text cell beginning with = into a live formula: it stays text, and the round trip
    gives the same bytes."""
    path = folder / "contacts" / "jetro.csv"
    text = path.read_text(encoding="utf-8-sig").splitlines()
    header = text[0].split(",")
    row = text[1].split(",")
    row[header.index("notes")] = '"=HYPERLINK(""http://example.invalid"",""詳しく"")"'
    path.write_text("\n".join([text[0], ",".join(row), *text[2:]]) + "\n", encoding="utf-8-sig")
    before = contents(folder)
    book = tmp_path / "out.xlsx"
    assert madoguchi("export", str(book), "--directory", str(folder)).returncode == 0
    cell = load_workbook(book)["jetro"].cell(row=2, column=header.index("notes") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert madoguchi("import", str(book), "--directory", str(folder)).returncode == 0
    assert contents(folder) == before
