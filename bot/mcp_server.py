"""`madoguchi mcp`: the bot as a Model Context Protocol server (the official `mcp` SDK, 2.x), so that Slackbot's MCP
client or a desktop AI assistant asks it for an office instead of guessing a phone number.

A thin front end like the console and the Slack app: each call is one question to the core, in a conversation of its
own; the numbers are the knowledge's, as printed in the source. Over stdio it is the local user's own process; over
streamable HTTP every request must carry `Authorization: Bearer <MADOGUCHI_MCP_TOKEN>` (refused to start without it).
"""

from __future__ import annotations

import hmac
import uuid
from typing import Literal

from pydantic import BaseModel, Field

from bot.core import answer as A
from bot.knowledge.phones import numbers_in_text
from bot.runtime import Runtime

MAX_QUESTION = 600  # characters a question may have (the bot reads the first 600 of a Slack message too)
MAX_NUMBER = 40
INSTRUCTIONS = ("窓口ナビ: whom a small business in Japan should call. Answers come only from a curated list of public "
                "offices (中小企業庁「お問い合わせ先一覧」, about 2012–2013, with what changed since); never guess a "
                "phone number: quote the ones returned, with the source line.")


class Office(BaseModel):
    """One office the answer names, as the list prints it."""

    name: str
    phones: list[str] = Field(description="numbers as printed in the source, with their labels")
    url: str = ""
    notes: str = ""
    prefecture: str = Field("", description="the prefecture it serves, '' for a nationwide or regional office")
    serves: str = Field(description="全国, a prefecture, a city or a regional area")
    added_by_staff: bool = Field(False, description="not in the source document: added by the curators")


class Source(BaseModel):
    title: str
    publisher: str
    date: str = Field(description="the document's date (estimated when it carries none)")
    checked: str = Field(description="when the curators last checked the data")


class Found(BaseModel):
    """What the bot answered: the reply as it would say it, and the offices in it."""

    reply: str
    kind: str = Field(description="contacts, reverse, clarify (it needs to know more), fallback, unknown_number …")
    offices: list[Office]
    changes: list[str] = Field(description="what changed since the list for these offices, each with its source")
    source: Source


def build_server(runtime: Runtime):
    """The MCP server with its two tools, answering from the runtime's current knowledge."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    server = MCPServer("madoguchi", instructions=INSTRUCTIONS)

    def found(question: str, language: str | None) -> Found:
        reply = runtime.ask("mcp", f"mcp:{uuid.uuid4().hex}", question)
        answer = reply.answer._replace(language=language) if language else reply.answer
        snapshot, k = reply.snapshot, reply.snapshot.knowledge
        w = snapshot.text.wording(answer)
        offices = [Office(name=c.name, phones=[w.phone_text(p) for p in c.phones], url=c.url, notes=c.notes,
                          prefecture=k.prefecture_by_short[p].name if (p := k.prefecture_of(c)) else "",
                          serves=c.serves.value if c.serves.kind.value != "area" else k.area_by_id[c.serves.value].name,
                          added_by_staff=c.source_line is None) for c in answer.contacts]
        source = k.source
        return Found(reply=snapshot.text.render(answer), kind=str(answer.kind), offices=offices,
                     changes=[w.change_text(x) for x in (*answer.unlisted, *answer.changes)],
                     source=Source(title=source.title, publisher=source.publisher,
                                   date=f"{source.as_of}（推定）" if source.estimated else source.as_of,
                                   checked=source.reviewed))

    @server.tool(description="Find the public office a small business in Japan should call, from a curated list: the "
                             "reply text and the offices (names, phone numbers as printed, URLs, notes, the prefecture "
                             "they serve). Ask in Japanese or English, with the topic and the place (e.g. "
                             "「二重ローン 宮城」, 'business succession in Sendai').")
    def find_office(question: str, language: Literal["ja", "en"] | None = None) -> Found:
        question = " ".join((question or "").split())
        if not question:
            raise ToolError("question is empty: ask with a topic and a place, e.g. 「事業承継 宮城」")
        if len(question) > MAX_QUESTION:
            raise ToolError(f"question is longer than {MAX_QUESTION} characters: ask the question alone")
        return found(question, language)

    @server.tool(description="Whose phone number is this? The offices of the list that hold it (or that none does).")
    def whose_number(number: str) -> Found:
        number = (number or "").strip()
        if not number or len(number) > MAX_NUMBER or not numbers_in_text(number):
            raise ToolError("number must be one Japanese phone number, such as 022-225-6636")
        result = found(number, None)
        if result.kind not in (A.REVERSE, A.UNKNOWN_NUMBER):
            raise ToolError("number must be one Japanese phone number, such as 022-225-6636")
        return result

    return server


class BearerToken:
    """ASGI middleware: every request carries `Authorization: Bearer <token>` (compared in constant time), else 401."""

    def __init__(self, app, token: str):
        self.app, self.token = app, token.encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not (given.startswith(b"Bearer ") and hmac.compare_digest(given[7:].strip(), self.token)):
                await send({"type": "http.response.start", "status": 401,
                            "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]})
                await send({"type": "http.response.body", "body": b'{"error": "unauthorized"}'})
                return
        await self.app(scope, receive, send)


def serve_stdio(runtime: Runtime) -> None:
    build_server(runtime).run("stdio")


def serve_http(runtime: Runtime, token: str, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Streamable HTTP at /mcp behind the bearer token (uvicorn, which the SDK brings)."""
    import uvicorn

    app = build_server(runtime).streamable_http_app(host=host)
    uvicorn.run(BearerToken(app, token), host=host, port=port, log_level="warning")


def command(args, settings, make_runtime) -> int:
    """`madoguchi mcp [--http]`: stdio (a local assistant starts it), or streamable HTTP behind the bearer token."""
    import sys

    from bot.settings import SettingsError

    if args.http:
        try:
            settings.require_mcp_token()
        except SettingsError as e:
            print(f"madoguchi: {e}", file=sys.stderr)
            return 2
    runtime = make_runtime(args, settings)
    from bot.assembly import follow_versions

    follow_versions(runtime, settings)  # a version curators apply reaches this server too (a daemon thread)
    if args.http:
        serve_http(runtime, settings.mcp_token, host=args.host, port=args.port)
    else:
        serve_stdio(runtime)
    return 0
