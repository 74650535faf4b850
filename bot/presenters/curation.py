"""The words a curator reads in Slack: refusals, the workbook round trip, applied versions, the report's summary.
Facts come from bot.curation (Proposal, Decision, Report, Version); the Block Kit around them is bot.slack's."""

from __future__ import annotations

from datetime import datetime

from bot.curation.report import JST, KIND_LABELS, REASON_LABELS, Report
from bot.curation.versions import Refusal, Version

NOT_CURATOR = ("この操作は窓口ナビの担当者だけができます。担当者は管理者が設定（MADOGUCHI_CURATORS）で決めています。"
               "窓口を探すときは、そのまま質問してください。")
NO_DATABASE = ("記録のデータベースが使えない設定（MADOGUCHI_DB=off）のため、この操作はできません。管理者にお知らせください。")
BUSY = "ほかの作業を進めています。少ししてからもう一度送ってください。"
FAILED = "うまくいきませんでした（予期しないエラー）。データは変わっていません。もう一度お試しください。続くときは管理者にお知らせください。"
UPLOAD_FAILED = ("ファイルを Slack に送れませんでした。アプリに files:write の権限があるか、管理者に確かめてもらってください。"
                 "少ししてからもう一度お試しください。")
NOT_FROM_SLACK = "Slack のファイルとして受け取れませんでした → もう一度この DM に送ってください"
NO_FILES_READ = "ファイルを受け取れませんでした（アプリに files:read の権限がないようです） → 管理者にお知らせください"
NOT_RECEIVED = "ファイルを受け取れませんでした → もう一度この DM に送ってください"
NO_DM = "ボットとの DM を開けませんでした（アプリに im:write の権限が要ります）。管理者にお知らせください。"
DM_ONLY = "この操作の結果はボットとの DM にお送りします。"
APPLY, DISCARD = "反映する", "やめる"
CONFIRM = ("反映しますか？", "この変更を反映すると、次の質問からこの内容で答えます（全部のレプリカに数秒で届きます）。", "反映する", "戻る")
MAX_LINES = 40  # change lines and problems shown in a message (the rest counted)
MAX_CHARS = 2500  # … and their characters: a section holds 3000 with the title and the code fence

EXPORT_TITLE, AUDIT_TITLE, HISTORY_TITLE = "窓口ナビ データ", "窓口ナビ 知識の点検", "窓口ナビ データの版"
REPORT_TITLE, REPORT_DAYS, REPORT_TOPICS, REPORT_NONE = "窓口ナビ 質問の数", "日ごとの質問", "種類ごとの回答（多い順）", "まだありません"


