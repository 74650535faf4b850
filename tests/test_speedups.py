"""The hot path runs compiled when it was compiled from the sources present, and as plain Python otherwise."""

import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot import speedups
from tests.conftest import ROOT

_DIGESTS = speedups.recorded()
COMPILED_HERE = bool(_DIGESTS) and speedups.built(_DIGESTS) and not speedups.edited(_DIGESTS)
needs_compiled = pytest.mark.skipif(not COMPILED_HERE, reason="not compiled, or sources edited since `pip install -e .`")
SHOW = "import bot.core.engine as e; from bot import speedups; print(speedups.status()); print(e.__file__)"


def _is_extension(path: str) -> bool:
    return path.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def test_the_modules_that_run_are_the_ones_the_status_names():
    """Every module of the hot path is loaded from a compiled file exactly when the status says it is compiled."""
    import bot.core.engine  # noqa: F401  (the whole hot path)

    modules = speedups.recorded() or {"bot.core.engine": ""}
    loaded = {m: _is_extension(sys.modules[m].__file__) for m in modules if m in sys.modules}
    assert loaded, "no module of the hot path is loaded"
    expected = bool(speedups.compiled_modules())
    assert all(is_compiled == expected for is_compiled in loaded.values()), (speedups.status(), loaded)
    assert speedups.status().startswith("hot path compiled" if expected else "plain Python")


def test_an_edited_source_is_found_by_its_digest(tmp_path):
    """A module whose source differs from the digest recorded at compile time is reported as edited."""
    package = tmp_path / "bot"
    (package / "core").mkdir(parents=True)
    (package / "core" / "engine.py").write_text("x = 1\n")
    (package / "core" / "answer.py").write_text("y = 2\n")
    import hashlib

    digests = {"bot.core.engine": hashlib.sha256(b"x = 1\n").hexdigest(),
               "bot.core.answer": hashlib.sha256(b"y = 1\n").hexdigest()}
    assert speedups.edited(digests, package) == ["bot.core.answer"]
    assert not speedups.built(digests, package)


@pytest.fixture()
def installed_copy(tmp_path):
    """A copy of the installed package, compiled modules included, importable from tmp_path alone."""
    shutil.copytree(speedups.PACKAGE, tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shared = importlib.util.find_spec("bot_speedups__mypyc")
    assert shared is not None and shared.origin, "the compiled shared library is not importable"
    shutil.copy(shared.origin, tmp_path)
    return tmp_path


def _run(copy: Path, code: list[str], **env) -> list[str]:
    result = subprocess.run([sys.executable, *code], check=False, capture_output=True, text=True, cwd=copy, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(copy), "PYTHONIOENCODING": "utf-8",
                                 "MADOGUCHI_CACHE_DIR": str(copy / "cache"), **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@needs_compiled
def test_an_untouched_copy_runs_compiled(installed_copy):
    """With the sources as they were compiled, the compiled modules run."""
    status, engine_file = _run(installed_copy, ["-c", SHOW], **{speedups.PURE_ENV: ""})
    assert status.startswith("hot path compiled") and _is_extension(engine_file)
    assert engine_file.startswith(str(installed_copy))


@needs_compiled
def test_an_edited_source_runs_as_plain_python_and_still_answers(installed_copy):
    """After an edit to engine.py, every hot-path module is loaded from its .py, and the edit takes effect."""
    engine = installed_copy / "bot" / "core" / "engine.py"
    engine.write_text(engine.read_text(encoding="utf-8").replace('ASK_PREFECTURE = "どちらの', 'ASK_PREFECTURE = "（編集）どちらの'), encoding="utf-8")
    status, engine_file = _run(installed_copy, ["-c", SHOW], **{speedups.PURE_ENV: ""})
    assert status.startswith("plain Python (edited since compiled: engine.py") and engine_file == str(engine)
    reply = _run(installed_copy, ["-m", "bot", "ask", "--knowledge", str(ROOT / "knowledge"), "事業承継の相談をしたい"],
                 **{speedups.PURE_ENV: ""})
    assert "（編集）どちらの都道府県ですか？" in "\n".join(reply)  # the edited text is the one in force


@needs_compiled
def test_the_environment_variable_forces_plain_python(installed_copy):
    """MADOGUCHI_PURE_PYTHON=1 runs the sources even when the compiled modules are up to date."""
    status, engine_file = _run(installed_copy, ["-c", SHOW], **{speedups.PURE_ENV: "1"})
    assert status == f"plain Python ({speedups.PURE_ENV} is set)" and engine_file.endswith("engine.py")
