"""The contact tables (knowledge/contacts/*.csv): one row per office, validated, merged rows resolved."""

from __future__ import annotations

import re

from bot.knowledge.model import NATIONWIDE, Area, Category, City, Contact, Origin, Reach, Serves
from bot.knowledge.phones import PhoneFormatError, parse_phones
from bot.knowledge.reading import ID, ID_RULE, Reader, quoted, suggest

CONTACT_COLUMNS = (
    "id", "organization", "department", "division", "serves", "phone",
    "url", "operator", "merged_with", "notes", "source_line",
)
# the columns as staff see them (check-knowledge's messages, the spreadsheet's headers)
COLUMN_LABELS = {
    "id": "id", "organization": "組織名", "department": "部", "division": "課・室", "serves": "担当地域",
    "phone": "電話番号", "url": "URL", "operator": "運営", "merged_with": "結合先", "notes": "備考",
    "source_line": "原資料の行",
}
_URL = re.compile(r"^https?://\S+$")
_SERVES_RULE = ("全国、都道府県名（宮城県）、reference/cities.csv にある市、または reference/areas.toml の管轄区域"
                "（経済産業局:東北 など）を書いてください")


def serves_value(value: str, pref_names: dict[str, str], cities: dict[str, City], areas: dict[str, Area]) -> Serves | None:
    if value == NATIONWIDE:
        return Serves(Reach.NATIONWIDE, NATIONWIDE)
    if value in pref_names:
        return Serves(Reach.PREFECTURE, pref_names[value])
    if value in cities:
        return Serves(Reach.CITY, value)
    if value in areas:
        return Serves(Reach.AREA, value)
    return None


def load_contacts(r: Reader, categories: list[Category], pref_names, cities, areas,
                  source: list[str]) -> list[Contact]:
    """The rows of every table; source: the source document's lines (to tell a row copied from it from a new one)."""
    known = {c.id for c in categories}
    folder = r.path("contacts")
    present = sorted(p.stem for p in folder.glob("*.csv")) if folder.is_dir() else []
    for stem in present:
        if stem not in known:
            r.problem(f"contacts/{stem}.csv", 1, f"表「{stem}」は categories.toml にありません → categories.toml に "
                                                 f"[[category]] を足すか、ファイル名を表の id に直してください{suggest(stem, known)}")
    out: list[Contact] = []
    first_seen: dict[str, tuple[Origin, dict[str, str]]] = {}
    for cat in categories:
        rel = f"contacts/{cat.id}.csv"
        for line, row in r.csv(rel, CONTACT_COLUMNS):
            origin = Origin(r.show(rel), line)
            cid = row["id"]
            missing = [k for k in ("id", "organization", "serves") if not row[k]]
            if missing:
                r.problem(rel, line, f"{quoted(COLUMN_LABELS[k] + f'（{k}）' for k in missing)}が空です → 値を書いてください")
                continue
            if not ID.match(cid):
                r.problem(rel, line, f"id「{cid}」→ id は{ID_RULE}")
            if cid in first_seen:
                new, message = duplicate_message(cid, first_seen[cid], (origin, row), source)
                r.problem_at(new, message)  # said at the row to change: the one added, not the one it repeats
                continue
            first_seen[cid] = (origin, row)
            serves = serves_value(row["serves"], pref_names, cities, areas)
            if serves is None:
                r.problem(rel, line, f"担当地域（serves）「{row['serves']}」が分かりません → {_SERVES_RULE}"
                                     f"{suggest(row['serves'], [*pref_names, *cities, *areas])}")
                continue
            try:
                phones = parse_phones(row["phone"])
            except PhoneFormatError as e:
                r.problem(rel, line, str(e))
                continue
            if not phones and not row["url"] and not row["merged_with"]:
                r.problem(rel, line, "電話番号も URL も結合先（merged_with）もありません → どれか1つを書いてください")
                continue
            if row["url"] and not _URL.match(row["url"]):
                r.problem(rel, line, f"URL「{row['url']}」→ http:// か https:// で始まる形で、空白を入れずに書いてください")
            source_line = None
            if row["source_line"]:
                if row["source_line"].isdigit():
                    source_line = int(row["source_line"])
                else:
                    r.problem(rel, line, f"原資料の行（source_line）「{row['source_line']}」→ 半角数字の行番号で書くか、"
                                         f"原資料にない窓口なら空のままにしてください")
            out.append(Contact(cid, cat.id, row["organization"], row["department"], row["division"], serves, phones,
                               row["url"], row["operator"], row["merged_with"], row["notes"], source_line, origin))
    return resolve_merged(r, out)


def resolve_merged(r: Reader, contacts: list[Contact]) -> list[Contact]:
    """Rows whose cells are merged with another row in the source share its phone and operator."""
    by_id = {c.id: c for c in contacts}
    out = []
    for c in contacts:
        if not c.merged_with:
            out.append(c)
            continue
        other = by_id.get(c.merged_with)
        if other is None or other.category != c.category:
            r.problem_at(c.origin, f"結合先（merged_with）「{c.merged_with}」は同じファイルの id にありません → 電話番号を共有する"
                                   f"行の id を書くか、空にしてください{suggest(c.merged_with, by_id)}")
            continue
        if other.merged_with or not other.phones:
            r.problem_at(c.origin, f"結合先（merged_with）「{c.merged_with}」の行には自分の電話番号がありません → 電話番号の"
                                   f"書いてある行の id を書いてください")
            continue
        out.append(Contact(c.id, c.category, c.organization, c.department, c.division, c.serves,
                           c.phones or other.phones, c.url or other.url, c.operator or other.operator,
                           c.merged_with, c.notes, c.source_line, c.origin, inherited_phones=not c.phones))
    return out


def from_source(row: dict[str, str], source: list[str]) -> bool:
    """The row is as printed: its source line holds its first phone number (or its organization)."""
    n = row.get("source_line", "")
    if not n.isdigit() or not 0 < int(n) <= len(source):
        return False
    printed = " ".join(source[int(n) - 1:int(n) + 1])
    key = (row.get("phone") or "").split(" / ")[0].split(" ")[-1].split("(")[0] or row.get("organization", "")
    return bool(key) and key in printed


def duplicate_message(cid: str, first: tuple[Origin, dict[str, str]], second: tuple[Origin, dict[str, str]],
                      source: list[str]) -> tuple[Origin, str]:
    """Where to say it — the new row of a repeated id (the one not as printed in the source; else the later) — and what
    to say: where the other row is, and what to change."""
    (first_origin, first_row), (second_origin, second_row) = first, second
    new, old = ((first_origin, second_origin) if from_source(second_row, source) and not from_source(first_row, source)
                else (second_origin, first_origin))
    return new, f"id「{cid}」は、{old} の行と同じです → 新しく足したこの行の id を別の名前にしてください"
