"""Every place in Japan and the characters people write them with: municipalities, postal codes and variant kanji
(knowledge/reference/, generated from Japan Post's data and kyujipy by tools/reference_data.py; staff may correct a
row like any other). Each file is optional: a knowledge folder of an earlier version has none, and the bot then knows
the places of cities.csv alone."""

from __future__ import annotations

import re
from types import MappingProxyType

from bot.knowledge.model import Municipality, Origin, PostalCodes
from bot.knowledge.reading import HIRAGANA, Reader, unknown_prefecture

MUNICIPALITY_COLUMNS = ("code", "name", "kana", "prefecture", "district", "city", "kind")
POSTAL_COLUMNS = ("first", "last", "code", "municipality")
VARIANT_COLUMNS = ("old", "new", "source")
KINDS = ("市", "町", "村", "区", "特別区")
_CODE = re.compile(r"^\d{5}$")
_POSTAL = re.compile(r"^\d{7}$")


def load_municipalities(r: Reader, pref_names: dict[str, str]) -> list[Municipality]:
    rel = "reference/municipalities.csv"
    if not r.path(rel).is_file():
        return []
    out: list[Municipality] = []
    seen: dict[str, int] = {}
    for line, row in r.csv(rel, MUNICIPALITY_COLUMNS):
        code, name, kana = row["code"], row["name"], row["kana"]
        if not _CODE.match(code):
            r.problem(rel, line, f"code「{code}」→ 全国地方公共団体コードの5けたの数字で書いてください（例: 01459）")
            continue
        if code in seen:
            r.problem(rel, line, f"code「{code}」が2回あります（1回目は {seen[code]} 行目） → どちらかの行を消してください")
            continue
        prefecture = pref_names.get(row["prefecture"])
        if prefecture is None:
            r.problem(rel, line, unknown_prefecture(row["prefecture"], pref_names))
            continue
        if row["kind"] not in KINDS or not name.endswith(row["kind"][-1]) or len(name) < 2:
            r.problem(rel, line, f"kind「{row['kind']}」と name「{name}」が合いません → kind は {'・'.join(KINDS)} のどれかで、"
                                 f"name はその字で終わる名前です")
            continue
        if not HIRAGANA.match(kana):
            r.problem(rel, line, f"kana「{kana}」→ ひらがなで書いてください")
            continue
        seen[code] = line
        out.append(Municipality(code, name, kana, prefecture, row["district"], row["city"], row["kind"],
                                Origin(r.show(rel), line)))
    return out


def load_postal_codes(r: Reader, municipalities: list[Municipality]) -> PostalCodes:
    rel = "reference/postal_codes.csv"
    if not r.path(rel).is_file():
        return PostalCodes()
    known = {m.code for m in municipalities}
    ranges: list[tuple[int, int, str]] = []
    for line, row in r.csv(rel, POSTAL_COLUMNS):
        first, last, code = row["first"], row["last"], row["code"]
        if not (_POSTAL.match(first) and _POSTAL.match(last)) or first > last:
            r.problem(rel, line, f"郵便番号の範囲「{first}〜{last}」→ 7けたの数字で、first を last 以下にしてください")
            continue
        if code not in known:
            r.problem(rel, line, f"市町村コード「{code}」が reference/municipalities.csv にありません → その code を書いてください")
            continue
        if ranges and int(first) <= ranges[-1][1]:
            r.problem(rel, line, f"範囲「{first}〜{last}」が前の行と重なるか、順番が前後しています → 郵便番号の順に、重ならない"
                                 f"ように並べてください")
            continue
        ranges.append((int(first), int(last), code))
    return PostalCodes(tuple(a for a, _, _ in ranges), tuple(b for _, b, _ in ranges), tuple(c for _, _, c in ranges))


def load_variant_characters(r: Reader) -> MappingProxyType:
    """old form → today's form; one character each, and today's form never itself an old form (no chains)."""
    rel = "reference/variant_characters.csv"
    if not r.path(rel).is_file():
        return MappingProxyType({})
    out: dict[str, str] = {}
    for line, row in r.csv(rel, VARIANT_COLUMNS):
        old, new = row["old"], row["new"]
        if len(old) != 1 or len(new) != 1 or old == new:
            r.problem(rel, line, f"「{old}」→「{new}」→ old と new に違う漢字を1字ずつ書いてください（例: 濱,浜）")
            continue
        if old in out:
            r.problem(rel, line, f"「{old}」が2回あります → どちらかの行を消してください")
            continue
        out[old] = new
    for old, new in out.items():
        if new in out:
            r.problem(rel, 1, f"「{old}」→「{new}」の「{new}」がさらに「{out[new]}」に書き換えられます → new には今の字体を"
                              f"書いてください")
    return MappingProxyType(out)
