"""Read the knowledge folder once, validate everything, report every problem as `path:line: message`.

The files are read by family (bot.knowledge.reference, .topics, .contacts); this module puts them together.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.knowledge.contacts import load_contacts
from bot.knowledge.model import Knowledge
from bot.knowledge.reading import KnowledgeError, Problem, Reader
from bot.knowledge.reference import load_areas, load_cities, load_prefectures, load_regions
from bot.knowledge.topics import (load_aliases, load_categories, load_division_topics, load_hours, load_intents,
                                  load_source, load_vocabulary)

SOURCE_FILE = "source/toiawase_ichiran.txt"

__all__ = ["KnowledgeError", "Problem", "load_knowledge", "packaged_root", "summarize"]


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
    r = Reader(root_path)
    if not root_path.is_dir():
        r.problem("", 0, "knowledge folder not found")
        raise KnowledgeError(r.problems)
    prefectures = load_prefectures(r)
    pref_names: dict[str, str] = {}
    for p in prefectures:
        pref_names[p.name] = p.short
        pref_names[p.short] = p.short
    cities = load_cities(r, pref_names)
    regions = load_regions(r, pref_names)
    region_names = {g.name: g for g in regions}
    for p in prefectures:
        if regions and p.region not in region_names:
            r.problem_at(p.origin, f"unknown region {p.region!r} (not a name in reference/regions.toml)")
        elif regions and p.short not in region_names[p.region].prefectures:
            r.problem_at(p.origin, f"region {p.region!r} in reference/regions.toml does not list {p.short!r}")
    areas = load_areas(r, pref_names, [p.short for p in prefectures])
    categories = load_categories(r)
    intents = load_intents(r, {c.id for c in categories})
    aliases, legal_forms = load_aliases(r)
    vocabulary = load_vocabulary(r)
    contacts = load_contacts(r, categories, pref_names, {c.name: c for c in cities}, {a.id: a for a in areas})
    hours = load_hours(r, {c.id for c in contacts})
    division_topics = load_division_topics(r, contacts)
    source_entry = load_source(r)
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
        source=source_entry,
        notes=tuple(r.notes),
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
