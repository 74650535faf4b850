"""Many workspaces through Bolt's OAuth flow: two workspaces install the app (against the fake Slack's
oauth.v2.access), each is answered with its own token from the installation store (slack_sdk's SQLAlchemy store on
the records' database), and app_uninstalled removes a workspace's installation."""

import json
import re
import urllib.parse
import urllib.request

import pytest

from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.server import http_server, serve_in_background
from tests.fakes.fake_slack import FakeSlack
from tests.slack.conftest import SECRET, TOKEN_KEY, BotUnderTest, ListRecorder, dm


@pytest.fixture
def installable(tmp_path, knowledge, tokenizer, index):
    from bot.core.engine import Engine
    from bot.runtime import Runtime, build_snapshot

    with FakeSlack("xoxb-unused") as slack:
        settings = Settings(signing_secret=SECRET, api_url=slack.api_url, client_id="111.222", client_secret="shh",
                            database=tmp_path / "records.sqlite3", installations_db=tmp_path / "installations.sqlite3",
                            token_keys=(TOKEN_KEY,))
        from bot.slack.services import SlackServices

        runtime = Runtime(build_snapshot(knowledge, None, engine=Engine(knowledge, tokenizer, index)))
        services = SlackServices(runtime, settings)
        server = http_server(build_app(settings, runtime, services=services), port=0, host="127.0.0.1", threads=4,
                             signing_secret=SECRET)
        serve_in_background(server)
        yield BotUnderTest(f"http://127.0.0.1:{server.effective_port}", slack, runtime, None, services), settings
        server.close()


