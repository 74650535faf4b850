"""`madoguchi report`: what the bot failed at, what users said, and what it was asked about."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import IO

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.curation.schema import answers, feedback, open_engine, sqlite_path, url_for

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


def _rows(target: str, query_of) -> list:
    """Rows of a query on the records (read-only); ReportError when there are none to read."""
    url = url_for(target)
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise ReportError(f"{path}: no records yet (the bot writes them there while it answers)")
    engine = open_engine(url, read_only=True)
    try:
        with engine.connect() as connection:
            return connection.execute(query_of()).all()
    except SQLAlchemyError:
        raise ReportError(f"{path or url.split('@')[-1]}: no records yet (the bot writes them there while it answers)") from None
    finally:
        engine.dispose()


def _where(query, table, since: datetime | None, team: str | None):
    if since:
        query = query.where(table.c.at >= since.astimezone(timezone.utc).isoformat(timespec="seconds"))
    if team:
        query = query.where(table.c.team == team)
    return query


def build_report(target: str, since: datetime | None, top: int = 20, team: str | None = None) -> Report:
    """The report over every workspace's records, or one workspace's (team: its team or enterprise id)."""
    report = Report(since)
    a, f = answers.c, feedback.c
    rows = _rows(target, lambda: _where(select(a.kind, a.category, a.prefecture, a.question, a.reply, a.user_hash),
                                        answers, since, team).order_by(a.at))
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
    for at, helpful, question, reply in _rows(target, lambda: _where(select(f.at, f.helpful, f.question, f.reply),
                                                                     feedback, since, team).order_by(f.at.desc())):
        if helpful:
            report.helpful += 1
        else:
            report.not_helpful += 1
            if len(report.complaints) < top:
                report.complaints.append((at, question, reply))
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


def export_eval(target: str, since: datetime | None, out: IO[str], team: str | None = None) -> int:
    """Write every 違う as an evaluation item whose expectation the curator fills in (expect[0].all)."""
    f = feedback.c
    rows = _rows(target, lambda: _where(select(f.id, f.at, f.question, f.reply).where(f.helpful == 0), feedback,
                                        since, team).order_by(f.id))
    for row_id, at, question, reply in rows:
        item = {"id": f"feedback-{row_id}", "turns": [question], "expect": [{"all": []}], "tags": ["feedback"],
                "note": f"{at[:10]} に「違う」。正しい窓口の電話番号を expect[0].all に書いてください。",
                "bot_answer": reply}
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return len(rows)
