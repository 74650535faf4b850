"""`madoguchi eval`: accuracy per tag, every failure with the reply, and cases waiting for the curator."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, number_of

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def write(path, items):
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")


def run_eval(path):
    return subprocess.run([sys.executable, "-m", "bot", "eval", str(path)], capture_output=True, text=True,
                          env=ENV, cwd=ROOT, timeout=120)


def test_a_passing_set_scores_100_percent_and_exits_0(tmp_path):
    """Single and multi-turn items, fallback and clarify expectations, scored per tag."""
    f = tmp_path / "ok.jsonl"
    write(f, [
        {"id": "a", "turns": ["二重ローン 宮城"], "expect": [{"all": [number_of("fukko-sodan-miyagi")]}], "tags": ["sentence"]},
        {"id": "b", "turns": ["事業承継の相談をしたい", "宮城です"], "expect": [{"clarify": True}, {"all": [number_of("hikitsugi-miyagi")]}],
         "tags": ["multi-turn"]},
        {"id": "c", "turns": ["週末に雨降る？"], "expect": [{"fallback": True}], "tags": ["fallback"]},
    ])
    result = run_eval(f)
    assert result.returncode == 0, result.stdout
    assert "score 3/3 = 100.0%" in result.stdout and "multi-turn" in result.stdout
    assert "confidently wrong 0/3 = 0.0%" in result.stdout


def test_a_failure_is_shown_with_the_bots_reply_and_exits_1(tmp_path):
    """A wrong expectation is reported with the reason and the full reply."""
    f = tmp_path / "bad.jsonl"
    write(f, [{"id": "x", "turns": ["ジェトロ福岡"], "expect": [{"all": ["000-000-0000"]}], "tags": ["org"]}])
    result = run_eval(f)
    assert result.returncode == 1
    assert "FAIL x turn 1" in result.stdout and "missing 000-000-0000" in result.stdout and number_of("jetro-fukuoka") in result.stdout
    assert "confidently wrong 1/1 = 100.0%" in result.stdout  # a number given, not the one expected


def test_a_clarifying_question_or_a_wrong_office_by_id(tmp_path):
    """Expected by id: another office with its number is confidently wrong; asking back is not."""
    f = tmp_path / "ids.jsonl"
    write(f, [{"id": "w", "turns": ["ジェトロ福岡"], "expect": [{"contacts": ["jetro-sendai"]}]},
              {"id": "q", "turns": ["事業承継"], "expect": [{"contacts": ["hikitsugi-miyagi"]}]}])
    result = run_eval(f)
    assert "confidently wrong 1/2 = 50.0%" in result.stdout and "score 0/2" in result.stdout


def test_cases_without_an_expectation_wait_for_the_curator(tmp_path):
    """Exported 違う cases with an empty expectation are listed as TODO, not scored."""
    f = tmp_path / "todo.jsonl"
    write(f, [{"id": "feedback-1", "turns": ["二重ローン 宮城"], "expect": [{"all": []}], "tags": ["feedback"]}])
    result = run_eval(f)
    assert result.returncode == 0 and "TODO feedback-1" in result.stdout and "1 waiting for the curator" in result.stdout


def test_a_malformed_file_names_the_line(tmp_path):
    """A broken line is reported as path:line and exit 2."""
    f = tmp_path / "broken.jsonl"
    f.write_text('{"id": "a", "turns": ["x"], "expect": [{}]}\n{oops\n', encoding="utf-8")
    result = run_eval(f)
    assert result.returncode == 2 and f"{f}:2:" in result.stderr


def test_a_hand_written_set_with_strings_for_lists_and_japanese_tags_is_read_and_aligned(tmp_path, knowledge):
    """"turns": "…", "all": "…" and one expectation as an object are read as lists; Japanese tags line up."""
    number = knowledge.contact_by_id["fukko-sodan-miyagi"].phones[0].number
    f = tmp_path / "hand.jsonl"
    write(f, [{"id": "h1", "turns": "二重ローン 宮城", "expect": {"all": number}, "tags": "二重ローン"},
              {"id": "h2", "turns": ["天気"], "expect": [{"fallback": True}], "tags": ["fallback"]}])
    result = run_eval(f)
    assert result.returncode == 0, result.stdout
    lines = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    columns = {len(line) + sum(1 for c in line if ord(c) > 0x3000) - len(line.split("/")[-1]) for line in lines}
    assert len(columns) == 1, lines  # the counts start in the same display column
