"""Command line: `madoguchi <command>` (also `python -m bot <command>`).

Heavy modules are imported inside each command so that, for example, the console never imports Slack.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings


def _settings_or_exit() -> Settings:
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as e:
        print(f"madoguchi: {e}", file=sys.stderr)
        raise SystemExit(2) from None


def _runtime(args: argparse.Namespace, settings: Settings, record: bool = True, store=None):
    """The runtime for a command: the knowledge it names, the cache and (if recording) the curators' database."""
    from bot.runtime import build_runtime, exit_on_problems

    recorder = None
    if record and settings.records_target:  # the database libraries only when something is recorded
        from bot.curation.records import RecordsError, open_recorder

        try:
            recorder = open_recorder(settings.records_target, settings.hash_key(), settings.retention_days)
        except RecordsError as e:
            print(f"madoguchi: {e}", file=sys.stderr)
            raise SystemExit(2) from None
    return exit_on_problems(lambda: build_runtime(settings.knowledge(args.knowledge), store=store,
                                                  cache_dir=settings.cache_dir, recorder=recorder))


def _staff(command: str, args: argparse.Namespace) -> int:
    """check-knowledge, where, knowledge export/import: the commands of the staff who keep the knowledge."""
    from bot import staff_commands

    return getattr(staff_commands, command)(args, _settings_or_exit)


def _ask(args: argparse.Namespace) -> int:
    from bot.console import ask

    question = " ".join(args.question)
    if not question.strip():
        print("usage: madoguchi ask \"質問\"  (例: madoguchi ask \"二重ローン 宮城\")", file=sys.stderr)
        return 2
    runtime = _runtime(args, _settings_or_exit())
    try:
        return ask(runtime, question, sys.stdout)
    finally:
        _flush_records(runtime)


def _chat(args: argparse.Namespace) -> int:
    from bot.console import chat_interactive, chat_jsonl

    # `chat --jsonl` is a machine interface (evaluation runs): it records nothing
    runtime = _runtime(args, _settings_or_exit(), record=not args.jsonl)
    try:
        if args.jsonl:
            return chat_jsonl(runtime, sys.stdin, sys.stdout)
        return chat_interactive(runtime, sys.stdin, sys.stdout)
    finally:
        _flush_records(runtime)


def _flush_records(runtime) -> None:
    """The records are written in the background: what is queued is written before the command exits."""
    close = getattr(runtime.recorder, "close", None)
    if close:
        close()


def _bench(args: argparse.Namespace) -> int:
    import os

    if os.path.isfile(os.path.join("benchmarks", "__init__.py")) and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # `madoguchi bench` from the repository root
    try:
        from benchmarks import core
    except ImportError:
        print("madoguchi: the benchmarks are in the repository's benchmarks/ folder; run this from a checkout",
              file=sys.stderr)
        return 2
    if args.ready_probe:
        return core.ready_probe(args.knowledge)
    if args.target == "scale":
        from benchmarks import scale

        return scale.run(sys.stdout, args.knowledge)
    if args.target == "all":
        from benchmarks import suite

        return suite.run_all(sys.stdout, args.knowledge)
    if args.target == "slack":
        from benchmarks import slack

        return slack.run(sys.stdout, args.knowledge, events=args.events, senders=args.senders, rate=args.rate,
                         mode=args.mode, seconds=args.seconds, conversations=args.conversations, redis=args.redis,
                         replicas=args.replicas)
    return core.run(sys.stdout, args.knowledge, rounds=args.rounds, passes=args.passes)


def _serve(args: argparse.Namespace) -> int:
    """Slack: Socket Mode (SLACK_APP_TOKEN), or HTTP with --http."""
    from bot.settings import SettingsError

    settings = _settings_or_exit()
    if settings.oauth:  # many workspaces: HTTP with Bolt's OAuth flow; tokens from the installation store
        try:
            settings.require_oauth()
        except SettingsError as e:
            print(f"madoguchi: {e}", file=sys.stderr)
            return 2
        args.http = True
    if not (args.http or args.socket_mode or settings.app_token or settings.signing_secret):
        print("madoguchi: set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) "
              "besides SLACK_BOT_TOKEN", file=sys.stderr)
        return 2
    http = args.http or (not settings.app_token and bool(settings.signing_secret) and not args.socket_mode)
    try:
        if not settings.oauth:
            settings.require_http() if http else settings.require_socket_mode()
    except SettingsError as e:
        print(f"madoguchi: {e}", file=sys.stderr)
        return 2
    port = settings.port if args.port is None else args.port
    if not 0 < port < 65536:
        print(f"madoguchi: --port must be a port number from 1 to 65535 (got {port})", file=sys.stderr)
        return 2
    from bot.slack.serve import serve

    shared = None
    if settings.redis_url:  # several replicas: conversations, seen events and shares in Redis
        from bot.stores.redis_store import Redis, RedisStateStore

        shared = Redis(settings.redis_url)
    runtime = _runtime(args, settings, store=RedisStateStore(shared) if shared else None)
    return serve(settings, runtime, http=http, port=port, shared=shared)


