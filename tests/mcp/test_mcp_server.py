"""`madoguchi mcp`: the bot as an MCP server, driven by the official SDK's own client over stdio and over streamable
HTTP (behind its bearer token), as Slackbot's MCP client or a desktop assistant would call it."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytest.importorskip("mcp", reason="the MCP server is an extra: pip install -e '.[mcp]' (the test extra has it)")

from mcp.client import Client  # noqa: E402
from mcp.client.stdio import StdioServerParameters  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402
from mcp.shared._httpx_utils import create_mcp_http_client  # noqa: E402

from tests.conftest import KNOWLEDGE_DIR, ROOT, number_of  # noqa: E402

TOKEN = "mcp-test-token-0123456789abcdef"
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "MADOGUCHI_DB": "off", "MADOGUCHI_CACHE_DIR": "off",
       "MADOGUCHI_KNOWLEDGE": str(KNOWLEDGE_DIR)}


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


async def calls(client_of, *requests):
    async with client_of() as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        results = [await client.call_tool(name, arguments) for name, arguments in requests]
        return tools, results


def stdio():
    return Client(StdioServerParameters(command=sys.executable, args=["-m", "bot", "mcp"], env=ENV, cwd=str(ROOT)))


@pytest.fixture(scope="module")
def http_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "bot", "mcp", "--http", "--port", str(port)], cwd=str(ROOT),
                               env={**ENV, "MADOGUCHI_MCP_TOKEN": TOKEN}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)


def http(url, token=TOKEN):
    return Client(streamable_http_client(url, http_client=create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})))


def test_find_office_over_stdio_gives_the_reply_and_the_offices_as_printed(knowledge):
    office = knowledge.contact_by_id["hikitsugi-miyagi"]
    tools, (ja, en) = run(calls(stdio, ("find_office", {"question": "事業承継 宮城"}),
                                ("find_office", {"question": "事業承継 宮城", "language": "en"})))
    assert set(tools) >= {"find_office", "whose_number"} and "question" in tools["find_office"].input_schema["properties"]
    assert not ja.is_error and ja.structured_content["kind"] == "contacts"
    (found,) = [o for o in ja.structured_content["offices"] if o["name"] == office.name]
    assert number_of("hikitsugi-miyagi") in found["phones"][0] and found["prefecture"] == "宮城県"
    assert office.name in ja.structured_content["reply"] and ja.structured_content["source"]["date"]
    assert ja.structured_content["changes"]  # the 2021 rename, with its source
    assert en.structured_content["reply"].startswith("For business succession")


def test_whose_number_and_bad_arguments_are_results_not_crashes(knowledge):
    number = number_of("jetro-sendai")
    _, (whose, empty, long, not_a_number, unknown) = run(calls(
        stdio, ("whose_number", {"number": number}), ("find_office", {"question": "   "}),
        ("find_office", {"question": "事業承継 " * 200}), ("whose_number", {"number": "宮城"}),
        ("whose_number", {"number": "022-000-1234"})))
    assert [o["name"] for o in whose.structured_content["offices"]] == [knowledge.contact_by_id["jetro-sendai"].name]
    for bad in (empty, long, not_a_number):
        assert bad.is_error and bad.content[0].text
    assert not unknown.is_error and unknown.structured_content["kind"] == "unknown_number"
    assert unknown.structured_content["offices"] == []


def test_over_http_the_token_is_required_and_the_sdk_client_is_answered(http_server, knowledge):
    _, (result,) = run(calls(lambda: http(http_server), ("find_office", {"question": "ジェトロ福岡"})))
    assert number_of("jetro-fukuoka") in json.dumps(result.structured_content, ensure_ascii=False)
    for headers in ({}, {"Authorization": "Bearer wrong-token"}):
        request = urllib.request.Request(http_server, data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json", **headers})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401


def test_http_is_refused_without_a_token():
    result = subprocess.run([sys.executable, "-m", "bot", "mcp", "--http"], capture_output=True, text=True, timeout=60,
                            env={**ENV, "MADOGUCHI_MCP_TOKEN": ""}, cwd=str(ROOT))
    assert result.returncode == 2 and "MADOGUCHI_MCP_TOKEN" in result.stderr


def test_a_version_curators_apply_reaches_a_running_server(tmp_path):
    """The MCP server follows the applied versions as the Slack app does (the same database, polled)."""
    import shutil

    from bot.curation.curating import Curation
    from bot.curation.source import KnowledgeSource, Mode
    from bot.curation.versions import Versions

    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    database = tmp_path / "records.sqlite3"
    old = number_of("jetro-sendai")
    env = {**ENV, "MADOGUCHI_DB": str(database), "MADOGUCHI_KNOWLEDGE": str(folder), "MADOGUCHI_KNOWLEDGE_POLL": "0.2"}

    async def session():
        server = StdioServerParameters(command=sys.executable, args=["-m", "bot", "mcp"], env=env, cwd=str(tmp_path))
        async with Client(server) as client:
            before = await client.call_tool("find_office", {"question": "ジェトロ仙台"})
            versions = Versions(database)
            text = (folder / "contacts" / "jetro.csv").read_text(encoding="utf-8")
            version = versions.propose(files={"contacts/jetro.csv": text.replace(old, "022-000-4321")},
                                       previous={"contacts/jetro.csv": text},
                                       base=0, kind="workbook", name="x.xlsx", summary="", user="U1")
            # applied as `madoguchi knowledge import` applies it: in this single-process setup, into the folder too
            source = KnowledgeSource(folder, versions, Mode.FOLDER)
            assert Curation(source).decide(version, "U1", True).refusal is None
            for _ in range(100):  # asked until it answers with it: no fixed sleep
                after = await client.call_tool("find_office", {"question": "ジェトロ仙台"})
                if "022-000-4321" in after.structured_content["reply"]:
                    return before, after
                await asyncio.sleep(0.1)
            return before, after

    before, after = run(session())
    assert old in before.structured_content["reply"]
    assert "022-000-4321" in after.structured_content["reply"]
