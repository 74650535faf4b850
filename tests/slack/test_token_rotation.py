"""Token rotation with two replicas on one PostgreSQL: the installation's token is about to expire and both replicas
get an event at the same moment; Slack's refresh token works once, so exactly one replica refreshes and both answer
with the new token."""

import threading

from bot.core.engine import Engine
from bot.runtime import Runtime, build_snapshot
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.server import http_server, serve_in_background
from bot.slack.services import SlackServices
from tests.fakes.fake_slack import FakeSlack
from tests.servers import postgres_url  # noqa: F401 - pytest fixture
from tests.slack.conftest import SECRET, TOKEN_KEY, BotUnderTest
from tests.slack.test_oauth import event_for, install


def test_two_replicas_refresh_an_expiring_token_once(postgres_url, knowledge, tokenizer, index):  # noqa: F811
    with FakeSlack("xoxb-unused") as slack:
        settings = Settings(signing_secret=SECRET, api_url=slack.api_url, client_id="111.222", client_secret="shh",
                            database_url=postgres_url, token_keys=(TOKEN_KEY,))
        replicas = []
        for _ in range(2):
            runtime = Runtime(build_snapshot(knowledge, None, engine=Engine(knowledge, tokenizer, index)))
            services = SlackServices(runtime, settings)
            server = http_server(build_app(settings, runtime, services=services), port=0, host="127.0.0.1",
                                 signing_secret=SECRET)
            serve_in_background(server)
            replicas.append((BotUnderTest(f"http://127.0.0.1:{server.effective_port}", slack, runtime, None, services),
                             server))
        try:
            install(replicas[0][0], "T7-rotating")
            threads = [threading.Thread(target=bot.post, args=(event_for("T7", "二重ローン 宮城", f"D{n}"),))
                       for n, (bot, _) in enumerate(replicas)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            posts = slack.wait_for("chat.postMessage", 2)
        finally:
            for _, server in replicas:
                server.close()
    refreshes = [c for c in slack.sent("oauth.v2.access") if c.params.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 1
    assert {c.headers["Authorization"] for c in posts} == {"Bearer xoxb-inst-T7-r1"}
