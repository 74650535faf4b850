"""Two `madoguchi serve --http` replicas sharing one Redis and one PostgreSQL, behind a real load balancer (HAProxy),
in OAuth mode with two workspaces, against the fake Slack: a retry reaching the other replica is not answered twice;
a conversation begun at one replica goes on at the other, also after the first is killed; each workspace is answered
with its own token."""

import hashlib
import hmac
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import KNOWLEDGE_DIR
from tests.fakes.fake_slack import FakeSlack
from tests.slack.conftest import TOKEN_KEY
from tests.servers import haproxy_binary, redis_server  # noqa: F401 - pytest fixture

SECRET = "replica-signing-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(base: str, body: str, retry: int = 0, content_type: str = "application/json") -> int:
    ts = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
    if retry:
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
    request = urllib.request.Request(base + "/slack/events", data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def mention(team: str, text: str, ts: str, thread_ts: str | None = None, event_id: str | None = None) -> str:
    event = {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "channel": "C1", "ts": ts, "team": team}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return json.dumps({"token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
                       "event_id": event_id or f"Ev{team}{ts}", "event_time": int(time.time()), "event": event,
                       "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}]}, ensure_ascii=False)


def install(base: str, team: str) -> None:
    with urllib.request.urlopen(base + "/slack/install", timeout=10) as r:
        page, cookie = r.read().decode(), r.headers.get("Set-Cookie", "").split(";")[0]
    state = re.search(r"state=([^&\"]+)", page).group(1)
    request = urllib.request.Request(f"{base}/slack/oauth_redirect?code=code-{team}&state={state}",
                                     headers={"Cookie": cookie})
    urllib.request.urlopen(request, timeout=10).read()


def wait_healthy(base: str, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process is None or process.poll() is None, process.stderr.read() if process else ""
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{base} did not become healthy")


@pytest.fixture
def cluster(tmp_path, redis_server):  # noqa: F811
    haproxy = haproxy_binary()
    if not haproxy:
        pytest.skip("HAProxy is not installed and cannot be (needs root and apt-get)")
    try:
        import pgserver
    except ImportError:
        pytest.fail("pgserver is part of the test extra")
    postgres = pgserver.get_server(tmp_path / "pg", cleanup_mode="stop")
    with FakeSlack("xoxb-unused") as slack:
        ports = [free_port(), free_port()]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MADOGUCHI_", "DATABASE", "REDIS"))}
        env.update(SLACK_SIGNING_SECRET=SECRET, SLACK_CLIENT_ID="111.222", SLACK_CLIENT_SECRET="shh", MADOGUCHI_TOKEN_KEY=TOKEN_KEY,
                   SLACK_API_URL=slack.api_url, REDIS_URL=redis_server.url, DATABASE_URL=postgres.get_uri(),
                   MADOGUCHI_KNOWLEDGE=str(KNOWLEDGE_DIR), MADOGUCHI_CACHE_DIR=str(tmp_path / "cache"),
                   PYTHONIOENCODING="utf-8")
        replicas = [subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--port", str(p)], env=env,
                                     cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                    for p in ports]
        lb_port = free_port()
        config = tmp_path / "haproxy.cfg"
        config.write_text(f"""global
  maxconn 256
defaults
  mode http
  timeout connect 1s
  timeout client 10s
  timeout server 10s
  retries 2
  option redispatch
frontend slack
  bind 127.0.0.1:{lb_port}
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /healthz
  server r1 127.0.0.1:{ports[0]} check inter 200ms fall 1 rise 1
  server r2 127.0.0.1:{ports[1]} check inter 200ms fall 1 rise 1
""")
        lb = subprocess.Popen([haproxy, "-f", str(config), "-db"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        try:
            for base, process in zip(bases, replicas):
                wait_healthy(base, process)
            wait_healthy(f"http://127.0.0.1:{lb_port}", None)
            yield {"slack": slack, "replicas": replicas, "bases": bases, "lb": f"http://127.0.0.1:{lb_port}"}
        finally:
            lb.terminate()
            for process in replicas:
                if process.poll() is None:
                    process.terminate()
            for process in replicas:
                process.wait(timeout=20)
            postgres.cleanup()


def posts_in(slack, thread: str) -> list:
    return [c for c in slack.sent("chat.postMessage") if c.params.get("thread_ts") == thread]


def test_two_replicas_behind_a_load_balancer(cluster):
    slack, (r1, r2), lb = cluster["slack"], cluster["bases"], cluster["lb"]
    install(r1, "T1")  # the install page at one replica, Slack's redirect back at the other: states are shared
    install(r2, "T2")

    # (a) an event answered by replica 1, retried by Slack to replica 2: no second answer
    assert post(r1, mention("T1", "二重ローン 宮城", "100.1", event_id="EvSame")) == 200
    assert slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("thread_ts") == "100.1")
    # the retry is dropped before it is acknowledged (the seen id is in Redis), so once its 200 is back nothing of it
    # can follow; the sentinel through the same replica shows that replica answering
    assert post(r2, mention("T1", "二重ローン 宮城", "100.1", event_id="EvSame"), retry=1) == 200
    assert post(r2, mention("T1", "ジェトロ福岡", "100.9")) == 200
    assert slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("thread_ts") == "100.9")
    assert len(posts_in(slack, "100.1")) == 1

    # (b) a conversation begun at replica 1 goes on at replica 2
    assert post(r1, mention("T1", "事業承継の相談をしたい", "200.1")) == 200
    assert slack.wait_until(lambda c: c.params.get("thread_ts") == "200.1")
    assert post(r2, mention("T1", "宮城です", "200.2", thread_ts="200.1")) == 200
    assert slack.wait_until(lambda c: c.params.get("thread_ts") == "200.1" and "宮城県事業引継ぎ" in c.params.get("text", ""))

    # (c) replica 1 killed mid-conversation: through the load balancer replica 2 goes on
    assert post(lb, mention("T2", "事業承継の相談をしたい", "300.1")) == 200
    assert slack.wait_until(lambda c: c.params.get("thread_ts") == "300.1")
    cluster["replicas"][0].kill()
    cluster["replicas"][0].wait(timeout=10)
    assert post(lb, mention("T2", "福岡です", "300.2", thread_ts="300.1")) == 200
    assert slack.wait_until(lambda c: c.params.get("thread_ts") == "300.1" and "福岡" in c.params.get("text", ""))

    # (d) each workspace answered with its own token
    tokens = {c.params["thread_ts"]: c.headers["Authorization"] for c in slack.sent("chat.postMessage")}
    assert tokens["100.1"] == "Bearer xoxb-inst-T1" and tokens["300.1"] == "Bearer xoxb-inst-T2"
