"""The curators' records: a real SQLite file in a temporary folder, and the report built from it."""

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from bot.curation.records import DatabaseRecorder
from bot.curation.report import ReportError, build_report, export_eval, parse_since, write_csv
from tests.conftest import ROOT

KEY = b"a secret kept outside the database"


@pytest.fixture
def recorded(tmp_path, chat, text_presenter):
    """A database with a realistic mix of answers and feedback."""
    path = tmp_path / "records.sqlite3"
    recorder = DatabaseRecorder(path, hash_key=KEY)
    for n, (question, user) in enumerate([("二重ローン 宮城", "U1"), ("パスポートの申請方法", "U2"), ("パスポートの申請方法", "U3"),
                                          ("ﾊﾟｽﾎﾟｰﾄの申請方法", "U1"), ("事業承継について誰に聞けばいい？", "U2"),
                                          ("ジェトロ福岡", "U4"), ("天気", "U5")]):
        answer = chat.reply(f"rec:{n}", question)
        recorder.answered("dm", question, answer, user, lambda: text_presenter.render(answer))
    recorder.feedback("slack", False, "二重ローン 宮城", "contacts: fukko-sodan-miyagi", "U1")
    recorder.feedback("slack", True, "ジェトロ福岡", "contacts: jetro-fukuoka", "U4")
    recorder.close()
    return path


def test_only_unanswered_questions_keep_their_text(recorded):
    """Fallbacks and clarifying questions keep question and reply; answered ones are only counted."""
    db = sqlite3.connect(recorded)
    rows = db.execute("SELECT kind, question, reply FROM answers").fetchall()
    assert len(rows) == 7
    for kind, question, reply in rows:
        if kind in ("fallback", "clarify"):
            assert question and reply
        else:
            assert question is None and reply is None


def test_user_ids_are_stored_only_as_keyed_hashes(recorded):
    """No Slack user id appears anywhere in the database file, and the hashes cannot be recomputed from the file and a
    member list: they are keyed with a secret that is not in the database."""
    import hashlib
    import hmac

    db = sqlite3.connect(recorded)
    hashes = {r[0] for r in db.execute("SELECT user_hash FROM answers")}
    assert "U1" not in hashes and len(hashes) == 5
    assert b"U1" not in recorded.read_bytes().replace(b"U1\x00", b"")  # not even inside another value
    assert hmac.new(KEY, b"U1", hashlib.sha256).hexdigest()[:16] in hashes
    assert KEY not in recorded.read_bytes()


def test_report_shows_the_most_frequent_unanswered_questions_first(recorded):
    """The same question typed in half-width kana counts with the full-width one; feedback and counts per category."""
    report = build_report(str(recorded), None)
    assert report.answers == 7 and report.users == 5
    question, kind, count, reply = report.unanswered[0]
    assert (question, kind, count) == ("パスポートの申請方法", "fallback", 3)
    assert "パスポート" in reply and "この一覧" in reply  # the reply as given: not a matter the list covers
    assert (report.helpful, report.not_helpful) == (1, 1)
    assert report.by_category["jetro"] == 1 and report.by_prefecture["宮城県"] == 1


def test_since_limits_the_period(recorded):
    """Records older than --since are left out."""
    db = sqlite3.connect(recorded)
    old = (datetime.now(timezone.utc) - timedelta(days=30)).isoformat(timespec="seconds")
    db.execute("UPDATE answers SET at = ? WHERE question LIKE '%パスポート%'", (old,))
    db.commit()
    report = build_report(str(recorded), parse_since("7d"))
    assert all("パスポート" not in q for q, *_ in report.unanswered)
    assert build_report(str(recorded), parse_since("all")).answers == 7


@pytest.mark.parametrize("text", ["7x", "yesterday"])
def test_a_bad_since_is_a_clear_error(text):
    """--since accepts 7d, 24h, 2w or a date."""
    with pytest.raises(ReportError):
        parse_since(text)


