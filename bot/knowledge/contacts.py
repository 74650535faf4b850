"""The contact tables (knowledge/contacts/*.csv): one row per office, validated, merged rows resolved."""

from __future__ import annotations

import re

from bot.knowledge.model import NATIONWIDE, Area, Category, City, Contact, Origin, Serves
from bot.knowledge.phones import PhoneFormatError, parse_phones
from bot.knowledge.reading import ID, Reader

CONTACT_COLUMNS = (
    "id", "organization", "department", "division", "serves", "phone",
    "url", "operator", "merged_with", "notes", "source_line",
)
_URL = re.compile(r"^https?://\S+$")


def serves_value(value: str, pref_names: dict[str, str], cities: dict[str, City], areas: dict[str, Area]) -> Serves | None:
    if value == NATIONWIDE:
        return Serves("nationwide", NATIONWIDE)
    if value in pref_names:
        return Serves("prefecture", pref_names[value])
    if value in cities:
        return Serves("city", value)
    if value in areas:
        return Serves("area", value)
    return None


def load_contacts(r: Reader, categories: list[Category], pref_names, cities, areas) -> list[Contact]:
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
            if not ID.match(cid):
                r.problem(rel, line, f"id {cid!r} must be lower-case letters, digits, '-' or '_'")
            if cid in first_seen:
                r.problem(rel, line, f"duplicate id {cid!r} (first at {first_seen[cid]})")
                continue
            first_seen[cid] = origin
            serves = serves_value(row["serves"], pref_names, cities, areas)
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
            r.problem_at(c.origin, f"merged_with {c.merged_with!r} is not an id in the same file")
            continue
        if other.merged_with or not other.phones:
            r.problem_at(c.origin, f"merged_with {c.merged_with!r} must name a row that has its own phone")
            continue
        out.append(Contact(c.id, c.category, c.organization, c.department, c.division, c.serves,
                           c.phones or other.phones, c.url or other.url, c.operator or other.operator,
                           c.merged_with, c.notes, c.source_line, c.origin, inherited_phones=not c.phones))
    return out
