"""Staff add a whole table (docs/templates/new_table.*), end to end on a copy of the knowledge: check-knowledge is
clean and names the table as not from the source, and the bot answers with the added rows and their "added by staff"
note — where a body the list did not contain (changes.toml's not_listed) was said to be missing before."""

import shutil
import tomllib

from tests.conftest import KNOWLEDGE_DIR, ROOT, madoguchi_on

TEMPLATES = ROOT / "docs" / "templates"


def test_a_table_added_from_the_template_is_checked_and_answered(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    template = (TEMPLATES / "new_table.toml").read_text(encoding="utf-8")
    category = tomllib.loads(template)["category"][0]
    rows = (TEMPLATES / "new_table.csv").read_text(encoding="utf-8").splitlines()
    first = rows[1].split(",")
    name, place = first[1], first[4]
    asked = f"{name.removeprefix(place)} {place}"  # 「よろず支援拠点 宮城県」
    before = madoguchi_on(folder, "ask", asked).stdout
    # 1) the category, 2) its CSV, 3) its table among a topic's targets — as the template says
    with (folder / "categories.toml").open("a", encoding="utf-8") as out:
        start = template.index("\n[[category]]")
        out.write(template[start:template.index("\n\n", start + 1)] + "\n")
    (folder / "contacts" / f"{category['id']}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    intents = folder / "intents.toml"
    text = intents.read_text(encoding="utf-8")
    old = 'targets = ["support_center", "city_support_center"]'
    assert old in text
    intents.write_text(text.replace(old, f'targets = ["{category["id"]}", "support_center", "city_support_center"]'),
                       encoding="utf-8")
    check = madoguchi_on(folder, "check-knowledge", str(folder))
    assert check.returncode == 0, check.stderr
    line = next(ln for ln in check.stdout.splitlines() if ln.strip().startswith(category["id"]))
    assert "資料にない表（担当者が追加）" in line and "窓口   2 件" in line
    after = madoguchi_on(folder, "ask", asked).stdout
    assert name in after and first[5] in after and f"{name}は担当者が追加した窓口です（資料にはありません）。" in after
    assert "載っていません" not in after  # no longer said to be missing
    assert "載っていません" in before and name not in before  # it was, with the list's own offices instead
