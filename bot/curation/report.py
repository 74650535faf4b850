"""`madoguchi report`: what the bot failed at, what users said, and what it was asked about."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import IO

_SINCE = re.compile(r"^(\d+)([dhw])$")


class ReportError(Exception):
    pass


def parse_since(text: str | None, now: datetime | None = None) -> datetime | None:
    """'7d', '24h', '2w' or a date '2026-11-01' → a UTC datetime; None or 'all' → no limit."""
    if not text or text == "all":
        return None
    now = now or datetime.now(timezone.utc)
    m = _SINCE.match(text.strip())
    if m:
        n, unit = int(m.group(1)), m.group(2)
        return now - {"d": timedelta(days=n), "h": timedelta(hours=n), "w": timedelta(weeks=n)}[unit]
    try:
        day = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(f"--since must look like 7d, 24h, 2w or 2026-11-01 (got {text!r})") from None
    return day if day.tzinfo else day.replace(tzinfo=timezone(timedelta(hours=9)))  # a bare date is Japan time


@dataclass
class Report:
    since: datetime | None
    answers: int = 0
    users: int = 0
    by_kind: Counter = field(default_factory=Counter)
    unanswered: list[tuple[str, str, int, str]] = field(default_factory=list)  # question, kind, count, last reply
    helpful: int = 0
    not_helpful: int = 0
    complaints: list[tuple[str, str, str]] = field(default_factory=list)  # at, question, reply
    by_category: Counter = field(default_factory=Counter)
    by_prefecture: Counter = field(default_factory=Counter)


def _key(question: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", question).lower().split())


def _connect(path: str) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db.execute("SELECT 1 FROM answers LIMIT 1")
        return db
    except sqlite3.Error:
        raise ReportError(f"{path}: no records yet (the bot writes them there while it answers)") from None


def build_report(path: str, since: datetime | None, top: int = 20) -> Report:
    db = _connect(path)
    after = since.astimezone(timezone.utc).isoformat(timespec="seconds") if since else ""
    report = Report(since)
    rows = db.execute("SELECT kind, category, prefecture, question, reply, user_hash FROM answers WHERE at >= ? ORDER BY at",
                      (after,)).fetchall()
    report.answers = len(rows)
    report.users = len({r[5] for r in rows if r[5]})
    groups: dict[tuple[str, str], list] = {}
    for kind, category, prefecture, question, reply, _ in rows:
        report.by_kind[kind] += 1
        if category:
            report.by_category[category] += 1
        if prefecture:
            report.by_prefecture[prefecture] += 1
        if question is not None:
            group = groups.setdefault((_key(question), kind), [question, kind, 0, ""])
            group[2] += 1
            group[3] = reply or ""
    report.unanswered = sorted((tuple(g) for g in groups.values()), key=lambda g: (-g[2], g[0]))[:top]
    for at, helpful, question, reply in db.execute(
            "SELECT at, helpful, question, reply FROM feedback WHERE at >= ? ORDER BY at DESC", (after,)):
        if helpful:
            report.helpful += 1
        else:
            report.not_helpful += 1
            if len(report.complaints) < top:
                report.complaints.append((at, question, reply))
    db.close()
    return report


def print_report(report: Report, out: IO[str]) -> None:
    w = out.write
    period = f"{report.since:%Y-%m-%d %H:%M} 以降" if report.since else "全期間"
    w(f"窓口ナビ レポート（{period}）\n")
    w(f"回答数 {report.answers}（利用者 {report.users} 人）: " + "、".join(f"{k} {n}" for k, n in report.by_kind.most_common()) + "\n\n")
    w("答えられなかった質問（分かりませんでした・聞き返し）の多い順\n")
    for question, kind, count, reply in report.unanswered or []:
        w(f"  {count:4d}  [{kind}] {question}\n        → {reply.splitlines()[0] if reply else ''}\n")
    if not report.unanswered:
        w("  なし\n")
    w(f"\nフィードバック: 役に立った {report.helpful} / 違う {report.not_helpful}\n")
    for at, question, reply in report.complaints:
        w(f"  {at}  {question}\n        → {reply}\n")
    w("\n種類別の回答数\n")
    for category, n in report.by_category.most_common():
        w(f"  {n:4d}  {category}\n")
    w("\n都道府県別の回答数\n")
    for prefecture, n in report.by_prefecture.most_common():
        w(f"  {n:4d}  {prefecture}\n")


def write_csv(report: Report, out: IO[str]) -> None:
    """One table for a spreadsheet: section, item, count, detail."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "item", "count", "detail"])
    for kind, n in report.by_kind.most_common():
        writer.writerow(["kind", kind, n, ""])
    for question, kind, count, reply in report.unanswered:
        writer.writerow(["unanswered", question, count, f"{kind}: {reply.splitlines()[0] if reply else ''}"])
    writer.writerow(["feedback", "役に立った", report.helpful, ""])
    writer.writerow(["feedback", "違う", report.not_helpful, ""])
    for at, question, reply in report.complaints:
        writer.writerow(["違う", question, 1, f"{at} {reply}"])
    for category, n in report.by_category.most_common():
        writer.writerow(["category", category, n, ""])
    for prefecture, n in report.by_prefecture.most_common():
        writer.writerow(["prefecture", prefecture, n, ""])


def export_eval(path: str, since: datetime | None, out: IO[str]) -> int:
    """Write every 違う as an evaluation item whose expectation the curator fills in (expect[0].all)."""
    db = _connect(path)
    after = since.astimezone(timezone.utc).isoformat(timespec="seconds") if since else ""
    rows = db.execute("SELECT id, at, question, reply FROM feedback WHERE helpful = 0 AND at >= ? ORDER BY id", (after,)).fetchall()
    db.close()
    for row_id, at, question, reply in rows:
        item = {"id": f"feedback-{row_id}", "turns": [question], "expect": [{"all": []}], "tags": ["feedback"],
                "note": f"{at[:10]} に「違う」。正しい窓口の電話番号を expect[0].all に書いてください。",
                "bot_answer": reply}
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return len(rows)
