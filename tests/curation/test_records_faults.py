"""Recording is best-effort: a locked, read-only, full or deleted database never delays or replaces an answer, and
each outage is logged once when it starts and once when it ends."""

import logging
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from bot.curation.records import RecordsError, DatabaseRecorder
from tests.conftest import Chat

QUESTIONS = ["二重ローン 宮城", "天気", "ジェトロ福岡", "事業承継について誰に聞けばいい？"] * 3


def answer_all(chat, text_presenter, recorder, tag):
    """Answer every question, recording each; return the seconds it took."""
    started = time.monotonic()
    for n, q in enumerate(QUESTIONS):
        answer = chat.reply(f"{tag}:{n}", q)
        recorder.answered("dm", q, answer, "U1", lambda: text_presenter.render(answer))
    return time.monotonic() - started


def rows(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM answers").fetchone()[0]


@pytest.fixture
def chat_(engine):
    return Chat(engine)


def test_a_database_locked_by_another_process_delays_no_answer(tmp_path, chat_, text_presenter, caplog):
    """Another process holds BEGIN EXCLUSIVE: every answer comes at once, the rows are dropped, one log line says so,
    and recording resumes (with one more line) once the lock is gone."""
    path = tmp_path / "records.sqlite3"
    recorder = DatabaseRecorder(path)
    locker = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys; db = sqlite3.connect(sys.argv[1], isolation_level=None); "
                               "db.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); sys.stdin.read()", str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        with caplog.at_level(logging.WARNING, logger="madoguchi.records"):
            unlocked = answer_all(chat_, text_presenter, DatabaseRecorder(tmp_path / "other.sqlite3"), "free")
            locked = answer_all(chat_, text_presenter, recorder, "locked")
            assert recorder.flush(timeout=60)
        assert locked < unlocked * 3 + 0.5  # answering did not wait for the lock (each row waits 0.5 s in the writer)
        paused = [r for r in caplog.records if "recording paused" in r.getMessage()]
        assert len(paused) == 1 and recorder.dropped == len(QUESTIONS)
    finally:
        locker.stdin.close()
        locker.wait(timeout=10)
    with caplog.at_level(logging.WARNING, logger="madoguchi.records"):
        answer_all(chat_, text_presenter, recorder, "after")
        assert recorder.flush()
    assert rows(path) == len(QUESTIONS)
    assert any("recording resumed" in r.getMessage() and f"{len(QUESTIONS)} row(s)" in r.getMessage() for r in caplog.records)
    recorder.close()


def test_a_read_only_database_is_one_log_line_not_an_apology(tmp_path, chat_, text_presenter, caplog):
    path = tmp_path / "records.sqlite3"
    recorder = DatabaseRecorder(path)
    recorder.connection.exec_driver_sql("PRAGMA query_only=ON")  # what a read-only file does to every write, without chmod (root)
    with caplog.at_level(logging.WARNING, logger="madoguchi.records"):
        answer_all(chat_, text_presenter, recorder, "ro")
        assert recorder.flush()
    assert [r.getMessage().startswith("recording paused") for r in caplog.records] == [True]
    assert recorder.dropped == len(QUESTIONS)


def test_a_full_disk_drops_rows_and_answers_go_on(tmp_path, chat_, text_presenter, caplog):
    """The database on a tiny file system that fills up: answers go on, one line says recording paused."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root); the read-only and locked cases cover the same path")
    try:
        recorder = DatabaseRecorder(disk / "records.sqlite3")
        with caplog.at_level(logging.WARNING, logger="madoguchi.records"):
            for n in range(60):  # long kept replies fill 256 kB quickly
                answer_all(chat_, text_presenter, recorder, f"full{n}")
            assert recorder.flush(timeout=60)
        assert recorder.dropped > 0
        assert len([r for r in caplog.records if "recording paused" in r.getMessage()]) == 1
        recorder.close()
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_a_deleted_database_folder_is_created_again_and_said(tmp_path, chat_, text_presenter, caplog):
    folder = tmp_path / "var"
    recorder = DatabaseRecorder(folder / "records.sqlite3")
    answer_all(chat_, text_presenter, recorder, "before")
    assert recorder.flush()
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    with caplog.at_level(logging.WARNING, logger="madoguchi.records"):
        answer_all(chat_, text_presenter, recorder, "after")
        assert recorder.flush()
    assert any("deleted" in r.getMessage() for r in caplog.records)
    assert rows(folder / "records.sqlite3") == len(QUESTIONS)
    recorder.close()


def test_a_full_queue_drops_and_counts_rows(tmp_path, chat_, text_presenter):
    recorder = DatabaseRecorder(tmp_path / "records.sqlite3", queue_size=1)
    blocker = sqlite3.connect(tmp_path / "records.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # the writer waits on its first row; the queue (1) fills at once
    answer_all(chat_, text_presenter, recorder, "q")
    blocker.execute("COMMIT")
    assert recorder.flush(timeout=60)
    assert recorder.dropped >= len(QUESTIONS) - 2


def test_a_database_that_cannot_be_opened_is_one_line_at_start_up(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(RecordsError, match="cannot be opened"):
        DatabaseRecorder(tmp_path / "file" / "records.sqlite3")
    env = {**os.environ, "MADOGUCHI_DB": str(tmp_path / "file" / "records.sqlite3"), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-m", "bot", "ask", "二重ローン 宮城"], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "MADOGUCHI_DB" in result.stderr
