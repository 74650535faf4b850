"""`madoguchi bench slack`: the HTTP app under load, against the local fake Web API on loopback.

Three processes, as in production: this one runs the bot (waitress + Bolt + the core); the fake Web API and
the concurrent senders run in their own processes, so they do not share the bot's interpreter. Senders post
signed app_mention events to POST /slack/events; the time from sending an event to the fake receiving its
chat.postMessage (one system-wide monotonic clock) is the event→reply latency.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import queue
import subprocess
import sys
import threading
import time
import urllib.request
from typing import IO

from benchmarks.core import load_questions
from tests.fakes.fake_slack import BOT_USER_ID, TEAM_ID

TOKEN = "xoxb-bench"
SECRET = "bench-signing-secret"


def _event(i: int, question: str) -> tuple[str, str]:
    thread = f"1700000000.{i:06d}"
    body = {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A1", "type": "event_callback", "event_id": f"EvBench{i}",
            "event_time": int(time.time()), "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
            "event": {"type": "app_mention", "user": "U1", "text": f"<@{BOT_USER_ID}> {question}", "channel": f"C{i % 37}",
                      "ts": thread, "team": TEAM_ID}}
    return thread, json.dumps(body, ensure_ascii=False)


def send_events(port: int, events: int, senders: int, rate: float = 0.0) -> list[dict]:
    """Sender process: `senders` threads post the events; at `rate` events/s in all (0: as fast as acked)."""
    questions = load_questions()
    work: queue.Queue = queue.Queue()
    for i in range(events):
        work.put(_event(i, questions[i % len(questions)]))
    log: list[dict] = []
    lock = threading.Lock()

    start = time.monotonic()
    counter = iter(range(events))

    def sender():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            try:
                thread, body = work.get_nowait()
            except queue.Empty:
                break
            if rate:
                with lock:
                    due = start + next(counter) / rate
                time.sleep(max(0.0, due - time.monotonic()))
            ts = str(int(time.time()))
            signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
            headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
            sent = time.monotonic()
            conn.request("POST", "/slack/events", body=body.encode("utf-8"), headers=headers)
            response = conn.getresponse()
            response.read()
            with lock:
                log.append({"thread_ts": thread, "sent": sent, "status": response.status, "acked": time.monotonic()})
        conn.close()

    workers = [threading.Thread(target=sender) for _ in range(senders)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return log


def _percentile(values: list[float], q: float) -> float:
    return values[max(0, int(round(q * len(values))) - 1)] if values else float("nan")


def run(out: IO[str], knowledge_dir: str | None = None, events: int = 400, senders: int = 20, threads: int = 8,
        rate: float = 300.0) -> int:
    from benchmarks.core import _runtime
    from bot.settings import Settings
    from bot.slack.app import build_app
    from bot.slack.server import http_server, serve_in_background

    import logging

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" is expected when flooding
    runtime = _runtime(knowledge_dir)
    fake = subprocess.Popen([sys.executable, "-m", "tests.fakes.fake_slack", TOKEN], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert fake.stdout is not None and fake.stdin is not None
    api_url = fake.stdout.readline().split()[1]
    app = build_app(Settings(bot_token=TOKEN, signing_secret=SECRET, api_url=api_url), runtime)
    server = http_server(app, port=0, host="127.0.0.1", threads=threads, signing_secret=SECRET)
    serve_in_background(server)

    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", "import json, sys; from benchmarks.slack import send_events; "
                             f"print(json.dumps(send_events({server.effective_port}, {events}, {senders}, {rate})))"],
                            capture_output=True, text=True, check=True)
    sent = json.loads(result.stdout)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with urllib.request.urlopen(api_url.replace("/api/", "/count"), timeout=5) as r:  # the fake counts on GET
            if json.loads(r.read())["calls"] >= events:
                break
        time.sleep(0.05)
    time.sleep(0.3)  # let any duplicate arrive before counting
    fake.stdin.close()
    calls = [json.loads(line) for line in fake.stdout.read().splitlines() if line.strip()]
    fake.wait()
    server.close()

    sent_at = {s["thread_ts"]: s["sent"] for s in sent}
    replies: dict[str, list[float]] = {}
    for call in calls:
        if call["method"] == "chat.postMessage":
            replies.setdefault(call["thread_ts"], []).append(call["at"])
    latencies = sorted(min(times) - sent_at[t] for t, times in replies.items() if t in sent_at)
    acks = sorted(s["acked"] - s["sent"] for s in sent)
    started = min((s["sent"] for s in sent), default=started)
    finished = max((max(v) for v in replies.values()), default=started)
    lost = sum(1 for t in sent_at if t not in replies)
    duplicated = sum(len(v) - 1 for v in replies.values())
    non_2xx = sum(1 for s in sent if not 200 <= s["status"] < 300)
    ms = 1000
    w = out.write
    offered = f"offered at {rate:.0f} events/s" if rate else "sent as fast as they are acknowledged"
    w(f"Slack HTTP benchmark: {events} app_mention events from {senders} concurrent senders, {offered};\n"
      f"the bot on waitress ({threads} threads); the fake Web API and the senders in their own processes, "
      f"all on this machine\n\n")
    w(f"{'events/s (first send → last reply)':40} {events / (finished - started):8.0f}      (target >= 200)\n")
    w(f"{'event → reply latency p50':40} {_percentile(latencies, 0.50) * ms:8.1f} ms\n")
    w(f"{'event → reply latency p95':40} {_percentile(latencies, 0.95) * ms:8.1f} ms   (target <= 50 ms)\n")
    w(f"{'event → reply latency max':40} {(latencies[-1] if latencies else float('nan')) * ms:8.1f} ms\n")
    w(f"{'HTTP acknowledgement p50 / p95':40} {_percentile(acks, 0.5) * ms:8.1f} / {_percentile(acks, 0.95) * ms:.1f} ms\n")
    w(f"{'lost / duplicated / non-2xx':40} {lost:4d} / {duplicated} / {non_2xx}\n")
    return 0 if lost == duplicated == non_2xx == 0 else 1
