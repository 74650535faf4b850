"""Socket Mode: the same app, connected through apps.connections.open and a WebSocket, answers."""

import time
import uuid

from bot.bench.fake_slack import BOT_USER_ID, TEAM_ID
from bot.core.conversation import MemoryStore
from bot.core.engine import Engine
from bot.presenters.text import TextPresenter
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.server import socket_mode_handler
from tests.slack.conftest import TOKEN, mention
from tests.slack.ws_server import MiniSocketModeServer


def test_socket_mode_receives_a_mention_acks_it_and_answers(slack, knowledge, tokenizer, index):
    """An events_api envelope over the WebSocket is acknowledged and answered with chat.postMessage."""
    server = MiniSocketModeServer()
    slack.ws_url = server.url
    settings = Settings(bot_token=TOKEN, app_token="xapp-test", api_url=slack.api_url)
    runtime = Runtime(knowledge, Engine(knowledge, tokenizer, MemoryStore(), index), TextPresenter(knowledge))
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
        assert "092-741-8783" in call.params["text"]
    finally:
        handler.close()
        server.close()
