"""Reloading the knowledge without a restart: validated first; on problems the old knowledge keeps serving."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.fakes.fake_slack import FakeSlack
from bot.runtime import build_runtime
from tests.conftest import KNOWLEDGE_DIR, number_of
from tests.slack.conftest import SECRET, TOKEN, BotUnderTest, dm
from tests.slack.conftest import slack as slack  # noqa: F401 - the fake Web API fixture


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def change_number(folder, old, new):
    f = folder / "contacts" / "jetro.csv"
    f.write_text(f.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return f


def test_a_valid_change_is_served_and_conversations_continue(folder, tmp_path):
    """A corrected number is answered after reload; a pending question survives it."""
    runtime = build_runtime(str(folder), cache_dir=tmp_path / "cache")
    assert runtime.ask("t", "c1", "事業承継の相談をしたい").answer.kind == "clarify"
    change_number(folder, number_of("jetro-fukuoka"), "092-741-0000")
    assert runtime.reload() == []
    assert "092-741-0000" in runtime.ask("t", "c2", "ジェトロ福岡").text
    assert runtime.ask("t", "c1", "宮城です").answer.contacts[0].id == "hikitsugi-miyagi"


def test_a_follow_up_about_an_office_removed_by_a_reload_is_answered_without_it(folder, tmp_path):
    """「電話番号は？」 after a reload that deleted the office just shown falls back instead of failing."""
    runtime = build_runtime(str(folder), cache_dir=tmp_path / "cache")
    assert [c.id for c in runtime.ask("t", "c", "ジェトロ福岡").answer.contacts] == ["jetro-fukuoka"]
    f = folder / "contacts" / "jetro.csv"
    f.write_text("".join(line for line in f.read_text(encoding="utf-8").splitlines(keepends=True)
                         if not line.startswith("jetro-fukuoka,")), encoding="utf-8")
    assert runtime.reload() == []
    answer = runtime.ask("t", "c", "電話番号は？").answer
    assert answer.kind == "fallback" and not answer.contacts


def test_a_broken_change_is_refused_and_the_old_knowledge_keeps_serving(folder, tmp_path):
    """On any problem reload returns path:line messages and nothing changes."""
    runtime = build_runtime(str(folder), cache_dir=tmp_path / "cache")
    f = change_number(folder, number_of("jetro-fukuoka"), "092-741-87")
    problems = runtime.reload()
    assert [str(p).startswith(f"{f}:") for p in problems] == [True]
    assert number_of("jetro-fukuoka") in runtime.ask("t", "c", "ジェトロ福岡").text


def test_only_admins_can_reload_from_slack_and_they_see_the_problems(bot, folder):
    """`/madoguchi reload`: refused for others; for an admin, problems are listed and the old knowledge stays."""
    import json

    status, body = bot.command("reload", user="U1")
    assert status == 200 and "管理者だけ" in json.loads(body)["text"]
    f = change_number(folder, number_of("jetro-fukuoka"), "bad-number")
    status, body = bot.command("reload", user="UADMIN")
    assert status == 200 and "結果はこのあと" in json.loads(body)["text"]  # acknowledged at once; the result follows
    (result,) = bot.slack.wait_for("response_url")
    assert "再読み込みしませんでした" in result.params["text"] and f"{f}:" in result.params["text"]
    change_number(folder, "bad-number", "092-741-1111")
    status, body = bot.command("reload", user="UADMIN")
    assert "再読み込みしました" in bot.slack.wait_for("response_url", 2)[-1].params["text"]
    status, body = bot.command("ジェトロ福岡")
    assert "092-741-1111" in json.loads(body)["text"]


@pytest.fixture
def bot(slack, folder, tmp_path):  # noqa: F811 - pytest fixture argument
    """The Slack app over HTTP on a copy of the knowledge, with UADMIN as its admin."""

    from bot.settings import Settings
    from bot.slack.app import build_app
    from bot.slack.server import http_server, serve_in_background

    settings = Settings(bot_token=TOKEN, signing_secret=SECRET, api_url=slack.api_url, admins=("UADMIN",))
    runtime = build_runtime(str(folder), cache_dir=tmp_path / "cache")
    server = http_server(build_app(settings, runtime), port=0, host="127.0.0.1", threads=2, signing_secret=SECRET)
    serve_in_background(server)
    yield BotUnderTest(f"http://127.0.0.1:{server.effective_port}", slack, runtime, None)
    server.close()


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs SIGHUP")
def test_sighup_reloads_a_running_server(folder, tmp_path):
    """`madoguchi serve --http` on SIGHUP: a file saved as UTF-16 is refused with a Japanese message naming it (no
    traceback) while the old knowledge keeps answering; once saved right, the next answer has the corrected number."""
    import threading

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with FakeSlack(TOKEN) as fake:
        env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.api_url,
               "MADOGUCHI_KNOWLEDGE": str(folder), "MADOGUCHI_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
        env.pop("SLACK_APP_TOKEN", None)
        server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)], env=env, cwd=tmp_path,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            client = BotUnderTest(f"http://127.0.0.1:{port}", fake, None, None)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if client.post("{}")[0]:
                        break
                except OSError:
                    time.sleep(0.1)
            logged: list[str] = []
            threading.Thread(target=lambda: logged.extend(iter(server.stderr.readline, "")), daemon=True).start()
            jetro = folder / "contacts" / "jetro.csv"
            saved = jetro.read_bytes()
            jetro.write_bytes(b"\xff\xfe" + saved.decode("utf-8-sig").encode("utf-16-le"))  # Excel's 「Unicode テキスト」
            server.send_signal(signal.SIGHUP)
            deadline = time.monotonic() + 30
            while not any("UTF-16" in line for line in logged) and time.monotonic() < deadline:
                time.sleep(0.1)
            problem = next(line for line in logged if "UTF-16" in line)
            assert f"{jetro}:1: UTF-16（Unicode テキスト）で保存されています → " in problem
            assert not any("Traceback" in line for line in logged)
            client.event(dm("ジェトロ福岡", channel="D0"))
            assert number_of("jetro-fukuoka") in fake.wait_for("chat.postMessage")[-1].params["text"]
            jetro.write_bytes(saved)
            change_number(folder, number_of("jetro-fukuoka"), "092-741-2222")
            server.send_signal(signal.SIGHUP)
            deadline = time.monotonic() + 30
            text = ""
            n = 0
            while "092-741-2222" not in text and time.monotonic() < deadline:
                n += 1
                client.event(dm("ジェトロ福岡", channel=f"D{n}"))
                text = fake.wait_for("chat.postMessage", n + 1)[-1].params["text"]
                time.sleep(0.2)
            assert "092-741-2222" in text
        finally:
            server.terminate()
            server.wait(timeout=10)
