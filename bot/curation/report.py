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

from bot.curation.recorder import Reason
from bot.curation.schema import answers, feedback, open_engine, reasons, sqlite_path, url_for

_SINCE = re.compile(r"^(\d+)([dhw])$")


class ReportError(Exception):
    pass


NO_RECORDS = ("{where}: まだ記録がありません（ボットは答えるたびにここへ書きます） → ボットを動かしている設定（同じ .env、"
              "DATABASE_URL・MADOGUCHI_DB）で実行してください。サーバーではボットのフォルダーで、コンテナでは "
              "docker compose exec bot madoguchi report のように実行します")


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
        raise ReportError(f"--since「{text}」→ 7d（7日）、24h（24時間）、2w（2週間）、2026-11-01（その日から）、all（全期間）"
                          f"のように書いてください") from None
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
    reasons: Counter = field(default_factory=Counter)  # why 違う, as users said it in one click
    unreachable: Counter = field(default_factory=Counter)  # contact id → times users said its number did not work
    by_day: Counter = field(default_factory=Counter)  # Japan date (2026-12-07) → questions answered that day


def _key(question: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", question).lower().split())


def _rows(target: str, query_of) -> list:
    """Rows of a query on the records (read-only); ReportError when there are none to read."""
    url = url_for(target)
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise ReportError(NO_RECORDS.format(where=path))
    engine = open_engine(url, read_only=True)
    try:
        with engine.connect() as connection:
            return connection.execute(query_of()).all()
    except SQLAlchemyError:
        raise ReportError(NO_RECORDS.format(where=path or url.split('@')[-1])) from None
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
    rows = _rows(target, lambda: _where(select(a.kind, a.category, a.prefecture, a.question, a.reply, a.user_hash, a.at),
                                        answers, since, team).order_by(a.at))
    report.answers = len(rows)
    report.users = len({r[5] for r in rows if r[5]})
    groups: dict[tuple[str, str], list] = {}
    for kind, category, prefecture, question, reply, _, at in rows:
        report.by_day[_japan_time(at)[:10]] += 1
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
    report.reasons, report.unreachable = reason_counts(target, since, team)
    return report


REASON_LABELS = {Reason.UNREACHABLE: "番号がつながらない", Reason.WRONG_OFFICE: "窓口が違う", Reason.OTHER: "その他"}


def reason_counts(target: str, since: datetime | None = None, team: str | None = None) -> tuple[Counter, Counter]:
    """How often each reason was given after 違う, and per office how often its number did not work (records of an
    earlier version have no reasons: none)."""
    r = reasons.c
    try:
        rows = _rows(target, lambda: _where(select(r.reason, r.contacts), reasons, since, team))
    except ReportError:
        return Counter(), Counter()
    by_reason, unreachable = Counter(), Counter()
    for reason, contacts in rows:
        by_reason[reason] += 1
        if reason == Reason.UNREACHABLE:
            unreachable.update(c for c in (contacts or "").split(",") if c)
    return by_reason, unreachable


JST = timezone(timedelta(hours=9), "JST")
KIND_LABELS = {"contacts": "窓口を案内", "reverse": "番号から案内", "unknown_number": "一覧にない番号", "clarify": "聞き返し",
               "fallback": "分かりませんでした", "greeting": "あいさつ", "thanks": "お礼", "help": "使い方"}


def _kind(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def _one_line(text: str | None) -> str:
    """A question or reply on one line (a user's line breaks would break the report's layout)."""
    return " ".join((text or "").split())


def _japan_time(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone(JST).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


def print_report(report: Report, out: IO[str], category_labels: dict[str, str] | None = None,
                 offices: dict[str, str] | None = None) -> None:
    """The report for the curators, in Japanese; times are Japan time (and say so). offices: an office's id → its
    name and number, as curators know it."""
    labels, offices = category_labels or {}, offices or {}
    w = out.write
    period = f"{report.since.astimezone(JST):%Y-%m-%d %H:%M}（日本時間）以降" if report.since else "全期間"
    w(f"窓口ナビ レポート（{period}）\n")
    w(f"回答数 {report.answers}（利用者 {report.users} 人）: "
      + "、".join(f"{_kind(k)} {n}" for k, n in report.by_kind.most_common()) + "\n\n")
    w("答えられなかった質問（分かりませんでした・聞き返し）の多い順\n")
    for question, kind, count, reply in report.unanswered or []:
        w(f"  {count:4d}  [{_kind(kind)}] {_one_line(question)}\n        → {_one_line(reply.splitlines()[0] if reply else '')}\n")
    if not report.unanswered:
        w("  なし\n")
    w(f"\nフィードバック: 役に立った {report.helpful} / 違う {report.not_helpful}（時刻は日本時間）\n")
    for at, question, reply in report.complaints:
        w(f"  {_japan_time(at)}  {_one_line(question)}\n        → {_one_line(reply)}\n")
    if report.reasons:
        w("違うの理由: " + "、".join(f"{REASON_LABELS.get(r, r)} {report.reasons.get(r, 0)}" for r in Reason) + "\n")
    for contact, n in report.unreachable.most_common():
        w(f"  番号がつながらない {n:3d}  {offices.get(contact, contact)}\n")
    w("\n種類別の回答数\n")
    for category, n in report.by_category.most_common():
        w(f"  {n:4d}  {labels.get(category, category)}\n")
    w("\n都道府県別の回答数\n")
    for prefecture, n in report.by_prefecture.most_common():
        w(f"  {n:4d}  {prefecture}\n")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula (OWASP)


def excel_safe(value):
    """A cell a spreadsheet shows as text, never runs: a text beginning like a formula gets a leading ' (the OWASP
    rule for CSV injection: a user's question 「=HYPERLINK(…)」 is kept, not a link). Other values are unchanged."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


class SafeWriter:
    def __init__(self, out: IO[str]):
        self.writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row) -> None:
        self.writer.writerow([excel_safe(v) for v in row])


def write_csv(report: Report, out: IO[str], category_labels: dict[str, str] | None = None,
              offices: dict[str, str] | None = None) -> None:
    """One table for a spreadsheet: 区分, 項目, 件数, 詳細 — UTF-8 with a BOM, so that Excel opens it as Japanese; users'
    words that would be formulas stay text."""
    labels, offices = category_labels or {}, offices or {}
    out.write("\ufeff")
    writer = SafeWriter(out)
    writer.writerow(["区分", "項目", "件数", "詳細"])
    for kind, n in report.by_kind.most_common():
        writer.writerow(["回答の種類", _kind(kind), n, ""])
    for question, kind, count, reply in report.unanswered:
        writer.writerow(["答えられなかった質問", _one_line(question), count,
                         f"{_kind(kind)}: {_one_line(reply.splitlines()[0] if reply else '')}"])
    writer.writerow(["フィードバック", "役に立った", report.helpful, ""])
    writer.writerow(["フィードバック", "違う", report.not_helpful, ""])
    for at, question, reply in report.complaints:
        writer.writerow(["違う", _one_line(question), 1, f"{_japan_time(at)}（日本時間） {_one_line(reply)}"])
    for reason in Reason:
        writer.writerow(["違うの理由", REASON_LABELS[reason], report.reasons.get(reason, 0), ""])
    for contact, n in report.unreachable.most_common():
        writer.writerow(["番号がつながらない", offices.get(contact, contact), n, contact])
    for category, n in report.by_category.most_common():
        writer.writerow(["種類", labels.get(category, category), n, ""])
    for prefecture, n in report.by_prefecture.most_common():
        writer.writerow(["都道府県", prefecture, n, ""])


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


def office_names(knowledge, ids) -> dict[str, str]:
    """How curators know each office: its name and first number (ジェトロ仙台（022-223-7484）)."""
    out = {}
    for cid in ids:
        c = knowledge.contact_by_id.get(cid)
        if c is not None:
            out[cid] = f"{c.name}（{c.phones[0].number}）" if c.phones else c.name
    return out
