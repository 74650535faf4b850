"""Phone numbers: parse the knowledge column, find numbers in what users type."""

from __future__ import annotations

import re
import unicodedata

from bot.knowledge.model import Phone

ENTRY_SEPARATOR = " / "
_ENTRY = re.compile(
    r"^(?:(?P<label>\S.*?)\s+)?(?P<number>0\d{1,4}-\d{1,4}-\d{3,4})(?:\((?P<mark>代|直)\))?$"
)
_MARKS = {"代": "代表", "直": "直通"}

# A number in a question: 022-722-3858, 022 722 3858, (022)722-3858, 0227223858 …
_DASHES = "-‐‑‒–—―−ーｰ－"
_DASH_TABLE = {ord(c): "-" for c in _DASHES}
_ANY_DIGIT = re.compile(r"[0-9０-９]")
_IN_TEXT = re.compile(
    r"(?<!\d)(0\d{1,4})[\s\-(（)）.]{0,3}(\d{1,4})[\s\-(（)）.]{0,3}(\d{3,4})(?!\d)|(?<!\d)(0\d{9,10})(?!\d)"
)
# +81-22-722-3858 is 022-722-3858: the country code becomes the trunk 0
_COUNTRY_CODE = re.compile(r"\+81[\s\-]?(?=[1-9])")


class PhoneFormatError(ValueError):
    """A phone cell that does not follow the documented format."""


_WIDE = {**{ord(w): str(n) for n, w in enumerate("０１２３４５６７８９")}, ord("（"): "(", ord("）"): ")",
         ord("／"): "/", ord("\u3000"): " "}
_DASH_BETWEEN_DIGITS = re.compile(f"(?<=\\d)[{_DASHES}](?=\\d)")
_BARE_DIGITS = re.compile(r"(?<![\d-])0\d{9,10}(?![\d-])")
_LOST_ZERO = re.compile(r"^[1-9]\d{8,9}$")  # what Excel makes of 0742-22-0000 typed into a number cell: 742220000


def typed_as_printed(cell: str) -> str:
    """A phone cell as staff may type it, in the printed form: full-width digits, brackets and spaces become
    half-width, and any dash between digits (－ ー ‐ −) a hyphen (labels are left as written)."""
    return _DASH_BETWEEN_DIGITS.sub("-", cell.translate(_WIDE))


def parse_phones(cell: str) -> tuple[Phone, ...]:
    """Parse a knowledge `phone` cell such as `本社 075-257-6656 / 青森事務所 017-731-3040`."""
    cell = typed_as_printed(cell).strip()
    if not cell:
        return ()
    phones = []
    for entry in cell.split(ENTRY_SEPARATOR.strip()):
        entry = entry.strip()
        m = _ENTRY.match(entry)
        if not m and _LOST_ZERO.match(entry):
            raise PhoneFormatError(f"電話番号「{entry}」は、Excel が先頭の 0 を消して数字にしたもののようです（もとは 0{entry}）"
                                   f" → セルの書式を「文字列」にしてから、資料のとおり 0 から始めて「-」で区切って入れ直して"
                                   f"ください（例: 022-722-3858）")
        if not m and _BARE_DIGITS.search(entry):
            raise PhoneFormatError(f"電話番号「{entry}」にハイフンがありません → 資料のとおり市外局番・局番・番号を「-」で"
                                   f"区切って書いてください（例: 022-225-6636、0120-154-505）")
        if not m:
            raise PhoneFormatError(f"電話番号「{entry}」の書き方が読めません → 022-722-3858、011-709-2311(代)、"
                                   f"「事業資金相談ダイヤル 0120-154-505」のように書き、2つ以上は「 / 」で区切ってください")
        digits = m.group("number").replace("-", "")
        if len(digits) not in (10, 11):
            raise PhoneFormatError(f"電話番号「{entry}」の数字が {len(digits)} けたです → 日本の電話番号は 10 けたか 11 けた"
                                   f"（例: 022-722-3858、0120-154-505）です。資料と見比べてください")
        phones.append(Phone(number=m.group("number"), label=m.group("label") or "", kind=_MARKS.get(m.group("mark") or "", "")))
    return tuple(phones)


def numbers_in_text(text: str) -> list[str]:
    """Digits of every phone-number-like string in user text (any width, any dash)."""
    if not _ANY_DIGIT.search(text):
        return []
    text = _domestic(unicodedata.normalize("NFKC", text)).translate(_DASH_TABLE)
    found = []
    for m in _IN_TEXT.finditer(text):
        digits = m.group(4) or (m.group(1) + m.group(2) + m.group(3))
        if 10 <= len(digits) <= 11:
            found.append(digits)
    return found


# A postal code: 〒980-0011, 郵便番号 9800011, 980-0011, ９８０００１１ — seven digits, never part of a phone number (those
# are taken first) nor of a longer run of digits, nor an amount or a count (1000000円)
_POSTAL = re.compile(r"(?<![\d-])(\d{3})-?(\d{4})(?![\d-]|\s*[円万千百億人件個名社年月日時分歳%])")


def postal_codes_in_text(text: str) -> list[str]:
    """The seven digits of every postal code in user text (any width, any dash), phone numbers left out."""
    if not _ANY_DIGIT.search(text):
        return []
    plain = _domestic(unicodedata.normalize("NFKC", text)).translate(_DASH_TABLE)
    for m in _IN_TEXT.finditer(plain):  # a phone number (10 or 11 digits) is read as one first
        digits = m.group(4) or (m.group(1) + m.group(2) + m.group(3))
        if 10 <= len(digits) <= 11:
            plain = plain[:m.start()] + " " * (m.end() - m.start()) + plain[m.end():]
    return list(dict.fromkeys(m.group(1) + m.group(2) for m in _POSTAL.finditer(plain)))


def without_phones(text: str) -> str:
    """NFKC-normalised text with every phone number replaced by a full stop (so it is no part of any word)."""
    out, last = [], 0
    text = _domestic(text)
    for m in _IN_TEXT.finditer(text.translate(_DASH_TABLE)):  # the same length: spans fit the text
        out.append(text[last:m.start()])
        out.append("。")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def numbers_as_typed(text: str) -> dict[str, str]:
    """Digits → the number as the user wrote it (dashes unified), for every phone number in NFKC-normalised text."""
    out: dict[str, str] = {}
    for m in _IN_TEXT.finditer(_domestic(text).translate(_DASH_TABLE)):
        out.setdefault(m.group(4) or (m.group(1) + m.group(2) + m.group(3)), m.group(0).strip())
    return out


def _domestic(text: str) -> str:
    return _COUNTRY_CODE.sub("0", text) if "+81" in text else text
