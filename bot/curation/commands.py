"""The curators' commands: `madoguchi report` and `madoguchi knowledge audit` (bot.cli parses their arguments)."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager

from bot.settings import Settings


def report(args: argparse.Namespace, settings: Settings) -> int:
    """`madoguchi report`: unanswered questions, feedback and its reasons, answers per table and prefecture."""
    from bot.curation.report import ReportError, build_report, export_eval, parse_since, print_report, write_csv

    path = args.database or settings.records_target
    if path is None:
        print("madoguchi: MADOGUCHI_DB が off なので、何も記録していません（レポートにするものがありません）", file=sys.stderr)
        return 1
    path, team = str(path), args.team or None
    try:
        since = parse_since(args.since)
        if args.export_eval:
            with open(args.export_eval, "w", encoding="utf-8") as f:
                n = export_eval(path, since, f, team=team)
            print(f"「違う」と言われた {n} 件を {args.export_eval} に書きました。各行の expect[0].all に正しい窓口の電話番号を"
                  f"書いてから madoguchi eval {args.export_eval} で確かめてください")
            return 0
        report = build_report(path, since, team=team)
    except ReportError as e:
        print(f"madoguchi: {e}", file=sys.stderr)
        return 1
    labels, offices = {}, {}
    try:  # the tables' Japanese names and the offices' names, when the knowledge can be read here
        from bot.curation.report import office_names
        from bot.knowledge import load_knowledge

        knowledge = load_knowledge(settings.knowledge(None))
        labels, offices = {c.id: c.label for c in knowledge.categories}, office_names(knowledge, report.unreachable)
    except Exception:  # noqa: BLE001 - the report stands without them (ids are shown)
        pass
    (write_csv if args.csv else print_report)(report, sys.stdout, labels, offices)
    return 0


def knowledge_audit(args: argparse.Namespace, settings: Settings) -> int:
    """`madoguchi knowledge audit`: the rows most likely stale, with users' 番号がつながらない reports when recorded."""
    from bot.curation.audit import audit, print_audit, write_audit_csv
    from bot.knowledge import KnowledgeError, load_knowledge

    try:
        knowledge = load_knowledge(settings.knowledge(args.knowledge))
    except KnowledgeError as e:
        print("\n".join(str(p) for p in e.problems), file=sys.stderr)
        return 1
    unreachable, note = {}, ""
    target = args.database or settings.records_target
    if target is None:
        note = "（MADOGUCHI_DB が off なので、利用者の「番号がつながらない」の報告は含みません）"
    else:
        from bot.curation.report import reason_counts

        unreachable = reason_counts(str(target))[1]
    result = audit(knowledge, unreachable)
    if args.csv:
        write_audit_csv(result, knowledge, sys.stdout)
    else:
        print_audit(result, knowledge, sys.stdout, top=args.top)
        if note:
            print(note)
    return 0


def records_delete(args: argparse.Namespace, settings: Settings) -> int:
    """`madoguchi records delete --team ID`: every record of one workspace deleted (a workspace that uninstalled, or
    asked), counts printed; the installation's tokens are Slack's uninstall event's to delete."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.curation.retention import delete_workspace
    from bot.curation.schema import migrate, open_engine

    target = args.database or settings.records_target
    if target is None:
        print("madoguchi: MADOGUCHI_DB が off なので、何も記録していません（消すものがありません）", file=sys.stderr)
        return 1
    engine = open_engine(str(target))
    try:
        migrate(engine)  # a database of an earlier version: the tables it lacks exist (empty) before deleting
        with engine.begin() as connection:
            deleted = delete_workspace(connection, args.team)
    except SQLAlchemyError as e:
        print(f"madoguchi: 記録を変更できませんでした（{str(e).splitlines()[0]}） → データベースが動いているか確かめて、"
              f"もう一度実行してください", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"ワークスペース {args.team} の記録を消しました: " + "、".join(f"{table} {n} 行" for table, n in deleted.items()))
    return 0


@contextmanager
def _curation(settings: Settings, args: argparse.Namespace, what: str):
    """The curation of the bot's knowledge and database (None, said, when nothing is recorded); closed after."""
    from bot.assembly import open_curation

    curation = open_curation(settings, settings.knowledge(args.knowledge))
    if curation is None:
        print(f"madoguchi: MADOGUCHI_DB が off なので、{what}", file=sys.stderr)
        yield None
        return
    try:
        yield curation
    finally:
        curation.source.close()


def knowledge_versions(args: argparse.Namespace, settings: Settings) -> int:
    """`madoguchi knowledge versions`: the versions curators proposed and applied, newest first (who, when, what)."""
    from bot.presenters.curation import when

    with _curation(settings, args, "版は記録していません") as curation:
        if curation is None:
            return 1
        history = curation.versions.history(args.limit)
        if not history:
            print("まだ版はありません（配布時のファイルのままです）。")
        from bot.presenters.curation import STATE_LABELS as labels

        for v in history:
            decided = f"、{labels[v.state]} {v.decided_by} {when(v.decided_at)}" if v.decided_at else ""
            print(f"版 {v.id}  {labels[v.state]}  {v.name}（送った人 {v.proposed_by} {when(v.proposed_at)}{decided}）")
            for line in v.summary.splitlines()[:args.lines]:
                print(f"    {line}")
    return 0


def knowledge_restore(args: argparse.Namespace, settings: Settings) -> int:
    """`madoguchi knowledge restore`: undo the last applied version now (recorded as a version of its own)."""
    from bot.presenters.curation import NOTHING_TO_RESTORE, not_applied

    with _curation(settings, args, "戻す版がありません") as curation:
        if curation is None:
            return 1
        curation.source.load()
        proposal = curation.restore("cli")
        if proposal.problems:
            print("\n".join(proposal.problems), file=sys.stderr)
            return 1
        if not proposal.version:
            print(NOTHING_TO_RESTORE)
            return 0
        decision = curation.decide(proposal.version, "cli", True)
        if decision.refusal is not None:
            print(not_applied(decision.refusal), file=sys.stderr)
            return 1
        for change in proposal.changes:
            print("\n".join(change.lines()))
        print(f"版 {proposal.restores} の前に戻しました（版 {proposal.version}、窓口 {decision.contacts} 件）。動いているボットは"
              f"数秒のうちに読み込みます。")
    return 0
