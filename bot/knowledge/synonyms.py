"""synonyms.csv: words staff add for what people type — one per row, the word and what it means (a topic of
intents.toml, by its name or id, or an organization of the tables). Kept apart from the TOML files so that it goes
through the workbook like the tables do (a sheet 「synonyms」), and a word added in Excel is a row, not an edit of
intents.toml. The file may be left out."""

from __future__ import annotations

from dataclasses import replace

from bot.knowledge.model import Alias, Contact, Intent, Origin
from bot.knowledge.reading import Reader, suggest

SYNONYMS_FILE = "synonyms.csv"
SYNONYM_COLUMNS = ("word", "means", "note")
SYNONYM_LABELS = {"word": "言葉", "means": "指すもの", "note": "メモ"}


def load_synonyms(r: Reader, intents: list[Intent], aliases: list[Alias],
                  contacts: list[Contact]) -> tuple[list[Intent], list[Alias]]:
    """The intents with the words added to their keywords, and the aliases with the organizations' added names."""
    if not r.path(SYNONYMS_FILE).is_file():
        return intents, aliases
    by_name = {**_label_parts(intents), **{i.label: i.id for i in intents}, **{i.id: i.id for i in intents}}
    organizations = {c.organization for c in contacts}
    added: dict[str, list[str]] = {}
    names: list[Alias] = []
    seen: dict[str, int] = {}
    for line, row in r.csv(SYNONYMS_FILE, SYNONYM_COLUMNS):
        word, means = row["word"], row["means"]
        if not word or not means:
            empty = "言葉（word）" if not word else "指すもの（means）"
            r.problem(SYNONYMS_FILE, line, f"{empty}が空です → 言葉と、それが指す相談の名前か組織の名前を書くか、行を消して"
                                           f"ください")
            continue
        if word in seen:
            r.problem(SYNONYMS_FILE, line, f"言葉「{word}」は {seen[word]} 行目にもあります → どちらか1行にしてください")
            continue
        seen[word] = line
        if means in by_name:
            added.setdefault(by_name[means], []).append(word)
        elif any(means in name for name in organizations):
            names.append(Alias(means, (word,), Origin(r.show(SYNONYMS_FILE), line)))
        else:
            r.problem(SYNONYMS_FILE, line, f"指すもの（means）「{means}」は、相談の名前でも表の組織の名前でもありません → "
                                           f"相談の名前（{''.join(f'「{i.label}」' for i in intents[:3])}など、"
                                           f"intents.toml の label）か、表の組織の名前（organization 欄）を書いてください"
                                           f"{suggest(means, [*by_name, *organizations])}")
    grown = [replace(i, keywords=i.keywords + tuple(w for w in added[i.id] if w not in i.keywords)) if i.id in added else i
             for i in intents]
    return grown, aliases + names


def _label_parts(intents: list[Intent]) -> dict[str, str]:
    """A part of a topic's name that no other topic's name has (事業承継 of 「事業承継・事業引継ぎ」): enough to say which."""
    import re

    owners: dict[str, set[str]] = {}
    for i in intents:
        for part in re.split(r"[・（）()、]", i.label):
            if len(part) >= 2:
                owners.setdefault(part, set()).add(i.id)
    return {part: next(iter(ids)) for part, ids in owners.items() if len(ids) == 1}
