"""The records on both engines — the embedded SQLite file and a real PostgreSQL server (the pgserver wheel, started
here) — with the workspace on every row: one workspace's records are never in another's report; a database written
by the earlier version is brought up to date, not lost."""

import sqlite3
import subprocess
import sys

import pytest

from bot.curation.records import DatabaseRecorder
from bot.curation.report import build_report, export_eval
from tests.conftest import ROOT
from tests.servers import postgres_url  # noqa: F401 - pytest fixture

QUESTIONS = [("T1", "二重ローン 宮城"), ("T1", "天気"), ("T2", "パスポートの申請方法"), ("T2", "ジェトロ福岡"), ("T2", "天気")]


@pytest.fixture(scope="session")
def postgres(postgres_url):
    return postgres_url


def record(target, chat, text_presenter):
    recorder = DatabaseRecorder(target, hash_key=b"k")
    for n, (team, question) in enumerate(QUESTIONS):
        answer = chat.reply(f"{team}:D{n}", question)
        recorder.answered("dm", question, answer, f"U{n}", lambda: text_presenter.render(answer), team)
    recorder.feedback("slack", False, "天気", "fallback: -", "U1", "T1")
    recorder.feedback("slack", False, "ジェトロ福岡", "contacts: jetro-fukuoka", "U3", "T2")
    recorder.close()
    assert recorder.dropped == 0


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_each_workspace_sees_only_its_own_records(engine_name, request, tmp_path, chat, text_presenter):
    target = request.getfixturevalue("postgres") if engine_name == "postgresql" else str(tmp_path / "records.sqlite3")
    if engine_name == "postgresql":
        from sqlalchemy import text

        from bot.curation.schema import open_engine
        with open_engine(target).begin() as c:  # a fresh database for this test
            c.execute(text("DROP TABLE IF EXISTS answers, feedback"))
    record(target, chat, text_presenter)
    everyone, one, two = (build_report(target, None, team=t) for t in (None, "T1", "T2"))
    assert (everyone.answers, one.answers, two.answers) == (5, 2, 3)
    assert [q for q, *_ in one.unanswered] == ["天気"] and "パスポートの申請方法" not in str(one.unanswered)
    assert (one.not_helpful, two.not_helpful) == (1, 1)
    import io

    out = io.StringIO()
    assert export_eval(target, None, out, team="T2") == 1 and "ジェトロ福岡" in out.getvalue() and "天気" not in out.getvalue()


def test_a_database_of_the_earlier_version_is_brought_up_to_date(tmp_path, chat, text_presenter):
    """Tables without the workspace column (and the old salt table): the rows stay and are reported; new rows go on."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE answers (id INTEGER PRIMARY KEY, at TEXT NOT NULL, surface TEXT NOT NULL, kind TEXT NOT NULL,
                category TEXT, prefecture TEXT, intent TEXT, question TEXT, reply TEXT, user_hash TEXT);
            CREATE TABLE feedback (id INTEGER PRIMARY KEY, at TEXT NOT NULL, surface TEXT NOT NULL, helpful INTEGER NOT NULL,
                question TEXT NOT NULL, reply TEXT NOT NULL, user_hash TEXT);
            INSERT INTO answers (at, surface, kind, question, reply) VALUES ('2026-11-01T00:00:00+00:00', 'dm', 'fallback', '古い質問', '…');
        """)
    record(str(path), chat, text_presenter)
    report = build_report(str(path), None)
    assert report.answers == 6 and "古い質問" in str(report.unanswered)


def test_report_team_from_the_command_line(tmp_path, chat, text_presenter):
    path = tmp_path / "records.sqlite3"
    record(str(path), chat, text_presenter)
    result = subprocess.run([sys.executable, "-m", "bot", "report", "--since", "all", "--database", str(path), "--team", "T1"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0 and "回答数 2" in result.stdout and "パスポート" not in result.stdout
