"""Broken knowledge files are reported as `path:line: message`, all of them, and exit 1."""

import os
import shutil
import subprocess
import sys

import pytest

from bot.knowledge import KnowledgeError, load_knowledge
from tests.conftest import KNOWLEDGE_DIR


def replace_line(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


@pytest.fixture
def broken(tmp_path):
    """A writable copy of the real knowledge folder."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def bad_phone(k):
    f = k / "contacts" / "saisei.csv"
    replace_line(f, "022-722-3872", "022-722-38")
    return f, line_of(f, "022-722-38,"), "bad phone number '022-722-38'"


def unknown_prefecture(k):
    f = k / "contacts" / "hikitsugi.csv"
    replace_line(f, ",宮城県,022-225-6636", ",宮木県,022-225-6636")
    return f, line_of(f, "宮木県"), "unknown prefecture, city or area '宮木県'"


def duplicate_id(k):
    f = k / "contacts" / "jetro.csv"
    replace_line(f, "jetro-kochi,", "jetro-fukuoka,")
    return f, line_of(f, "ジェトロ福岡") , "duplicate id 'jetro-fukuoka'"


def missing_field(k):
    f = k / "contacts" / "chuokai.csv"
    replace_line(f, "chuokai-nara,奈良県中小企業団体中央会,", "chuokai-nara,,")
    return f, line_of(f, "chuokai-nara"), "missing value for organization"


def unknown_category_file(k):
    f = k / "contacts" / "chamber.csv"
    shutil.copy(k / "contacts" / "national_body.csv", f)
    return f, 1, "unknown category 'chamber'"


def unknown_category_in_intent(k):
    f = k / "intents.toml"
    replace_line(f, 'targets = ["hikitsugi"]', 'targets = ["hikitugi"]')
    return f, line_of(f, '"hikitugi"'), "intent 'succession': unknown category 'hikitugi'"


def unresolved_merge(k):
    f = k / "contacts" / "fund_startup.csv"
    replace_line(f, ",fund-startup-mie-1,", ",fund-startup-mie-9,")
    return f, line_of(f, "fund-startup-mie-9"), "merged_with 'fund-startup-mie-9' is not an id"


def unknown_area(k):
    f = k / "contacts" / "smrj_office.csv"
    replace_line(f, "中小機構:東北,", "中小機構:奥羽,")
    return f, line_of(f, "中小機構:奥羽"), "unknown prefecture, city or area '中小機構:奥羽'"


def broken_toml(k):
    f = k / "categories.toml"
    replace_line(f, 'label = "中小企業庁"', 'label = "中小企業庁')
    return f, line_of(f, 'label = "中小企業庁'), "not valid TOML"


def region_with_unknown_prefecture(k):
    f = k / "reference" / "regions.toml"
    replace_line(f, '"鳥取", "島根", "岡山"', '"鳥取", "島根県", "岡山", "出雲国"')
    return f, line_of(f, "出雲国"), "unknown prefecture '出雲国'"


def prefecture_in_unknown_region(k):
    f = k / "reference" / "prefectures.csv"
    replace_line(f, "04,宮城県,宮城,みやぎ,Miyagi,東北", "04,宮城県,宮城,みやぎ,Miyagi,奥州")
    return f, line_of(f, "奥州"), "unknown region '奥州'"


def prefecture_alias_naming_another_prefecture(k):
    f = k / "reference" / "prefectures.csv"
    replace_line(f, "04,宮城県,宮城,みやぎ,Miyagi,東北,", "04,宮城県,宮城,みやぎ,Miyagi,東北,福島")
    return f, line_of(f, "東北,福島"), "alias '福島' is the name of the prefecture on line 8"


def division_topic_naming_no_division(k):
    f = k / "division_topics.toml"
    replace_line(f, 'name = "経営安定対策室"', 'name = "経営安定対策課"')
    return f, line_of(f, "経営安定対策課"), "no department or division has '経営安定対策課' in its name"


CASES = [division_topic_naming_no_division, prefecture_in_unknown_region, prefecture_alias_naming_another_prefecture, bad_phone, unknown_prefecture, duplicate_id, missing_field, unknown_category_file,
         unknown_category_in_intent, unresolved_merge, unknown_area, broken_toml, region_with_unknown_prefecture]


def run_check(folder):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "bot", "check-knowledge", str(folder)],
                          capture_output=True, text=True, env=env, timeout=60)


def test_the_real_knowledge_is_clean():
    """`check-knowledge` on the shipped folder exits 0 and prints the summary."""
    result = run_check(KNOWLEDGE_DIR)
    assert result.returncode == 0, result.stderr
    assert "605 contacts in 21 tables, 601 phone numbers, 47/47 prefectures covered" in result.stdout


@pytest.mark.parametrize("breakage", CASES, ids=[c.__name__ for c in CASES])
def test_a_broken_file_is_reported_with_path_and_line(broken, breakage):
    """Each kind of mistake names the file and line, says what is wrong, and exits 1."""
    path, line, message = breakage(broken)
    result = run_check(broken)
    assert result.returncode == 1
    assert f"{path}:{line}: {message}" in result.stderr, result.stderr


def test_all_problems_are_reported_not_only_the_first(broken):
    """Several mistakes in several files are all listed in one run."""
    expected = [bad_phone(broken), duplicate_id(broken), unknown_area(broken)]
    with pytest.raises(KnowledgeError) as e:
        load_knowledge(broken)
    shown = [str(p) for p in e.value.problems]
    for path, line, message in expected:
        assert any(s.startswith(f"{path}:{line}: {message}") for s in shown), shown
    assert len(shown) == 3


def test_a_missing_folder_is_a_clear_error(tmp_path):
    """Pointing at a folder that does not exist is one clear line, exit 1."""
    result = run_check(tmp_path / "nowhere")
    assert result.returncode == 1
    assert "knowledge folder not found" in result.stderr
