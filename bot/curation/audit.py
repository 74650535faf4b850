"""`madoguchi knowledge audit`: which rows of the list are most likely stale, for the curators to check first.

The list is old (source.toml dates it). Each row is scored by what makes it likely wrong today: users said its number
did not work (the 違う reasons of the records), a recorded change concerns it (changes.toml), it still names an old
legal form ((財)/(社): those bodies had to change form by 2013-11-30), it is a division of a regional bureau (their
divisions were reorganised since), it has no URL to check it against. Japanese for the curators, CSV for Excel too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Mapping

from bot.knowledge.model import ChangeKind, Contact, Knowledge, Reach

OLD_LEGAL_FORM = re.compile(r"\((財|社)\)|(?<![公一][益般])(財団法人|社団法人)")  # (公財)/(一社) are today's forms


@dataclass(frozen=True)
class Risk:
    key: str
    label: str
    weight: int


UNREACHABLE = Risk("unreachable", "利用者が「番号がつながらない」と報告", 10)  # per report: the strongest sign
CHANGED = Risk("changed", "その後の変更が記録されている（changes.toml）", 3)
OLD_FORM = Risk("old_legal_form", "旧い法人表記（(財)・(社)）のまま", 2)
BUREAU_DIVISION = Risk("bureau_division", "地方局の課・室（組織改編で名前が変わりやすい）", 2)
NO_URL = Risk("no_url", "URL がない（確かめる先がない）", 1)
RISKS = (UNREACHABLE, CHANGED, OLD_FORM, BUREAU_DIVISION, NO_URL)


@dataclass
class Row:
    contact: Contact
    risks: list[Risk] = field(default_factory=list)
    unreachable: int = 0

    @property
    def score(self) -> int:
        return sum(r.weight * (self.unreachable if r is UNREACHABLE else 1) for r in self.risks)


@dataclass
class Audit:
    rows: list[Row]  # every row with a risk, most at risk first
    total: int  # rows in the list
    by_risk: Counter  # risk key → rows
    by_table: dict[str, Counter]  # table id → risk key → rows


def audit(knowledge: Knowledge, unreachable: Mapping[str, int] | None = None) -> Audit:
    """Score every row. unreachable: contact id → times users reported its number did not work."""
    unreachable = unreachable or {}
    changed = _changed(knowledge)
    rows, by_risk, by_table = [], Counter(), {}
    for c in knowledge.contacts:
        row = Row(c, unreachable=unreachable.get(c.id, 0))
        if row.unreachable:
            row.risks.append(UNREACHABLE)
        if c.id in changed:
            row.risks.append(CHANGED)
        if OLD_LEGAL_FORM.search(f"{c.organization} {c.operator}"):
            row.risks.append(OLD_FORM)
        if c.serves.kind == Reach.AREA and (c.department or c.division):
            row.risks.append(BUREAU_DIVISION)
        if not c.url:
            row.risks.append(NO_URL)
        table = by_table.setdefault(c.category, Counter())
        table["rows"] += 1
        for r in row.risks:
            by_risk[r.key] += 1
            table[r.key] += 1
        if row.risks:
            rows.append(row)
    order = {c.id: i for i, c in enumerate(knowledge.contacts)}
    rows.sort(key=lambda r: (-r.score, order[r.contact.id]))
    return Audit(rows, len(knowledge.contacts), by_risk, by_table)


def _changed(knowledge: Knowledge) -> set[str]:
    """Ids of the rows a change of changes.toml concerns (by organization, table or id)."""
    out = set()
    for x in knowledge.changes:
        if x.kind == ChangeKind.NOT_LISTED:
            continue
        for c in knowledge.contacts:
            if (x.organization and x.organization in f"{c.organization} {c.name}") or c.category in x.categories \
                    or c.id in x.contacts:
                out.add(c.id)
    return out


def print_audit(result: Audit, knowledge: Knowledge, out: IO[str], top: int = 50) -> None:
    """In Japanese: how old the list is, the counts per risk and per table, then the rows most at risk."""
    w, source = out.write, knowledge.source
    when = f"{source.as_of}（推定）" if source.estimated else (source.as_of or "日付不明")
    w(f"窓口ナビ 知識の点検（{source.publisher}「{source.title}」 {when}、最後の確認 {source.reviewed or '—'}）\n")
    w(f"全 {result.total} 行のうち、確かめたほうがよい行 {len(result.rows)} 行\n")
    for r in RISKS:
        w(f"  {result.by_risk.get(r.key, 0):4d} 行  {r.label}\n")
    w("\n表ごと（行数 / " + " / ".join(r.label.split("（")[0] for r in RISKS) + "）\n")
    labels = {c.id: c.label for c in knowledge.categories}
    for table, counts in result.by_table.items():
        w(f"  {labels.get(table, table)}: {counts['rows']} / " + " / ".join(str(counts.get(r.key, 0)) for r in RISKS) + "\n")
    w(f"\n確かめる順（点数の高い順、上位 {min(top, len(result.rows))} 行。全部は --csv で）\n")
    for row in result.rows[:top]:
        c = row.contact
        phones = "、".join(p.number for p in c.phones) or "番号なし"
        reasons = "、".join(_reason(r, row) for r in row.risks)
        w(f"  {row.score:3d}点  {c.id}  {c.name}  {phones}\n        {reasons}\n")


def write_audit_csv(result: Audit, knowledge: Knowledge, out: IO[str]) -> None:
    """Every row at risk for a spreadsheet: UTF-8 with a BOM (Excel opens it as Japanese), formulas kept as text."""
    from bot.curation.report import SafeWriter

    labels = {c.id: c.label for c in knowledge.categories}
    out.write("\ufeff")
    writer = SafeWriter(out)
    writer.writerow(["点数", "id", "表", "窓口", "電話番号", "URL", "理由", "つながらない報告"])
    for row in result.rows:
        c = row.contact
        writer.writerow([row.score, c.id, labels.get(c.category, c.category), c.name,
                         " / ".join(p.number for p in c.phones), c.url, "、".join(_reason(r, row) for r in row.risks),
                         row.unreachable])


def _reason(risk: Risk, row: Row) -> str:
    return f"{risk.label} {row.unreachable} 回" if risk is UNREACHABLE else risk.label
