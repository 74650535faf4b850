"""The knowledge index is cached on disk, keyed by the knowledge files, and rebuilt when they change."""

import os
import shutil

from bot.core.index_cache import KEEP_CACHED, cache_key, cached_index
from bot.knowledge import load_knowledge
from tests.conftest import KNOWLEDGE_DIR


def test_the_index_is_built_once_then_loaded_from_the_cache(tmp_path, knowledge):
    """The first call writes the cache file; the second loads an equal index from it."""
    first = cached_index(knowledge, tmp_path)
    files = list(tmp_path.glob("index-*.pickle"))
    assert len(files) == 1
    second = cached_index(knowledge, tmp_path)
    assert second.unit_contacts == first.unit_contacts
    assert second.lexicon.max_span == first.lexicon.max_span


def test_editing_a_knowledge_file_changes_the_cache_key(tmp_path):
    """A changed phone number gives a new key, so a stale index is never used."""
    folder = tmp_path / "k"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    before = cache_key(load_knowledge(folder))
    f = folder / "intents.toml"
    f.write_text(f.read_text(encoding="utf-8").replace('"後継者",', '"後継者", "せがれ",'), encoding="utf-8")
    assert cache_key(load_knowledge(folder)) != before


def test_a_damaged_cache_file_is_rebuilt(tmp_path, knowledge):
    """Garbage in the cache file is ignored and replaced."""
    path = tmp_path / f"index-{cache_key(knowledge)}.pickle"
    path.write_bytes(b"not a pickle")
    index = cached_index(knowledge, tmp_path)
    assert "宮城県中小企業再生支援協議会" in index.unit_contacts
    assert path.read_bytes() != b"not a pickle"


def test_an_unwritable_cache_folder_still_gives_an_index(tmp_path, knowledge):
    """When the cache cannot be written the index is built in memory."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    index = cached_index(knowledge, blocker / "sub")
    assert index.unit_contacts


def test_index_files_of_older_knowledge_are_deleted(tmp_path, knowledge):
    """Each knowledge change leaves an index file behind: only the newest few are kept."""
    for n in range(KEEP_CACHED + 3):
        old = tmp_path / f"index-old{n}.pickle"
        old.write_bytes(b"old")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    cached_index(knowledge, tmp_path)
    kept = {p.name for p in tmp_path.glob("index-*.pickle")}
    assert len(kept) == KEEP_CACHED
    assert f"index-{cache_key(knowledge)}.pickle" in kept
    assert "index-old0.pickle" not in kept  # the oldest go first


def test_changing_the_code_that_builds_the_index_changes_the_cache_key(tmp_path, monkeypatch, knowledge):
    """An upgraded bot never reads an index its previous version built (the builder's source is in the key)."""
    import bot.core.index_cache as module

    builder = tmp_path / "index.py"
    builder.write_text("# version 1\n")
    monkeypatch.setattr(module, "_SHAPING", (builder,))
    before = cache_key(knowledge)
    builder.write_text("# version 2\n")
    assert cache_key(knowledge) != before
