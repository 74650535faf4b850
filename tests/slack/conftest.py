"""The real Bolt app, signed like Slack signs, against a fake Web API: dispatched in-process (`bot`, as bolt-python
tests its own listeners) or behind its real HTTP endpoint on waitress (`http_bot`, where the HTTP layer matters)."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from tests.fakes.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack
from bot.core.engine import Engine
from bot.core.index import build_index
from bot.runtime import Runtime, build_snapshot
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.server import http_server, serve_in_background

SECRET = "test-signing-secret"
SENTINEL = "DSENTINEL"
TOKEN = "xoxb-test-token-0000"
TOKEN_KEY = "lzSCIs5mLcw-i5xuuwAaeDlGTI5CtnK36j9as_w4EsM="  # MADOGUCHI_TOKEN_KEY of the OAuth tests (a Fernet key)


@dataclass
class ListRecorder:
    answers: list = field(default_factory=list)
    feedbacks: list = field(default_factory=list)
    reasons: list = field(default_factory=list)

    def answered(self, surface, question, answer, user, reply, team=""):
        self.answers.append((surface, question, answer.kind, user, team))

    def feedback(self, surface, helpful, question, answer_summary, user, team=""):
        self.feedbacks.append((surface, helpful, question, answer_summary, user, team))

    def reason(self, surface, reason, question, contacts, user, team=""):
        self.reasons.append((surface, reason, question, tuple(contacts), user, team))


@dataclass
class BotUnderTest:
    url: str
    slack: FakeSlack
    runtime: Runtime
    recorder: ListRecorder
    services: object = None

    def post(self, body: str, content_type="application/json", *, timestamp=None, secret=SECRET, headers=None, path="/slack/events"):
        """POST signed exactly as Slack signs: v0=HMAC-SHA256(secret, 'v0:{timestamp}:{body}')."""
        ts = str(int(time.time())) if timestamp is None else str(timestamp)
        signature = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        request = urllib.request.Request(self.url + path, data=body.encode("utf-8"), method="POST", headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8")

    def event(self, event: dict, *, event_id=None, headers=None, **kwargs):
        body = {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A1", "type": "event_callback",
                "event_id": event_id or f"Ev{uuid.uuid4().hex[:10]}", "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}]}
        return self.post(json.dumps(body, ensure_ascii=False), headers=headers, **kwargs)

    def command(self, text: str, user="U1", channel="C1"):
        form = {"token": "legacy", "team_id": TEAM_ID, "channel_id": channel, "user_id": user, "command": "/madoguchi",
                "text": text, "response_url": self.slack.response_url("command"), "trigger_id": "trig1"}
        return self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")

    def click(self, action: dict, user="U1", channel="D1", response="click"):
        payload = {"type": "block_actions", "user": {"id": user}, "team": {"id": TEAM_ID}, "channel": {"id": channel},
                   "container": {"type": "message", "channel_id": channel}, "trigger_id": "trig2",
                   "response_url": self.slack.response_url(response), "actions": [action], "api_app_id": "A1"}
        return self.post(urllib.parse.urlencode({"payload": json.dumps(payload, ensure_ascii=False)}),
                         "application/x-www-form-urlencoded")

    def settle(self) -> None:
        """Send a sentinel DM after the requests under test and wait for its reply: what they were going to send was
        queued before it (a fixed sleep would pass when a late duplicate arrives after it)."""
        channel = f"{SENTINEL}{uuid.uuid4().hex[:8].upper()}"
        assert self.event(dm("使い方", channel=channel))[0] == 200
        assert self.slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("channel") == channel)
        if self.services is not None:  # the answer pools run jobs side by side: a job queued earlier may end later
            assert all(pool.drain(10) for pool in self.services.pools)

    def posts(self) -> list:
        """The chat.postMessage calls, sentinels left out."""
        return [c for c in self.slack.sent("chat.postMessage") if not str(c.params.get("channel", "")).startswith(SENTINEL)]


class DispatchedBot(BotUnderTest):
    """The same app with each request dispatched in-process, as bolt-python tests its own listeners
    (`app.dispatch(BoltRequest(...))`): Bolt's own signature check and every listener run; only the HTTP layer
    (waitress and bot.slack.server's size, signature and body checks) is left out — the `http_bot` tests keep it."""

    app: object = None

    def post(self, body: str, content_type="application/json", *, timestamp=None, secret=SECRET, headers=None, path="/slack/events"):
        from slack_bolt.request import BoltRequest

        ts = str(int(time.time())) if timestamp is None else str(timestamp)
        signature = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        response = self.app.dispatch(BoltRequest(body=body, headers={
            "content-type": content_type, "x-slack-request-timestamp": ts, "x-slack-signature": signature,
            **{k.lower(): v for k, v in (headers or {}).items()}}))
        return response.status, response.body


def mention(text, *, channel="C1", user="U1", ts=None, thread_ts=None, client_msg_id=None):
    event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER_ID}> {text}", "channel": channel,
             "ts": ts or f"{time.time():.6f}", "team": TEAM_ID}
    if thread_ts:
        event["thread_ts"] = thread_ts
    if client_msg_id:
        event["client_msg_id"] = client_msg_id
    return event


