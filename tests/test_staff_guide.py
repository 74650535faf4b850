"""docs/staff-guide.md, followed as a script: every command it shows exists as written, and its steps work on a copy
of the knowledge (find the row, correct the number as Excel saves it, add a word, check, ask, the workbook path)."""

import re
import shlex
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import build_parser
from tests.conftest import KNOWLEDGE_DIR, ROOT, madoguchi_on, number_of

GUIDE = (ROOT / "docs" / "staff-guide.md").read_text(encoding="utf-8")
# as run in a checkout (.venv/bin/madoguchi …), on a systemd server (cd /opt/madoguchi && sudo -u madoguchi
# .venv/bin/madoguchi …) or in a container (docker compose … exec madoguchi-http madoguchi …)
_COMMAND = re.compile(r"(?:\.venv/bin/madoguchi|exec madoguchi-http madoguchi)((?: .*)?)$")
COMMANDS = sorted({"madoguchi" + m.group(1) for block in re.findall(r"```sh\n(.*?)```", GUIDE, re.S)
                   for line in block.splitlines() if (m := _COMMAND.search(line.split("#")[0].split(" > ")[0].strip()))})
SLACK_STEPS = GUIDE.split("<!-- slack-steps -->")[1].split("<!-- /slack-steps -->")[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_in_the_guide_exists_as_written(command):
    try:
        build_parser().parse_args(shlex.split(command)[1:])
    except SystemExit:
        pytest.fail(f"the guide shows a command the program refuses: {command}")


def test_the_guide_s_steps_work_on_a_copy_of_the_knowledge(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    old = number_of("jetro-sendai")
    # 1. find the row with `where`, correct the number, save as Excel's 「CSV UTF-8」 does (BOM, CRLF)
    found = madoguchi_on(folder, "where", old)
    path, line = found.stdout.split()[0].rstrip(":").rsplit(":", 1)
    table = Path(path)
    assert table.is_relative_to(folder)
    lines = table.read_text(encoding="utf-8-sig").splitlines()
    lines[int(line) - 1] = lines[int(line) - 1].replace(old, "022-000-1111")
    table.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    # 2. add a word to an intent's keywords, one per line
    intents = folder / "intents.toml"
    text = intents.read_text(encoding="utf-8")
    assert '"後継者",' in text
    intents.write_text(text.replace('"後継者",', '"後継者",\n    "事業の襷渡し",', 1), encoding="utf-8")
    # 4. check, then ask
    check = madoguchi_on(folder, "check-knowledge")
    assert check.returncode == 0 and "知識ファイルに問題はありません" in check.stdout, check.stderr
    assert "022-000-1111" in madoguchi_on(folder, "ask", "ジェトロ仙台").stdout
    asked = madoguchi_on(folder, "ask", "事業の襷渡しをしたい 宮城")
    assert number_of("hikitsugi-miyagi") in asked.stdout
    # 6. the workbook: export, correct a cell in Excel, import
    book_path = tmp_path / "窓口一覧.xlsx"
    assert madoguchi_on(folder, "knowledge", "export", str(book_path)).returncode == 0
    book = load_workbook(book_path)
    sheet = book["jetro"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "jetro-sendai")
    row[5].value = "022-000-2222"
    book.save(book_path)
    imported = madoguchi_on(folder, "knowledge", "import", str(book_path))
    assert imported.returncode == 0 and "jetro-sendai の電話番号: 022-000-1111 → 022-000-2222" in imported.stdout
    assert "022-000-2222" in madoguchi_on(folder, "ask", "ジェトロ仙台").stdout


def test_the_guide_shows_the_server_s_commands():
    assert {"madoguchi knowledge versions", "madoguchi knowledge restore", "madoguchi report"} <= set(COMMANDS)
    assert "cd /opt/madoguchi && sudo -u madoguchi .venv/bin/madoguchi report" in GUIDE


def test_the_slack_steps_use_the_words_and_buttons_the_bot_has():
    """What the guide tells a curator to send is a request the bot takes (conversation.toml), its buttons are the
    bot's; tests/slack/test_curation.py walks these very steps (it reads the same words from here)."""
    from bot.curation.requests import CuratorRequest, curator_request
    from bot.knowledge import load_knowledge
    from bot.presenters.curation import APPLY, DISCARD

    vocabulary = load_knowledge(KNOWLEDGE_DIR).vocabulary
    sent = re.findall(r"「([^」]+)」と送ります", SLACK_STEPS)
    assert [curator_request(w, vocabulary) for w in sent] == [CuratorRequest.EXPORT, CuratorRequest.RESTORE]
    assert f"「{APPLY}」「{DISCARD}」" in SLACK_STEPS and f"「{APPLY}」を押します" in SLACK_STEPS
    others = re.findall(r"^- 「([^」]+)」:", GUIDE, re.M)
    assert [curator_request(w, vocabulary) for w in others] == [CuratorRequest.REPORT, CuratorRequest.AUDIT,
                                                                CuratorRequest.HISTORY]


def test_the_guide_s_synonym_row_works_as_written(tmp_path):
    """Section 2's csv example, appended to a copy's synonyms.csv as a spreadsheet saves it: checked clean, and the
    word then finds the topic it names."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    example = re.search(r"```csv\n(.*?)```", GUIDE, re.S).group(1).splitlines()
    assert example[0] == "word,means,note"
    path = folder / "synonyms.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\r\n") + b"\r\n" + "\r\n".join(example[1:]).encode("utf-8") + b"\r\n")
    check = madoguchi_on(folder, "check-knowledge")
    assert check.returncode == 0, check.stderr
    word = example[1].split(",")[0]
    assert number_of("hikitsugi-miyagi") in madoguchi_on(folder, "ask", f"{word}の相談 宮城").stdout
