"""`madoguchi bench all` (`python -m benchmarks all`): every benchmark once, quickly, each in its own process — the
CI step after the tests (.ci/run). Prints each one's numbers and time; exits 1 if any failed (could not run, sent or
measured nothing, or lost what it must not), naming them. Timings are printed with their targets, never judged:
this machine's other work moves them too much."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import IO

QUICK = [
    ("core: answers, start-up, memory", ["core", "--rounds", "3", "--passes", "2"]),
    ("scale: ten times the offices, 8,000 rows sharing a number", ["scale"]),
    ("slack: a burst of events", ["slack", "--events", "300", "--rate", "300"]),
    ("slack: two replicas on Redis, every event retried to the other", ["slack", "--redis", "--replicas", "2",
                                                                         "--events", "200", "--rate", "200"]),
    ("slack: the Web API hanging", ["slack", "--mode", "fault", "--rate", "200", "--seconds", "3"]),
    ("slack: overload, events as fast as acknowledged", ["slack", "--mode", "overload", "--events", "5000"]),
    ("slack: SIGTERM under load", ["slack", "--mode", "sigterm", "--rate", "100"]),
    ("slack: conversations in memory", ["slack", "--mode", "memory", "--conversations", "20000"]),
]


def run_all(out: IO[str], knowledge_dir: str | None = None) -> int:
    extra = ["--knowledge", knowledge_dir] if knowledge_dir else []
    failed = []
    for title, args in QUICK:
        out.write(f"\n== {title} (madoguchi bench {' '.join(args)})\n")
        out.flush()
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "benchmarks", *args, *extra], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        out.write(result.stdout)
        out.write(f"-- {time.monotonic() - started:.1f} s, exit {result.returncode}\n")
        if result.returncode != 0:
            failed.append(title)
    out.write(f"\n{len(QUICK) - len(failed)} of {len(QUICK)} benchmarks ran soundly"
              + (f"; FAILED: {', '.join(failed)}\n" if failed else "\n"))
    return 1 if failed else 0
