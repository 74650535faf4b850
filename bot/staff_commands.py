"""The commands of the staff who keep the knowledge: `check-knowledge` (every problem as file:line: what → how to fix,
then notes and a summary), `where` (the file and line holding a number or an office), `knowledge export/import`
(the spreadsheet path). `settings` is the command line's settings reader (it exits on bad settings)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def knowledge_or_none(directory, settings):
    """The knowledge folder loaded; on problems each is printed as `path:line: message` and None is returned."""
    from bot.knowledge import KnowledgeError, load_knowledge

    try:
        return load_knowledge(settings().knowledge(directory))
    except KnowledgeError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print(f"問題が {len(e.problems)} 件あります。直すまで、ボットはこの内容では起動せず、再読み込みもしません。", file=sys.stderr)
        return None


def check_knowledge(args: argparse.Namespace, settings) -> int:
    from bot.knowledge import summarize

    knowledge = knowledge_or_none(args.directory, settings)
    if knowledge is None:
        return 1
    for note in knowledge.notes:
        print(f"注意: {note}", file=sys.stderr)
    print(f"知識ファイルに問題はありません: {knowledge.root}")
    for line in summarize(knowledge):
        print(line)
    if args.directory is None:
        for line in _versions_on_top(settings(), Path(knowledge.root)):
            print(line)
    return 0


def _versions_on_top(s, folder: Path) -> list[str]:
    """The versions curators applied (from Slack or `knowledge import`), when the bot's database exists: which, and
    whether they still load on top of these files (where the bot does not write its folder, it replays them)."""
    if not (s.database_url or (s.database is not None and Path(s.database).is_file())):
        return []
    from bot.assembly import open_source
    from bot.curation.source import Mode
    from bot.knowledge import KnowledgeError

    source = open_source(s, folder)
    try:
        if source.versions is None:
            return []
        applied = source.versions.applied()
        if not applied:
            return ["反映した版: なし（Slack やコマンドで反映された変更はまだありません）"]
        last = applied[-1]
        lines = [f"反映した版: {len(applied)} 件、最新は版 {last.id}（{last.name}、{last.decided_by}）"]
        if source.mode is Mode.FOLDER:
            return lines + ["  このフォルダーに書き込み済みです。"]
        try:
            source.load()
        except KnowledgeError:
            pass
        if source.root == source.folder:
            return lines + ["  注意: 反映した版がこのフォルダーのファイルに重なりません。ボットはこのフォルダーのファイルだけで"
                            "答えます → Slack で「データを書き出す」から直し直してください"]
        return lines + ["  ボットはこのフォルダーにその版を重ねて答えます（重ねても問題はありません）。"]
    finally:
        source.close()


def workbook(args: argparse.Namespace, settings) -> int:
    """`knowledge export/import FILE.xlsx`: the spreadsheet path for staff (bot.knowledge.spreadsheet, .workbook_import).
    With a records database (the running bot's settings) and no --directory, through the versions the bot keeps: the
    export is the knowledge as the bot answers with it, an import is a version recorded and applied (every replica
    loads it within seconds), restorable with `madoguchi knowledge restore`."""
    from bot.knowledge import KnowledgeError
    from bot.knowledge.spreadsheet import export_workbook
    from bot.knowledge.workbook_import import import_workbook

    s = settings()
    root, workbook = Path(s.knowledge(args.directory)), Path(args.workbook)
    curation = None
    if args.directory is None and s.records_target is not None:
        from bot.assembly import open_curation

        curation = open_curation(s, root)
    try:
        if curation is not None:
            code, lines = _through_versions(curation, args.action, workbook)
        else:
            code, lines = (0, export_workbook(root, workbook)) if args.action == "export" else import_workbook(workbook, root)
    except (KnowledgeError, OSError) as e:
        code, lines = 1, [str(e)]
    finally:
        if curation is not None:
            curation.source.close()
    for line in lines:
        print(line, file=sys.stdout if code == 0 else sys.stderr)
    return code


def _through_versions(curation, action: str, workbook: Path) -> tuple[int, list[str]]:
    from bot.knowledge.spreadsheet import export_workbook

    curation.source.load()
    version = curation.source.version
    if action == "export":
        return 0, export_workbook(curation.source.root, workbook, version) + [f"（版 {version}: " + (
            "配布時のファイル）" if not version else "Slack またはコマンドで反映された最新の内容）")]
    proposal = curation.check(workbook, workbook.name, "cli")
    if proposal.problems:
        tail = [] if proposal.refused else [f"問題が {len(proposal.problems)} 件あります。何も書き換えていません。直してから"
                                            f"もう一度取り込んでください。"]
        return 1, proposal.problems + tail
    if not proposal.version:
        return 0, ["変更はありません（ブックの内容は今のデータと同じです）。"]
    from bot.presenters.curation import behind, not_applied

    if proposal.behind:  # applied anyway on the command line: said, with what changed, and restorable
        print(behind(*proposal.behind), file=sys.stderr)
    decision = curation.decide(proposal.version, "cli", True)
    if decision.refusal is not None:
        return 1, [not_applied(decision.refusal)]
    return 0, [line for change in proposal.changes for line in change.lines()] + [
        f"版 {proposal.version} として反映しました（窓口 {decision.contacts} 件）。動いているボットは数秒のうちに読み込み"
        f"ます。元に戻すときは madoguchi knowledge restore を実行してください。"]


def where(args: argparse.Namespace, settings) -> int:
    """Which file and line hold a phone number or an office: for staff about to correct it."""
    import unicodedata

    from bot.knowledge.phones import numbers_in_text

    knowledge = knowledge_or_none(args.knowledge, settings)
    if knowledge is None:
        return 1
    wanted = " ".join(args.what)
    numbers = set(numbers_in_text(wanted))

    def plain(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).lower().split())

    found = [c for c in knowledge.contacts if (numbers and numbers & {p.digits for p in c.phones})
             or (not numbers and plain(wanted) in plain(f"{c.name} {c.operator}"))]
    for c in found:
        print(f"{c.origin}: {c.id}  {c.name}  {' / '.join(p.number for p in c.phones) or '（電話番号なし）'}")
    if not found:
        print(f"「{wanted}」は知識ファイルに見つかりませんでした。", file=sys.stderr)
        return 1
    return 0
