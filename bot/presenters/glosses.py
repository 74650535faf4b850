"""English glosses of office names: what an office is and where, beside its printed name, for a reader who cannot
read Japanese (宮城県事業引継ぎ相談窓口 (business succession desk, Miyagi))."""

from __future__ import annotations

from typing import Callable, Mapping

from bot.knowledge.model import Contact, Knowledge, Reach
from bot.language.text import place_romaji


def english_place_names(k: Knowledge) -> dict[str, str]:
    """Every place's name → its romaji as written in English: prefectures, cities (美瑛町 → Biei, 関市 → Seki: the
    suffix's sound left out)."""
    places = {name: p.romaji for p in k.prefectures if p.romaji for name in (p.name, p.short)}
    for city in k.cities:
        if city.name.endswith("市") and city.kana.endswith("し"):
            places[city.name] = place_romaji(city.kana[:-1])
    for m in k.municipalities:
        bare = next((m.kana[: -len(s)] for s in ("ちょう", "まち", "むら", "そん", "し", "く")
                     if m.kana.endswith(s) and len(m.kana) > len(s)), m.kana)
        places.setdefault(m.name, place_romaji(bare))
    return places


def english_glosses(knowledge: Knowledge, place_name: Callable[[str], str], regions: Mapping[str, str],
                    separator: str) -> dict[str, str]:
    """Contact id → its gloss: its organization's name_en (aliases.toml; the longest official name that fits) or its
    table's label_en, and where it serves in romaji (JETRO, Fukuoka; regional METI bureau, Tohoku). '' for a name
    printed in English already."""
    return {c.id: _gloss(knowledge, c, place_name, regions, separator) for c in knowledge.contacts}


def _gloss(k: Knowledge, c: Contact, place_name: Callable[[str], str], regions: Mapping[str, str], separator: str) -> str:
    if c.name.isascii():
        return ""
    named = [a for a in k.aliases if a.name_en and a.official in c.organization]
    label = max(named, key=lambda a: len(a.official)).name_en if named else k.category_by_id[c.category].label_en
    where = ""
    if c.serves.kind in (Reach.PREFECTURE, Reach.CITY):
        where = place_name(c.serves.value)
    elif c.serves.kind == Reach.AREA:
        short = k.area_by_id[c.serves.value].short
        where = regions[short] if short in regions else place_name(short)
    return separator.join(x for x in (label, where) if x and x.isascii())
