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
    source = None
    if recorder is not None:  # the knowledge as curators changed it (the versions kept in the same database)
        from bot.assembly import open_source

        source = open_source(settings, settings.knowledge(args.knowledge))
    return exit_on_problems(lambda: build_runtime(settings.knowledge(args.knowledge), store=store,
                                                  cache_dir=settings.cache_dir, recorder=recorder, source=source))


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
    """report, knowledge audit/versions/restore, records delete: the curators' commands (bot.curation.commands)."""
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
    from bot.cli_parser import build_parser as build

    return build(sys.modules[__name__])


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
