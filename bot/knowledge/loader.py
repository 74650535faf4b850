"""Read the knowledge folder once, validate everything, report every problem as `path:line: message`.

The files are read by family (bot.knowledge.reference, .topics, .contacts); this module puts them together.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.knowledge.changes import load_changes
from bot.knowledge.contacts import load_contacts
from bot.knowledge.model import Knowledge, Reach
from bot.knowledge.places import load_municipalities, load_postal_codes, load_variant_characters
from bot.knowledge.reading import KnowledgeError, Problem, Reader
from bot.knowledge.synonyms import load_synonyms
from bot.knowledge.reference import (as_regions, load_areas, load_cities, load_local_names, load_prefectures,
                                      load_regions)
from bot.knowledge.warnings import review
from bot.knowledge.topics import (check_aliases, check_targets, load_aliases, load_categories, load_division_topics,
                                  load_hours, load_intents, load_source, load_vocabulary)

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
        r.problem("", 0, "知識フォルダーが見つかりません → 設定 MADOGUCHI_KNOWLEDGE か、コマンドに渡したフォルダーの場所を"
                         "確かめてください")
        raise KnowledgeError(r.problems)
    prefectures = load_prefectures(r)
    pref_names: dict[str, str] = {}
    for p in prefectures:
        pref_names[p.name] = p.short
        pref_names[p.short] = p.short
    cities = load_cities(r, pref_names)
    municipalities = load_municipalities(r, pref_names)
    postal_codes = load_postal_codes(r, municipalities)
    variant_characters = load_variant_characters(r)
    regions = load_regions(r, pref_names)
    local_names = load_local_names(r, pref_names, cities, prefectures)
    clashing = {g.name for g in regions} & {n.name for n in local_names}
    for n in local_names:
        if n.name in clashing:
            r.problem_at(n.origin, f"「{n.name}」は reference/regions.toml の地方の名前です → この行を消してください")
    region_names = {g.name: g for g in regions}
    for p in prefectures:
        if regions and p.region not in region_names:
            r.problem_at(p.origin, f"地方「{p.region}」は reference/regions.toml にありません → そこにある地方の名前で書いて"
                                   f"ください")
        elif regions and p.short not in region_names[p.region].prefectures:
            r.problem_at(p.origin, f"reference/regions.toml の地方「{p.region}」の prefectures に「{p.short}」がありません → "
                                   f"足してください")
    areas = load_areas(r, pref_names, [p.short for p in prefectures])
    categories = load_categories(r)
    intents = load_intents(r, {c.id for c in categories})
    aliases, legal_forms = load_aliases(r)
    vocabulary = load_vocabulary(r)
    source_path = root_path / SOURCE_FILE
    source_lines = _lines(source_path)
    contacts = load_contacts(r, categories, pref_names, {c.name: c for c in cities}, {a.id: a for a in areas},
                             source_lines)
    check_targets(r, intents, contacts)
    check_aliases(r, aliases, contacts)
    intents, aliases = load_synonyms(r, intents, aliases, contacts)
    changes = load_changes(r, contacts, categories, intents)
    hours = load_hours(r, {c.id for c in contacts})
    division_topics = load_division_topics(r, contacts)
    source_entry = load_source(r)
    if r.problems:
        raise KnowledgeError(r.problems)
    r.notes.extend(review(r, intents, contacts, source_lines, legal_forms))
    return Knowledge(
        root=str(root_path),
        categories=tuple(categories),
        contacts=tuple(contacts),
        prefectures=tuple(prefectures),
        cities=tuple(cities),
        regions=tuple(regions) + tuple(as_regions([n for n in local_names if n.name not in clashing])),
        areas=tuple(areas),
        intents=tuple(intents),
        aliases=tuple(aliases),
        changes=tuple(changes),
        legal_forms=legal_forms,
        vocabulary=vocabulary,
        hours=tuple(hours),
        division_topics=tuple(division_topics),
        source_path=str(source_path) if source_lines else "",
        source=source_entry,
        notes=tuple(r.notes),
        local_names=tuple(local_names),
        municipalities=tuple(municipalities),
        postal_codes=postal_codes,
        variant_characters=variant_characters,
    )


def _lines(path: Path) -> list[str]:
    """The source document's lines, read once for the checks that compare rows with it; [] when it is absent."""
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def summarize(knowledge: Knowledge) -> list[str]:
    """Lines for `check-knowledge`, in Japanese: each table's offices, numbers and where they serve; the totals."""
    lines = []
    all_prefs = {p.short for p in knowledge.prefectures}
    covered: set[str] = set()
    width = max(len(c.id) for c in knowledge.categories)
    for cat in knowledge.categories:
        contacts = knowledge.contacts_in(cat.id)
        bound = {knowledge.prefecture_of(c) for c in contacts} - {None}
        areas = {c.serves.value for c in contacts if c.serves.kind == Reach.AREA}
        parts = [f"{len(bound)} 都道府県"] if bound else []
        if areas:
            parts.append(f"{len(areas)} 区域")
        if any(c.serves.kind == Reach.NATIONWIDE for c in contacts):
            parts.append("全国")
        for c in contacts:
            covered.update(knowledge.prefectures_served(c))
        phones = sum(len(c.phones) for c in contacts if not c.inherited_phones)
        added = sum(c.source_line is None for c in contacts)
        if added:  # rows staff added themselves: not from the source document
            parts.append("資料にない表（担当者が追加）" if added == len(contacts) else f"うち担当者が追加 {added} 件")
        lines.append(f"  {cat.id:<{width}} 窓口 {len(contacts):3d} 件  番号 {phones:3d} 件  {'・'.join(parts)}  {cat.label}")
    total_phones = sum(len(c.phones) for c in knowledge.contacts if not c.inherited_phones)
    lines.append(
        f"{len(knowledge.categories)} の表に窓口 {len(knowledge.contacts)} 件、電話番号 {total_phones} 件、"
        f"{len(covered & all_prefs)}/{len(all_prefs)} 都道府県。市 {len(knowledge.cities)}、地方 {len(knowledge.regions)}、"
        f"管轄区域 {len(knowledge.areas)}、相談 {len(knowledge.intents)}、別名 {len(knowledge.aliases)}、"
        f"担当分野 {len(knowledge.division_topics)}"
    )
    source = knowledge.source
    if source.title:
        when = f"{source.as_of}（推定）" if source.estimated else (source.as_of or "日付不明")
        lines.append(f"出典: {source.publisher}「{source.title}」 資料の日付: {when}  最後に確認した日: {source.reviewed or '—'}")
        lines.extend(f"  日付の手がかり: {reason}" for reason in source.as_of_reasons)
    return lines
