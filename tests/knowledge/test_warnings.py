"""Notes (注意) that do not stop the bot: a keyword under two intents, one number on two organizations, a row that is
not from the source document. Made in a copy of today's knowledge, by position, never by today's data."""

import csv
import io
import shutil
import tomllib

import pytest

from bot.knowledge import load_knowledge
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def notes(folder):
    return [str(n) for n in load_knowledge(folder).notes]


def test_a_keyword_under_two_intents_names_both_and_the_line(folder):
    path = folder / "intents.toml"
    first, second = tomllib.loads(path.read_text(encoding="utf-8"))["intent"][:2]
    word = first["keywords"][0]
    text = path.read_text(encoding="utf-8")
    at = text.index("keywords = [", text.index(f'id = "{second["id"]}"'))
    path.write_text(text[:at] + f'keywords = [\n    "{word}",' + text[at + len("keywords = ["):], encoding="utf-8")
    line = text[:at].count("\n") + 2
    (note,) = [n for n in notes(folder) if f"言葉「{word}」" in n]
    assert note.startswith(f"{path}:{line}: ") and f"相談「{first['id']}」" in note and f"「{second['id']}」" in note
    assert " → " in note


def test_one_number_on_two_organizations_is_a_note_saying_whether_the_source_prints_it_so(folder):
    path = folder / "contacts" / "jetro.csv"
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    phone = table[0].index("phone")
    table[3][phone] = table[2][phone]  # one office's number typed on another's row
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    path.write_text(out.getvalue(), encoding="utf-8")
    shared = [n for n in notes(folder) if f"電話番号 {table[2][phone]} が" in n]
    assert len(shared) == 1 and table[2][1] in shared[0] and table[3][1] in shared[0]
    assert "打ち間違いでないか" in shared[0]  # the source does not print it so


def test_the_source_s_own_shared_number_is_said_to_be_as_printed(imported):
    """In the import, 0120-154-505 is on 日本政策金融公庫 and 商工中金, as the source prints it."""
    finance = [c for c in imported.contacts if c.category == "government_finance"]
    numbers = {p.number for c in finance for p in c.phones}
    as_printed = [str(n) for n in imported.notes if "原資料でも同じ番号" in str(n)]
    assert any(any(number in n for number in numbers) for n in as_printed)


def test_a_row_without_a_source_line_is_noted_and_said_in_answers(folder):
    path = folder / "contacts" / "jetro.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.rstrip("\n") + "\njetro-test,ジェトロ試験,,,宮城県,022-000-9999,,,,,\n", encoding="utf-8")
    (note,) = [n for n in notes(folder) if "ジェトロ試験" in n]
    assert "原資料の行（source_line）がありません" in note and "担当者が追加した窓口" in note
    from bot.presenters.wording import Wording

    knowledge = load_knowledge(folder)
    lines = Wording(knowledge).source_lines([knowledge.contact_by_id["jetro-test"]])
    assert lines[-1] == "ジェトロ試験は担当者が追加した窓口です（資料にはありません）。"
