"""`madoguchi bench scale`: how loading and indexing grow with the knowledge — today's offices against ten times as
many (each table's rows copied with new ids and names), and 8,000 rows sharing one phone number (the shared-number
note was once quadratic: 24.7 s). Each build runs in a fresh process, as the cache's builder does. Prints the numbers;
fails only when it could not measure."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

BOM = "\ufeff"


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _write(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(BOM + out.getvalue(), encoding="utf-8")


def grown(source: Path, target: Path, times: int) -> int:
    """A copy of the knowledge with each table's rows repeated `times` times (new ids, names and numbers); offices."""
    shutil.copytree(source, target)
    count = 0
    for table in (target / "contacts").glob("*.csv"):
        header, *body = _rows(table)
        column = {name: n for n, name in enumerate(header)}
        rows = []
        for copy in range(times):
            for row in body:
                row = list(row)
                if copy:
                    row[column["id"]] = f"{row[column['id']]}-x{copy}"
                    row[column["organization"]] = f"{row[column['organization']]}第{copy}"
                    row[column["merged_with"]] = f"{row[column['merged_with']]}-x{copy}" if row[column["merged_with"]] else ""
                    row[column["source_line"]] = ""
                rows.append(row)
        _write(table, [header, *rows])
        count += len(rows)
    return count


def shared_number(source: Path, target: Path, rows: int) -> None:
    """A copy whose first table gets `rows` more rows, each another organization, all with one number."""
    shutil.copytree(source, target)
    table = sorted((target / "contacts").glob("*.csv"))[0]
    header, *body = _rows(table)
    column = {name: n for n, name in enumerate(header)}
    template = body[0]
    extra = []
    for n in range(rows):
        row = [""] * len(header)
        row[column["id"]] = f"shared-{n}"
        row[column["organization"]] = f"共有番号の団体{n}"
        row[column["serves"]] = template[column["serves"]]
        row[column["phone"]] = "03-0000-0000"
        extra.append(row)
    _write(table, [header, *body, *extra])


def _timed(code: str, folder: Path) -> float:
    """Seconds for `code` (with `folder` as its argument) in a fresh Python process."""
    result = subprocess.run([sys.executable, "-c", "import sys, time; from pathlib import Path; t = time.perf_counter(); "
                             f"{code}; print(time.perf_counter() - t)", str(folder)],
                            capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed")
    return float(result.stdout.strip().splitlines()[-1])


LOAD = "from bot.knowledge import load_knowledge; load_knowledge(sys.argv[1])"
INDEX = ("from bot.knowledge import load_knowledge; from bot.core.index import build_index; "
         "from bot.language.tokenizer import Tokenizer; k = load_knowledge(sys.argv[1]); t = time.perf_counter(); "
         "build_index(k, Tokenizer())")


def run(out: IO[str], knowledge_dir: str | None = None) -> int:
    from bot.settings import load_settings

    source = Path(load_settings().knowledge(knowledge_dir))
    w = out.write
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        ten = Path(tmp, "ten")
        offices = grown(source, ten, 10)
        shared = Path(tmp, "shared")
        shared_number(source, shared, 8_000)
        try:
            load_1, load_10 = _timed(LOAD, source), _timed(LOAD, ten)
            index_1, index_10 = _timed(INDEX, source), _timed(INDEX, ten)
            load_shared = _timed(LOAD, shared)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            w(f"FAILED: a build did not finish ({e})\n")
            return 1
    w(f"knowledge at scale: today's and ten times the offices ({offices}), each built in a fresh process\n")
    w(f"{'load and validate: today / ×10':44} {load_1:8.2f} s / {load_10:.2f} s   ({load_10 / load_1:.1f}x)\n")
    w(f"{'index build, cold: today / ×10':44} {index_1:8.2f} s / {index_10:.2f} s   ({index_10 / index_1:.1f}x; "
      f"target <= ~10x)\n")
    w(f"{'load with 8,000 rows sharing one number':44} {load_shared:8.2f} s   (24.7 s when the note was quadratic)\n")
    if min(load_1, load_10, index_1, index_10, load_shared) <= 0:
        failures.append("a measure came out as zero")
    for failure in failures:
        w(f"FAILED: {failure}\n")
    return 1 if failures else 0
