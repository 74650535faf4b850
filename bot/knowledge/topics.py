"""Topics and vocabulary: categories, intents, aliases of renamed bodies, conversation words, opening hours and what
divisions are in charge of."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date

from bot.knowledge.model import (LEVEL_OFFICE, Alias, Category, Contact, DivisionTopic, Hours, Intent, Origin, Reach,
                                 Source, Target, Vocabulary)
from bot.knowledge.reading import Reader, TomlLines, entries, quoted, strings, suggest


def load_categories(r: Reader) -> list[Category]:
    rel = "categories.toml"
    out: list[Category] = []
    for i, entry, cid, where in entries(r, rel, "category", "表"):
        line = where.entry(i)
        missing = [k for k in ("title", "label") if not isinstance(entry.get(k), str) or not entry.get(k)]
        if missing:
            r.problem(rel, line, f"表「{cid}」に {quoted(missing)} がありません → title（原資料の表題）と label（短い名前）を書いてください")
            continue
        out.append(Category(cid, entry["title"], entry["label"], entry.get("description", ""), entry.get("note", ""),
                            bool(entry.get("choice", False)), i, Origin(r.show(rel), line),
                                operator_label=entry.get("operator_label", "") or "運営", label_en=_text(entry, "label_en"),
                                label_in_place=_text(entry, "label_in_place")))
    return out


# Intent.level: the reach of a topic's own offices asked for, or only the office in charge
LEVELS = (Reach.CITY.value, Reach.PREFECTURE.value, Reach.AREA.value, Reach.NATIONWIDE.value, LEVEL_OFFICE)


def load_intents(r: Reader, categories: set[str]) -> list[Intent]:
    rel = "intents.toml"
    out: list[Intent] = []
    for i, entry, iid, where in entries(r, rel, "intent", "相談"):
        line = where.entry(i)
        keywords = strings(entry.get("keywords"))
        weak = strings(entry.get("weak_keywords"))
        if not keywords:
            r.problem(rel, where.value(i, "keywords"), f"相談「{iid}」に keywords がありません → keywords = [\"言葉\", …] の形で"
                                                       "1つ以上の言葉を書いてください")
            continue
        if weak is None:
            r.problem(rel, where.value(i, "weak_keywords"), f"相談「{iid}」の weak_keywords → [\"言葉\", …] の形で書いてください")
            weak = ()
        targets = []
        for t in entry.get("targets", []) or []:
            if isinstance(t, str):
                target = Target(t)
            elif isinstance(t, dict) and isinstance(t.get("category"), str):
                match = strings(t.get("match")) or ()
                target = Target(t["category"], match, where.value(i, f'category = "{t["category"]}"') if match else 0)
            else:
                r.problem(rel, where.value(i, "targets"), f"相談「{iid}」の targets の書き方 → 表の id（\"hikitsugi\" など）か "
                                                          "{ category = \"表の id\", match = [\"言葉\"] } で書いてください")
                continue
            if categories and target.category not in categories:  # (none: categories.toml could not be read, and says so)
                r.problem(rel, where.value(i, f'"{target.category}"'),
                          f"相談「{iid}」の targets にある表「{target.category}」は categories.toml にありません → 表の id を"
                          f"直してください{suggest(target.category, categories)}")
                continue
            targets.append(target)
        if not targets and "targets" not in entry:
            r.problem(rel, line, f"相談「{iid}」に targets がありません → 案内する表の id を targets = [\"…\"] と書いてください")
        level, level_words = _text(entry, "level"), strings(entry.get("level_words")) or ()
        if level and level not in LEVELS:
            r.problem(rel, where.value(i, "level"), f"相談「{iid}」の level「{level}」→ {'・'.join(LEVELS)} のどれかを書いてください")
            level = ""
        if level_words and not level:
            r.problem(rel, where.value(i, "level_words"), f"相談「{iid}」に level_words がありますが level がありません → "
                                                          f"level = \"prefecture\" のように段階を書いてください")
        money = entry.get("money", False)
        if not isinstance(money, bool):
            r.problem(rel, where.value(i, "money"), f"相談「{iid}」の money → true か false を書いてください（\"…\" で囲みません）")
            money = False
        out.append(Intent(iid, entry.get("label", iid), keywords, weak, tuple(targets),
                          strings(entry.get("examples")) or (), Origin(r.show(rel), line), _text(entry, "label_en"),
                          level, level_words, money))
    return out


def check_targets(r: Reader, intents: list[Intent], contacts: list[Contact]) -> None:
    """Every word of a target's `match` names at least one office of its table (a whole field of the name, or one of
    the names a field holds): a filter that matches nothing would send the topic nowhere."""
    rel = "intents.toml"
    for intent in intents:
        for target in intent.targets:
            table = [c for c in contacts if c.category == target.category]
            for word in target.match:
                if any(word in c.name_parts for c in table):
                    continue
                near = sorted({p for c in table for p in c.name_parts if word in p})[:3]
                hint = f"（近い名前: {'、'.join(near)}）" if near else ""
                r.problem(rel, target.line or intent.origin.line,
                          f"相談「{intent.id}」の match「{word}」に当たる窓口が表「{target.category}」にありません → 窓口の名前"
                          f"（組織・部・課のどれか、または「／」で区切られた名前の一つ）をそのまま書いてください{hint}")


def check_aliases(r: Reader, aliases: list[Alias], contacts: list[Contact]) -> None:
    """An entry that describes an organization or gives its English name must name one the tables have: words that
    describe nothing would be silently lost."""
    for a in aliases:
        if (a.described or a.name_en) and not any(a.official in c.organization for c in contacts):
            r.problem_at(a.origin, f"別名の official「{a.official}」という組織の窓口がどの表にもありません → 表の organization "
                                   f"欄にある名前（またはその一部）を書いてください")


def _text(entry: dict, key: str) -> str:
    value = entry.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def load_aliases(r: Reader) -> tuple[list[Alias], tuple[str, ...]]:
    rel = "aliases.toml"
    data, lines = r.toml(rel)
    where = TomlLines(lines, "alias")
    out = []
    for i, entry in enumerate(data.get("alias", [])):
        official = entry.get("official")
        also, described = strings(entry.get("also", [])), strings(entry.get("described", []))
        name_en = _text(entry, "name_en")
        if not isinstance(official, str) or not official or also is None or described is None \
                or not (also or described or name_en):
            r.problem(rel, where.entry(i), "別名の項目には official（正式な名前）と、also（別の呼び方の一覧）・described（説明の"
                                           "言葉）・name_en（英語名）のどれかが要ります → official = \"…\"、also = [\"…\"] のように"
                                           "書いてください")
            continue
        if "renamed_to" in entry or "renamed_in" in entry:  # the notes of renamed bodies moved to changes.toml
            r.problem(rel, where.value(i, "renamed_"), f"「{official}」の renamed_to・renamed_in は changes.toml に書くように"
                                                      f"なりました → changes.toml に kind = \"renamed\" の項目として、日付と"
                                                      f"公式の出典を添えて移し、ここからは消してください")
        out.append(Alias(official, also, Origin(r.show(rel), where.entry(i)), name_en,
                         tuple(tuple(d.split()) for d in described if d.split())))
    legal = strings(data.get("legal_forms"))
    if legal is None:
        r.problem(rel, 1, "legal_forms → [\"株式会社\", …] のように \"…\" で囲んだ言葉の一覧で書いてください")
        legal = ()
    return out, legal


def load_vocabulary(r: Reader) -> Vocabulary:
    rel = "conversation.toml"
    data, lines = r.toml(rel)
    values = {}
    for key in (f.name for f in fields(Vocabulary)):  # every group of words is a key of the file
        v = strings(data.get(key))
        if v is None:
            line = next((n + 1 for n, ln in enumerate(lines) if ln.startswith(key)), 1)
            r.problem(rel, line, f"{key} → [\"言葉\", …] のように \"…\" で囲んだ言葉の一覧で書いてください")
            v = ()
        values[key] = v
    return Vocabulary(**values)


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DAY_KINDS = ("weekdays",)


def load_hours(r: Reader, contact_ids: set[str]) -> list[Hours]:
    rel = "hours.toml"
    out = []
    for i, entry, where in r.table(rel, "hours", optional=True):
        line = where.entry(i)
        missing = [k for k in ("contact", "days", "open", "close", "text") if not isinstance(entry.get(k), str) or not entry.get(k)]
        if missing:
            r.problem(rel, line, f"受付時間の項目に {quoted(missing)} がありません → contact・days・open・close・text を書いてください")
            continue
        if entry["contact"] not in contact_ids:
            r.problem(rel, where.value(i, entry["contact"]), f"窓口の id「{entry['contact']}」がどの表にもありません → "
                                                             f"contacts/ の CSV の id 列にある名前を書いてください")
            continue
        if entry["days"] not in DAY_KINDS:
            r.problem(rel, where.value(i, "days"), f"days「{entry['days']}」→ {'・'.join(DAY_KINDS)} のどれかを書いてください")
            continue
        bad = [k for k in ("open", "close") if not _TIME.match(entry[k])]
        if bad or (not bad and entry["open"] >= entry["close"]):
            r.problem(rel, where.value(i, "open"), "open と close → 09:00 のような時刻で、open を close より前にしてください")
            continue
        text_en = entry.get("text_en")
        if text_en is not None and not isinstance(text_en, str):
            r.problem(rel, where.value(i, "text_en"), "text_en → \"weekdays 9:00–17:00\" のように \"…\" で囲んで書いてください")
            continue
        text_en = text_en or f"{entry['days']} {entry['open'].lstrip('0')}–{entry['close'].lstrip('0')}"  # weekdays 9:00–17:00
        out.append(Hours(entry["contact"], entry["days"], entry["open"], entry["close"], entry["text"],
                         Origin(r.show(rel), line), text_en))
    return out


def load_division_topics(r: Reader, contacts: list[Contact]) -> list[DivisionTopic]:
    rel = "division_topics.toml"
    names = [f"{c.department} {c.division}" for c in contacts]
    out = []
    for i, entry, where in r.table(rel, "topic", optional=True):
        name, words = entry.get("name"), strings(entry.get("words"))
        if not isinstance(name, str) or not name or not words:
            r.problem(rel, where.entry(i), "担当分野の項目には name（課・室の名前の一部）と words（それを指す言葉の一覧）が要ります"
                                           " → 両方を書いてください")
            continue
        if not any(name in n for n in names):
            r.problem(rel, where.value(i, name), f"「{name}」を名前に含む部・課・室がありません → contacts/ の CSV の division 列"
                                                 f"にある名前（の一部）を書いてください")
            continue
        out.append(DivisionTopic(name, words, Origin(r.show(rel), where.entry(i))))
    return out


def load_source(r: Reader) -> Source:
    """source.toml (optional): the source document's title, publisher, date, the last review, what it leaves out."""
    rel = "source.toml"
    data, lines = r.optional_toml(rel)
    values: dict = {}
    for key in ("title", "publisher", "as_of", "as_of_en", "reviewed"):
        value = data.get(key, "")
        if not isinstance(value, (str, date)):
            line = next((n + 1 for n, ln in enumerate(lines) if ln.startswith(key)), 1)
            r.problem(rel, line, f"{key} → \"…\" で囲んだ文字か、2026-12-05 のような日付で書いてください")
            value = ""
        values[key] = str(value)
    not_covered = strings(data.get("not_covered"))
    if not_covered is None:
        line = next((n + 1 for n, ln in enumerate(lines) if ln.startswith("not_covered")), 1)
        r.problem(rel, line, "not_covered → [\"…\", …] のように \"…\" で囲んだ文の一覧で書いてください")
        not_covered = ()
    reasons = strings(data.get("as_of_reasons", []))
    if reasons is None:
        line = next((n + 1 for n, ln in enumerate(lines) if ln.startswith("as_of_reasons")), 1)
        r.problem(rel, line, "as_of_reasons → [\"…\", …] のように \"…\" で囲んだ文の一覧で書いてください")
        reasons = ()
    estimated = data.get("estimated", False)
    if not isinstance(estimated, bool):
        line = next((n + 1 for n, ln in enumerate(lines) if ln.startswith("estimated")), 1)
        r.problem(rel, line, "estimated → true か false を書いてください（\"…\" で囲みません）")
        estimated = False
    if estimated and not reasons:
        line = next((n + 1 for n, ln in enumerate(lines) if ln.startswith("estimated")), 1)
        r.problem(rel, line, "estimated = true なのに、推定した理由がありません → その理由と出典を as_of_reasons に書いてください")
    return Source(**values, not_covered=not_covered, estimated=estimated, as_of_reasons=reasons)
