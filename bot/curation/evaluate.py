"""`madoguchi eval FILE.jsonl`: run a question set (the format of the public evaluation set) and judge it.

An item: {"id", "turns": [...], "expect": [{"all": [...], "any": [...], "max_phones": n, "clarify": bool,
"fallback": bool}, ...], "tags": [...]}. A reply is judged by the phone numbers a user would read in it.
Items whose expectations are still empty (exported 違う cases the curator has not filled in) are listed, not scored.

An expectation may also name contacts by id, which survives a changed phone number: "contacts": [ids] must all be
shown, and every other office shown must serve the place asked about and come from the tables of the same topics
(those an intent leading to an expected office leads to); "kind"
(contacts, clarify, fallback, reverse …) is the kind of answer; "choices" (prefecture, area, intent) the kind of
choices a clarifying question offers, "prefectures" exactly which prefectures it offers; "language" (ja, en) the
language of the reply; "corrected" a word the reply must say it read as a slip; "missing" what the reply must say
the list lacks (out_of_scope, personal, place_unknown … : bot.core.domain.Gap). A turn may name an office's number
as {number:contact-id} (its first number in today's knowledge), so that a question typing a number survives a
corrected number too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import IO

from bot.core.answer import Answer
from bot.knowledge.model import Knowledge
from bot.runtime import Runtime

PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")
DEFAULT_MAX_PHONES = 6
CLARIFY_MAX_PHONES = 2


class EvalFileError(Exception):
    pass


def phones(text: str) -> set[str]:
    return set(PHONE.findall(unicodedata.normalize("NFKC", text or "")))


def judge(expect: dict, reply: str, hotline_numbers: set[str]) -> list[str]:
    """Why a reply misses its expectation ([] when it meets it)."""
    got = phones(reply)
    if not (reply or "").strip():
        return ["empty reply"]
    why = [f"missing {p}" for p in expect.get("all", []) if p not in got]
    if expect.get("any") and not set(expect["any"]) & got:
        why.append(f"none of {expect['any']}")
    limit = expect.get("max_phones", DEFAULT_MAX_PHONES)
    if expect.get("clarify"):
        limit = min(limit, CLARIFY_MAX_PHONES)
    if expect.get("fallback") and got - hotline_numbers:
        why.append(f"fallback expected, gave {sorted(got - hotline_numbers)[:4]}")
    if len(got) > limit:
        why.append(f"{len(got)} phones > {limit}")
    return why


def judge_answer(expect: dict, answer: Answer, knowledge: Knowledge) -> list[str]:
    """Why an answer misses the expectations on its facts: contacts by id, kind, choices ([] when it meets them)."""
    why = []
    if expect.get("kind") and answer.kind != expect["kind"]:
        why.append(f"kind {answer.kind}, expected {expect['kind']}")
    if expect.get("language") and answer.language != expect["language"]:
        why.append(f"answered in {answer.language}, expected {expect['language']}")
    if expect.get("prefectures"):  # the choices of a clarifying question are exactly these prefectures
        offered = sorted(c.target for c in answer.choices)
        if offered != sorted(expect["prefectures"]):
            why.append(f"offered {offered}, expected {sorted(expect['prefectures'])}")
    if expect.get("missing") and (answer.missing is None or answer.missing.gap != expect["missing"]):
        why.append(f"the reply does not say {expect['missing']} (it says {answer.missing.gap if answer.missing else 'nothing missing'})")
    if expect.get("corrected") and not any(typed == expect["corrected"] for typed, _ in answer.corrections):
        why.append(f"the reply does not say that 「{expect['corrected']}」 was read as a slip")
    if expect.get("choices"):
        kind = expect["choices"]
        if not answer.choices or not all(c.value.startswith(f"{kind}:") for c in answer.choices):
            why.append(f"expected a choice of {kind}, got {[c.value for c in answer.choices[:4]]}")
    wanted = expect.get("contacts") or []
    if wanted:
        shown = {c.id: c for c in answer.contacts}
        why.extend(f"missing {cid}" for cid in wanted if cid not in shown)
        tables = {shown[cid].category for cid in wanted if cid in shown}
        # the tables of the expected offices' topics: an intent that leads to one of them leads to all its tables
        tables |= {t.category for i in knowledge.intents if {t.category for t in i.targets} & tables for t in i.targets}
        place = answer.place.prefectures if not answer.nearby else ()
        for cid, c in shown.items():
            if cid in wanted:
                continue
            if tables and c.category not in tables:
                why.append(f"{cid} is from another table ({c.category})")
            if place and not set(place) & set(knowledge.prefectures_served(c)):
                why.append(f"{cid} does not serve {'・'.join(place)}")
    return why


def confidently_wrong(expect: dict, reply: str, answer: Answer, hotline_numbers: set[str]) -> bool:
    """A turn that expected offices (by number or id) got phone numbers, none of them expected (the hotline aside):
    a wrong office stated with confidence, worse than a clarifying question. (As the public scorer counts it.)"""
    given = phones(reply) - hotline_numbers
    if not given:
        return False
    wanted = set(expect.get("all") or []) | set(expect.get("any") or [])
    if wanted:
        return not wanted & given
    return bool(expect.get("contacts")) and not set(expect["contacts"]) & {c.id for c in answer.contacts}


def _is_empty(expect: dict) -> bool:
    return not any(expect.get(k) for k in ("all", "any", "clarify", "fallback", "contacts", "kind", "choices", "language",
                                           "prefectures", "corrected", "missing"))


@dataclass
class Result:
    passed: int
    scored: int
    failures: list[tuple[dict, int, list[str], str]]
    unfilled: list[dict]
    by_tag: dict[str, list[int]]
    wrong: int = 0  # items with a turn answered confidently wrong


def _tolerant(item) -> dict:
    """A curator's hand-written item: one string where a list belongs ("turns": "…", "all": "022-…", one expectation
    as an object) is read as a list of one."""
    if not isinstance(item, dict):
        return {}
    item = dict(item)
    if isinstance(item.get("turns"), str):
        item["turns"] = [item["turns"]]
    if isinstance(item.get("expect"), dict):
        item["expect"] = [item["expect"]]
    if isinstance(item.get("expect"), list):
        item["expect"] = [{k: [v] if k in ("all", "any", "contacts") and isinstance(v, str) else v for k, v in e.items()}
                          if isinstance(e, dict) else e for e in item["expect"]]
    if isinstance(item.get("tags"), str):
        item["tags"] = [item["tags"]]
    return item


def _padded(text: str, width: int) -> str:
    """Left-aligned in a column of `width` display cells (a Japanese character takes two)."""
    cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cells)


def load_items(path: str) -> list[dict]:
    items = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as e:
                raise EvalFileError(f"{path}:{n}: not JSON: {e.msg}") from None
            item = _tolerant(item)
            if not isinstance(item.get("turns"), list) or not isinstance(item.get("expect"), list) \
                    or len(item["turns"]) != len(item["expect"]):
                raise EvalFileError(f"{path}:{n}: needs 'turns' and 'expect' lists of the same length")
            items.append(item)
    return items


_NUMBER_OF = re.compile(r"\{number:([a-z0-9_-]+)\}")


def with_numbers(turn: str, knowledge) -> str:
    """{number:jetro-fukuoka} → that office's first phone number (left as written for an unknown id or no phone)."""
    def number(m: re.Match) -> str:
        contact = knowledge.contact_by_id.get(m.group(1))
        return contact.phones[0].number if contact and contact.phones else m.group(0)

    return _NUMBER_OF.sub(number, turn) if "{number:" in turn else turn


