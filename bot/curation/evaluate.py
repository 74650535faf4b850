"""`madoguchi eval FILE.jsonl`: run a question set (the format of the public evaluation set) and judge it.

An item: {"id", "turns": [...], "expect": [{"all": [...], "any": [...], "max_phones": n, "clarify": bool,
"fallback": bool}, ...], "tags": [...]}. A reply is judged by the phone numbers a user would read in it.
Items whose expectations are still empty (exported 違う cases the curator has not filled in) are listed, not scored.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import IO

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


def _is_empty(expect: dict) -> bool:
    return not any(expect.get(k) for k in ("all", "any", "clarify", "fallback"))


@dataclass
class Result:
    passed: int
    scored: int
    failures: list[tuple[dict, int, list[str], str]]
    unfilled: list[dict]
    by_tag: dict[str, list[int]]


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
            if not isinstance(item.get("turns"), list) or not isinstance(item.get("expect"), list) \
                    or len(item["turns"]) != len(item["expect"]):
                raise EvalFileError(f"{path}:{n}: needs 'turns' and 'expect' lists of the same length")
            items.append(item)
    return items


def evaluate(runtime: Runtime, items: list[dict]) -> Result:
    hotline = runtime.knowledge.hotline()
    hotline_numbers = {p.number for p in hotline.phones} if hotline else set()
    result = Result(0, 0, [], [], defaultdict(lambda: [0, 0]))
    for n, item in enumerate(items):
        if all(_is_empty(e) for e in item["expect"]):
            result.unfilled.append(item)
            continue
        conversation = f"eval:{n}:{item.get('id', '')}"
        failure = None
        for k, (turn, expect) in enumerate(zip(item["turns"], item["expect"], strict=True)):
            reply = runtime.ask("eval", conversation, turn).text
            why = judge(expect, reply, hotline_numbers)
            if why and failure is None:
                failure = (item, k, why, reply)
        result.scored += 1
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
        w(f"  {tag:16s} {ok:4d}/{n:<4d} {100.0 * ok / n:5.1f}%\n")
    for item, k, why, reply in result.failures:
        w(f"FAIL {item.get('id', '?')} turn {k + 1}: {item['turns'][k]}  ({'; '.join(why)})\n")
        w("     " + reply.replace("\n", "\n     ") + "\n")
    for item in result.unfilled:
        w(f"TODO {item.get('id', '?')}: {item['turns'][0]}  (expect is empty: fill in the right answer)\n")
    pct = 100.0 * result.passed / result.scored if result.scored else 0.0
    w(f"score {result.passed}/{result.scored} = {pct:.1f}%" + (f"; {len(result.unfilled)} waiting for the curator" if result.unfilled else "") + "\n")
