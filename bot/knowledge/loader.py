"""Read the knowledge folder once, validate everything, report every problem as `path:line: message`."""

from __future__ import annotations

import csv
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.knowledge.model import (
    NATIONWIDE,
    Alias,
    Area,
    Category,
    City,
    Contact,
    DivisionTopic,
    Hours,
    Intent,
    Knowledge,
    Origin,
    Prefecture,
    Region,
    Serves,
    Target,
    Vocabulary,
)
from bot.knowledge.phones import PhoneFormatError, parse_phones

CONTACT_COLUMNS = (
    "id", "organization", "department", "division", "serves", "phone",
    "url", "operator", "merged_with", "notes", "source_line",
)
PREFECTURE_COLUMNS = ("code", "name", "short", "kana", "romaji", "region", "aliases")
CITY_COLUMNS = ("name", "kana", "prefecture", "kind", "aliases")
LIST_SEPARATOR = "|"
SOURCE_FILE = "source/toiawase_ichiran.txt"

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_HIRAGANA = re.compile(r"^[ぁ-ゖー]+$")
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Problem:
    origin: Origin
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge folder has problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Reader:
    """Collects problems while reading; paths are shown relative to how the root was given."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def path(self, rel: str) -> Path:
        return self.root / rel

    def show(self, rel: str) -> str:
        return os.path.join(str(self.root), rel)

    def problem(self, rel: str, line: int, message: str) -> None:
        self.problems.append(Problem(Origin(self.show(rel), line), message))

    def problem_at(self, origin: Origin, message: str) -> None:
        self.problems.append(Problem(origin, message))

    # -- TOML -----------------------------------------------------------------
    def toml(self, rel: str) -> tuple[dict[str, Any], list[str]]:
        path = self.path(rel)
        if not path.is_file():
            self.problem(rel, 0, "file is missing")
            return {}, []
        text = path.read_text(encoding="utf-8")
        try:
            return tomllib.loads(text), text.splitlines()
        except tomllib.TOMLDecodeError as e:
            line = getattr(e, "lineno", None) or _line_from_message(str(e))
            self.problem(rel, line, f"not valid TOML: {e}")
            return {}, text.splitlines()

    def optional_toml(self, rel: str) -> tuple[dict[str, Any], list[str]]:
        """Like toml(), for a file that may be left out (then it holds nothing)."""
        return self.toml(rel) if self.path(rel).is_file() else ({}, [])

    # -- CSV ------------------------------------------------------------------
    def csv(self, rel: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
        path = self.path(rel)
        if not path.is_file():
            self.problem(rel, 0, "file is missing")
            return []
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            try:
                header = next(reader)
            except StopIteration:
                self.problem(rel, 1, "file is empty (expected a header line)")
                return []
            header = [h.strip().lstrip("\ufeff") for h in header]
            missing = [c for c in columns if c not in header]
            unknown = [h for h in header if h not in columns]
            if missing:
                self.problem(rel, 1, f"missing column(s): {', '.join(missing)}")
            if unknown:
                self.problem(rel, 1, f"unknown column(s): {', '.join(unknown)} (expected {', '.join(columns)})")
            if missing:
                return []
            rows = []
            for cells in reader:
                line = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    self.problem(rel, line, f"expected {len(header)} cells, found {len(cells)} (a comma inside a value needs \"quotes\")")
                    continue
                rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
            return rows


def _line_from_message(message: str) -> int:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 1


class _TomlLines:
    """Find the line of an entry of an array of tables, and of a value inside it."""

    def __init__(self, lines: list[str], table: str):
        self.lines = lines
        header = f"[[{table}]]"
        self.starts = [i for i, ln in enumerate(lines) if ln.strip() == header]

    def entry(self, index: int) -> int:
        return self.starts[index] + 1 if index < len(self.starts) else 1

    def value(self, index: int, needle: str) -> int:
        start = self.starts[index] if index < len(self.starts) else 0
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.lines)
        for i in range(start, end):
            if needle in self.lines[i]:
                return i + 1
        return start + 1


def _strings(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    return None


# ---------------------------------------------------------------------------- reference data

def _list_cell(cell: str) -> tuple[str, ...]:
    """A CSV cell holding a list: 博多|天神 → ('博多', '天神')."""
    return tuple(a.strip() for a in cell.split(LIST_SEPARATOR) if a.strip())


def _load_prefectures(r: _Reader) -> list[Prefecture]:
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
                              _list_cell(row["aliases"]), Origin(r.show(rel), line)))
    for p in out:
        for alias in p.aliases:
            if alias in seen:  # another prefecture's name: the alias would make that name ambiguous
                r.problem(rel, p.origin.line, f"alias {alias!r} is the name of the prefecture on line {seen[alias]}")
    if out and len(out) != 47:
        r.problem(rel, 1, f"expected the 47 prefectures, found {len(out)}")
    return out


def _load_cities(r: _Reader, pref_names: dict[str, str]) -> list[City]:
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
        aliases = _list_cell(row["aliases"])
        out.append(City(row["name"], row["kana"], pref, row["kind"], aliases, Origin(r.show(rel), line)))
    return out


def _load_regions(r: _Reader, pref_names: dict[str, str]) -> list[Region]:
    rel = "reference/regions.toml"
    data, lines = r.toml(rel)
    where = _TomlLines(lines, "region")
    out = []
    for i, entry in enumerate(data.get("region", [])):
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            r.problem(rel, where.entry(i), "region needs a name")
            continue
        prefs = _resolve_prefectures(r, rel, where, i, entry.get("prefectures"), pref_names)
        names = _strings(entry.get("names")) or ()
        weak = _strings(entry.get("weak_names")) or ()
        out.append(Region(name, names or (name,), weak, prefs, Origin(r.show(rel), where.entry(i))))
    return out


def _resolve_prefectures(r, rel, where, i, value, pref_names) -> tuple[str, ...]:
    names = _strings(value)
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


def _load_areas(r: _Reader, pref_names: dict[str, str], all_prefs: list[str]) -> list[Area]:
    rel = "reference/areas.toml"
    data, lines = r.toml(rel)
    where = _TomlLines(lines, "area")
    out: list[Area] = []
    for i, entry in enumerate(data.get("area", [])):
        missing = [k for k in ("kind", "short", "name") if not isinstance(entry.get(k), str) or not entry.get(k)]
        if missing:
            r.problem(rel, where.entry(i), f"area needs {', '.join(missing)}")
            continue
        prefs = _resolve_prefectures(r, rel, where, i, entry.get("prefectures"), pref_names)
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


# ---------------------------------------------------------------------------- categories, intents, aliases

def _load_categories(r: _Reader) -> list[Category]:
    rel = "categories.toml"
    data, lines = r.toml(rel)
    where = _TomlLines(lines, "category")
    out: list[Category] = []
    seen: set[str] = set()
    for i, entry in enumerate(data.get("category", [])):
        cid = entry.get("id")
        line = where.entry(i)
        if not isinstance(cid, str) or not _ID.match(cid):
            r.problem(rel, line, f"category id {cid!r} must be lower-case letters, digits, '-' or '_'")
            continue
        if cid in seen:
            r.problem(rel, where.value(i, f'"{cid}"'), f"duplicate category id {cid!r}")
            continue
        seen.add(cid)
        missing = [k for k in ("title", "label") if not isinstance(entry.get(k), str) or not entry.get(k)]
        if missing:
            r.problem(rel, line, f"category {cid!r} needs {', '.join(missing)}")
            continue
        out.append(Category(cid, entry["title"], entry["label"], entry.get("description", ""), entry.get("note", ""),
                            bool(entry.get("choice", False)), i, Origin(r.show(rel), line),
                                operator_label=entry.get("operator_label", "") or "運営"))
    return out


def _load_intents(r: _Reader, categories: set[str]) -> list[Intent]:
    rel = "intents.toml"
    data, lines = r.toml(rel)
    where = _TomlLines(lines, "intent")
    out: list[Intent] = []
    seen: set[str] = set()
    for i, entry in enumerate(data.get("intent", [])):
        iid = entry.get("id")
        line = where.entry(i)
        if not isinstance(iid, str) or not _ID.match(iid):
            r.problem(rel, line, f"intent id {iid!r} must be lower-case letters, digits, '-' or '_'")
            continue
        if iid in seen:
            r.problem(rel, where.value(i, f'"{iid}"'), f"duplicate intent id {iid!r}")
        seen.add(iid)
        keywords = _strings(entry.get("keywords"))
        weak = _strings(entry.get("weak_keywords"))
        if not keywords:
            r.problem(rel, where.value(i, "keywords"), f"intent {iid!r} needs a non-empty list of keywords")
            continue
        if weak is None:
            r.problem(rel, where.value(i, "weak_keywords"), f"intent {iid!r}: weak_keywords must be a list of strings")
            weak = ()
        targets = []
        for t in entry.get("targets", []) or []:
            if isinstance(t, str):
                target = Target(t)
            elif isinstance(t, dict) and isinstance(t.get("category"), str):
                match = _strings(t.get("match"))
                target = Target(t["category"], match or ())
            else:
                r.problem(rel, where.value(i, "targets"), f"intent {iid!r}: a target is a category id or {{ category = ..., match = [...] }}")
                continue
            if target.category not in categories:
                r.problem(rel, where.value(i, f'"{target.category}"'), f"intent {iid!r}: unknown category {target.category!r}")
                continue
            targets.append(target)
        if not targets and "targets" not in entry:
            r.problem(rel, line, f"intent {iid!r} needs targets")
        out.append(Intent(iid, entry.get("label", iid), keywords, weak, tuple(targets),
                          _strings(entry.get("examples")) or (), Origin(r.show(rel), line)))
    return out


def _load_aliases(r: _Reader) -> tuple[list[Alias], tuple[str, ...]]:
    rel = "aliases.toml"
    data, lines = r.toml(rel)
    where = _TomlLines(lines, "alias")
    out = []
    for i, entry in enumerate(data.get("alias", [])):
        official = entry.get("official")
        also = _strings(entry.get("also"))
        if not isinstance(official, str) or not official or not also:
            r.problem(rel, where.entry(i), "alias needs official (a name) and also (a non-empty list)")
            continue
        out.append(Alias(official, also, entry.get("renamed_to", ""), entry.get("renamed_in", ""), Origin(r.show(rel), where.entry(i))))
    legal = _strings(data.get("legal_forms"))
    if legal is None:
        r.problem(rel, 1, "legal_forms must be a list of strings")
        legal = ()
    return out, legal


def _load_vocabulary(r: _Reader) -> Vocabulary:
    rel = "conversation.toml"
    data, lines = r.toml(rel)
    values = {}
    for key in ("greetings", "thanks", "help", "representative", "filler", "honorifics", "details", "address",
                "address_suffixes", "not_names", "more", "business_suffixes", "business_verbs", "nationwide", "url"):
        v = _strings(data.get(key))
        if v is None:
            line = next((n + 1 for n, ln in enumerate(lines) if ln.startswith(key)), 1)
            r.problem(rel, line, f"{key} must be a list of strings")
            v = ()
        values[key] = v
    return Vocabulary(**values)


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DAY_KINDS = ("weekdays",)


def _load_hours(r: _Reader, contact_ids: set[str]) -> list[Hours]:
    rel = "hours.toml"
    data, lines = r.optional_toml(rel)
    where = _TomlLines(lines, "hours")
    out = []
    for i, entry in enumerate(data.get("hours", [])):
        line = where.entry(i)
        missing = [k for k in ("contact", "days", "open", "close", "text") if not isinstance(entry.get(k), str) or not entry.get(k)]
        if missing:
            r.problem(rel, line, f"hours need {', '.join(missing)}")
            continue
        if entry["contact"] not in contact_ids:
            r.problem(rel, where.value(i, entry["contact"]), f"unknown contact id {entry['contact']!r}")
            continue
        if entry["days"] not in DAY_KINDS:
            r.problem(rel, where.value(i, "days"), f"days must be one of {', '.join(DAY_KINDS)}")
            continue
        bad = [k for k in ("open", "close") if not _TIME.match(entry[k])]
        if bad or (not bad and entry["open"] >= entry["close"]):
            r.problem(rel, where.value(i, "open"), "open and close must be HH:MM with open before close")
            continue
        out.append(Hours(entry["contact"], entry["days"], entry["open"], entry["close"], entry["text"], Origin(r.show(rel), line)))
    return out


def _load_division_topics(r: _Reader, contacts: list[Contact]) -> list[DivisionTopic]:
    rel = "division_topics.toml"
    data, lines = r.optional_toml(rel)
    where = _TomlLines(lines, "topic")
    names = [f"{c.department} {c.division}" for c in contacts]
    out = []
    for i, entry in enumerate(data.get("topic", [])):
        name, words = entry.get("name"), _strings(entry.get("words"))
        if not isinstance(name, str) or not name or not words:
            r.problem(rel, where.entry(i), "topic needs name (part of a division's name) and words (a non-empty list)")
            continue
        if not any(name in n for n in names):
            r.problem(rel, where.value(i, name), f"no department or division has {name!r} in its name")
            continue
        out.append(DivisionTopic(name, words, Origin(r.show(rel), where.entry(i))))
    return out


# ---------------------------------------------------------------------------- contacts

def _serves(value: str, pref_names: dict[str, str], cities: dict[str, City], areas: dict[str, Area]) -> Serves | None:
    if value == NATIONWIDE:
        return Serves("nationwide", NATIONWIDE)
    if value in pref_names:
        return Serves("prefecture", pref_names[value])
    if value in cities:
        return Serves("city", value)
    if value in areas:
        return Serves("area", value)
    return None


def _load_contacts(r: _Reader, categories: list[Category], pref_names, cities, areas) -> list[Contact]:
    known = {c.id for c in categories}
    folder = r.path("contacts")
    present = sorted(p.stem for p in folder.glob("*.csv")) if folder.is_dir() else []
    for stem in present:
        if stem not in known:
            r.problem(f"contacts/{stem}.csv", 1, f"unknown category {stem!r}: add it to categories.toml or rename the file")
    out: list[Contact] = []
    first_seen: dict[str, Origin] = {}
    for cat in categories:
        rel = f"contacts/{cat.id}.csv"
        for line, row in r.csv(rel, CONTACT_COLUMNS):
            origin = Origin(r.show(rel), line)
            cid = row["id"]
            missing = [k for k in ("id", "organization", "serves") if not row[k]]
            if missing:
                r.problem(rel, line, f"missing value for {', '.join(missing)}")
                continue
            if not _ID.match(cid):
                r.problem(rel, line, f"id {cid!r} must be lower-case letters, digits, '-' or '_'")
            if cid in first_seen:
                r.problem(rel, line, f"duplicate id {cid!r} (first at {first_seen[cid]})")
                continue
            first_seen[cid] = origin
            serves = _serves(row["serves"], pref_names, cities, areas)
            if serves is None:
                r.problem(rel, line, f"unknown prefecture, city or area {row['serves']!r} in serves "
                                     f"(use 全国, a prefecture such as 宮城県, a city in reference/cities.csv, or an area such as 経済産業局:東北)")
                continue
            try:
                phones = parse_phones(row["phone"])
            except PhoneFormatError as e:
                r.problem(rel, line, str(e))
                continue
            if not phones and not row["url"] and not row["merged_with"]:
                r.problem(rel, line, "a contact needs a phone, a url or merged_with")
                continue
            if row["url"] and not _URL.match(row["url"]):
                r.problem(rel, line, f"bad url {row['url']!r} (must start with http:// or https://)")
            source_line = None
            if row["source_line"]:
                if row["source_line"].isdigit():
                    source_line = int(row["source_line"])
                else:
                    r.problem(rel, line, f"source_line must be a line number, not {row['source_line']!r}")
            out.append(Contact(cid, cat.id, row["organization"], row["department"], row["division"], serves, phones,
                               row["url"], row["operator"], row["merged_with"], row["notes"], source_line, origin))
    return _resolve_merged(r, out)


def _resolve_merged(r: _Reader, contacts: list[Contact]) -> list[Contact]:
    """Rows whose cells are merged with another row in the source share its phone and operator."""
    by_id = {c.id: c for c in contacts}
    out = []
    for c in contacts:
        if not c.merged_with:
            out.append(c)
            continue
        other = by_id.get(c.merged_with)
        if other is None or other.category != c.category:
            r.problem_at(c.origin, f"merged_with {c.merged_with!r} is not an id in the same file")
            continue
        if other.merged_with or not other.phones:
            r.problem_at(c.origin, f"merged_with {c.merged_with!r} must name a row that has its own phone")
            continue
        out.append(Contact(c.id, c.category, c.organization, c.department, c.division, c.serves,
                           c.phones or other.phones, c.url or other.url, c.operator or other.operator,
                           c.merged_with, c.notes, c.source_line, c.origin, inherited_phones=not c.phones))
    return out


# ---------------------------------------------------------------------------- entry point

def packaged_root() -> Path:
    """The knowledge shipped with the package (the `madoguchi_knowledge` folder of the wheel; in a checkout, or an
    editable install, the repository's knowledge/ folder)."""
    import importlib.util

    spec = importlib.util.find_spec("madoguchi_knowledge")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if Path(folder, "categories.toml").is_file():
            return Path(folder)
    return Path(__file__).resolve().parents[2] / "knowledge"


def load_knowledge(root: str | os.PathLike) -> Knowledge:
    """Load and validate the knowledge folder; raise KnowledgeError listing every problem."""
    root_path = Path(root)
    r = _Reader(root_path)
    if not root_path.is_dir():
        r.problem("", 0, "knowledge folder not found")
        raise KnowledgeError(r.problems)
    prefectures = _load_prefectures(r)
    pref_names: dict[str, str] = {}
    for p in prefectures:
        pref_names[p.name] = p.short
        pref_names[p.short] = p.short
    cities = _load_cities(r, pref_names)
    regions = _load_regions(r, pref_names)
    region_names = {g.name: g for g in regions}
    for p in prefectures:
        if regions and p.region not in region_names:
            r.problem_at(p.origin, f"unknown region {p.region!r} (not a name in reference/regions.toml)")
        elif regions and p.short not in region_names[p.region].prefectures:
            r.problem_at(p.origin, f"region {p.region!r} in reference/regions.toml does not list {p.short!r}")
    areas = _load_areas(r, pref_names, [p.short for p in prefectures])
    categories = _load_categories(r)
    intents = _load_intents(r, {c.id for c in categories})
    aliases, legal_forms = _load_aliases(r)
    vocabulary = _load_vocabulary(r)
    contacts = _load_contacts(r, categories, pref_names, {c.name: c for c in cities}, {a.id: a for a in areas})
    hours = _load_hours(r, {c.id for c in contacts})
    division_topics = _load_division_topics(r, contacts)
    if r.problems:
        raise KnowledgeError(r.problems)
    source = root_path / SOURCE_FILE
    return Knowledge(
        root=str(root_path),
        categories=tuple(categories),
        contacts=tuple(contacts),
        prefectures=tuple(prefectures),
        cities=tuple(cities),
        regions=tuple(regions),
        areas=tuple(areas),
        intents=tuple(intents),
        aliases=tuple(aliases),
        legal_forms=legal_forms,
        vocabulary=vocabulary,
        hours=tuple(hours),
        division_topics=tuple(division_topics),
        source_path=str(source) if source.is_file() else "",
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summarize(knowledge: Knowledge) -> list[str]:
    """Lines for `check-knowledge`: contacts per table and prefectures covered."""
    lines = []
    all_prefs = {p.short for p in knowledge.prefectures}
    covered: set[str] = set()
    width = max(len(c.id) for c in knowledge.categories)
    for cat in knowledge.categories:
        contacts = knowledge.contacts_in(cat.id)
        bound = {knowledge.prefecture_of(c) for c in contacts} - {None}
        areas = {c.serves.value for c in contacts if c.serves.kind == "area"}
        parts = [_plural(len(bound), "prefecture")] if bound else []
        if areas:
            parts.append(_plural(len(areas), "area"))
        if any(c.serves.kind == "nationwide" for c in contacts):
            parts.append("nationwide")
        for c in contacts:
            covered.update(knowledge.prefectures_served(c))
        phones = sum(len(c.phones) for c in contacts if not c.inherited_phones)
        lines.append(f"  {cat.id:<{width}} {len(contacts):4d} contacts {phones:4d} phones  {', '.join(parts)}")
    total_phones = sum(len(c.phones) for c in knowledge.contacts if not c.inherited_phones)
    lines.append(
        f"{len(knowledge.contacts)} contacts in {len(knowledge.categories)} tables, {total_phones} phone numbers, "
        f"{len(covered & all_prefs)}/{len(all_prefs)} prefectures covered; "
        f"{len(knowledge.cities)} cities, {len(knowledge.regions)} regions, {len(knowledge.areas)} areas, "
        f"{len(knowledge.intents)} intents, {len(knowledge.aliases)} aliases, {len(knowledge.division_topics)} division topics"
    )
    return lines
