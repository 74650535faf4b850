"""Broken knowledge files are reported in Japanese as `path:line: what is wrong → how to fix it`, all of them, exit 1.

Each mistake is made in a copy of today's knowledge by position (the second row of a table, the first intent), never
by a phone number or name of today's data, so that staff edits to knowledge/ cannot break these tests."""

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

from bot.knowledge import KnowledgeError, load_knowledge
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture
def broken(tmp_path):
    """A writable copy of the real knowledge folder."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write_rows(path, table):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    path.write_text(out.getvalue(), encoding="utf-8")


def edit_cell(path, row, column, value):
    """Set one cell (row 1 = the first data row); the file line it is on."""
    table = rows(path)
    table[row][table[0].index(column)] = value
    write_rows(path, table)
    return row + 1


def cell(path, row, column):
    table = rows(path)
    return table[row][table[0].index(column)]


def replace_once(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def first_keyword_line(k):
    """intents.toml, the first intent's id, and the line of its first keyword."""
    f = k / "intents.toml"
    intent = tomllib.loads(f.read_text(encoding="utf-8"))["intent"][0]
    return f, intent["id"], f'"{intent["keywords"][0]}"'


# -- each kind of mistake: (file, line, what the message must say) ------------------------------------------------
def cell_mistake(name, table, row, column, value, says):
    """A mistake typed into one cell of a contact table."""
    def make(k):
        f = k / "contacts" / f"{table}.csv"
        return f, edit_cell(f, row, column, value), says

    make.__name__ = name
    return make


bad_phone = cell_mistake("bad_phone", "saisei", 2, "phone", "03-1234-56",
                         "電話番号「03-1234-56」の書き方が読めません → 022-722-3858")
phone_with_too_few_digits = cell_mistake("phone_with_too_few_digits", "jetro", 3, "phone", "03-123-456",
                                         "電話番号「03-123-456」の数字が 8 けたです → 日本の電話番号は")
unknown_prefecture = cell_mistake("unknown_prefecture", "hikitsugi", 4, "serves", "宮木県",
                                  "担当地域（serves）「宮木県」が分かりません → 全国、都道府県名")
missing_field = cell_mistake("missing_field", "chuokai", 29, "organization", "",
                             "「組織名（organization）」が空です → 値を書いてください")


def unknown_category_file(k):
    f = k / "contacts" / "chamber.csv"
    shutil.copy(k / "contacts" / "national_body.csv", f)
    return f, 1, "表「chamber」は categories.toml にありません → categories.toml に [[category]] を足すか"


def unknown_category_in_intent(k):
    f = k / "intents.toml"
    intent = next(i for i in tomllib.loads(f.read_text(encoding="utf-8"))["intent"]
                  if i.get("targets") and isinstance(i["targets"][0], str))
    category = intent["targets"][0]
    text = f.read_text(encoding="utf-8")
    start = text.index(f'id = "{intent["id"]}"')
    at = text.index(f'"{category}"', text.index("targets", start))
    f.write_text(text[:at] + f'"{category}x"' + text[at + len(category) + 2:], encoding="utf-8")
    return (f, text[:at].count("\n") + 1,
            f"相談「{intent['id']}」の targets にある表「{category}x」は categories.toml にありません → 表の id を直してください"
            f"（「{category}」のまちがいですか？）")


def unresolved_merge(k):
    f = k / "contacts" / "fund_startup.csv"
    row = next(n for n, r in enumerate(rows(f)) if n and r[rows(f)[0].index("merged_with")])
    return f, edit_cell(f, row, "merged_with", "no-such-row"), "結合先（merged_with）「no-such-row」は同じファイルの id にありません"


def unknown_area(k):
    f = k / "contacts" / "smrj_office.csv"
    row = next(n for n, r in enumerate(rows(f)) if n and ":" in r[rows(f)[0].index("serves")])
    return f, edit_cell(f, row, "serves", "中小機構:奥羽"), "担当地域（serves）「中小機構:奥羽」が分かりません"


def missing_column(k):
    f = k / "contacts" / "jetro.csv"
    table = rows(f)
    column = table[0].index("serves")
    write_rows(f, [r[:column] + r[column + 1:] for r in table])
    return f, 1, "見出しに列「serves」がありません → 1行目を id,organization,"


