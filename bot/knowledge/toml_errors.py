"""A TOML mistake explained to staff: the entry it is in (「相談 succession」), the words near it, what is wrong in
Japanese, and a hint for the slips a Japanese IME makes (「、」 for `,`, 「”」 for `"`, a full-width space)."""

from __future__ import annotations

import re

_AT = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")

# tomllib's messages (Python 3.11–3.13) → what is wrong, in words staff know
_WHAT = (
    ("Unterminated string", "「\"」で始めた文字が閉じられていません"),
    ("Illegal character '\\n'", "「\"」で始めた文字が同じ行のうちに閉じられていません"),
    ("Unclosed array", "[ ] の閉じかっこがないか、値と値の間に半角の「,」がありません"),
    ("Expected ',' or ']' after a value in an array", "一覧（[ ] の中）の値と値の間に半角の「,」がありません"),
    ("Expected ']' at the end of", "[ ] の閉じかっこがありません"),
    ("Cannot overwrite a value", "同じ名前の項目が2回書かれています"),
    ("Cannot declare", "同じ見出しが2回書かれています"),
    ("Expected '=' after a key", "項目の名前の後に「=」がありません"),
    ("Invalid initial character for a key part", "項目の名前に使えない文字があります"),
    ("Invalid value", "値の書き方が正しくありません（文字は半角の \"…\" で囲みます）"),
    ("Illegal character", "使えない文字があります"),
    ("Expected newline or end of document", "1行に2つの項目が書かれています"),
    ("Invalid statement", "この行は読めません"),
)

# slips of a Japanese input method, and how to type them
_SLIPS = (
    ("、", "「、」（全角の読点）を半角の「,」に"),
    ("，", "「，」（全角のコンマ）を半角の「,」に"),
    ("”", "「”」（全角の引用符）を半角の「\"」に"),
    ("“", "「“」（全角の引用符）を半角の「\"」に"),
    ("＂", "「＂」（全角の引用符）を半角の「\"」に"),
    ("\u3000", "全角スペースを半角スペースに"),
    ("＝", "「＝」（全角）を半角の「=」に"),
    ("［", "「［」（全角）を半角の「[」に"),
    ("］", "「］」（全角）を半角の「]」に"),
)
_KINDS = {"intent": "相談", "category": "表", "alias": "別名", "region": "地方", "area": "管轄区域", "hours": "受付時間",
          "topic": "担当分野"}
_HEADER = re.compile(r"^\s*\[\[\s*([a-z_]+)\s*\]\]")
_ID = re.compile(r"^\s*(?:id|name|official|contact)\s*=\s*\"([^\"]*)\"")


def explain(message: str, lines: list[str]) -> tuple[int, str]:
    """(line, message) for a tomllib error message about a file of these lines."""
    line, column = _position(message, lines)
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    what = next((ja for en, ja in _WHAT if en in message), "書き方に誤りがあります")
    entry, near = _entry_at(lines, line), _near(text, column)
    where = (f"{entry} の" if entry else "") + (f"「{near}」のあたり" if near else "")
    slips = [hint for ch, hint in _SLIPS if ch in _outside_quotes(text) or (ch in "”“＂" and ch in text)]
    if slips:
        fix = "／".join(slips) + "直してください"
    elif "string" in message or "'\\n'" in message:
        fix = "文字の終わりに半角の「\"」を足してください"
    elif "overwrite" in message or "declare" in message:
        fix = "どちらか一方にまとめてください"
    else:
        fix = "この行を同じファイルのほかの行と見比べて、記号（\" , [ ] =）を半角で書き直してください"
    return line, f"{where}で、TOML の{what} → {fix}" if where else f"TOML の{what} → {fix}"


def _position(message: str, lines: list[str]) -> tuple[int, int]:
    m = _AT.search(message)
    if m and m.group(1):
        return int(m.group(1)), int(m.group(2))
    return max(len(lines), 1), 0


def _entry_at(lines: list[str], line: int) -> str:
    """「相談 succession」: the [[table]] entry a line belongs to, by its kind and its id or name."""
    for n in range(min(line, len(lines)) - 1, -1, -1):
        m = _HEADER.match(lines[n])
        if m:
            name = next((i.group(1) for i in map(_ID.match, lines[n + 1:line]) if i), "")
            kind = _KINDS.get(m.group(1), m.group(1))
            return f"{kind} {name}" if name else f"[[{m.group(1)}]] の項目"
    return ""


def _near(text: str, column: int) -> str:
    """About ten characters of the line around the column (the whole line when it is short)."""
    text = text.strip("\n")
    if len(text.strip()) <= 24:
        return text.strip()
    at = max(column - 1, 0)
    return text[max(at - 8, 0): at + 8].strip()


def _outside_quotes(text: str) -> str:
    return re.sub(r'"[^"]*"', "", text)
