"""changes.toml: what changed after the source document — renamed bodies, functions that ended, successors, bodies
that exist now but are not in the list — each with its date and its official source, and the offices or topics it
concerns. Validated like every knowledge file: a change must name offices or topics that exist, a date, a source."""

from __future__ import annotations

import re

from bot.knowledge.model import Category, Change, ChangeKind, Contact, Intent, Origin
from bot.knowledge.reading import Reader, entries, quoted, strings, suggest

REL = "changes.toml"
_DATE = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
_URL = re.compile(r"^https?://\S+$")
_KINDS = "・".join(k.value for k in ChangeKind)


def load_changes(r: Reader, contacts: list[Contact], categories: list[Category], intents: list[Intent]) -> list[Change]:
    """changes.toml (optional). Each problem is `file:line: what is wrong → how to fix it`."""
    if not r.path(REL).is_file():
        return []
    contact_ids = {c.id for c in contacts}
    category_ids = {c.id for c in categories}
    intent_ids = {i.id for i in intents}
    out: list[Change] = []
    for i, entry, cid, where in entries(r, REL, "change", "変更"):
        line = where.entry(i)

        def text(key: str) -> str:
            value = entry.get(key, "")
            return str(value).strip() if isinstance(value, (str, int)) or hasattr(value, "isoformat") else ""

        kind = text("kind")
        if kind not in {k.value for k in ChangeKind}:
            r.problem(REL, where.value(i, "kind"), f"変更「{cid}」の kind「{kind}」 → {_KINDS} のどれかを書いてください")
            continue
        date = text("date")
        if not _DATE.match(date):
            r.problem(REL, where.value(i, "date"), f"変更「{cid}」の date「{date}」 → 2021-04 や 2021-03-31 のように書いてください")
            continue
        missing = [k for k in ("text", "source", "source_title", "source_url") if not text(k)]
        if missing:
            r.problem(REL, line, f"変更「{cid}」に {quoted(missing)} がありません → 回答に添える一文（text）と、公式の出典"
                                 f"（source: 発行元、source_title: 題名、source_url: URL）を書いてください")
            continue
        if not _URL.match(text("source_url")):
            r.problem(REL, where.value(i, "source_url"), f"変更「{cid}」の source_url → https:// か http:// で始まる URL を書いてください")
            continue
        lists = {key: strings(entry.get(key, [])) for key in ("categories", "contacts", "intents", "names")}
        bad_list = [key for key, value in lists.items() if value is None]
        if bad_list:
            r.problem(REL, where.value(i, bad_list[0]), f"変更「{cid}」の {bad_list[0]} → [\"…\", …] の形で書いてください")
            continue
        organization = text("organization")
        if not (organization or lists["categories"] or lists["contacts"] or lists["intents"]):
            r.problem(REL, line, f"変更「{cid}」がどの窓口のことか分かりません → organization（組織名）・categories（表の id）・"
                                 f"contacts（窓口の id）・intents（相談の id）のどれかを書いてください")
            continue
        if not _exists(r, cid, where.value(i, "organization"), organization, contacts, lists, where, i,
                       (contact_ids, category_ids, intent_ids)):
            continue
        if kind == ChangeKind.NOT_LISTED and not (lists["names"] and lists["intents"]):
            r.problem(REL, line, f"変更「{cid}」は一覧にない窓口です → names（その窓口を聞くときの名前）と、同じ相談で一覧が"
                                 f"案内できる intents（相談の id）を書いてください")
            continue
        out.append(Change(cid, ChangeKind(kind), date, text("text"), text("source"), text("source_title"),
                          text("source_url"), Origin(r.show(REL), line), text("text_en"), organization,
                          lists["categories"], lists["contacts"], lists["intents"], lists["names"], text("source_en")))
    return out


def _exists(r: Reader, cid: str, org_line: int, organization: str, contacts: list[Contact], lists: dict, where, i: int,
            known: tuple[set[str], set[str], set[str]]) -> bool:
    """Does everything the change names exist? Each unknown name is reported at its line."""
    ok = True
    if organization and not any(organization in c.organization or organization in c.name for c in contacts):
        r.problem(REL, org_line, f"変更「{cid}」の organization「{organization}」という窓口がどの表にもありません → 表の "
                                 f"organization 欄にある名前（またはその一部）を書いてください")
        ok = False
    for key, ids, what in (("contacts", known[0], "窓口の id"), ("categories", known[1], "表の id"),
                           ("intents", known[2], "相談の id")):
        for value in lists[key]:
            if ids and value not in ids:  # (no ids at all: that file could not be read, and says so itself)
                r.problem(REL, where.value(i, f'"{value}"'), f"変更「{cid}」の {key} にある「{value}」という{what}が"
                                                             f"ありません → 直してください{suggest(value, ids)}")
                ok = False
    return ok
