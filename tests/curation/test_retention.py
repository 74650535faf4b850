"""What docs/privacy.md promises about the records: rows older than the retention are deleted by the running bot
(MADOGUCHI_RETENTION_DAYS), and one workspace's rows are deleted on request (`madoguchi records delete --team`)."""

import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from bot.curation.recorder import Reason
from bot.curation.records import DatabaseRecorder
from tests.conftest import ROOT


def rows(path, table):
    return sqlite3.connect(path).execute(f"SELECT at, team FROM {table}").fetchall()


def test_rows_older_than_the_retention_are_deleted_and_newer_ones_kept(tmp_path, chat, text_presenter):
    path = tmp_path / "records.sqlite3"
    first = DatabaseRecorder(path)  # an earlier run: its rows are backdated below
    answer = chat.reply("ret:1", "ふがふが")
    first.answered("dm", "ふがふが", answer, "U1", lambda: text_presenter.render(answer), "T1")
    first.feedback("slack", False, "ふがふが", "fallback: -", "U1", "T1")
    first.reason("slack", Reason.UNREACHABLE, "ふがふが", ["jetro-sendai"], "U1", "T1")
    first.close()
    old = (datetime.now(timezone.utc) - timedelta(days=40)).isoformat(timespec="seconds")
    db = sqlite3.connect(path)
    for table in ("answers", "feedback", "feedback_reasons"):
        db.execute(f"UPDATE {table} SET at = ?", (old,))
    db.commit()
    db.close()
    later = DatabaseRecorder(path, retention_days=30)  # deletes what is older on start
    later.answered("dm", "ふがふが", answer, "U2", lambda: text_presenter.render(answer), "T1")
    assert later.flush()
    later.close()
    assert [team for _, team in rows(path, "answers")] == ["T1"] and rows(path, "feedback") == []
    assert rows(path, "feedback_reasons") == [] and rows(path, "answers")[0][0] > old


def test_one_workspaces_records_are_deleted_on_request(tmp_path, chat, text_presenter):
    path = tmp_path / "records.sqlite3"
    recorder = DatabaseRecorder(path)
    answer = chat.reply("ret:2", "ふがふが")
    for team in ("T1", "T2"):
        recorder.answered("dm", "ふがふが", answer, "U1", lambda: text_presenter.render(answer), team)
        recorder.feedback("slack", False, "ふがふが", "fallback: -", "U1", team)
        recorder.reason("slack", Reason.OTHER, "ふがふが", [], "U1", team)
    recorder.close()
    done = subprocess.run([sys.executable, "-m", "bot", "records", "delete", "--team", "T1", "--database", str(path)],
                          capture_output=True, text=True, timeout=60, cwd=str(ROOT),
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    assert "answers 1 行" in done.stdout
    for table in ("answers", "feedback", "feedback_reasons"):
        assert [team for _, team in rows(path, table)] == ["T2"], table
