"""Start-up and shutdown of `madoguchi serve`, as an admin meets them: one line and exit 2 for what they must fix,
retries for what fixes itself, and nothing acknowledged lost on SIGTERM (also as PID 1)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import KNOWLEDGE_DIR, ROOT
from tests.fakes.fake_slack import FakeSlack
from tests.slack.conftest import SECRET, TOKEN, BotUnderTest, dm


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(api_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MADOGUCHI_"))}
    env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=api_url, MADOGUCHI_DB="off",
               MADOGUCHI_KNOWLEDGE=str(KNOWLEDGE_DIR), PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def serve(env, port, tmp_path, prefix=()):
    return subprocess.Popen([*prefix, sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)], env=env,
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_until_serving(client: BotUnderTest, process, timeout=60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            client.post("{}")
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the server did not start")


@pytest.mark.parametrize("token, why", [("xoxb-revoked-0000", "refused by Slack (invalid_auth)"),
                                        ("xapp-1-swapped", "must be a bot token"),
                                        ("xoxb-test-token-0000 # bot token", "comment after the value")])
def test_a_wrong_token_is_one_line_and_exit_2(tmp_path, token, why):
    with FakeSlack(TOKEN) as slack:
        result = subprocess.run([sys.executable, "-m", "bot", "serve", "--http", "--port", str(free_port())],
                                env=env_for(slack.api_url, SLACK_BOT_TOKEN=token), cwd=tmp_path, capture_output=True,
                                text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and why in result.stderr, result.stderr


def test_a_port_in_use_or_out_of_range_is_one_line_and_exit_2(tmp_path):
    with FakeSlack(TOKEN) as slack, socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        for port, why in ((taken.getsockname()[1], "cannot listen on port"), (70000, "from 1 to 65535")):
            result = subprocess.run([sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)],
                                    env=env_for(slack.api_url), cwd=tmp_path, capture_output=True, text=True, timeout=60)
            assert result.returncode == 2 and result.stderr.count("\n") == 1 and why in result.stderr, result.stderr


def test_slack_unreachable_at_start_is_retried_and_said(tmp_path):
    """No Web API at that address: the bot says so and keeps trying, rather than exiting."""
    process = serve(env_for(f"http://127.0.0.1:{free_port()}/api/"), free_port(), tmp_path)
    try:
        line = process.stderr.readline()
        assert "Slack is unreachable" in line and "trying again" in line
        assert process.poll() is None
    finally:
        process.kill()
        process.wait(timeout=10)


def _sigterm_under_load(tmp_path, prefix=(), pid_of=lambda process: process.pid):
    """20 DMs acknowledged while every post takes a second, then SIGTERM: all 20 answered, exit 0."""
    with FakeSlack(TOKEN) as slack:
        slack.fault("chat.postMessage", "slow", 1.0)
        port = free_port()
        process = serve(env_for(slack.api_url), port, tmp_path, prefix)
        client = BotUnderTest(f"http://127.0.0.1:{port}", slack, None, None)
        try:
            wait_until_serving(client, process)
            acked = sum(client.event(dm("二重ローン 宮城", channel=f"D{n}"))[0] == 200 for n in range(20))
            os.kill(pid_of(process), signal.SIGTERM)
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                process.kill()
        posted = {c.params["channel"] for c in slack.sent("chat.postMessage")}
    assert acked == 20 and posted == {f"D{n}" for n in range(20)}


def test_sigterm_finishes_every_acknowledged_event_then_exits_0(tmp_path):
    _sigterm_under_load(tmp_path)


@pytest.mark.skipif(not shutil.which("unshare"), reason="needs unshare (util-linux) to run the bot as PID 1")
def test_sigterm_works_as_pid_1_too(tmp_path):
    """In a container the bot is PID 1, where a signal without a handler is ignored: it must handle SIGTERM."""
    if subprocess.run(["unshare", "--fork", "--pid", "true"], capture_output=True).returncode:
        pytest.skip("cannot create a PID namespace here")

    def child_of(process):  # unshare forks the bot; outside the namespace it has its own pid
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
            if children:
                return int(children[0])
            time.sleep(0.05)
        raise AssertionError("no child")

    _sigterm_under_load(tmp_path, prefix=("unshare", "--fork", "--pid", "--kill-child"), pid_of=child_of)
