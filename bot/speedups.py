"""Compiled or plain: which code of the hot path runs.

setup.py compiles the modules an answer runs through with mypyc and records a digest of each source in
speedups.json. Plain Python runs instead of the compiled modules when MADOGUCHI_PURE_PYTHON is set, or when a
source no longer matches its digest (edited since `pip install -e .`): an edit takes effect at once, never a stale
binary. All compiled modules switch together, since compiled modules call one another directly.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PURE_ENV = "MADOGUCHI_PURE_PYTHON"


def recorded(package: Path = PACKAGE) -> dict[str, str]:
    """Module → digest of the source it was compiled from; empty when nothing was compiled."""
    try:
        return json.loads((package / "speedups.json").read_text(encoding="utf-8"))["compiled"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def source_of(module: str, package: Path = PACKAGE) -> Path:
    """The .py file of a module of this package (bot.core.engine → …/bot/core/engine.py)."""
    return package.parent.joinpath(*module.split(".")).with_suffix(".py")


def edited(digests: dict[str, str], package: Path = PACKAGE) -> list[str]:
    """The compiled modules whose source changed since they were compiled."""
    out = []
    for module, digest in digests.items():
        try:
            now = hashlib.sha256(source_of(module, package).read_bytes()).hexdigest()
        except OSError:
            continue  # installed without sources: the compiled module is all there is
        if now != digest:
            out.append(module)
    return out


def built(digests: dict[str, str], package: Path = PACKAGE) -> bool:
    """Is there a compiled module beside every recorded source?"""
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    return all(any(source_of(m, package).with_suffix(s).exists() for s in suffixes) for m in digests)


class _Sources(importlib.abc.MetaPathFinder):
    """Finds the listed modules as their .py files, ahead of the compiled ones beside them."""

    def __init__(self, modules: frozenset[str]):
        self.modules = modules

    def find_spec(self, fullname, path=None, target=None):
        if fullname in self.modules:
            return importlib.util.spec_from_file_location(fullname, source_of(fullname))
        return None


_compiled: tuple[str, ...] = ()
_reason = ""


def choose() -> None:
    """Called once when `bot` is imported, before any compiled module is."""
    global _compiled, _reason
    digests = recorded()
    if not digests:
        _reason = "nothing was compiled at install time"
        return
    changed = edited(digests)
    if os.environ.get(PURE_ENV):
        _reason = f"{PURE_ENV} is set"
    elif changed:
        names = ", ".join(m.rsplit(".", 1)[-1] + ".py" for m in changed)
        _reason = f"edited since compiled: {names}; `pip install -e .` compiles them again"
    elif not built(digests):
        _reason = "the compiled modules are missing"
    else:
        _compiled = tuple(digests)
        return
    sys.meta_path.insert(0, _Sources(frozenset(digests)))


def status() -> str:
    """One line for the benchmark: compiled with mypyc, or plain Python and why."""
    if _compiled:
        return f"hot path compiled with mypyc ({len(_compiled)} modules)"
    return f"plain Python ({_reason})"


def mode() -> str:
    """'compiled' or 'pure': part of the knowledge index's cache key."""
    return "compiled" if _compiled else "pure"


def compiled_modules() -> tuple[str, ...]:
    """The modules that run compiled in this process."""
    return _compiled
