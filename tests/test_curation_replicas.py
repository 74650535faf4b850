"""The curators' loop end to end, as the compose and Kubernetes setups run it: two `madoguchi serve --http` replicas
sharing PostgreSQL (the versions) and Redis, the knowledge folder theirs to read only (shared mode), against the fake
Slack. A curator asks for the workbook, edits it (a number corrected, a word added, a bad cell), gets the problem in
Japanese, sends a fixed copy, sees the changes, clicks 反映する at one replica, and the other answers with the new
number within seconds; a replica started afterwards does too. Someone else is refused at each step; a file too big
or not a workbook gets one message; the report and its chart arrive in the DM."""

import io
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse

import pytest
from openpyxl import load_workbook

from tests.conftest import KNOWLEDGE_DIR
from tests.fakes.fake_slack import FakeSlack
from tests.servers import redis_server  # noqa: F401 - pytest fixture
from tests.test_replicas import SECRET, free_port, post, wait_healthy

TOKEN, CURATOR, OTHER = "xoxb-curation-test", "UCURATOR1", "UOTHER1"
NEW_NUMBER = "022-000-2222"


def dm(text: str, user: str, ts: str, files: list | None = None) -> str:
    event = {"type": "message", "channel_type": "im", "channel": f"D{user}", "user": user, "text": text, "ts": ts,
             "team": "T123"}
    if files:
        event.update(subtype="file_share", files=files)
    return json.dumps({"token": "legacy", "team_id": "T123", "api_app_id": "A1", "type": "event_callback",
                       "event_id": f"Ev{user}{ts}", "event_time": int(time.time()), "event": event,
                       "authorizations": [{"team_id": "T123", "user_id": "UBOT", "is_bot": True}]}, ensure_ascii=False)


def click(slack, base: str, version: str, user: str, response: str, action_id: str = "madoguchi_apply") -> int:
    payload = {"type": "block_actions", "user": {"id": user, "team_id": "T123"}, "team": {"id": "T123"},
               "channel": {"id": f"D{user}"}, "container": {"type": "message"}, "trigger_id": "t", "api_app_id": "A1",
               "response_url": slack.response_url(response),
               "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": version,
                            "action_ts": f"{time.time():.6f}"}]}
    return post(base, urllib.parse.urlencode({"payload": json.dumps(payload)}), content_type="application/x-www-form-urlencoded")


def reply_to(slack, ts: str, timeout: float = 30) -> str:
    """The text (and blocks) of the bot's post in the thread of message ts."""
    assert slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("thread_ts") == ts, timeout), ts
    call = [c for c in slack.sent("chat.postMessage") if c.params.get("thread_ts") == ts][-1]
    return call.params.get("text", "") + json.dumps(call.params.get("blocks") or [], ensure_ascii=False)


class Clock:
    def __init__(self):
        self.n = 0

    def ts(self) -> str:
        self.n += 1
        return f"{int(time.time())}.{self.n:06d}"


@pytest.fixture
def replicas(tmp_path, redis_server):  # noqa: F811
    try:
        import pgserver
    except ImportError:
        pytest.fail("pgserver is part of the test extra")
    postgres = pgserver.get_server(tmp_path / "pg", cleanup_mode="stop")
    folder = tmp_path / "image-knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    processes = []
    with FakeSlack(TOKEN) as slack:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MADOGUCHI_", "DATABASE", "REDIS"))}
        env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.api_url,
                   REDIS_URL=redis_server.url, DATABASE_URL=postgres.get_uri(), MADOGUCHI_KNOWLEDGE=str(folder),
                   MADOGUCHI_CURATORS=CURATOR, MADOGUCHI_KNOWLEDGE_POLL="0.3", PYTHONIOENCODING="utf-8",
                   MADOGUCHI_CACHE_DIR=str(tmp_path / "cache"))

        def start() -> str:
            port = free_port()
            process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)], env=env,
                                       cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            processes.append(process)
            wait_healthy(f"http://127.0.0.1:{port}", process)
            return f"http://127.0.0.1:{port}"

        try:
            yield {"slack": slack, "start": start, "folder": folder}
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=20)
            postgres.cleanup()


