"""The layout the README describes holds: no import circle, a core without Slack, one reader of the environment,
modules of one job (the few longer ones listed here, each with its reason)."""

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "bot"
MAX_LINES = 320  # about 300
# The modules allowed to be longer, and why: the only place such an exception is granted.
LONGER = {
    "bot.knowledge.model": "the whole data model in one module, so that it reads in one place",
}
CORE = ("bot.core", "bot.language", "bot.knowledge", "bot.presenters")


def _modules() -> dict[str, tuple[Path, ast.Module]]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return out


def _imports(tree: ast.Module) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


MODULES = _modules()
GRAPH = {name: {d for d in _imports(tree) if d in MODULES and d != name and not d.startswith(name + ".")}
         for name, (_, tree) in MODULES.items()}


def test_no_module_imports_another_in_a_circle():
    state: dict[str, int] = {}
    circles = []

    def visit(name, path):
        state[name] = 1
        for dep in sorted(GRAPH[name]):
            if state.get(dep) == 1:
                circles.append(path[path.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_the_core_imports_no_front_end():
    """Nothing in the core, the language layer, the knowledge or the presenters imports Slack or a front end."""
    for name, (_, tree) in MODULES.items():
        if name.startswith(CORE):
            bad = {d for d in _imports(tree) if d.startswith(("slack", "bot.slack", "bot.cli", "bot.console", "bot.runtime"))}
            assert not bad, (name, bad)


def test_only_the_settings_read_the_environment():
    for name, (path, _) in MODULES.items():
        if name != "bot.settings":
            text = path.read_text(encoding="utf-8")
            assert "os.environ" not in text and "getenv" not in text, name


def test_modules_are_short_unless_listed_with_a_reason():
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, (path, _) in MODULES.items()}
    too_long = {name: n for name, n in lengths.items() if n > MAX_LINES and name not in LONGER}
    assert not too_long, f"split these modules, or list them in LONGER with the reason: {too_long}"
    stale = [name for name in LONGER if lengths.get(name, 0) <= MAX_LINES]
    assert not stale, f"no longer long (or gone): take them out of LONGER: {stale}"