def _curators(command: str):
    """report, knowledge audit, records delete: the curators' commands (bot.curation.commands)."""
    def run(args: argparse.Namespace) -> int:
        from bot.curation import commands

        return getattr(commands, command)(args, _settings_or_exit())
    return run


def _eval(args: argparse.Namespace) -> int:
    from bot.curation.evaluate import EvalFileError, evaluate, load_items, print_result

    try:
        items = load_items(args.file)
    except (OSError, EvalFileError) as e:
        print(f"madoguchi: {e}", file=sys.stderr)
        return 2
    result = evaluate(_runtime(args, _settings_or_exit(), record=False), items)
    print_result(result, sys.stdout)
    return 0 if not result.failures else 1


def _start(args: argparse.Namespace) -> int:
    """The README's run command: Slack when tokens are set, the console otherwise."""
    settings = _settings_or_exit()
    if settings.slack_configured:
        args.http, args.socket_mode, args.port = False, False, None
        return _serve(args)
    print("SLACK_BOT_TOKEN is not set: starting the local console (Ctrl-D to quit).", file=sys.stderr)
    args.jsonl = False
    return _chat(args)


def _mcp(args: argparse.Namespace) -> int:
    """The Model Context Protocol server (bot.mcp_server)."""
    try:
        from bot import mcp_server
    except ImportError:
        print("madoguchi: the MCP server needs the mcp package: pip install 'madoguchi[mcp]'", file=sys.stderr)
        return 2
    return mcp_server.command(args, _settings_or_exit(), _runtime)