def install(bot: BotUnderTest, team: str) -> str:
    """Open the install page, follow "Add to Slack" as Slack would, come back to the redirect with a code."""
    with urllib.request.urlopen(bot.url + "/slack/install", timeout=10) as r:
        page, cookie = r.read().decode(), r.headers.get("Set-Cookie", "").split(";")[0]  # Secure: sent by hand here
    link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page).group(1)
    state = urllib.parse.parse_qs(urllib.parse.urlparse(link.replace("&amp;", "&")).query)["state"][0]
    request = urllib.request.Request(f"{bot.url}/slack/oauth_redirect?code=code-{team}&state={state}",
                                     headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.read().decode()


def event_for(team: str, text: str, channel: str) -> str:
    return json.dumps({"token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
                       "event_id": f"Ev{team}{channel}", "event_time": 1, "event": dm(text, channel=channel),
                       "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}]}, ensure_ascii=False)


def test_two_workspaces_install_and_are_answered_with_their_own_tokens(installable):
    bot, _ = installable
    for team in ("T1", "T2"):
        assert "Slack" in install(bot, team)
    for team, channel in (("T1", "D1"), ("T2", "D2")):
        assert bot.post(event_for(team, "二重ローン 宮城", channel))[0] == 200
    posts = bot.slack.wait_for("chat.postMessage", 2)
    tokens = {c.params["channel"]: c.headers["Authorization"] for c in posts}
    assert tokens == {"D1": "Bearer xoxb-inst-T1", "D2": "Bearer xoxb-inst-T2"}
    assert len(bot.slack.sent("oauth.v2.access")) == 2


def test_an_uninstalled_workspace_is_not_answered_any_more(installable):
    bot, settings = installable
    install(bot, "T3")
    install(bot, "T4")
    uninstalled = json.dumps({"token": "legacy", "team_id": "T3", "api_app_id": "A1", "type": "event_callback",
                              "event_id": "EvGone", "event_time": 1, "event": {"type": "app_uninstalled"},
                              "authorizations": [{"team_id": "T3", "user_id": "UBOT", "is_bot": True}]})
    assert bot.post(uninstalled)[0] == 200
    # Bolt deletes the installation after acknowledging: wait until it is gone (Slack sends nothing more after it)
    import sqlite3
    import time

    def installed() -> bool:
        db = sqlite3.connect(settings.installations_db)
        try:
            return bool(db.execute("SELECT count(*) FROM slack_bots WHERE team_id = 'T3'").fetchone()[0])
        finally:
            db.close()

    deadline = time.monotonic() + 10
    while installed():
        assert time.monotonic() < deadline, "the installation was not deleted"
        time.sleep(0.02)
    bot.post(event_for("T3", "二重ローン 宮城", "D3"))
    bot.post(event_for("T4", "二重ローン 宮城", "D4"))  # a sentinel from a workspace still installed
    assert bot.slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("channel") == "D4")
    assert all(pool.drain(10) for pool in bot.services.pools)
    assert not [c for c in bot.slack.sent("chat.postMessage") if c.params.get("channel") == "D3"]


def test_the_install_page_has_an_add_to_slack_link(installable):
    bot, settings = installable
    page = urllib.request.urlopen(bot.url + "/slack/install", timeout=10).read().decode()
    assert "slack.com/oauth/v2/authorize" in page and f"client_id={settings.client_id}" in page


def test_one_workspaces_conversation_is_never_another_ones(installable):
    """The same channel and thread ids in two workspaces are two conversations: T2's 「宮城です」 does not answer T1's
    question."""
    bot, _ = installable
    install(bot, "T5")
    install(bot, "T6")

    def thread_event(team, text, ts, thread=None):
        event = {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "channel": "C1", "ts": ts, "team": team}
        if thread:
            event["thread_ts"] = thread
        return json.dumps({"token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
                           "event_id": f"Ev{team}{ts}", "event_time": 1, "event": event,
                           "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}]}, ensure_ascii=False)

    bot.post(thread_event("T5", "事業承継の相談をしたい", "500.1"))
    bot.slack.wait_for("chat.postMessage")
    bot.post(thread_event("T6", "宮城です", "500.2", thread="500.1"))
    (_, reply) = bot.slack.wait_for("chat.postMessage", 2)
    assert reply.headers["Authorization"] == "Bearer xoxb-inst-T6"
    assert reply.params["text"].startswith("宮城県のどの窓口をお探しですか")  # a fresh question, not T5's topic


def test_an_org_wide_enterprise_grid_install_answers_in_its_workspaces(installable):
    """Installed once for the organization (kept under the enterprise id): a workspace of it is answered."""
    bot, _ = installable
    install(bot, "E1")
    body = json.loads(event_for("T9", "二重ローン 宮城", "D9"))
    body["enterprise_id"] = "E1"
    body["authorizations"] = [{"enterprise_id": "E1", "team_id": None, "user_id": "UBOT", "is_bot": True,
                               "is_enterprise_install": True}]
    body["is_enterprise_install"] = True
    assert bot.post(json.dumps(body, ensure_ascii=False))[0] == 200
    assert bot.slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("channel") == "D9")
    (post,) = [c for c in bot.slack.sent("chat.postMessage") if c.params.get("channel") == "D9"]
    assert post.headers["Authorization"] == "Bearer xoxb-inst-E1"


def test_an_org_wide_installs_buttons_answer_and_its_records_name_the_workspace(installable):
    """Org-wide (Enterprise Grid): Bolt's context has no team, so every button once said 「このボタンはほかの方の質問の
    ものです」 and records had no workspace. One key (enterprise/team) everywhere: the click answers in place."""
    bot, _ = installable
    install(bot, "E1")
    bot.runtime.recorder = recorder = ListRecorder()
    body = json.loads(event_for("T9", "宮城県", "D9"))
    body.update(enterprise_id="E1", is_enterprise_install=True,
                authorizations=[{"enterprise_id": "E1", "team_id": None, "user_id": "UBOT", "is_bot": True,
                                 "is_enterprise_install": True}])
    assert bot.post(json.dumps(body, ensure_ascii=False))[0] == 200
    (question,) = bot.slack.wait_for("chat.postMessage")
    actions = next(b for b in question.params["blocks"] if b["type"] == "actions")
    button = next(e for e in actions["elements"] if "事業承継" in e["text"]["text"])
    click = {"type": "block_actions", "user": {"id": "U1", "team_id": "T9"}, "team": {"id": "T9", "domain": "w9"},
             "enterprise": {"id": "E1", "name": "Org"}, "is_enterprise_install": True, "api_app_id": "A1",
             "channel": {"id": "D9"}, "container": {"type": "message", "channel_id": "D9"}, "trigger_id": "t",
             "response_url": bot.slack.response_url("org-click"),
             "actions": [{"type": "button", "action_id": button["action_id"], "value": button["value"]}]}
    assert bot.post(urllib.parse.urlencode({"payload": json.dumps(click, ensure_ascii=False)}),
                    "application/x-www-form-urlencoded")[0] == 200
    (response,) = bot.slack.wait_for("response_url")
    assert response.params.get("replace_original") is True, response.params
    assert "宮城県事業引継ぎ相談窓口" in response.params["text"]
    assert [team for *_, team in recorder.answers] == ["E1/T9", "E1/T9"]  # the question and the click