def evaluate(runtime: Runtime, items: list[dict]) -> Result:
    hotline = runtime.knowledge.hotline()
    hotline_numbers = {p.number for p in hotline.phones} if hotline else set()
    result = Result(0, 0, [], [], defaultdict(lambda: [0, 0]))
    for n, item in enumerate(items):
        if all(_is_empty(e) for e in item["expect"]):
            result.unfilled.append(item)
            continue
        conversation = f"eval:{n}:{item.get('id', '')}"
        failure, wrong = None, False
        for k, (turn, expect) in enumerate(zip(item["turns"], item["expect"], strict=True)):
            answered = runtime.ask("eval", conversation, with_numbers(turn, runtime.knowledge))
            reply = answered.text
            why = judge(expect, reply, hotline_numbers) + judge_answer(expect, answered.answer, answered.snapshot.knowledge)
            if why and failure is None:
                failure = (item, k, why, reply)
            wrong = wrong or confidently_wrong(expect, reply, answered.answer, hotline_numbers)
        result.scored += 1
        result.wrong += wrong
        ok = failure is None
        result.passed += ok
        if failure:
            result.failures.append(failure)
        for tag in item.get("tags") or ["-"]:
            result.by_tag[tag][0] += ok
            result.by_tag[tag][1] += 1
    return result


def print_result(result: Result, out: IO[str]) -> None:
    w = out.write
    for tag, (ok, n) in sorted(result.by_tag.items()):
        w(f"  {_padded(tag, 16)} {ok:4d}/{n:<4d} {100.0 * ok / n:5.1f}%\n")
    for item, k, why, reply in result.failures:
        w(f"FAIL {item.get('id', '?')} turn {k + 1}: {item['turns'][k]}  ({'; '.join(why)})\n")
        w("     " + reply.replace("\n", "\n     ") + "\n")
    for item in result.unfilled:
        w(f"TODO {item.get('id', '?')}: {item['turns'][0]}  (expect is empty: fill in the right answer)\n")
    if result.scored:
        w(f"confidently wrong {result.wrong}/{result.scored} = {100.0 * result.wrong / result.scored:.1f}%"
          "  (phone numbers given, none of them expected)\n")
    pct = 100.0 * result.passed / result.scored if result.scored else 0.0
    w(f"score {result.passed}/{result.scored} = {pct:.1f}%" + (f"; {len(result.unfilled)} waiting for the curator" if result.unfilled else "") + "\n")
