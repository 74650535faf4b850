"""The command line's commands and arguments (`madoguchi --help`); bot.cli runs them."""

from __future__ import annotations

import argparse


def build_parser(c) -> argparse.ArgumentParser:
    """Every command, its arguments and help; c: the module whose functions run them (bot.cli)."""
    parser = argparse.ArgumentParser(prog="madoguchi", description="窓口ナビ: whom to call, for small businesses in Japan")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check-knowledge", help="validate the knowledge files and print a summary")
    p.add_argument("directory", nargs="?", default=None, help="knowledge folder (default: $MADOGUCHI_KNOWLEDGE, ./knowledge or the packaged one)")
    p.set_defaults(func=lambda args: c._staff("check_knowledge", args))

    p = sub.add_parser("knowledge", help="the knowledge as a whole: export / import FILE.xlsx (the contact tables as one "
                                         "Excel workbook), audit (the rows most likely stale)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, what in (("export", "write the contact tables to an Excel workbook"),
                         ("import", "read the contact tables back from an Excel workbook (all checked first)")):
        a = actions.add_parser(action, help=what)
        a.add_argument("workbook", help="an .xlsx file")
        a.add_argument("--directory", default=None, help="knowledge folder (default as for check-knowledge)")
        a.set_defaults(func=lambda args: c._staff("workbook", args))
    a = actions.add_parser("audit", help="rows by risk: reported unreachable, changed since, old legal forms, bureau "
                                         "divisions, no URL; counts per table (Japanese; --csv for Excel)")
    a.add_argument("--csv", action="store_true", help="every row at risk as CSV for a spreadsheet")
    a.add_argument("--top", type=int, default=50, help="rows listed in the text report (default 50)")
    a.add_argument("--database", metavar="FILE|URL",
                   help="the records with users' reports (default: $DATABASE_URL, else $MADOGUCHI_DB)")
    a.add_argument("--knowledge", metavar="DIR", default=None,
                   help="knowledge folder (default: $MADOGUCHI_KNOWLEDGE, ./knowledge or the packaged one)")
    a.set_defaults(func=c._curators("knowledge_audit"))
    a = actions.add_parser("versions", help="the versions curators sent from Slack or imported: who, when, what changed")
    a.add_argument("--limit", type=int, default=10, help="versions listed (default 10)")
    a.add_argument("--lines", type=int, default=5, help="change lines shown per version (default 5)")
    a.set_defaults(func=c._curators("knowledge_versions"))
    a = actions.add_parser("restore", help="undo the last applied version (every replica loads it within seconds)")
    a.set_defaults(func=c._curators("knowledge_restore"))
    for a in (actions.choices["versions"], actions.choices["restore"]):
        a.add_argument("--knowledge", metavar="DIR", default=None,
                       help="knowledge folder (default: $MADOGUCHI_KNOWLEDGE, ./knowledge or the packaged one)")

    p = sub.add_parser("mcp", help="serve the Model Context Protocol (tools find_office, whose_number) over stdio, or "
                                   "--http (streamable HTTP at /mcp, bearer token MADOGUCHI_MCP_TOKEN)")
    p.add_argument("--http", action="store_true", help="streamable HTTP instead of stdio")
    p.add_argument("--port", type=int, default=8765, help="HTTP port (default 8765)")
    p.add_argument("--host", default="127.0.0.1", help="HTTP address to listen on (default 127.0.0.1)")
    p.set_defaults(func=c._mcp)

    p = sub.add_parser("keygen", help="print a new key for MADOGUCHI_TOKEN_KEY (the tokens kept in OAuth mode are "
                                      "encrypted with it)")
    p.set_defaults(func=c._keygen)

    p = sub.add_parser("start", help="start the bot: Slack when tokens are set, else the console (the default)")
    p.set_defaults(func=c._start)

    p = sub.add_parser("serve", help="serve Slack: Socket Mode (SLACK_APP_TOKEN) or --http")
    p.add_argument("--http", action="store_true", help="HTTP mode: POST /slack/events and GET /healthz")
    p.add_argument("--socket-mode", action="store_true", help="Socket Mode (the default when SLACK_APP_TOKEN is set)")
    p.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT or 3000)")
    p.set_defaults(func=c._serve)

    p = sub.add_parser("ask", help="answer one question and exit")
    p.add_argument("question", nargs="+", help="the question, e.g. 二重ローン 宮城")
    p.set_defaults(func=c._ask)

    p = sub.add_parser("where", help="the file and line that hold a phone number or an office (for corrections)")
    p.add_argument("what", nargs="+", help="a phone number (022-225-6636) or part of an office's name (ジェトロ仙台)")
    p.set_defaults(func=lambda args: c._staff("where", args))

    p = sub.add_parser("chat", help="interactive console (one conversation; Ctrl-D exits)")
    p.add_argument("--jsonl", action="store_true",
                   help="read one message per line ({\"conversation\": …, \"text\": …} or plain text), write one JSON object per line")
    p.set_defaults(func=c._chat)

    p = sub.add_parser("report", help="unanswered questions, feedback, answers per category and prefecture")
    p.add_argument("--since", default="7d", help="7d, 24h, 2w, a date such as 2026-11-01, or all (default 7d)")
    p.add_argument("--csv", action="store_true", help="write CSV for a spreadsheet")
    p.add_argument("--export-eval", metavar="FILE", help="write the 違う cases as an evaluation file to fill in")
    p.add_argument("--database", metavar="FILE|URL",
                   help="the records (default: $DATABASE_URL, else $MADOGUCHI_DB or var/madoguchi.sqlite3)")
    p.add_argument("--team", metavar="ID", help="one Slack workspace only (its team or enterprise id)")
    p.set_defaults(func=c._curators("report"))

    p = sub.add_parser("records", help="the curators' records: delete --team ID (one workspace's, all of them)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("delete", help="delete every record of one Slack workspace (docs/privacy.md)")
    a.add_argument("--team", required=True, metavar="ID", help="the workspace's team (or enterprise) id")
    a.add_argument("--database", metavar="FILE|URL", help="the records (default: $DATABASE_URL, else $MADOGUCHI_DB)")
    a.set_defaults(func=c._curators("records_delete"))

    p = sub.add_parser("eval", help="run a question set (JSON lines, the public evaluation format) and score it")
    p.add_argument("file", help="JSON lines: {id, turns, expect, tags}")
    p.set_defaults(func=c._eval)

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
    p.set_defaults(func=c._bench)

    for p in sub.choices.values():
        if p.prog.split()[-1] not in ("check-knowledge", "report", "knowledge", "records"):
            p.add_argument("--knowledge", metavar="DIR", default=None,
                           help="knowledge folder (default: $MADOGUCHI_KNOWLEDGE, ./knowledge or the packaged one)")
    return parser
