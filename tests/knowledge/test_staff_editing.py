"""Staff can add a synonym and a whole new kind of office with a text editor: no code changes."""

import shutil

from bot.runtime import build_runtime
from tests.conftest import KNOWLEDGE_DIR


def test_a_new_synonym_is_understood_after_reload(tmp_path):
    """A word added to intents.toml reaches the office after reload."""
    folder = tmp_path / "k"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    runtime = build_runtime(str(folder), cache_dir=None)
    assert runtime.ask("t", "a", "事業の襷渡ししたい 宮城").answer.kind != "contacts"
    f = folder / "intents.toml"
    f.write_text(f.read_text(encoding="utf-8").replace('"後継者",', '"後継者", "事業の襷渡し",'), encoding="utf-8")
    assert runtime.reload() == []
    assert [c.id for c in runtime.ask("t", "b", "事業の襷渡ししたい 宮城").answer.contacts] == ["hikitsugi-miyagi"]


def test_a_new_category_with_its_file_and_intent_is_answered(tmp_path):
    """categories.toml + contacts/<id>.csv + an intent make a new kind of office answerable."""
    folder = tmp_path / "k"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    with (folder / "categories.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[category]]\nid = "yorozu"\ntitle = "よろず支援拠点"\nlabel = "よろず支援拠点"\n'
                'description = "経営のお悩みの無料相談所"\n')
    (folder / "contacts" / "yorozu.csv").write_text(
        "id,organization,department,division,serves,phone,url,operator,merged_with,notes,source_line\n"
        "yorozu-miyagi,宮城県よろず支援拠点,,,宮城県,022-000-0000,,,,,\n", encoding="utf-8")
    with (folder / "intents.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[intent]]\nid = "yorozu"\nlabel = "よろず支援拠点"\nkeywords = ["よろず支援拠点", "よろず相談"]\n'
                'targets = ["yorozu"]\n')
    runtime = build_runtime(str(folder), cache_dir=None)
    answer = runtime.ask("t", "c", "宮城のよろず相談")
    assert [c.id for c in answer.answer.contacts] == ["yorozu-miyagi"]
    assert "022-000-0000" in answer.text
