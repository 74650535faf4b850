"""Command line: `madoguchi <command>` (also `python -m bot <command>`).

Heavy modules are imported inside each command so that, for example, the console never imports Slack.
"""

from __future__ import annotations

import argparse
import sys


def _check_knowledge(args: argparse.Namespace) -> int:
    from bot.knowledge import KnowledgeError, load_knowledge, summarize

    try:
        knowledge = load_knowledge(args.directory)
    except KnowledgeError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print(f"{len(e.problems)} problem(s) found; the bot will not start with this knowledge.", file=sys.stderr)
        return 1
    print(f"knowledge OK: {knowledge.root}")
    for line in summarize(knowledge):
        print(line)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="madoguchi", description="窓口ナビ: whom to call, for small businesses in Japan")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check-knowledge", help="validate the knowledge files and print a summary")
    p.add_argument("directory", nargs="?", default=None, help="knowledge folder (default: ./knowledge)")
    p.set_defaults(func=_check_knowledge)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)
