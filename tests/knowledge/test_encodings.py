"""Files as staff really save them: Japanese Excel's Shift_JIS CSV, UTF-8 with BOM and CRLF, UTF-16 — read, or one
clear message naming the file and how to save it again; never a traceback, also not in a reload."""

import shutil
import subprocess
import sys

import pytest

from bot.knowledge import KnowledgeError, load_knowledge
from bot.runtime import build_runtime
from tests.conftest import KNOWLEDGE_DIR, ROOT


@pytest.fixture
def folder(tmp_path):
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy)
    return copy


def resave(path, encoding: str, crlf: bool = False, bom: bool = False) -> None:
    text = path.read_text(encoding="utf-8-sig")
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))


def test_utf8_with_bom_and_crlf_as_excel_saves_it_is_read_as_is(folder, knowledge):
    for path in [folder / "contacts" / "jetro.csv", folder / "intents.toml", folder / "reference" / "cities.csv"]:
        resave(path, "utf-8", crlf=True, bom=True)
    again = load_knowledge(folder)
    assert [c.id for c in again.contacts] == [c.id for c in knowledge.contacts]
    assert len(again.notes) == len(knowledge.notes)  # no note about how the files were saved
    assert [(c.name, c.phones, c.origin.line) for c in again.contacts] == \
        [(c.name, c.phones, c.origin.line) for c in knowledge.contacts]  # lines still counted as the file shows them


def test_a_shift_jis_csv_from_japanese_excel_is_read_with_a_note(folder, knowledge):
    resave(folder / "contacts" / "jetro.csv", "cp932", crlf=True)
    again = load_knowledge(folder)
    assert again.contact_by_id["jetro-fukuoka"].phones == knowledge.contact_by_id["jetro-fukuoka"].phones
    (note,) = [n for n in again.notes if "Shift_JIS" in str(n)]
    assert "jetro.csv" in str(note) and "CSV UTF-8" in str(note)
    result = subprocess.run([sys.executable, "-m", "bot", "check-knowledge", str(folder)], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0 and "注意" in result.stderr and "jetro.csv" in result.stderr


@pytest.mark.parametrize("encoding, bom, says", [("utf-16-le", b"\xff\xfe", "UTF-16"), ("latin-1", b"", "文字コード")],
                         ids=["utf-16", "undecodable"])
def test_utf16_or_undecodable_is_one_message_naming_the_file(folder, encoding, bom, says):
    path = folder / "contacts" / "jetro.csv"
    text = path.read_text(encoding="utf-8") + ("\u00e9" if encoding == "latin-1" else "")
    path.write_bytes(bom + text.encode(encoding, errors="replace"))
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(folder)
    messages = [str(p) for p in error.value.problems]
    assert any("jetro.csv" in m and says in m and "保存し直して" in m for m in messages), messages
    result = subprocess.run([sys.executable, "-m", "bot", "check-knowledge", str(folder)], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "jetro.csv" in result.stderr


def test_a_reload_with_a_badly_saved_file_keeps_serving_and_says_why(folder, tmp_path):
    runtime = build_runtime(folder, cache_dir=tmp_path / "cache")
    path = folder / "contacts" / "jetro.csv"
    path.write_bytes(b"\xff\xfe" + path.read_text(encoding="utf-8").encode("utf-16-le"))
    problems = runtime.reload()
    assert problems and "UTF-16" in str(problems[0])
    assert runtime.ask("t", "c", "ジェトロ福岡").answer.contacts  # the old knowledge keeps answering


@pytest.mark.parametrize("typed, number, kind", [
    ("０２２－２２５－６６３６", "022-225-6636", ""),  # full-width, as a Japanese IME types it
    ("022ー225ー6636", "022-225-6636", ""),  # the long-vowel mark for a dash
    ("011-709-2311（代）", "011-709-2311", "代表"),  # full-width brackets
    ("事業資金相談ダイヤル　０１２０－１５４－５０５", "0120-154-505", ""),  # a full-width space after the label
])
def test_phone_numbers_typed_in_full_width_are_read_in_the_printed_form(typed, number, kind):
    from bot.knowledge.phones import parse_phones

    (phone,) = parse_phones(typed)
    assert (phone.number, phone.kind) == (number, kind)


def test_a_number_without_hyphens_is_reported_with_the_expected_form(folder):
    path = folder / "contacts" / "jetro.csv"
    row = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("jetro-fukuoka,"))
    number = next(cell for cell in row.split(",") if cell.startswith("092-"))
    path.write_text(path.read_text(encoding="utf-8").replace(number, number.replace("-", "")), encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(folder)
    (problem,) = error.value.problems
    assert "jetro.csv" in str(problem) and "ハイフン" in str(problem) and "022-225-6636" in str(problem)
