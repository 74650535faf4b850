"""`madoguchi bench`: answer speed against raw Sudachi tokenization, start-up time and memory, as numbers.

Measured on a fixed set of questions (questions.txt beside this file). It prints the numbers and judges no timing; it
fails (exit 1) only when it could not measure: no question, an answer that raised, a process that did not run.

Two ways of timing answers: a realistic stream (every question once per pass, shuffled so that no question
follows itself, each in a conversation of its own: the CPU caches hold no answer's data twice in a row), and the
same question answered many times in a row (hot caches, the flattering figure of earlier versions).
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import IO

QUESTIONS = Path(__file__).with_name("questions.txt")
READY = "ready"


def load_questions(path: Path = QUESTIONS) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _per_question(questions: list[str], rounds: int, run) -> list[float]:
    """Mean seconds per call of run(i, round, question), for each question."""
    return _paired(questions, rounds, run)[0]


def _paired(questions: list[str], rounds: int, *runs) -> list[list[float]]:
    """_per_question for several functions, measured question by question one right after the other, so that what
    the machine is doing meanwhile (this VM shares its cores) weighs on each of them alike."""
    out: list[list[float]] = [[] for _ in runs]
    for i, q in enumerate(questions):
        for times, run in zip(out, runs):
            start = time.perf_counter()
            for r in range(rounds):
                run(i, r, q)
            times.append((time.perf_counter() - start) / rounds)
    return out


def _p95(values: list[float]) -> float:
    return _percentile(values, 0.95)


def _percentile(values: list[float], q: float) -> float:
    return sorted(values)[max(0, int(round(q * len(values))) - 1)]


def stream(questions: list[str], passes: int, seed: int = 7) -> list[int]:
    """Question indexes: every question once per pass, shuffled, never the same question twice in a row."""
    rng = random.Random(seed)
    order: list[int] = []
    for _ in range(passes):
        batch = list(range(len(questions)))
        rng.shuffle(batch)
        if order and batch[0] == order[-1]:
            batch.append(batch.pop(0))
        order.extend(batch)
    return order


def _timed_each(order: list[int], questions: list[str], run) -> list[float]:
    """Seconds of each call of run(n, i, question), in stream order: one call per item, nothing repeated."""
    out = []
    for n, i in enumerate(order):
        start = time.perf_counter()
        run(n, i, questions[i])
        out.append(time.perf_counter() - start)
    return out


def _jsonl_cost(questions: list[str], order: list[int], env: dict[str, str], knowledge_dir: str | None) -> float:
    """Seconds per message through `madoguchi chat --jsonl` (JSON in, answer, JSON out): the whole stream minus the
    same process answering one line."""
    def run(indexes: list[int]) -> float:
        lines = "".join(json.dumps({"conversation": f"s{n}", "text": questions[i]}, ensure_ascii=False) + "\n"
                        for n, i in enumerate(indexes))
        args = [sys.executable, "-m", "bot", "chat", "--jsonl"] + (["--knowledge", knowledge_dir] if knowledge_dir else [])
        start = time.perf_counter()
        subprocess.run(args, input=lines, capture_output=True, text=True, env=env, check=True)
        return time.perf_counter() - start

    one = min(run(order[:1]) for _ in range(3))
    return (run(order) - one) / (len(order) - 1)


# Runs the measured command from a small fresh process: on Linux a child's peak RSS starts at its parent's
# RSS at fork time, so forking straight from this (large) process would inflate the figure.
_LAUNCHER = """
import os, subprocess, sys, time
wait_for_ready = sys.argv[1] == "1"
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
elapsed = None
for line in proc.stdout:
    if wait_for_ready and elapsed is None and line.strip() == "ready":
        elapsed = time.perf_counter() - start
_, status, usage = os.wait4(proc.pid, 0)
if elapsed is None:
    elapsed = time.perf_counter() - start
