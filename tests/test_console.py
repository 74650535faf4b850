"""The console contract other tools rely on: `ask`, `chat`, `chat --jsonl`, and `python -m bot` alike."""

import json
import os
import subprocess
import sys
from pathlib import Path


from tests.conftest import KNOWLEDGE_DIR, ROOT, number_of

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}
SCRIPT = Path(sys.executable).parent / "madoguchi"


def run(args, stdin=None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120)


def test_ask_prints_the_answer_and_exits_0():
    """`madoguchi ask` prints plain text with the number as printed in the source."""
    result = run([str(SCRIPT), "ask", "二重ローン 宮城"])
    assert result.returncode == 0, result.stderr
    assert number_of("fukko-sodan-miyagi") in result.stdout


def test_python_m_bot_behaves_exactly_like_madoguchi():
    """`python -m bot ask` gives the same output as `madoguchi ask`."""
    a = run([str(SCRIPT), "ask", "ジェトロ福岡の電話番号"])
    b = run([sys.executable, "-m", "bot", "ask", "ジェトロ福岡の電話番号"])
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout


def test_chat_jsonl_writes_one_object_per_line_in_order_with_independent_conversations():
    """Interleaved conversations keep their own state; every input line gets exactly one JSON line."""
    lines = [
        {"conversation": "a", "text": "事業承継の相談をしたい"},
        {"conversation": "b", "text": "ジェトロ"},
        {"conversation": "a", "text": "宮城です"},
        {"conversation": "b", "text": "高知"},
    ]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n二重ローン 福島\n{not json\n"
    result = run([sys.executable, "-m", "bot", "chat", "--jsonl"], stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 6
    assert [o["conversation"] for o in out] == ["a", "b", "a", "b", "default", "default"]
    assert out[0]["clarify"] is True and out[0]["contacts"] == []
    assert out[2]["clarify"] is False and out[2]["prefecture"] == "宮城県"
    assert out[2]["category"] == "hikitsugi"
    assert out[2]["contacts"] == [{"name": "宮城県事業引継ぎ相談窓口", "phone": number_of("hikitsugi-miyagi")}]
    assert number_of("hikitsugi-miyagi") in out[2]["text"]
    assert out[3]["contacts"][0]["phone"] == number_of("jetro-kochi")
    assert number_of("fukko-sodan-fukushima") in out[4]["text"]
    assert out[5]["kind"] == "error" and "not a JSON object" in out[5]["error"]
    for o in out:
        assert set(o) >= {"conversation", "text", "category", "prefecture", "contacts", "clarify"}


def test_chat_answers_each_line_and_ends_at_end_of_input():
    """The interactive console reads until Ctrl-D (end of input) and exits 0."""
    result = run([sys.executable, "-m", "bot", "chat"], "事業承継の相談をしたい\n宮城です\n")
    assert result.returncode == 0
    assert "どちらの都道府県ですか？" in result.stdout
    assert number_of("hikitsugi-miyagi") in result.stdout


def test_the_console_imports_neither_slack_nor_a_database_it_does_not_use():
    """Answering on the console never loads the Slack libraries, nor SQLAlchemy when nothing is recorded
    (MADOGUCHI_DB=off): what a command does not use it does not import (a lean start-up)."""
    code = ("import sys, io; from bot.cli import main; sys.stdout = io.StringIO(); main(['ask', '宮城']); "
            "sys.stdout = sys.__stdout__; print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'slack_sdk', 'slack_bolt', 'sqlalchemy', 'psycopg', 'redis', 'openpyxl', 'waitress'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={**ENV, "MADOGUCHI_DB": "off"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_invalid_knowledge_stops_the_bot_with_the_problems(tmp_path):
    """The bot refuses to start on broken knowledge and prints `path:line: message`."""
    import shutil

    broken = tmp_path / "k"
    shutil.copytree(KNOWLEDGE_DIR, broken)
    f = broken / "contacts" / "jetro.csv"
    f.write_text(f.read_text(encoding="utf-8").replace(number_of("jetro-fukuoka"), "092-741-878X"), encoding="utf-8")
    result = run([sys.executable, "-m", "bot", "ask", "--knowledge", str(broken), "ジェトロ福岡"])
    assert result.returncode == 1
    assert f"{f}:" in result.stderr and "電話番号「092-741-878X」の書き方が読めません →" in result.stderr


def test_ask_and_chat_honour_a_dotenv_file(tmp_path):
    """Settings in ./.env apply to `ask` and `chat` as to `serve`: here a knowledge folder with a changed number."""
    import shutil

    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    jetro = folder / "contacts" / "jetro.csv"
    row = next(line for line in jetro.read_text(encoding="utf-8").splitlines() if line.startswith("jetro-fukuoka,"))
    old = next(cell for cell in row.split(",") if cell.startswith("092-"))
    jetro.write_text(jetro.read_text(encoding="utf-8").replace(old, "092-000-0000"), encoding="utf-8")
    (tmp_path / ".env").write_text(f"MADOGUCHI_KNOWLEDGE={folder}\nMADOGUCHI_DB=off\nMADOGUCHI_CACHE_DIR=off\n")
    env = {k: v for k, v in ENV.items() if not k.startswith("MADOGUCHI_")}
    for args, stdin in ((["ask", "ジェトロ福岡"], None), (["chat"], "ジェトロ福岡\n")):
        result = subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                                env=env, cwd=tmp_path, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "092-000-0000" in result.stdout


def test_where_names_the_file_and_line_of_a_number_or_an_office(knowledge):
    """`madoguchi where` finds a number however it is typed (here in full width), or part of an office's name;
    nothing found: exit 1."""
    number = knowledge.contact_by_id["jetro-fukuoka"].phones[0].number
    wide = number.translate({ord(d): chr(ord(d) + 0xFEE0) for d in "0123456789-"})
    for what, expected in ((wide, "jetro.csv"), ("ジェトロ 福岡", "jetro-fukuoka")):
        result = run([sys.executable, "-m", "bot", "where", what])
        assert result.returncode == 0 and expected in result.stdout, result.stdout + result.stderr
        path, line = result.stdout.split(":")[:2]
        assert (ROOT / path).is_file() and line.isdigit()
    missing = run([sys.executable, "-m", "bot", "where", "存在しない窓口"])
    assert missing.returncode == 1 and "見つかりませんでした" in missing.stderr


def test_ask_and_chat_write_their_records_before_exiting(tmp_path):
    """The records are written in the background: ask and chat once exited with their rows still queued."""
    import sqlite3

    database = tmp_path / "records.sqlite3"
    env = {**ENV, "MADOGUCHI_DB": str(database), "MADOGUCHI_USER_HASH_KEY": "a-key-kept-elsewhere"}
    for args, stdin in ((["ask", "パスポートの申請方法"], None), (["chat"], "天気の相談\n宮城の観光\n")):
        result = subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                                env=env, cwd=ROOT, timeout=120)
        assert result.returncode == 0, result.stderr
    rows = sqlite3.connect(database).execute("SELECT surface FROM answers").fetchall()
    assert len(rows) == 3, rows