def comma_inside_a_value(k):
    f = k / "contacts" / "jetro.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",", ",,", 1)
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f, 6, "値の数が見出しと合いません（見出しは 11 列、この行は 12 列） → 値の中に「,」があるときは"


def unterminated_string(k):
    f = k / "categories.toml"
    category = tomllib.loads(f.read_text(encoding="utf-8"))["category"][1]
    replace_once(f, f'label = "{category["label"]}"', f'label = "{category["label"]}')
    return (f, line_of(f, f'label = "{category["label"]}'),
            f"表 {category['id']} の「label = \"{category['label']}」のあたりで、TOML の「\"」で始めた文字が")


def ime_comma(k):
    f, intent, keyword = first_keyword_line(k)
    replace_once(f, f"{keyword},", f"{keyword}、")
    return f, line_of(f, f"{keyword}、"), f"相談 {intent} の"


def ime_quote(k):
    f, intent, keyword = first_keyword_line(k)
    replace_once(f, keyword, f"”{keyword[1:-1]}”")
    return f, line_of(f, f"”{keyword[1:-1]}”"), f"相談 {intent} の"


def full_width_space(k):
    f, intent, keyword = first_keyword_line(k)
    replace_once(f, f"{keyword},", f"{keyword},\u3000")
    return f, line_of(f, f"{keyword},\u3000"), f"相談 {intent} の"


def region_with_unknown_prefecture(k):
    f = k / "reference" / "regions.toml"
    replace_once(f, 'prefectures = ["', 'prefectures = ["出雲国", "')
    return f, line_of(f, "出雲国"), "都道府県「出雲国」が分かりません → reference/prefectures.csv にある名前で書いてください"


def prefecture_in_unknown_region(k):
    f = k / "reference" / "prefectures.csv"
    return f, edit_cell(f, 4, "region", "奥州"), "地方「奥州」は reference/regions.toml にありません"


def prefecture_alias_naming_another_prefecture(k):
    f = k / "reference" / "prefectures.csv"
    other = cell(f, 7, "short")
    return (f, edit_cell(f, 4, "aliases", other),
            f"aliases の「{other}」は 8 行目の都道府県の名前です → 別の県の名前は書けないので、aliases から消してください")


def local_name_already_a_prefecture_alias(k):
    prefectures = k / "reference" / "prefectures.csv"
    row = next(i for i, r in enumerate(rows(prefectures)) if i and r[rows(prefectures)[0].index("aliases")])
    alias = cell(prefectures, row, "aliases").split("|")[0]
    f = k / "reference" / "local_names.csv"
    with f.open("a", encoding="utf-8") as out:
        out.write(f"{alias},,{cell(prefectures, row, 'short')},地域名\n")
    return f, len(rows(f)), f"「{alias}」はすでに{cell(prefectures, row, 'name')}の別名"


def estimated_date_without_reasons(k):
    f = k / "source.toml"
    text = f.read_text(encoding="utf-8")
    start = text.index("as_of_reasons = [")
    f.write_text(text[:start] + "as_of_reasons = []" + text[text.index("]", text.index("\n]", start)) + 1:].replace(
        "estimated = false", "estimated = true"), encoding="utf-8")
    if "estimated = true" not in f.read_text(encoding="utf-8"):
        f.write_text(f.read_text(encoding="utf-8") + "\nestimated = true\n", encoding="utf-8")
    line = next(n for n, ln in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if ln.startswith("estimated"))
    return f, line, "推定した理由がありません → その理由と出典を as_of_reasons に書いてください"


def edit_first_change(k, key, new_line):
    """changes.toml with the line of the first change's `key` replaced by new_line (None: removed); (file, line,
    the lines written)."""
    f = k / "changes.toml"
    lines = f.read_text(encoding="utf-8").splitlines()
    start = next(n for n, ln in enumerate(lines) if ln.startswith("[[change]]"))
    line = next(n for n, ln in enumerate(lines) if n > start and ln.startswith(f"{key} ")) + 1
    if new_line is None:
        del lines[line - 1]
    else:
        lines[line - 1] = new_line
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f, line, lines


