"""The knowledge index, cached on disk by a digest of the knowledge files and the library versions.

Building the index makes SudachiPy touch a large part of its memory-mapped dictionary, so it is built once per
knowledge change in a short-lived child process; later processes load it in milliseconds.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from bot.core.index import KnowledgeIndex, build_index
from bot.knowledge.model import Knowledge
from bot.language.tokenizer import Tokenizer

FORMAT = 34  # bump when the index's content or shape changes
KEEP_CACHED = 4  # index files kept in the cache folder (the newest; older knowledge versions are deleted)


def cache_key(knowledge: Knowledge) -> str:
    """A digest of the knowledge files and of everything that shapes the index."""
    h = hashlib.sha256()
    versions = [str(FORMAT)] + [_version(p) for p in ("madoguchi", "sudachipy", "sudachidict-core", "jaconv")]
    h.update("|".join(versions).encode())
    for source in _SHAPING:  # the code that builds the index: a changed builder never reads an old index
        h.update(source.read_bytes())
    root = Path(knowledge.root)
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".csv", ".toml"):
            h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:32]


_BOT = Path(__file__).resolve().parents[1]
_SHAPING = tuple(_BOT / rel for rel in ("core/index.py", "language/lexicon.py", "language/tokenizer.py", "language/text.py",
                                        "knowledge/phones.py", "knowledge/model.py"))


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def cached_index(knowledge: Knowledge, cache_dir: str | os.PathLike | None) -> KnowledgeIndex:
    """Load the index from the cache folder; if it is not there, build and save it first.

    The build runs in a short-lived child process, so this process never holds the dictionary pages the
    build touches (its peak memory stays that of answering). Without a usable cache folder (cache_dir None,
    or not writable) the index is built here with a throwaway tokenizer.
    """
    path = Path(cache_dir) / f"index-{cache_key(knowledge)}.pickle" if cache_dir else None
    if path:
        index = _load(path)
        if index is None and _build_in_child(knowledge.root, path):
            index = _load(path)
        if index is not None:
            return index
    builder_tokenizer = Tokenizer()  # its dictionary pages are released with it
    index = build_index(knowledge, builder_tokenizer)
    del builder_tokenizer
    if path:
        _save(index, path)
    return index


def _load(path: Path) -> KnowledgeIndex | None:
    try:
        with path.open("rb") as f:
            index = pickle.load(f)
        return index if isinstance(index, KnowledgeIndex) else None
    except Exception:  # noqa: BLE001 - a missing or damaged cache file is simply rebuilt
        return None


def _save(index: KnowledgeIndex, path: Path) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as f:
            pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
    except OSError:
        return False
    _prune(path.parent)
    return True


def _prune(folder: Path, keep: int = KEEP_CACHED) -> None:
    """Delete all but the `keep` newest index files: each knowledge change leaves one behind."""
    try:
        files = sorted(folder.glob("index-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # another process pruned first, or the folder is read-only: stale files only cost disk space


def _build_in_child(root: str, path: Path) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([sys.executable, "-m", "bot.core.index_cache", root, str(path)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and path.is_file()


def _main(argv: list[str]) -> int:
    """Child process: `python -m bot.core.index_cache KNOWLEDGE_DIR CACHE_FILE` builds and saves the index."""
    from bot.knowledge import load_knowledge

    root, target = argv
    knowledge = load_knowledge(root)
    return 0 if _save(build_index(knowledge, Tokenizer()), Path(target)) else 1


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
