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
    return 0


def workbook(args: argparse.Namespace, settings) -> int:
    """`knowledge export/import FILE.xlsx`: the spreadsheet path for staff (bot.knowledge.spreadsheet, .workbook_import)."""
    from bot.knowledge import KnowledgeError
    from bot.knowledge.spreadsheet import export_workbook
    from bot.knowledge.workbook_import import import_workbook

    root, workbook = Path(settings().knowledge(args.directory)), Path(args.workbook)
    try:
        code, lines = (0, export_workbook(root, workbook)) if args.action == "export" else import_workbook(workbook, root)
    except (KnowledgeError, OSError) as e:
        code, lines = 1, [str(e)]
    for line in lines:
        print(line, file=sys.stdout if code == 0 else sys.stderr)
    return code


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
