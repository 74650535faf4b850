"""Reading the knowledge files: TOML and CSV as written, every problem collected as `path:line: message`, and the
lines of TOML entries (the helpers every file family's loader uses)."""

from __future__ import annotations

import csv
import io
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from bot.knowledge.model import Origin
from bot.knowledge.toml_errors import explain

LIST_SEPARATOR = "|"
ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MAX_VALUE = 1_000  # characters in one cell or one TOML string (today's longest: 88); the tokenizer refuses ~49 kB


@dataclass(frozen=True)
class Problem:
    origin: Origin
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge folder has problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Reader:
    """Collects problems while reading; paths are shown relative to how the root was given."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []  # worth a look, but the knowledge loads (a Shift_JIS file, say)
        self._texts: dict[str, str | None] = {}

    def path(self, rel: str) -> Path:
        return self.root / rel

    def show(self, rel: str) -> str:
        return os.path.join(str(self.root), rel)

    def problem(self, rel: str, line: int, message: str) -> None:
        self.problems.append(Problem(Origin(self.show(rel), line), message))

    def problem_at(self, origin: Origin, message: str) -> None:
        self.problems.append(Problem(origin, message))

    # -- text as staff save it --------------------------------------------------
    def text(self, rel: str) -> str | None:
        """The file's text: UTF-8 with or without BOM, CRLF or LF; Shift_JIS (Japanese Excel's 「CSV (コンマ区切り)」) is
        read too, with a note. UTF-16 or undecodable bytes: a problem saying how to save it again; None.
        Each file is read once: asking again gives the same text and no second problem."""
        if rel not in self._texts:
            self._texts[rel] = self._decode(rel)
        return self._texts[rel]

    def _decode(self, rel: str) -> str | None:
        try:
            data = self.path(rel).read_bytes()
        except OSError as e:
            self.problem(rel, 0, f"ファイルを開けません（{e.strerror or e}） → ファイルの権限と場所を確かめてください")
            return None
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            self.problem(rel, 1, "UTF-16（Unicode テキスト）で保存されています → Excel では「CSV UTF-8（コンマ区切り）」、"
                                 "メモ帳では文字コード「UTF-8」で保存し直してください")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as utf8_error:
            try:
                text = data.decode("cp932")
            except UnicodeDecodeError:
                line = data[: utf8_error.start].count(b"\n") + 1
                self.problem(rel, line, "文字コードが読み取れません（UTF-8 でも Shift_JIS でもありません） → Excel では"
                                        "「CSV UTF-8（コンマ区切り）」、メモ帳では「UTF-8」で保存し直してください")
                return None
            self.notes.append(Problem(Origin(self.show(rel), 1), "Shift_JIS で保存されています（読み込みました）。次からは "
                                      "Excel の「CSV UTF-8（コンマ区切り）」で保存してください"))
        return text.replace("\r\n", "\n").replace("\r", "\n")

    # -- TOML -----------------------------------------------------------------
    def toml(self, rel: str) -> tuple[dict[str, Any], list[str]]:
        path = self.path(rel)
        if not path.is_file():
            self.problem(rel, 0, MISSING_FILE)
            return {}, []
        text = self.text(rel)
        if text is None:
            return {}, []
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            lines = text.splitlines()
            self.problem(rel, *explain(str(e), lines))
            return {}, lines
        lines = text.splitlines()
        for value in _strings_in(data):
            if len(value) > MAX_VALUE:
                line = next((n + 1 for n, ln in enumerate(lines) if value[:30] in ln), 1)
                self.problem(rel, line, too_long(len(value)))
                return {}, lines
        return data, lines

    def table(self, rel: str, table: str, optional: bool = False) -> Iterator[tuple[int, dict[str, Any], "TomlLines"]]:
        """The entries of a TOML array of tables ([[table]]), each with its index and the lines to report at."""
        data, lines = self.optional_toml(rel) if optional else self.toml(rel)
        where = TomlLines(lines, table)
        for i, entry in enumerate(data.get(table, [])):
            yield i, entry, where

    def optional_toml(self, rel: str) -> tuple[dict[str, Any], list[str]]:
        """Like toml(), for a file that may be left out (then it holds nothing)."""
        return self.toml(rel) if self.path(rel).is_file() else ({}, [])

    # -- CSV ------------------------------------------------------------------
    def csv(self, rel: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
        path = self.path(rel)
        if not path.is_file():
            self.problem(rel, 0, MISSING_FILE)
            return []
        text = self.text(rel)
        if text is None:
            return []
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except StopIteration:
            self.problem(rel, 1, f"ファイルが空です → 1行目に見出し {','.join(columns)} を書いてください")
            return []
        header = [h.strip().lstrip("\ufeff") for h in header]
        missing = [c for c in columns if c not in header]
        unknown = [h for h in header if h not in columns]
        if missing:
            self.problem(rel, 1, f"見出しに列{quoted(missing)}がありません → 1行目を {','.join(columns)} にしてください")
        if unknown:
            self.problem(rel, 1, f"知らない列{quoted(unknown)}があります → 列の名前を直してください"
                                 f"（使える列: {','.join(columns)}）")
        if missing:
            return []
        rows = []
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                self.problem(rel, line, f"値の数が見出しと合いません（見出しは {len(header)} 列、この行は {len(cells)} 列） → 値の中に"
                                        f"「,」があるときは値全体を \"…\" で囲み、足りない列は空のまま「,」を置いてください")
                continue
            long = next((h for h, c in zip(header, cells, strict=True) if len(c) > MAX_VALUE), None)
            if long is not None:
                self.problem(rel, line, f"列「{long}」の" + too_long(len(cells[header.index(long)])))
                continue
            rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
        return rows


def too_long(length: int) -> str:
    return f"値が長すぎます（{length:,} 文字） → {MAX_VALUE:,} 文字以内にしてください（貼り付けの間違いがないか確かめてください）"


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings_in(v)


MISSING_FILE = "ファイルがありません → 消したり名前を変えたりしていないか確かめ、元の名前で置いてください"
ID_RULE = "英小文字・数字・「-」「_」で書いてください（例: jetro-sendai）"


def quoted(items) -> str:
    return "".join(f"「{i}」" for i in items)


HIRAGANA = re.compile(r"^[ぁ-ゖー]+$")  # a kana cell of the reference tables


def unknown_prefecture(written: str, pref_names) -> str:
    """The problem of a prefecture the reference tables do not know, with the name it is closest to."""
    return f"都道府県「{written}」が分かりません → reference/prefectures.csv にある名前で書いてください{suggest(written, pref_names)}"


def suggest(word: str, known) -> str:
    """「（「宮城県」のまちがいですか？）」 when a known name is close to what was written."""
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f"（「{close[0]}」のまちがいですか？）" if close else ""


class TomlLines:
    """Find the line of an entry of an array of tables, and of a value inside it."""

    def __init__(self, lines: list[str], table: str):
        self.lines = lines
        header = f"[[{table}]]"
        self.starts = [i for i, ln in enumerate(lines) if ln.strip() == header]

    def entry(self, index: int) -> int:
        return self.starts[index] + 1 if index < len(self.starts) else 1

    def value(self, index: int, needle: str) -> int:
        start = self.starts[index] if index < len(self.starts) else 0
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.lines)
        for i in range(start, end):
            if needle in self.lines[i]:
                return i + 1
        return start + 1


def strings(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    return None


def list_cell(cell: str) -> tuple[str, ...]:
    """A CSV cell holding a list: 博多|天神 → ('博多', '天神')."""
    return tuple(a.strip() for a in cell.split(LIST_SEPARATOR) if a.strip())


def entries(r: Reader, rel: str, table: str, what: str) -> Iterator[tuple[int, dict[str, Any], str, TomlLines]]:
    """The entries of a TOML array of tables with a valid, new id: (index, entry, id, lines). A bad or repeated id
    is reported and the entry skipped — the shape every [[table]] file of ids is read in."""
    seen: dict[str, int] = {}
    for i, entry, where in r.table(rel, table):
        eid = entry.get("id")
        if not isinstance(eid, str) or not ID.match(eid):
            shown = f"「{eid}」" if isinstance(eid, str) else "がなく"
            r.problem(rel, where.entry(i), f"{what}の id {shown} → id は{ID_RULE}")
            continue
        if eid in seen:
            r.problem(rel, where.value(i, f'"{eid}"'), f"{what}の id「{eid}」が2回使われています（1回目は {seen[eid]} 行目） → "
                                                        f"新しく足した方（この行）の id を別の名前にしてください")
            continue
        seen[eid] = where.value(i, f'"{eid}"')
        yield i, entry, eid, where
