"""Socket Mode: the same app, connected through apps.connections.open and a WebSocket, answers."""

import time
import uuid

from tests.fakes.fake_slack import BOT_USER_ID, TEAM_ID
from bot.core.engine import Engine
from bot.runtime import Runtime, build_snapshot
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.server import socket_mode_handler
from tests.slack.conftest import TOKEN, mention
from tests.slack.ws_server import MiniSocketModeServer
from tests.conftest import number_of


def test_socket_mode_receives_a_mention_acks_it_and_answers(slack, knowledge, tokenizer, index):
    """An events_api envelope over the WebSocket is acknowledged and answered with chat.postMessage."""
    server = MiniSocketModeServer()
    slack.ws_url = server.url
    settings = Settings(bot_token=TOKEN, app_token="xapp-test", api_url=slack.api_url)
    runtime = Runtime(build_snapshot(knowledge, None, engine=Engine(knowledge, tokenizer, index)))
    handler = socket_mode_handler(build_app(settings, runtime, socket_mode=True), settings.app_token)
    handler.connect()
    try:
        assert server.wait_until_connected()
        assert slack.sent("apps.connections.open")
        envelope_id = str(uuid.uuid4())
        server.send({"envelope_id": envelope_id, "type": "events_api", "accepts_response_payload": False,
                     "payload": {"team_id": TEAM_ID, "api_app_id": "A1", "type": "event_callback", "event_id": "EvSock1",
                                 "event_time": int(time.time()), "event": mention("ジェトロ福岡の電話番号", ts="1700000009.000100"),
                                 "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}]}})
        assert server.wait_for_ack(envelope_id) is not None
        (call,) = slack.wait_for("chat.postMessage")
        assert call.params["thread_ts"] == "1700000009.000100"
        assert number_of("jetro-fukuoka") in call.params["text"]
    finally:
        handler.close()
        server.close()


def test_socket_mode_health_check_reflects_the_connection():
    """GET /healthz is 200 while connected and 503 when the WebSocket is down."""
    import io

    from bot.slack.server import health_application

    state = {"up": True}
    app = health_application(lambda: state["up"])
    seen = []

    def call(path):
        body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()},
                            lambda status, headers: seen.append(status)))
        return seen[-1], body

    assert call("/healthz") == ("200 OK", b"ok\n")
    state["up"] = False
    assert call("/healthz")[0].startswith("503")
    assert call("/other")[0].startswith("404")


def test_serve_in_socket_mode_connects_reports_healthy_and_drains_on_sigterm(slack, tmp_path):
    """`madoguchi serve` with SLACK_APP_TOKEN connects through apps.connections.open and answers /healthz; on SIGTERM
    it answers the event it acknowledged (the post takes a second) and exits 0."""
    import os
    import socket
    import subprocess
    import sys
    import urllib.request

    server = MiniSocketModeServer()
    slack.ws_url = server.url
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": "xapp-test", "SLACK_API_URL": slack.api_url,
           "PORT": str(port), "MADOGUCHI_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("SLACK_SIGNING_SECRET", None)
    from tests.conftest import KNOWLEDGE_DIR, ROOT

    process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env={**env, "MADOGUCHI_KNOWLEDGE": str(KNOWLEDGE_DIR)},
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert server.wait_until_connected(timeout=60)
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and status != 200:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    status = r.status
            except OSError:
                time.sleep(0.2)
        assert status == 200
        slack.fault("chat.postMessage", "slow", 1.0)
        envelope_id = str(uuid.uuid4())
        server.send({"envelope_id": envelope_id, "type": "events_api", "accepts_response_payload": False,
                     "payload": {"type": "event_callback", "team_id": TEAM_ID, "event_id": "EvSigterm",
                                 "event": mention("二重ローン 宮城", channel="C7")}})
        assert server.wait_for_ack(envelope_id) is not None
        process.terminate()
        assert process.wait(timeout=20) == 0
        assert [c.params["channel"] for c in slack.sent("chat.postMessage")] == ["C7"]
    finally:
        if process.poll() is None:
            process.kill()
        server.close()


def test_a_socket_mode_drop_is_one_line_per_outage_not_dozens_of_tracebacks():
    """slack_sdk logs a traceback per failed read and reconnect: the filter keeps one line per message and minute."""
    import logging

    from bot.slack.server import QuietReconnects

    now = [0.0]
    quiet = QuietReconnects(clock=lambda: now[0])

    def record(message):
        try:
            raise ConnectionResetError("peer closed")
        except ConnectionResetError:
            import sys

            return logging.LogRecord("slack_sdk.socket_mode.builtin.client", logging.ERROR, __file__, 1, message, None,
                                     sys.exc_info())

    kept = [r for r in (record("Failed to receive or enqueue a message") for _ in range(40)) if quiet.filter(r)]
    assert len(kept) == 1 and kept[0].exc_info is None and "ConnectionResetError: peer closed" in kept[0].getMessage()
    now[0] += 61
    assert quiet.filter(record("Failed to receive or enqueue a message"))  # a minute later it is said again
    other = logging.LogRecord("madoguchi.serve", logging.ERROR, __file__, 1, "x", None, None)
    assert quiet.filter(other) and quiet.filter(other)  # our own messages are untouched
