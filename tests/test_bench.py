"""The benchmarks run and report their numbers (no timing is asserted: they print, they do not judge)."""

import os
import subprocess
import sys

from tests.conftest import ROOT

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def test_core_benchmark_prints_every_measure():
    """`madoguchi bench` prints tokenization, answer time, their ratio, start-up and memory."""
    result = subprocess.run([sys.executable, "-m", "bot", "bench", "--rounds", "1"], capture_output=True, text=True,
                            env=ENV, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    for label in ("realistic stream", "ratio of means: answer / raw tokenize()", "through `chat --jsonl`", "raw Sudachi tokenize() call", "full answer", "ratio: answer / raw tokenize() (median)", "start-to-ready",
                  "`madoguchi ask` whole process", "peak RSS of `madoguchi ask`", "where the time goes",
                  "match the phrase lexicon", "choose the contacts", "the same, measured in separate passes"):
        assert label in result.stdout


def test_slack_benchmark_loses_and_duplicates_nothing():
    """`madoguchi bench slack` answers every event exactly once (exit 0) and prints the latencies."""
    result = subprocess.run([sys.executable, "-m", "bot", "bench", "slack", "--events", "60", "--senders", "20"],
                            capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lost / duplicated / non-2xx" in result.stdout and "    0 / 0 / 0" in result.stdout
    assert "event → reply p50 / p95 / p99" in result.stdout


def test_slack_benchmark_modes_print_their_measures():
    """Fault mode: commands acknowledged in time while the Web API hangs; SIGTERM mode: nothing acknowledged lost."""
    for args, labels in ((["--mode", "fault", "--rate", "100", "--seconds", "2"], ["commands acknowledged within 3 s"]),
                         (["--mode", "sigterm", "--rate", "50"], ["acknowledged / answered / lost", "exit status"]),
                         (["--mode", "memory", "--conversations", "2000"], ["in-memory store", "peak RSS"]),
                         (["--redis", "--replicas", "2", "--events", "40"], ["2 replica(s), state in Redis", "    0 / 0 / 0"])):
        result = subprocess.run([sys.executable, "-m", "bot", "bench", "slack", *args], capture_output=True, text=True,
                                env=ENV, cwd=ROOT, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert all(label in result.stdout for label in labels), result.stdout