def _keygen(args: argparse.Namespace) -> int:
    from cryptography.fernet import Fernet

    print(Fernet.generate_key().decode())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="madoguchi", description="窓口ナビ: whom to call, for small businesses in Japan")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check-knowledge", help="validate the knowledge files and print a summary")
    p.add_argument("directory", nargs="?", default=None, help="knowledge folder (default: $MADOGUCHI_KNOWLEDGE, ./knowledge or the packaged one)")
    p.set_defaults(func=lambda args: _staff("check_knowledge", args))

    p = sub.add_parser("knowledge", help="the knowledge as a whole: export / import FILE.xlsx (the contact tables as one "
                                         "Excel workbook), audit (the rows most likely stale)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, what in (("export", "write the contact tables to an Excel workbook"),
                         ("import", "read the contact tables back from an Excel workbook (all checked first)")):
        a = actions.add_parser(action, help=what)
        a.add_argument("workbook", help="an .xlsx file")
        a.add_argument("--directory", default=None, help="knowledge folder (default as for check-knowledge)")
        a.set_defaults(func=lambda args: _staff("workbook", args))
    a = actions.add_parser("audit", help="rows by risk: reported unreachable, changed since, old legal forms, bureau "
                                         "divisions, no URL; counts per table (Japanese; --csv for Excel)")
    a.add_argument("--csv", action="store_true", help="every row at risk as CSV for a spreadsheet")
    a.add_argument("--top", type=int, default=50, help="rows listed in the text report (default 50)")
    a.add_argument("--database", metavar="FILE|URL",
                   help="the records with users' reports (default: $DATABASE_URL, else $MADOGUCHI_DB)")
    a.add_argument("--knowledge", metavar="DIR", default=None,
                   help="knowledge folder (default: $MADOGUCHI_KNOWLEDGE, ./knowledge or the packaged one)")
    a.set_defaults(func=_curators("knowledge_audit"))

    p = sub.add_parser("mcp", help="serve the Model Context Protocol (tools find_office, whose_number) over stdio, or "
                                   "--http (streamable HTTP at /mcp, bearer token MADOGUCHI_MCP_TOKEN)")
    p.add_argument("--http", action="store_true", help="streamable HTTP instead of stdio")
    p.add_argument("--port", type=int, default=8765, help="HTTP port (default 8765)")
    p.add_argument("--host", default="127.0.0.1", help="HTTP address to listen on (default 127.0.0.1)")
    p.set_defaults(func=_mcp)

    p = sub.add_parser("keygen", help="print a new key for MADOGUCHI_TOKEN_KEY (the tokens kept in OAuth mode are "
                                      "encrypted with it)")
    p.set_defaults(func=_keygen)

    p = sub.add_parser("start", help="start the bot: Slack when tokens are set, else the console (the default)")
    p.set_defaults(func=_start)

    p = sub.add_parser("serve", help="serve Slack: Socket Mode (SLACK_APP_TOKEN) or --http")
    p.add_argument("--http", action="store_true", help="HTTP mode: POST /slack/events and GET /healthz")
    p.add_argument("--socket-mode", action="store_true", help="Socket Mode (the default when SLACK_APP_TOKEN is set)")
    p.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT or 3000)")
    p.set_defaults(func=_serve)

    p = sub.add_parser("ask", help="answer one question and exit")
    p.add_argument("question", nargs="+", help="the question, e.g. 二重ローン 宮城")
    p.set_defaults(func=_ask)

    p = sub.add_parser("where", help="the file and line that hold a phone number or an office (for corrections)")
    p.add_argument("what", nargs="+", help="a phone number (022-225-6636) or part of an office's name (ジェトロ仙台)")
    p.set_defaults(func=lambda args: _staff("where", args))

    p = sub.add_parser("chat", help="interactive console (one conversation; Ctrl-D exits)")
    p.add_argument("--jsonl", action="store_true",
                   help="read one message per line ({\"conversation\": …, \"text\": …} or plain text), write one JSON object per line")
    p.set_defaults(func=_chat)

    p = sub.add_parser("report", help="unanswered questions, feedback, answers per category and prefecture")
    p.add_argument("--since", default="7d", help="7d, 24h, 2w, a date such as 2026-11-01, or all (default 7d)")
    p.add_argument("--csv", action="store_true", help="write CSV for a spreadsheet")
    p.add_argument("--export-eval", metavar="FILE", help="write the 違う cases as an evaluation file to fill in")
    p.add_argument("--database", metavar="FILE|URL",
                   help="the records (default: $DATABASE_URL, else $MADOGUCHI_DB or var/madoguchi.sqlite3)")
    p.add_argument("--team", metavar="ID", help="one Slack workspace only (its team or enterprise id)")
    p.set_defaults(func=_curators("report"))

    p = sub.add_parser("records", help="the curators' records: delete --team ID (one workspace's, all of them)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("delete", help="delete every record of one Slack workspace (docs/privacy.md)")
    a.add_argument("--team", required=True, metavar="ID", help="the workspace's team (or enterprise) id")
    a.add_argument("--database", metavar="FILE|URL", help="the records (default: $DATABASE_URL, else $MADOGUCHI_DB)")
    a.set_defaults(func=_curators("records_delete"))

    p = sub.add_parser("eval", help="run a question set (JSON lines, the public evaluation format) and score it")
    p.add_argument("file", help="JSON lines: {id, turns, expect, tags}")
    p.set_defaults(func=_eval)

    p = sub.add_parser("bench", help="print answer speed, start-up time and memory over a fixed question set")
    p.add_argument("target", nargs="?", choices=("core", "slack", "scale", "all"), default="core",
                   help="core: answers, start-up, memory (default); slack: the HTTP app under concurrent events; scale: "
                        "loading and indexing at ten times the offices; all: every benchmark once, quickly (CI); exit "
                        "1 when one could not run or lost what it must not")
    p.add_argument("--rounds", type=int, default=20, help="core: times each question is answered (default 20)")
    p.add_argument("--passes", type=int, default=10, help="core: shuffled passes of the realistic stream (default 10)")
    p.add_argument("--events", type=int, default=400, help="slack: events to send (default 400)")
    p.add_argument("--senders", type=int, default=20, help="slack: concurrent senders (default 20)")
    p.add_argument("--rate", type=float, default=300.0, help="slack: events/s offered in all; 0 = as fast as acknowledged (default 300)")
    p.add_argument("--mode", default="load", choices=("load", "soak", "fault", "overload", "memory", "sigterm"),
                   help="slack: load (a burst), soak (--seconds, commands mixed in), fault (the Web API hangs), overload "
                        "(--events as fast as acknowledged), memory (--conversations kept in memory), sigterm (SIGTERM "
                        "under load)")
    p.add_argument("--seconds", type=float, default=30.0, help="slack soak/fault: how long to offer (default 30)")
    p.add_argument("--conversations", type=int, default=100_000, help="slack memory: conversations (default 100000)")
    p.add_argument("--redis", action="store_true", help="slack: shared state in a real Redis server (started here)")
    p.add_argument("--replicas", type=int, default=1, help="slack: bot replicas; with 2, every event is retried once to "
                                                            "the other replica (default 1)")
    p.add_argument("--ready-probe", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=_bench)

    for p in sub.choices.values():
        if p.prog.split()[-1] not in ("check-knowledge", "report", "knowledge", "records"):
            p.add_argument("--knowledge", metavar="DIR", default=None,
                           help="knowledge folder (default: $MADOGUCHI_KNOWLEDGE, ./knowledge or the packaged one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        argv = ["start"]
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)
