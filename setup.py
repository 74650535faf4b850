"""Build: everything is in pyproject.toml except the compiled hot path.

The modules an answer runs through (tokenizer wrapper, phrase matcher, understanding, engine, plain-text
presenter) are compiled with mypyc, the compiler mypy and black ship with: the same Python source, about twice as
fast. Set MADOGUCHI_PURE_PYTHON=1 to install without compiling (no C compiler needed); a failed compilation also
falls back to plain Python, with a warning. The digest of every compiled source goes to bot/speedups.json, so that
an edited source is run as Python until it is compiled again (see bot/speedups.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import BaseError, CCompilerError

ROOT = Path(__file__).resolve().parent
COMPILED = [
    "bot/language/text.py",
    "bot/language/tokenizer.py",
    "bot/language/lexicon.py",
    "bot/knowledge/model.py",
    "bot/knowledge/phones.py",
    "bot/core/answer.py",
    "bot/core/conversation.py",
    "bot/core/hours.py",
    "bot/core/understanding.py",
    "bot/core/engine.py",
    "bot/presenters/wording.py",
    "bot/presenters/text.py",
]
RECORD = ROOT / "bot" / "speedups.json"
MYPY_OPTIONS = ["--ignore-missing-imports", "--disable-error-code", "annotation-unchecked"]


def _record(paths: list[str]) -> None:
    digests = {p[:-3].replace("/", "."): hashlib.sha256((ROOT / p).read_bytes()).hexdigest() for p in paths}
    RECORD.write_text(json.dumps({"compiled": digests}, indent=1, sort_keys=True) + "\n", encoding="utf-8")


class OptionalBuildExt(build_ext):
    """Compile if possible; on any compiler error, remove what was built and install plain Python."""

    def run(self) -> None:
        try:
            super().run()
        except (BaseError, CCompilerError, OSError) as error:  # no compiler, no Python headers, a failed link
            for output in self.get_outputs():
                Path(output).unlink(missing_ok=True)
            RECORD.unlink(missing_ok=True)
            Path(self.build_lib, "bot", RECORD.name).unlink(missing_ok=True)  # already copied for the wheel
            print(f"madoguchi: compiling the hot path failed ({error}); installing plain Python (slower answers)",
                  file=sys.stderr)


def _clean() -> None:
    """Remove what an earlier in-place (editable) build left in the source tree, so that no module compiled from
    an older list or source can be imported beside the new build."""
    RECORD.unlink(missing_ok=True)
    for suffix in EXTENSION_SUFFIXES:
        for stale in [*ROOT.joinpath("bot").rglob(f"*{suffix}"), *ROOT.glob(f"*__mypyc{suffix}")]:
            stale.unlink()


def _extensions() -> list:
    _clean()
    if os.environ.get("MADOGUCHI_PURE_PYTHON"):
        return []
    from mypyc.build import mypycify

    os.chdir(ROOT)  # mypyc takes paths relative to the project
    _record(COMPILED)
    return mypycify(COMPILED + MYPY_OPTIONS, opt_level="3", group_name="bot_speedups")


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