def test_csv_is_one_table_for_a_spreadsheet(recorded):
    """--csv writes section, item, count, detail rows."""
    import io

    out = io.StringIO()
    write_csv(build_report(str(recorded), None), out, {"reconstruction_consultation": "産業復興相談センター"})
    lines = out.getvalue().splitlines()
    assert lines[0] == "\ufeff区分,項目,件数,詳細"  # a BOM: Excel opens it as UTF-8 Japanese
    assert any(line.startswith("答えられなかった質問,パスポートの申請方法,3,分かりませんでした") for line in lines)
    assert "フィードバック,違う,1," in out.getvalue() and "種類,産業復興相談センター," in out.getvalue()
    assert "\r\n" in out.getvalue()


def test_report_command_prints_and_a_missing_database_is_explained(recorded, tmp_path):
    """`madoguchi report` reads the database it is given; a missing one is one clear line, exit 1."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    ok = subprocess.run([sys.executable, "-m", "bot", "report", "--database", str(recorded), "--since", "all"],
                        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert ok.returncode == 0 and "パスポートの申請方法" in ok.stdout and "違う 1" in ok.stdout
    missing = subprocess.run([sys.executable, "-m", "bot", "report", "--database", str(tmp_path / "none.sqlite3")],
                             capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert missing.returncode == 1 and "まだ記録がありません" in missing.stderr and "docker compose exec" in missing.stderr


def test_every_wrong_answer_becomes_an_evaluation_case_to_fill_in(recorded, tmp_path):
    """--export-eval writes each 違う in the evaluation format, with an empty expectation for the curator."""
    out = tmp_path / "cases.jsonl"
    with out.open("w", encoding="utf-8") as f:
        assert export_eval(str(recorded), None, f) == 1
    (item,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert item["turns"] == ["二重ローン 宮城"] and item["expect"] == [{"all": []}]
    assert "fukko-sodan-miyagi" in item["bot_answer"]


def test_the_report_speaks_japanese_in_japan_time_on_one_line_each(tmp_path, chat, text_presenter):
    """Kinds and tables by their Japanese names, times in Japan time (and said), a user's line break not breaking the
    layout, and 「ほかには？」 with nothing more to show not counted as unanswered."""
    import io

    from bot.curation.report import print_report

    path = tmp_path / "records.sqlite3"
    recorder = DatabaseRecorder(path, hash_key=KEY)
    for conversation, question in (("a", "二重ローン 宮城"), ("a", "ほかには？"), ("b", "天気\nです")):
        answer = chat.reply(f"ja:{conversation}", question)
        recorder.answered("dm", question, answer, "U1", lambda: text_presenter.render(answer))
    recorder.feedback("slack", False, "天気", "fallback: -", "U1")
    recorder.close()
    out = io.StringIO()
    print_report(build_report(str(path), None), out, {"reconstruction_consultation": "産業復興相談センター"})
    text = out.getvalue()
    assert "窓口を案内" in text and "分かりませんでした" in text and "産業復興相談センター" in text
    assert "日本時間" in text and "天気 です" in text and "ほかには" not in text


@pytest.mark.parametrize("question", ["=HYPERLINK(\"http://example.invalid\",\"見る\")", "+81 3 1234", "-1+1",
                                      "@SUM(A1)", "\t=1", "\r=1"])
def test_a_question_that_looks_like_a_formula_stays_text_in_the_csv(question):
    """report --csv once wrote users' questions beginning with = + - @ tab or CR as they were: Excel ran them. Such a
    cell gets a leading ' (OWASP), in every column; ordinary cells are unchanged."""
    import csv
    import io

    from bot.curation.report import Report

    report = Report(since=None, unanswered=[(question, "fallback", 2, "=reply")],
                    complaints=[("2026-12-01T00:00:00+00:00", question, "-contacts: x")])
    report.by_prefecture["@place"] = 1
    out = io.StringIO()
    write_csv(report, out)
    cells = [c for row in csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    assert "'@place" in cells and sum(c.startswith("'") for c in cells) >= 3
    assert {"区分", "答えられなかった質問", "都道府県", "2"} <= set(cells)  # ordinary text and numbers as they were
