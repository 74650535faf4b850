"""Reference data: prefectures, cities, regions and the areas of regional offices (knowledge/reference/)."""

from __future__ import annotations

from typing import Sequence

from bot.knowledge.model import Area, City, LocalName, Origin, Prefecture, Region
from bot.knowledge.reading import HIRAGANA, Reader, list_cell, quoted, strings, suggest, unknown_prefecture

PREFECTURE_COLUMNS = ("code", "name", "short", "kana", "romaji", "region", "aliases")
CITY_COLUMNS = ("name", "kana", "prefecture", "kind", "aliases")
LOCAL_NAME_COLUMNS = ("name", "kana", "prefectures", "kind")


def load_prefectures(r: Reader) -> list[Prefecture]:
    rel = "reference/prefectures.csv"
    out: list[Prefecture] = []
    seen: dict[str, int] = {}
    for line, row in r.csv(rel, PREFECTURE_COLUMNS):
        empty = [c for c in PREFECTURE_COLUMNS if not row[c] and c != "aliases"]
        if empty:
            r.problem(rel, line, f"{quoted(empty)}が空です → 値を書いてください（aliases だけは空でかまいません）")
            continue
        if not row["name"].startswith(row["short"]):
            r.problem(rel, line, f"short「{row['short']}」が name「{row['name']}」の始まりと違います → 県・府・都を除いた名前を"
                                 f"書いてください")
        if not HIRAGANA.match(row["kana"]):
            r.problem(rel, line, f"kana「{row['kana']}」→ ひらがなで書いてください")
        for key in dict.fromkeys((row["name"], row["short"])):
            if key in seen:
                r.problem(rel, line, f"都道府県「{key}」が2回あります（1回目は {seen[key]} 行目） → どちらかの行を消してください")
            seen[key] = line
        out.append(Prefecture(row["code"], row["name"], row["short"], row["kana"], row["romaji"], row["region"],
                              list_cell(row["aliases"]), Origin(r.show(rel), line)))
    for p in out:
        for alias in p.aliases:
            if alias in seen:  # another prefecture's name: the alias would make that name ambiguous
                r.problem(rel, p.origin.line, f"aliases の「{alias}」は {seen[alias]} 行目の都道府県の名前です → 別の県の名前は"
                                              f"書けないので、aliases から消してください")
    if out and len(out) != 47:
        r.problem(rel, 1, f"都道府県が {len(out)} 行あります → 47 都道府県を1行ずつ書いてください")
    return out


def load_cities(r: Reader, pref_names: dict[str, str]) -> list[City]:
    rel = "reference/cities.csv"
    out: list[City] = []
    seen: dict[str, int] = {}
    for line, row in r.csv(rel, CITY_COLUMNS):
        if not row["name"] or not row["prefecture"]:
            r.problem(rel, line, "name（市の名前）か prefecture（都道府県）が空です → 両方を書いてください")
            continue
        pref = pref_names.get(row["prefecture"])
        if pref is None:
            r.problem(rel, line, unknown_prefecture(row["prefecture"], pref_names))
            continue
        if row["kana"] and not HIRAGANA.match(row["kana"]):
            r.problem(rel, line, f"kana「{row['kana']}」→ ひらがなで書いてください")
        if row["name"] in seen:
            r.problem(rel, line, f"市「{row['name']}」が2回あります（1回目は {seen[row['name']]} 行目） → 新しく足した行（この行）を"
                                 f"消すか、別名は1回目の行の aliases に書いてください")
        seen[row["name"]] = line
        aliases = list_cell(row["aliases"])
        out.append(City(row["name"], row["kana"], pref, row["kind"], aliases, Origin(r.show(rel), line)))
    return out


def load_regions(r: Reader, pref_names: dict[str, str]) -> list[Region]:
    rel = "reference/regions.toml"
    out = []
    for i, entry, where in r.table(rel, "region"):
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            r.problem(rel, where.entry(i), "地方の項目に name がありません → name = \"東北\" のように書いてください")
            continue
        prefs = resolve_prefectures(r, rel, where, i, entry.get("prefectures"), pref_names)
        names = strings(entry.get("names")) or ()
        weak = strings(entry.get("weak_names")) or ()
        out.append(Region(name, names or (name,), weak, prefs, Origin(r.show(rel), where.entry(i))))
    return out