def change_with_an_unknown_kind(k):
    f, line, _ = edit_first_change(k, "kind", 'kind = "moved"')
    return f, line, "kind「moved」 → renamed・ended・successor・not_listed のどれかを書いてください"


def change_with_a_bad_date(k):
    f, line, _ = edit_first_change(k, "date", 'date = "令和3年4月"')
    return f, line, "date「令和3年4月」 → 2021-04 や 2021-03-31 のように書いてください"


def change_without_a_source(k):
    f, line, lines = edit_first_change(k, "source_url", None)
    entry = next(n for n in range(line - 1, 0, -1) if lines[n - 1].startswith("[[change]]"))
    return f, entry, "公式の出典"


def change_naming_no_office(k):
    f = k / "changes.toml"
    with f.open("a", encoding="utf-8") as out:
        out.write('\n[[change]]\nid = "x-renamed"\nkind = "renamed"\ndate = "2020-01"\norganization = "存在しない組織"\n'
                  'text = "x"\nsource = "x"\nsource_title = "x"\nsource_url = "https://example.jp/"\n')
    return f, line_of(f, "存在しない組織"), "organization「存在しない組織」という窓口がどの表にもありません"


def division_topic_naming_no_division(k):
    f = k / "division_topics.toml"
    name = tomllib.loads(f.read_text(encoding="utf-8"))["topic"][0]["name"]
    replace_once(f, f'name = "{name}"', 'name = "存在しない課"')
    return f, line_of(f, "存在しない課"), "「存在しない課」を名前に含む部・課・室がありません"


def filter_naming_part_of_a_name(k):
    """A target's match must name a whole field (or one name a field holds): a part of a name matches nothing."""
    f = k / "intents.toml"
    intent = next(i for i in tomllib.loads(f.read_text(encoding="utf-8"))["intent"]
                  if any(isinstance(t, dict) and t.get("match") for t in i.get("targets", [])))
    target = next(t for t in intent["targets"] if isinstance(t, dict) and t.get("match"))
    word = target["match"][0]
    text = f.read_text(encoding="utf-8")
    at = text.index(f'"{word}"', text.index(f'category = "{target["category"]}"', text.index(f'id = "{intent["id"]}"')))
    f.write_text(text[:at] + f'"{word[:-1]}"' + text[at + len(word) + 2:], encoding="utf-8")
    return (f, text[:at].count("\n") + 1, f"相談「{intent['id']}」の match「{word[:-1]}」に当たる窓口が表「{target['category']}」"
                                          f"にありません → 窓口の名前")


CASES = [bad_phone, phone_with_too_few_digits, unknown_prefecture, missing_field, unknown_category_file,
         unknown_category_in_intent, unresolved_merge, unknown_area, missing_column, comma_inside_a_value,
         unterminated_string, ime_comma, ime_quote, full_width_space, region_with_unknown_prefecture,
         prefecture_in_unknown_region, prefecture_alias_naming_another_prefecture, local_name_already_a_prefecture_alias, estimated_date_without_reasons,
         change_with_an_unknown_kind, change_with_a_bad_date, change_without_a_source, change_naming_no_office,
         division_topic_naming_no_division,
         filter_naming_part_of_a_name]


def run_check(folder):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "bot", "check-knowledge", str(folder)],
                          capture_output=True, text=True, env=env, timeout=60)


def test_the_real_knowledge_is_clean():
    """`check-knowledge` on the shipped folder exits 0, says so in Japanese and prints the totals."""
    result = run_check(KNOWLEDGE_DIR)
    assert result.returncode == 0, result.stderr
    assert "知識ファイルに問題はありません" in result.stdout
    assert re.search(r"\d+ の表に窓口 \d+ 件、電話番号 \d+ 件、47/47 都道府県", result.stdout), result.stdout


@pytest.mark.parametrize("breakage", CASES, ids=[c.__name__ for c in CASES])
def test_a_broken_file_is_reported_with_path_line_and_how_to_fix_it(broken, breakage):
    """Each kind of mistake names the file and line, says in Japanese what is wrong and how to fix it, exits 1."""
    path, line, message = breakage(broken)
    result = run_check(broken)
    assert result.returncode == 1
    shown = [ln for ln in result.stderr.splitlines() if ln.startswith(f"{path}:{line}: ")]
    assert any(message in ln for ln in shown), result.stderr
    assert all(" → " in ln for ln in shown) and "Traceback" not in result.stderr
    assert result.stderr.rstrip().endswith("ボットはこの内容では起動せず、再読み込みもしません。")


