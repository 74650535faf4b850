"""Reference data: prefectures, cities, regions and the areas of regional offices (knowledge/reference/)."""

from __future__ import annotations

import re

from bot.knowledge.model import Area, City, Origin, Prefecture, Region
from bot.knowledge.reading import Reader, list_cell, strings

PREFECTURE_COLUMNS = ("code", "name", "short", "kana", "romaji", "region", "aliases")
CITY_COLUMNS = ("name", "kana", "prefecture", "kind", "aliases")
_HIRAGANA = re.compile(r"^[ぁ-ゖー]+$")


def load_prefectures(r: Reader) -> list[Prefecture]:
    rel = "reference/prefectures.csv"
    out: list[Prefecture] = []
    seen: dict[str, int] = {}
    for line, row in r.csv(rel, PREFECTURE_COLUMNS):
        empty = [c for c in PREFECTURE_COLUMNS if not row[c] and c != "aliases"]
        if empty:
            r.problem(rel, line, f"missing value for {', '.join(empty)}")
            continue
        if not row["name"].startswith(row["short"]):
            r.problem(rel, line, f"short name {row['short']!r} is not the start of {row['name']!r}")
        if not _HIRAGANA.match(row["kana"]):
            r.problem(rel, line, f"kana {row['kana']!r} must be written in hiragana")
        for key in dict.fromkeys((row["name"], row["short"])):
            if key in seen:
                r.problem(rel, line, f"duplicate prefecture {key!r} (first on line {seen[key]})")
            seen[key] = line
        out.append(Prefecture(row["code"], row["name"], row["short"], row["kana"], row["romaji"], row["region"],
                              list_cell(row["aliases"]), Origin(r.show(rel), line)))
    for p in out:
        for alias in p.aliases:
            if alias in seen:  # another prefecture's name: the alias would make that name ambiguous
                r.problem(rel, p.origin.line, f"alias {alias!r} is the name of the prefecture on line {seen[alias]}")
    if out and len(out) != 47:
        r.problem(rel, 1, f"expected the 47 prefectures, found {len(out)}")
    return out


def load_cities(r: Reader, pref_names: dict[str, str]) -> list[City]:
    rel = "reference/cities.csv"
    out: list[City] = []
    seen: dict[str, int] = {}
    for line, row in r.csv(rel, CITY_COLUMNS):
        if not row["name"] or not row["prefecture"]:
            r.problem(rel, line, "missing value for name or prefecture")
            continue
        pref = pref_names.get(row["prefecture"])
        if pref is None:
            r.problem(rel, line, f"unknown prefecture {row['prefecture']!r}")
            continue
        if row["kana"] and not _HIRAGANA.match(row["kana"]):
            r.problem(rel, line, f"kana {row['kana']!r} must be written in hiragana")
        if row["name"] in seen:
            r.problem(rel, line, f"duplicate city {row['name']!r} (first on line {seen[row['name']]})")
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
            r.problem(rel, where.entry(i), "region needs a name")
            continue
        prefs = resolve_prefectures(r, rel, where, i, entry.get("prefectures"), pref_names)
        names = strings(entry.get("names")) or ()
        weak = strings(entry.get("weak_names")) or ()
        out.append(Region(name, names or (name,), weak, prefs, Origin(r.show(rel), where.entry(i))))
    return out


def resolve_prefectures(r, rel, where, i, value, pref_names) -> tuple[str, ...]:
    names = strings(value)
    if not names:
        r.problem(rel, where.entry(i), "prefectures must be a non-empty list of prefecture names")
        return ()
    out = []
    for n in names:
        short = pref_names.get(n)
        if short is None:
            r.problem(rel, where.value(i, f'"{n}"'), f"unknown prefecture {n!r}")
        else:
            out.append(short)
    return tuple(out)


def load_areas(r: Reader, pref_names: dict[str, str], all_prefs: list[str]) -> list[Area]:
    rel = "reference/areas.toml"
    out: list[Area] = []
    for i, entry, where in r.table(rel, "area"):
        missing = [k for k in ("kind", "short", "name") if not isinstance(entry.get(k), str) or not entry.get(k)]
        if missing:
            r.problem(rel, where.entry(i), f"area needs {', '.join(missing)}")
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
                r.problem(rel, 1, f"prefecture {p!r} is in {n} areas of kind {kind!r} (must be exactly one)")
    ids = [a.id for a in out]
    for a in out:
        if ids.count(a.id) > 1:
            r.problem(rel, a.origin.line, f"duplicate area {a.id!r}")
    return out
