"""English glosses of office names: what an office is and where, beside its printed name, for a reader who cannot
read Japanese (宮城県事業引継ぎ相談窓口 (business succession desk, Miyagi))."""

from __future__ import annotations

from typing import Callable, Mapping

from bot.knowledge.model import Contact, Knowledge, Reach


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