@pytest.mark.parametrize("slip, hint", [(ime_comma, "「、」（全角の読点）を半角の「,」に直してください"),
                                        (ime_quote, "「”」（全角の引用符）を半角の「\"」に直してください"),
                                        (full_width_space, "全角スペースを半角スペースに直してください")],
                         ids=["読点", "全角の引用符", "全角スペース"])
def test_slips_of_a_japanese_ime_get_a_hint(broken, slip, hint):
    """TOML errors name the intent and the words near the mistake (not a column number) and the slip to fix."""
    path, line, _ = slip(broken)
    with pytest.raises(KnowledgeError) as e:
        load_knowledge(broken)
    (problem,) = e.value.problems
    assert problem.origin.line == line and hint in problem.message and "column" not in problem.message


def test_a_repeated_id_is_said_at_the_new_row_and_names_the_other(broken):
    """A row copied as a new office with the id left unchanged: the problem is at the copy — the row to change —
    whether it was put below the original or above it, and names the original's line."""
    f = broken / "contacts" / "jetro.csv"
    table = rows(f)
    original = table[2]
    copy = list(original)
    copy[table[0].index("source_line")] = ""
    for position, new_line, old_line in ((len(table), len(table) + 1, 3), (2, 3, 4)):
        write_rows(f, table[:position] + [copy] + table[position:])
        with pytest.raises(KnowledgeError) as e:
            load_knowledge(broken)
        (problem,) = e.value.problems
        assert (problem.origin.path, problem.origin.line) == (str(f), new_line)
        assert f"id「{original[0]}」は、{f}:{old_line} の行と同じです → 新しく足したこの行の id を" in problem.message


def test_all_problems_are_reported_not_only_the_first(broken):
    """Several mistakes in several files are all listed in one run."""
    expected = [bad_phone(broken), unknown_prefecture(broken), unknown_area(broken)]
    with pytest.raises(KnowledgeError) as e:
        load_knowledge(broken)
    shown = [str(p) for p in e.value.problems]
    for path, line, message in expected:
        assert any(s.startswith(f"{path}:{line}: ") and message in s for s in shown), shown
    assert len(shown) == 3


def test_a_missing_folder_is_a_clear_error(tmp_path):
    """Pointing at a folder that does not exist is one clear line, exit 1."""
    result = run_check(tmp_path / "nowhere")
    assert result.returncode == 1
    assert "知識フォルダーが見つかりません →" in result.stderr


@pytest.mark.parametrize("rows, line, says", [
    (["事業の襷渡し,事業承継,"], None, None),
    (["事業の襷渡し,事業承継・事業引継ぎ,", "東北の経産,東北経済産業局,"], None, None),
    (["事業の襷渡し,じぎょうしょうけい,"], 2, "指すもの（means）「じぎょうしょうけい」は、相談の名前でも表の組織の名前でもありません"),
    ([",事業承継,"], 2, "言葉（word）が空です"),
    (["襷渡し,事業承継,", "襷渡し,事業再生,"], 3, "言葉「襷渡し」は 2 行目にもあります"),
], ids=["a part of a topic's name", "a topic's name and an organization", "unknown meaning", "no word", "twice"])
def test_the_staff_s_words_are_checked_like_every_file(broken, rows, line, says):
    path = broken / "synonyms.csv"
    path.write_text("\ufeffword,means,note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    if says is None:
        knowledge = load_knowledge(broken)
        words = {w for i in knowledge.intents for w in i.keywords} | {w for a in knowledge.aliases for w in a.also}
        assert {r.split(",")[0] for r in rows} <= words
        return
    with pytest.raises(KnowledgeError) as e:
        load_knowledge(broken)
    (problem,) = e.value.problems
    assert (problem.origin.path, problem.origin.line) == (str(path), line) and says in problem.message
    assert " → " in problem.message
