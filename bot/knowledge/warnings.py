"""Things worth a look that do not stop the bot (check-knowledge prints them as 注意): a keyword listed under two
intents, one phone number on two organizations, a row that is not from the source document."""

from __future__ import annotations

import re
from collections import defaultdict

from bot.knowledge.model import Contact, Intent, Origin
from bot.knowledge.reading import Problem, Reader, TomlLines

MAX_NAMED = 3  # organizations named in a note about one number; more are counted


def review(r: Reader, intents: list[Intent], contacts: list[Contact], source: list[str],
           legal_forms: tuple[str, ...] = ()) -> list[Problem]:
    return [*shared_keywords(r, intents), *shared_numbers(contacts, source, legal_forms), *unsourced_rows(contacts)]


def shared_keywords(r: Reader, intents: list[Intent]) -> list[Problem]:
    """A keyword under two intents: which one a question means depends on the order of the file. (A word that is a
    keyword of one intent and a weak keyword of another is deliberate: the first wins.)"""
    where = TomlLines((r.text("intents.toml") or "").splitlines(), "intent")
    first: dict[str, Intent] = {}
    out = []
    for i, intent in enumerate(intents):  # all loaded (notes are made only for valid knowledge): in the file's order
        for word in dict.fromkeys(intent.keywords):
            other = first.setdefault(word, intent)
            if other is not intent:
                at = Origin(intent.origin.path, where.value(i, f'"{word}"'))
                out.append(Problem(at, f"言葉「{word}」が相談「{other.id}」（{other.origin.line} 行目から）と「{intent.id}」の"
                                       f"両方にあります → どちらの相談の言葉か決めて、もう一方から消してください"))
    return out


def shared_numbers(contacts: list[Contact], source: list[str], legal_forms: tuple[str, ...] = ()) -> list[Problem]:
    """One phone number answered by two different organizations: a slip, or (as in the source) a shared line. A fund
    or a desk run by the organization that holds the number (its operator) is the same organization."""
    def body(c: Contact) -> str:
        name = c.operator or c.organization
        for form in legal_forms:
            name = name.replace(form, "")
        return re.sub(r"[\s()（）]", "", name)

    by_number: dict[str, list[Contact]] = defaultdict(list)
    for c in contacts:
        if not c.inherited_phones:
            for p in c.phones:
                by_number[p.number].append(c)
    out = []
    for number, holders in by_number.items():
        first: dict[str, Contact] = {}  # each organization once, by its first row (linear in the rows: 8,000 rows
        for c in holders:  # sharing a number once took 25 s)
            first.setdefault(body(c), c)
        if len(first) < 2:
            continue
        named = list(first.values())
        printed = all(c.source_line and any(number in ln for ln in source[c.source_line - 1:c.source_line + 1])
                      for c in holders)
        places = "と".join(f"「{c.organization}」（{c.origin}）" for c in named[:MAX_NAMED])
        if len(named) > MAX_NAMED:  # many: a few examples and the count
            places += f"など {len(named)} の組織（{len(holders)} 行）"
        why = ("原資料でも同じ番号が書かれています → 資料のとおりなら、このままでかまいません" if printed else
               "→ どちらかの打ち間違いでないか、資料と見比べてください")
        out.append(Problem(holders[0].origin, f"電話番号 {number} が{places}の{'両方' if len(named) == 2 else 'どれ'}に"
                                               f"{'' if len(named) == 2 else 'も'}あります。{why}"))
    return out


def unsourced_rows(contacts: list[Contact]) -> list[Problem]:
    """A row with no source line: answers say staff added it (not from the document)."""
    return [Problem(c.origin, f"窓口「{c.name}」には原資料の行（source_line）がありません。答えでは「担当者が追加した窓口」と"
                              f"示されます → 資料にある窓口なら、その行番号を書いてください")
            for c in contacts if c.source_line is None]