print(elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _child_run(args: list[str], env: dict[str, str], wait_for_ready: bool = False) -> tuple[float, float, int]:
    """Run a command; return (seconds until it printed 'ready' or exited, its peak RSS in MB, exit status)."""
    result = subprocess.run([sys.executable, "-c", _LAUNCHER, "1" if wait_for_ready else "0", *args],
                            capture_output=True, text=True, env=env, check=True)
    elapsed, maxrss_kb, status = result.stdout.split()
    return float(elapsed), int(maxrss_kb) / 1024, int(status)


def _stages(questions: list[str], rounds: int, runtime, normalized: list[str]) -> list[tuple[str, list[float]]]:
    """Per-question times of each stage of an answer, each measured on its own."""
    from bot.core.conversation import NEW_CONVERSATION
    from bot.language.text import spaced_brackets

    engine, text = runtime.snapshot.engine, runtime.snapshot.text
    understander, policy, empty = engine.understander, engine.policy, NEW_CONVERSATION
    spaced = [spaced_brackets(n) for n in normalized]
    tokens = [understander.tokenize(s) for s in spaced]
    queries = [understander.parse(q) for q in questions]
    answers = [policy.answer(query, empty)[0] for query in queries]  # the decision alone, without the store
    stages = [
        ("tokenize into Tokens (SudachiPy included)", lambda i, r, q: understander.tokenize(spaced[i])),
        ("match the phrase lexicon", lambda i, r, q: understander.lexicon.match(tokens[i])),
        ("understand (the two above and the rest)", lambda i, r, q: understander.parse(q)),
        ("choose the contacts", lambda i, r, q: policy.answer(queries[i], empty)),
        ("render plain text", lambda i, r, q: text.render(answers[i])),
    ]
    return [(label, _per_question(questions, rounds, fn)) for label, fn in stages]


def ready_probe(knowledge_dir: str | None) -> int:
    """Child side of the start-up measurement: build everything, say 'ready', exit."""
    _runtime(knowledge_dir)
    print(READY, flush=True)
    return 0


def _runtime(knowledge_dir: str | None):
    from bot.runtime import build_runtime, exit_on_problems
    from bot.settings import load_settings

    settings = load_settings()
    return exit_on_problems(lambda: build_runtime(settings.knowledge(knowledge_dir), cache_dir=settings.cache_dir))


def run(out: IO[str], knowledge_dir: str | None = None, rounds: int = 20, processes: int = 5, passes: int = 10) -> int:
    questions = load_questions()
    runtime = _runtime(knowledge_dir)
    tokenizer = runtime.snapshot.engine.understander.tokenizer
    from bot.language.text import normalize

    normalized = [normalize(q) for q in questions]

    def raw_call(i, r, q):
        tokenizer.raw(normalized[i])

    def raw_fields(i, r, q):
        for m in tokenizer.raw(normalized[i]):
            m.surface(), m.normalized_form(), m.reading_form(), m.part_of_speech_id()

    def answer(i, r, q):
        runtime.ask("bench", f"bench:{i}:{r}", q).text

    order = stream(questions, passes)
    for fn in (raw_call, answer):  # warm up: every question once
        for i, q in enumerate(questions):
            fn(i, -2, q)
    s_raw = _timed_each(order, questions, lambda n, i, q: raw_call(i, 0, q))
    s_answer = _timed_each(order, questions, lambda n, i, q: runtime.ask("bench", f"stream:{n}", q).text)

    for fn in (raw_call, answer):  # warm up caches and branch paths once
        for i, q in enumerate(questions):
            fn(i, -1, q)
    t_raw, t_fields, t_answer = _paired(questions, rounds, raw_call, raw_fields, answer)
    # the same two measured in separate passes (all tokenizations, then all answers): each with its own hot caches,
    # and exposed to whatever else the machine does in between — printed beside the paired ratio, for comparison
    t_raw_apart, t_answer_apart = (_per_question(questions, rounds, fn) for fn in (raw_call, answer))
    t_stages = _stages(questions, rounds, runtime, normalized)
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    script = Path(sys.executable).with_name("madoguchi")
    ask = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]
    ask_args = ask + ["ask"] + (["--knowledge", knowledge_dir] if knowledge_dir else []) + ["二重ローン 宮城"]
    probe_args = [sys.executable, "-m", "bot", "bench", "--ready-probe"] + (["--knowledge", knowledge_dir] if knowledge_dir else [])
    with tempfile.TemporaryDirectory() as cache:
        child_env = {**env, "MADOGUCHI_CACHE_DIR": cache}
        cold_ready = _child_run(probe_args, child_env, wait_for_ready=True)[0]
        warm_ready = [_child_run(probe_args, child_env, wait_for_ready=True) for _ in range(processes)]
    with tempfile.TemporaryDirectory() as cache:
        child_env = {**env, "MADOGUCHI_CACHE_DIR": cache}
        cold_ask = _child_run(ask_args, child_env)
        warm_ask = [_child_run(ask_args, child_env) for _ in range(processes)]
    with tempfile.TemporaryDirectory() as cache:
        from bot.settings import load_settings

        root = str(load_settings().knowledge(knowledge_dir))
        build = _child_run([sys.executable, "-m", "bot.core.index_cache", root, os.path.join(cache, "index.pickle")], env)
    jsonl = _jsonl_cost(questions, order, env, knowledge_dir)

    us = 1e6
    med_raw, med_fields, med_answer = (statistics.median(t) for t in (t_raw, t_fields, t_answer))
    w = out.write
    w(f"窓口ナビ benchmark: {len(questions)} questions x {rounds} rounds; Python {sys.version.split()[0]}, "
      f"sudachipy {metadata.version('sudachipy')}, sudachidict-core {metadata.version('sudachidict-core')}, "
      f"{os.cpu_count()} CPUs, plain Python\n\n")
    mean_raw, mean_answer = statistics.fmean(s_raw), statistics.fmean(s_answer)
    w(f"realistic stream: {len(order)} answers ({passes} shuffled passes, no question twice in a row, each in its own "
      f"conversation)\n")
    w(f"{'per message':44} {'mean':>10} {'p99':>10}\n")
    w(f"{'raw Sudachi tokenize() (mode A)':44} {mean_raw * us:8.1f} µs {_percentile(s_raw, 0.99) * us:7.1f} µs\n")
    w(f"{'full answer (understand + choose + render)':44} {mean_answer * us:8.1f} µs "
      f"{_percentile(s_answer, 0.99) * us:7.1f} µs\n")
    w(f"{'ratio of means: answer / raw tokenize()':44} {mean_answer / mean_raw:8.1f} x   (target <= 12x)\n")
    w(f"{'through `chat --jsonl` (JSON in and out)':44} {jsonl * us:8.1f} µs per message\n\n")
    w(f"the same question {rounds} times in a row (hot caches)\n")
    w(f"{'per question':44} {'median':>10} {'p95':>10}\n")
    w(f"{'raw Sudachi tokenize() call':44} {med_raw * us:8.1f} µs {_p95(t_raw) * us:7.1f} µs\n")
    w(f"{'  + reading every morpheme (surface, forms, POS)':44} {med_fields * us:8.1f} µs {_p95(t_fields) * us:7.1f} µs\n")
    w(f"{'full answer (understand + choose + render)':44} {med_answer * us:8.1f} µs {_p95(t_answer) * us:7.1f} µs\n")
    w(f"{'ratio: answer / raw tokenize() (median)':44} {med_answer / med_raw:8.1f} x   (measured question by "
      f"question, one right after the other)\n")
    apart = statistics.median(t_answer_apart) / statistics.median(t_raw_apart)
    w(f"{'  the same, measured in separate passes':44} {apart:8.1f} x   (raw {statistics.median(t_raw_apart) * us:.1f} µs, "
      f"answer {statistics.median(t_answer_apart) * us:.1f} µs)\n")
    w(f"{'ratio: answer / tokenize + read morphemes':44} {med_answer / med_fields:8.1f} x\n")
    w("where the time goes (each stage timed on its own; they do not add up exactly)\n")
    for label, times in t_stages:
        w(f"{'  ' + label:44} {statistics.median(times) * us:8.1f} µs {_p95(times) * us:7.1f} µs\n")
    w("\n")
    w(f"processes (median of {processes} runs with the knowledge index cached)\n")
    w(f"{'start-to-ready (python -m bot, until ready)':44} {statistics.median(r[0] for r in warm_ready):8.2f} s\n")
    w(f"{'`madoguchi ask` whole process':44} {statistics.median(r[0] for r in warm_ask):8.2f} s    (target <= 1 s)\n")
    w(f"{'peak RSS of `madoguchi ask`':44} {statistics.median(r[1] for r in warm_ask):8.0f} MB   (target <= 150 MB)\n")
    w(f"{'peak RSS of a ready process':44} {statistics.median(r[1] for r in warm_ready):8.0f} MB\n")
    w("first run after a knowledge change (the index is built once, in a separate short-lived process)\n")
    w(f"{'index build alone (bot.core.index_cache)':44} {build[0]:8.2f} s    peak RSS {build[1]:.0f} MB\n")
    w(f"{'`madoguchi ask`, cold, including the build':44} {cold_ask[0]:8.2f} s    peak RSS of the pair {cold_ask[1]:.0f} MB\n")
    w(f"{'start-to-ready, cold, including the build':44} {cold_ready:8.2f} s\n")
    w(f"{'peak RSS of this benchmark process':44} {rss_self:8.0f} MB\n")
    failures = [f"a measured process exited {r[2]} (`madoguchi ask`, the ready probe or the index build)"
                for r in (cold_ask, *warm_ask, *warm_ready, build) if r[2] != 0]
    if not order or not s_answer:
        failures.append("no question was answered")
    for failure in failures:
        w(f"FAILED: {failure}\n")
    return 1 if failures else 0