def when(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone(JST).strftime("%Y-%m-%d %H:%M（日本時間）")
    except ValueError:
        return at


def export_note(contacts: int, version: int) -> str:
    base = f"版 {version}" if version else "配布時のファイル"
    return (f"今のデータのブックです（窓口 {contacts} 件、{base}）。Excel で直して保存し、このブックをこの DM にそのまま"
            f"送ってください。内容を確かめてから、反映するかどうかをお聞きします。")


def refused(name: str, problem: str) -> str:
    return f"ファイル「{name}」は使えません。{problem.split(': ', 1)[-1]}"


def _shown(lines: list[str], unit: str) -> str:
    """The first lines that fit a Slack section (MAX_LINES, MAX_CHARS), and how many more there are."""
    kept, size = [], 0
    for line in lines[:MAX_LINES]:
        if size + len(line) + 1 > MAX_CHARS:
            break
        kept.append(line)
        size += len(line) + 1
    rest = len(lines) - len(kept)
    return "\n".join(kept) + (f"\n…ほか {rest} {unit}" if rest else "")


def problems(name: str, lines: list[str]) -> str:
    shown = _shown(lines, "件")
    return (f"ブック「{name}」に直すところが {len(lines)} か所あります。データは変えていません。直したブックをもう一度"
            f"この DM に送ってください。\n```{shown}```")


def unchanged(name: str) -> str:
    return f"ブック「{name}」は今のデータと同じです。変えるところはありませんでした。"


def changes(title: str, lines: list[str]) -> str:
    shown = _shown(lines, "行")
    return f"{title}\n```{shown}```"


def proposal_title(name: str) -> str:
    return f"ブック「{name}」に問題はありません。変わるところは次のとおりです。反映すると、次の質問からこの内容で答えます。"


def behind(exported_from: int, now: int) -> str:
    """A workbook exported before other versions were applied: its list may take those back."""
    return (f"ご注意: このブックは版 {exported_from} のときに書き出したものです。そのあと版 {now} までの変更が反映されて"
            f"います。下の一覧にその変更を元に戻すものがあれば、反映せずに「データを書き出す」で今のブックを受け取り、"
            f"直し直してください。")


def restore_title(last: Version) -> str:
    return (f"版 {last.id}（{last.name}、<@{last.decided_by}> さんが {when(last.decided_at)} に反映）の前に戻します。"
            f"変わるところは次のとおりです。") if last.decided_by.startswith(("U", "W")) else \
        f"版 {last.id}（{last.name}、{when(last.decided_at)} に反映）の前に戻します。変わるところは次のとおりです。"


STATE_LABELS = {"pending": "確認待ち", "applied": "反映", "discarded": "取りやめ"}
NO_HISTORY = "まだ版はありません（配布時のファイルのままです）。"


def history(versions: list[Version]) -> str:
    """The latest versions, newest first: state, what, who and when (mrkdwn; Slack ids as mentions)."""
    def who(user: str) -> str:
        return f"<@{user}>" if user[:1] in ("U", "W") else user

    lines = []
    for v in versions:
        decided = f"、{STATE_LABELS[v.state]}: {who(v.decided_by)} {when(v.decided_at)}" if v.decided_at else ""
        first = v.summary.splitlines()[0] if v.summary else ""
        lines.append(f"*版 {v.id}*（{STATE_LABELS[v.state]}）{v.name} — 送った人 {who(v.proposed_by)} {when(v.proposed_at)}"
                     f"{decided}\n　{first}")
    return "\n".join(lines) if lines else NO_HISTORY


NOTHING_TO_RESTORE = "元に戻す版がありません（Slack やコマンドで反映された変更はまだありません）。"


def applied(user: str, version: int, contacts: int, at: str) -> str:
    return (f"<@{user}> さんが反映しました（版 {version}、{when(at)}）。次の質問から新しいデータで答えます（窓口 {contacts} 件）。"
            f"元に戻すときは、この DM に「元に戻す」と送ってください。")


def discarded(user: str) -> str:
    return f"<@{user}> さんが取りやめました。データは変わっていません。"


def not_applied(refusal: Refusal) -> str:
    return {Refusal.GONE: "この変更は見つかりません。ブックをもう一度送ってください。",
            Refusal.DECIDED: "この変更はすでに反映されたか、取りやめになっています。",
            Refusal.STALE: "この変更は反映できません。確かめたあとで、ほかの変更が反映されました。「データを書き出す」で今の"
                           "ブックを受け取り、直し直してください。"}[refusal]


def reload_problems(count: int) -> str:
    return f"反映しましたが、読み込みで {count} 件の問題が見つかったため、前のデータで答えています。管理者にお知らせください。"


def report_heading(report: Report) -> str:
    period = f"{report.since.astimezone(JST):%m/%d} から今日まで" if report.since else "全期間"
    return f"窓口ナビ レポート（{period}）"


def report_fields(report: Report, labels: dict[str, str], offices: dict[str, str] | None = None, top: int = 5) -> list[str]:
    """Short mrkdwn texts, one per field of the summary. offices: an office's id → how curators know it (name, number)."""
    offices = offices or {}
    unanswered = report.by_kind.get("fallback", 0) + report.by_kind.get("clarify", 0)
    reasons = "、".join(f"{REASON_LABELS.get(r, r)} {n}" for r, n in report.reasons.most_common()) or "なし"
    out = [f"*質問*\n{report.answers} 件（{report.users} 人）",
           f"*答えられなかった*\n{unanswered} 件（{KIND_LABELS['fallback']}・{KIND_LABELS['clarify']}）",
           f"*役に立った / 違う*\n{report.helpful} / {report.not_helpful}",
           f"*違うの理由*\n{reasons}"]
    unreachable = "\n".join(f"{offices.get(c, c)} {n} 回" for c, n in report.unreachable.most_common(top))
    out.append(f"*番号がつながらない*\n{unreachable or 'なし'}")
    topics = "\n".join(f"{labels.get(c, c)} {n}" for c, n in report.by_category.most_common(top))
    out.append(f"*種類（多い順）*\n{topics or 'なし'}")
    places = "、".join(f"{p} {n}" for p, n in report.by_prefecture.most_common(top))
    out.append(f"*都道府県（多い順）*\n{places or 'なし'}")
    return out


def report_unanswered(report: Report, top: int = 5) -> str:
    lines = [f"{count} 回 「{' '.join(q.split())[:60]}」" for q, _, count, _ in report.unanswered[:top]]
    return "*答えられなかった質問（多い順）*\n" + ("\n".join(lines) if lines else "なし")


def report_days(by_day: dict[str, int], width: int = 20) -> str:
    """Questions per day as a bar of blocks in the message itself (the SVG chart is a file to open)."""
    most = max(by_day.values(), default=0) or 1
    lines = [f"`{day[5:].replace('-', '/')}` {'▇' * max(round(width * n / most), 1 if n else 0)} {n}"
             for day, n in by_day.items()]
    return "*日ごとの質問*\n" + "\n".join(lines)


REPORT_FILES = "全部の数字は CSV（Excel で開けます）に、日ごと・種類ごとの数は図にしました。"
AUDIT_FILES = "確かめたほうがよい行の全部は CSV（Excel で開けます）にしました。"


def home_note(version: int) -> str:
    """The App Home tab's words for a curator (mrkdwn)."""
    now = f"今のデータは版 {version} です（Slack かコマンドで反映した最新）。" if version else "今のデータは配布時のファイルのままです。"
    return (f"{now}このアプリとの DM に、次の言葉を送れます。\n"
            "• 「データを書き出す」: 今のデータの Excel ブック。直して DM に送り返すと、確かめてから「反映する」で反映します\n"
            "• 「元に戻す」: 直前に反映した版の前に戻します\n"
            "• 「レポート」: 直近7日の質問・答えられなかった質問・「違う」の理由（CSV と図つき）\n"
            "• 「点検」: 古くなっていそうな行（CSV つき）\n"
            "• 「履歴」: 反映した版と、だれがいつ反映したか")