def resolve_prefectures(r, rel, where, i, value, pref_names) -> tuple[str, ...]:
    names = strings(value)
    if not names:
        r.problem(rel, where.entry(i), "prefectures → [\"宮城\", \"岩手\"] のように都道府県名の一覧を書いてください")
        return ()
    out = []
    for n in names:
        short = pref_names.get(n)
        if short is None:
            r.problem(rel, where.value(i, f'"{n}"'), unknown_prefecture(n, pref_names))
        else:
            out.append(short)
    return tuple(out)


def load_areas(r: Reader, pref_names: dict[str, str], all_prefs: list[str]) -> list[Area]:
    rel = "reference/areas.toml"
    out: list[Area] = []
    for i, entry, where in r.table(rel, "area"):
        missing = [k for k in ("kind", "short", "name") if not isinstance(entry.get(k), str) or not entry.get(k)]
        if missing:
            r.problem(rel, where.entry(i), f"管轄区域の項目に {quoted(missing)} がありません → kind・short・name を書いてください")
            continue
        prefs = resolve_prefectures(r, rel, where, i, entry.get("prefectures"), pref_names)
        out.append(Area(entry["kind"], entry["short"], entry["name"], prefs, Origin(r.show(rel), where.entry(i)),
                        word=entry.get("word") or "担当地域"))
    # each prefecture in exactly one area of each kind
    for kind in sorted({a.kind for a in out}):
        count = {p: 0 for p in all_prefs}
        for a in out:
            if a.kind == kind:
                for p in a.prefectures:
                    count[p] = count.get(p, 0) + 1
        for p, n in count.items():
            if n != 1:
                r.problem(rel, 1, f"{kind} の管轄区域で「{p}」が {n} か所に入っています → ちょうど1つの区域の prefectures "
                                  f"に書いてください")
    ids = [a.id for a in out]
    for a in out:
        if ids.count(a.id) > 1:
            r.problem(rel, a.origin.line, f"管轄区域「{a.id}」が2回あります → 新しく足した方を消すか、short を変えてください")
    return out


def load_local_names(r: Reader, pref_names: dict[str, str], cities: list[City],
                     prefectures: Sequence[Prefecture] = ()) -> list[LocalName]:
    """reference/local_names.csv (optional): old province and regional names → their prefecture(s)."""
    rel = "reference/local_names.csv"
    if not r.path(rel).is_file():
        return []
    taken = {**{n: "都道府県" for n in pref_names}, **{c.name: "市" for c in cities},
             **{a: "市の別名" for c in cities for a in c.aliases},
             **{a: f"{p.name}の別名（reference/prefectures.csv の aliases）" for p in prefectures for a in p.aliases}}
    out: list[LocalName] = []
    seen: dict[str, int] = {}
    for line, row in r.csv(rel, LOCAL_NAME_COLUMNS):
        name, kana = row["name"], row["kana"]
        prefs = [pref_names.get(p) for p in list_cell(row["prefectures"])]
        if not name or not prefs:
            r.problem(rel, line, "name か prefectures が空です → 呼び名と、その都道府県（2つ以上は | で区切る）を書いてください")
            continue
        if None in prefs:
            bad = [p for p in list_cell(row["prefectures"]) if p not in pref_names]
            r.problem(rel, line, f"都道府県{quoted(bad)}が分かりません → reference/prefectures.csv にある名前で書いてください"
                                 f"{suggest(bad[0], pref_names)}")
            continue
        if kana and not HIRAGANA.match(kana):
            r.problem(rel, line, f"kana「{kana}」→ ひらがなで書いてください")
        if name in taken:
            r.problem(rel, line, f"「{name}」はすでに{taken[name]}の名前です → この行を消してください（その名前で読めます）")
            continue
        if name in seen:
            r.problem(rel, line, f"「{name}」が2回あります（1回目は {seen[name]} 行目）→ どちらかの行を消してください")
            continue
        seen[name] = line
        out.append(LocalName(name, kana, tuple(dict.fromkeys(p for p in prefs if p)), row["kind"], Origin(r.show(rel), line)))
    return out


def as_regions(local_names: list[LocalName]) -> list[Region]:
    """The names that span several prefectures, as regions: a question naming one asks which prefecture."""
    return [Region(n.name, (n.name,), (), n.prefectures, n.origin) for n in local_names if len(n.prefectures) > 1]