def dm(text, *, channel="D1", user="U1", client_msg_id=None, **extra):
    event = {"type": "message", "channel_type": "im", "user": user, "text": text, "channel": channel,
             "ts": f"{time.time():.6f}", "team": TEAM_ID, **extra}
    if client_msg_id:
        event["client_msg_id"] = client_msg_id
    return event


@pytest.fixture(scope="session")
def index(knowledge, tokenizer):
    return build_index(knowledge, tokenizer)


@pytest.fixture
def slack():
    with FakeSlack(TOKEN) as fake:
        yield fake


@contextmanager
def running_bot(slack, knowledge, tokenizer, index, services=None, over_http=True, shared=None, recorder=None):
    """The app talking to the fake Web API: over HTTP on a free local port (waitress), or dispatched in-process.
    shared: a bot.stores.redis_store.Redis holding the conversations, seen events and shares, as `serve` wires it."""
    from bot.core.turns import Conversations
    from bot.slack.services import SlackServices

    settings = Settings(bot_token=TOKEN, signing_secret=SECRET, api_url=slack.api_url)
    recorder = recorder if recorder is not None else ListRecorder()
    runtime = Runtime(build_snapshot(knowledge, None, engine=Engine(knowledge, tokenizer, index)), recorder=recorder)
    made = services(runtime, settings) if services else SlackServices(runtime, settings)
    seen = None
    if shared is not None:
        from bot.stores.redis_store import RedisSeenEvents, RedisShares, RedisStateStore

        runtime.conversations = Conversations(RedisStateStore(shared))
        seen, made.shares = RedisSeenEvents(shared), RedisShares(shared)
    app = build_app(settings, runtime, services=made, seen=seen)
    server = None
    if over_http:
        server = http_server(app, port=0, host="127.0.0.1", threads=4, signing_secret=SECRET)
        serve_in_background(server)
        running = BotUnderTest(f"http://127.0.0.1:{server.effective_port}", slack, runtime, recorder, made)
    else:
        running = DispatchedBot("in-process", slack, runtime, recorder, made)
        running.app = app
    try:
        yield running
    finally:
        slack.heal()  # release calls hanging in the fake, skip what still waits, let the rest finish: no thread of
        for pool in made.pools:  # this test may go on posting (and logging) after it
            pool.close()
        for pool in made.pools:
            pool.drain(20)
        if server is not None:
            server.close()


@pytest.fixture
def bot(slack, knowledge, tokenizer, index):
    """The listeners, dispatched in-process (no server): most Slack cases need no more."""
    with running_bot(slack, knowledge, tokenizer, index, over_http=False) as running:
        yield running


@pytest.fixture
def http_bot(slack, knowledge, tokenizer, index):
    """The whole app behind its real HTTP endpoint: for what the HTTP layer does (sizes, signatures, health, ends)."""
    with running_bot(slack, knowledge, tokenizer, index) as running:
        yield running


def all_text(blocks) -> str:
    """Every piece of displayed text in blocks (text fields, not button values), joined."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                elif key != "value":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)


def feedback_action(params: dict, good: bool) -> dict:
    """The block_actions action Slack sends when 👍 (good) or 👎 is clicked under an answer (context_actions →
    feedback_buttons): the clicked button's text and value."""
    from bot.slack.blocks import ACTION_FEEDBACK

    (element,) = [e for b in params["blocks"] if b["type"] == "context_actions" for e in b["elements"]
                  if e["type"] == "feedback_buttons"]
    button = element["positive_button" if good else "negative_button"]
    return {"type": "feedback_buttons", "action_id": ACTION_FEEDBACK, "block_id": "fb1", "action_ts": f"{time.time():.6f}",
            "text": button["text"], "value": button["value"]}