def test_a_curator_s_workbook_reaches_every_replica(replicas):
    slack, folder, clock = replicas["slack"], replicas["folder"], Clock()
    r1, r2 = replicas["start"](), replicas["start"]()
    shipped = (folder / "contacts" / "jetro.csv").read_bytes()

    # someone else: refused, nothing uploaded
    ts = clock.ts()
    assert post(r1, dm("データを書き出す", OTHER, ts)) == 200
    assert "担当者だけ" in reply_to(slack, ts)

    # the curator asks for the workbook
    ts = clock.ts()
    assert post(r1, dm("データを書き出す", CURATOR, ts)) == 200
    assert slack.wait_until(lambda c: c.method == "files.completeUploadExternal", 30)
    (name, data, _), = slack.uploaded()
    assert name.endswith(".xlsx")
    old = next(r for r in load_workbook(io.BytesIO(data))["jetro"].iter_rows(min_row=2, values_only=True)
               if r[0] == "jetro-sendai")[5]

    def edited(fukuoka_phone) -> bytes:
        book = load_workbook(io.BytesIO(data))
        for row in book["jetro"].iter_rows(min_row=2):
            if row[0].value == "jetro-sendai":
                row[5].value = NEW_NUMBER  # one number corrected
            if row[0].value == "jetro-fukuoka" and fukuoka_phone:
                row[5].value = fukuoka_phone  # one bad cell
        book["synonyms"].append(["襷渡し", "事業承継", "職員が追加"])  # one word added
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    # the bad copy: the problem in Japanese, sheet and row; someone else's copy refused
    ts = clock.ts()
    assert post(r2, dm("", CURATOR, ts, [slack.host_file("窓口一覧.xlsx", edited("でんわ"))])) == 200
    problem = reply_to(slack, ts)
    assert "シート「jetro」" in problem and "行目" in problem and "でんわ" in problem and "データは変えていません" in problem
    ts = clock.ts()
    assert post(r2, dm("", OTHER, ts, [slack.host_file("窓口一覧.xlsx", edited(None))])) == 200
    assert "担当者だけ" in reply_to(slack, ts)

    # too big, and not a workbook: one message each, nothing fetched for the first
    fetched = len(slack.sent("file_download"))
    for file, expected in ((slack.host_file("big.xlsx", b"PK", size=50 * 1024 * 1024), "大きすぎます"),
                           (slack.host_file("notes.xlsx", b"plain text"), "ブック（.xlsx）ではありません")):
        ts = clock.ts()
        assert post(r1, dm("", CURATOR, ts, [file])) == 200
        assert expected in reply_to(slack, ts)
        assert len([c for c in slack.sent("chat.postMessage") if c.params.get("thread_ts") == ts]) == 1
    assert len(slack.sent("file_download")) == fetched + 1

    # the fixed copy: the changes and the two buttons
    ts = clock.ts()
    assert post(r2, dm("", CURATOR, ts, [slack.host_file("窓口一覧.xlsx", edited(None))])) == 200
    changes = reply_to(slack, ts)
    assert f"jetro-sendai の電話番号: {old} → {NEW_NUMBER}" in changes and "+ 襷渡し" in changes
    version = json.loads(changes[changes.index("["):])[-1]["elements"][0]["value"]

    # someone else's click: refused; the curator's click at the other replica: applied
    assert click(slack, r1, version, OTHER, "other") == 200
    assert slack.wait_until(lambda c: c.method == "response_url" and "担当者だけ" in c.params.get("text", ""), 10)
    applied_at = time.monotonic()
    assert click(slack, r1, version, CURATOR, "apply") == 200
    assert slack.wait_until(lambda c: c.method == "response_url" and "反映しました" in c.params.get("text", ""), 30)

    # the next question at the other replica: the new number, within seconds (asked until it is, never slept)
    seconds = None
    while time.monotonic() - applied_at < 15:
        ts = clock.ts()
        assert post(r2, dm("ジェトロ仙台の電話番号", "UASKER1", ts)) == 200
        if NEW_NUMBER in reply_to(slack, ts):
            seconds = time.monotonic() - applied_at
            break
    assert seconds is not None, "replica 2 never answered with the applied number"
    print(f"applied at replica 1 → answered at replica 2 after {seconds:.2f} s")
    ts = clock.ts()
    assert post(r2, dm("襷渡し 宮城", "UASKER1", ts)) == 200
    assert "分かりませんでした" not in reply_to(slack, ts)

    # a replica started now (a restart, a new image) answers with it too; the image's folder was never written
    r3 = replicas["start"]()
    ts = clock.ts()
    assert post(r3, dm("ジェトロ仙台", "UASKER2", ts)) == 200
    assert NEW_NUMBER in reply_to(slack, ts)
    assert (folder / "contacts" / "jetro.csv").read_bytes() == shipped

    # the report and its chart in the curator's DM
    ts = clock.ts()
    assert post(r3, dm("レポート", CURATOR, ts)) == 200
    assert "窓口ナビ レポート" in reply_to(slack, ts)
    assert slack.wait_until(lambda c: c.method == "files.completeUploadExternal" and c.params.get("thread_ts") == ts, 30)
    names = sorted(n.rsplit(".", 1)[1] for n, _, p in slack.uploaded() if p.get("thread_ts") == ts)
    assert names == ["csv", "svg"]
