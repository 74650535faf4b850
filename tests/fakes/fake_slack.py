"""A local stand-in for Slack's Web API (and response_url), for the tests and `madoguchi bench slack`.

It listens on 127.0.0.1 on a random port, records every call, and answers like Slack does for the methods
the bot uses. Never used in production: point SLACK_API_URL at it only in tests and benchmarks.

Faults for the fault-injection tests: `fault(method, mode)` makes calls of a method (or "*" for all, "response_url"
for replies to response URLs) hang until released, answer 500, answer 429 with a Retry-After, close the connection
after reading the request, or answer only after a delay (accepted by Slack, but later than the client waits).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote

from tests.fakes.block_kit import message_problems, view_problems

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T123"


@dataclass
class Call:
    method: str  # "chat.postMessage", … or "response_url"
    params: dict
    headers: dict
    at: float = field(default_factory=time.monotonic)  # system-wide clock: comparable across processes


MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage"})
VIEW_METHODS = frozenset({"views.publish", "views.open", "views.update", "views.push"})


class FakeSlack:
    """Start with `with FakeSlack(token) as slack:`; `slack.api_url` is the SLACK_API_URL to use."""

    def __init__(self, token: str = "xoxb-test", check_blocks: bool = True):
        """check_blocks: Block Kit checked as Slack checks it (tests); off for the benchmarks, which measure the bot."""
        self.token = token
        self.check_blocks = check_blocks
        self.calls: list[Call] = []
        self.invalid: list[tuple[str, list[str]]] = []  # (method, why) of every call Slack would refuse as invalid_blocks
        self.ws_url = ""
        self._rate_limits: dict[str, int] = {}
        self._faults: dict[str, tuple[str, float]] = {}
        self._refresh_tokens: dict[str, str] = {}  # team → the refresh token that still works
        self.hosted: dict[str, tuple[dict, bytes]] = {}  # files users sent: id → (Slack's file object, bytes)
        self.uploads: dict[str, bytes] = {}  # files the bot uploaded: file id → bytes
        self.files_readable = True  # False: the app lacks files:read (Slack answers a sign-in page with 200)
        self._upload_names: dict[str, str] = {}
        # what auth.test says the bot token may do (Slack sends it in the x-oauth-scopes header)
        self.scopes = ("app_mentions:read,assistant:write,channels:history,chat:write,commands,files:read,files:write,"
                       "groups:history,im:history,im:write")
        self._released = threading.Event()
        self._lock = threading.Condition()
        self._ts = 1_700_000_000.000100
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                if self.path.startswith("/files/"):  # url_private_download: the file, with the bot token only
                    return self._send_file()
                data = json.dumps({"calls": len(fake.sent("chat.postMessage"))}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _send_file(self):
                file_id = self.path.split("/")[2]
                allowed = (self.headers.get("Authorization") or "") == f"Bearer {fake.token}" and fake.files_readable
                fake._record(Call("file_download", {"file": file_id, "authorized": allowed}, dict(self.headers)))
                data = fake.hosted.get(file_id, (None, b""))[1] if allowed else b"<html>sign in</html>"
                # without the token (or the files:read scope) Slack answers its sign-in page, not the file
                self.send_response(200 if allowed and file_id in fake.hosted or not fake.files_readable else
                                   302 if not allowed else 404)
                self.send_header("Content-Type", "application/octet-stream" if allowed else "text/html")
                if not allowed and fake.files_readable:
                    self.send_header("Location", "https://slack.com/signin")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path.startswith("/upload/"):  # files_upload_v2's step 2: the bytes, to the URL Slack gave
                    fake.uploads[self.path.split("/")[2]] = body
                    fake._record(Call("file_upload", {"file_id": self.path.split("/")[2], "size": len(body)}, {}))
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                raw = body.decode("utf-8")
                if self.path.startswith(("/fault/", "/heal")):  # POST /fault/METHOD:MODE:SECONDS, /heal (benchmarks)
                    fake.fault(*_fault_spec(self.path[len("/fault/"):])) if self.path.startswith("/fault/") else fake.heal()
                    self.send_response(204)
                    self.end_headers()
                    return
                fault = fake._fault_for(self.path)
                if fault is not None:
                    mode, seconds = fault
                    if mode == "hang":
                        fake._released.wait(seconds)
                    elif mode == "close":
                        fake._record(Call(fake._method(self.path) + ":closed", {}, dict(self.headers)))
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    elif mode in ("500", "429"):
                        fake._record(Call(fake._method(self.path) + f":{mode}", {}, dict(self.headers)))
                        data = json.dumps({"ok": False, "error": "ratelimited" if mode == "429" else "fatal_error"}).encode()
                        self.send_response(int(mode))
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(data)))
                        if mode == "429":
                            self.send_header("Retry-After", str(int(seconds)))
                        self.end_headers()
                        self.wfile.write(data)
                        return
                status, body, extra = fake._handle(self.path, dict(self.headers), raw)
                if fault is not None and fault[0] == "slow":
                    time.sleep(fault[1])  # done and recorded, but answered late
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            request_queue_size = 1024  # Slack's side never turns a burst away at the TCP level; a backlog of 5 would
            daemon_threads = True  # (the standard library's default) and the benchmark would measure the fake

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ------------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base_url}/response/{name}"

    def __enter__(self) -> "FakeSlack":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.heal()
        self._server.shutdown()
        self._server.server_close()
        if exc[0] is None and self.invalid:  # every test of the Slack side is a Block Kit test too
            method, why = self.invalid[0]
            raise AssertionError(f"{len(self.invalid)} call(s) Slack would refuse as invalid_blocks; the first, "
                                 f"{method}: {why[:3]}")

    # ------------------------------------------------------------------ behaviour
    def _refresh(self, refresh_token: str) -> tuple[int, dict, dict]:
        """Token rotation as Slack does it: a refresh token works once; the answer takes a moment."""
        team = refresh_token.removeprefix("xoxe-").rsplit("-", 1)[0]
        time.sleep(0.5)
        with self._lock:
            if self._refresh_tokens.get(team) != refresh_token:
                return 200, {"ok": False, "error": "invalid_refresh_token"}, {}
            n = int(refresh_token.rsplit("-", 1)[1]) + 1
            self._refresh_tokens[team] = f"xoxe-{team}-{n}"
        return 200, {"ok": True, "access_token": f"xoxb-inst-{team}-r{n}", "refresh_token": f"xoxe-{team}-{n}",
                     "expires_in": 43200, "token_type": "bot", "scope": self.scopes, "team": {"id": team}}, {}

    def fault(self, method: str, mode: str, seconds: float = 60.0) -> None:
        """From now on, calls of `method` ("*": all; "response_url") hang (until release(), at most `seconds`),
        answer "500", answer "429" with Retry-After `seconds`, "close" the connection, or are "slow" (done, then
        answered `seconds` later)."""
        self._released.clear()
        self._faults[method] = (mode, seconds)

    def heal(self) -> None:
        """No more faults; hanging calls are released."""
        self._faults.clear()
        self._released.set()

    @staticmethod
    def _method(path: str) -> str:
        return "response_url" if path.startswith("/response/") else path.rsplit("/", 1)[-1]

    def _fault_for(self, path: str) -> tuple[str, float] | None:
        return self._faults.get(self._method(path)) or self._faults.get("*")

    def rate_limit(self, method: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429 and Retry-After: 0."""
        self._rate_limits[method] = times

    def _handle(self, path: str, headers: dict, raw: str) -> tuple[int, dict, dict]:
        if path.startswith("/response/"):
            payload = json.loads(raw or "{}")
            self._record(Call("response_url", payload, headers))
            if self._refused("response_url", message_problems(payload)):
                return 400, {"ok": False, "error": "invalid_blocks"}, {}
            return 200, {"ok": True}, {}
        method = path.rsplit("/", 1)[-1]
        params = self._params(headers, raw)
        why = (message_problems(params) if method in MESSAGE_METHODS
               else view_problems(params.get("view")) if method in VIEW_METHODS else [])
        if self._refused(method, why):  # recorded as sent, refused as Slack refuses it
            self._record(Call(method, params, headers))
            return 200, {"ok": False, "error": "invalid_blocks", "errors": why}, {}
        if self._rate_limits.get(method):
            self._rate_limits[method] -= 1
            self._record(Call(method + ":429", params, headers))
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"}
        authorization = headers.get("Authorization") or ""
        if method == "oauth.v2.access":  # the OAuth flow: code "code-T1" installs the app in workspace T1
            self._record(Call(method, params, headers))
            if params.get("grant_type") == "refresh_token":
                return self._refresh(str(params.get("refresh_token", "")))
            team = str(params.get("code", "")).removeprefix("code-")
            rotating = team.endswith("-rotating")  # an app with token rotation: the token expires within a minute
            team = team.removesuffix("-rotating")
            body = {"ok": True, "app_id": "A1", "access_token": f"xoxb-inst-{team}", "token_type": "bot",
                    "scope": self.scopes, "bot_user_id": BOT_USER_ID, "team": {"id": team, "name": team},
                    "enterprise": None, "is_enterprise_install": False, "authed_user": {"id": "U1"}}
            if team.startswith("E"):  # an org-wide install on Enterprise Grid: keyed by the enterprise, no team
                body.update(team=None, enterprise={"id": team, "name": team}, is_enterprise_install=True)
            if rotating:
                self._refresh_tokens[team] = f"xoxe-{team}-0"
                body.update(refresh_token=f"xoxe-{team}-0", expires_in=60)
            return 200, body, {}
        if authorization != f"Bearer {self.token}" and method != "apps.connections.open" \
                and not authorization.startswith(("Bearer xwfp-", "Bearer xoxb-inst-")):  # a step's or an installed token
            self._record(Call(method, params, headers))
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        self._record(Call(method, params, headers))
        with self._lock:
            self._ts += 0.0001
            ts = f"{self._ts:.6f}"
        if method == "auth.test":
            team = authorization.removeprefix("Bearer xoxb-inst-") if "xoxb-inst-" in authorization else TEAM_ID
            return 200, {"ok": True, "url": "https://example.slack.com/", "team": "Example", "user": "madoguchi",
                         "team_id": team, "user_id": BOT_USER_ID, "bot_id": BOT_ID}, {"x-oauth-scopes": self.scopes}
        if method == "chat.postMessage" and str(params.get("channel", "")).startswith("CNOTMEMBER"):
            return 200, {"ok": False, "error": "not_in_channel"}, {}
        if method == "chat.postMessage":
            return 200, {"ok": True, "channel": params.get("channel"), "ts": ts,
                         "message": {"text": params.get("text"), "ts": ts, "bot_id": BOT_ID}}, {}
        if method == "chat.postEphemeral":
            return 200, {"ok": True, "message_ts": ts}, {}
        if method == "conversations.replies":  # the thread's parent, and the bot's own posts in it (Slack's shape)
            channel, thread = params.get("channel"), params.get("ts")
            with self._lock:
                posts = [{"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "thread_ts": thread, "text": c.params.get("text")}
                         for c in self.calls if c.method == "chat.postMessage" and c.params.get("channel") == channel
                         and c.params.get("thread_ts") == thread]
            return 200, {"ok": True, "messages": [{"type": "message", "user": "U1", "ts": thread, "thread_ts": thread},
                                                  *posts], "has_more": False}, {}
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self._upload_names) + 1:05d}"
            self._upload_names[file_id] = str(params.get("filename"))
            return 200, {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}, {}
        if method == "files.completeUploadExternal":
            files = params.get("files") or []
            if any(f.get("id") not in self.uploads for f in files):
                return 200, {"ok": False, "error": "file_not_found"}, {}
            return 200, {"ok": True, "files": [{"id": f["id"], "title": f.get("title"), "name": self._upload_names.get(f["id"])}
                                               for f in files]}, {}
        if method == "conversations.open":
            return 200, {"ok": True, "channel": {"id": "D" + str(params.get("users", "")).split(",")[0]}}, {}
        if method == "files.info":
            hosted = self.hosted.get(str(params.get("file")))
            return 200, ({"ok": True, "file": hosted[0]} if hosted else {"ok": False, "error": "file_not_found"}), {}
        if method == "views.publish":
            return 200, {"ok": True, "view": {"id": "V1", **(params.get("view") or {})}}, {}
        if method == "apps.connections.open":
            return 200, {"ok": True, "url": self.ws_url}, {}
        return 200, {"ok": True}, {}

    def _refused(self, method: str, why: list[str]) -> bool:
        if why and self.check_blocks:
            with self._lock:
                self.invalid.append((method, why))
        return bool(why) and self.check_blocks

    @staticmethod
    def _params(headers: dict, raw: str) -> dict:
        if "json" in (headers.get("Content-Type") or ""):
            return json.loads(raw or "{}")
        params = {k: v[0] for k, v in parse_qs(raw).items()}
        for key in ("blocks", "view", "outputs", "prompts", "files"):
            if isinstance(params.get(key), str):
                try:
                    params[key] = json.loads(params[key])
                except json.JSONDecodeError:
                    pass
        return params

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    # ------------------------------------------------------------------ files
    def host_file(self, name: str, data: bytes, filetype: str = "xlsx", size: int | None = None) -> dict:
        """A file a user sent, as Slack describes it in a file_share event (its private URL served here)."""
        file_id = f"FUSER{len(self.hosted) + 1:04d}"
        file = {"id": file_id, "name": name, "title": name, "filetype": filetype, "size": len(data) if size is None else size,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if filetype == "xlsx"
                else "application/octet-stream", "mode": "hosted", "is_external": False,
                "url_private": f"{self.base_url}/files/{file_id}/{quote(name)}",
                "url_private_download": f"{self.base_url}/files/{file_id}/download/{quote(name)}"}
        self.hosted[file_id] = (file, data)
        return file

    def uploaded(self) -> list[tuple[str, bytes, dict]]:
        """(file name, bytes, the files.completeUploadExternal call's params) of every file the bot shared."""
        out = []
        for call in self.sent("files.completeUploadExternal"):
            for f in call.params.get("files") or []:
                out.append((self._upload_names.get(f["id"], ""), self.uploads.get(f["id"], b""), call.params))
        return out

    # ------------------------------------------------------------------ assertions
    def sent(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_until(self, seen, timeout: float = 10.0) -> bool:
        """Wait until some call satisfies seen(call); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not any(seen(c) for c in self.calls):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until at least `count` calls of `method` arrived; return them (maybe fewer on timeout)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len([c for c in self.calls if c.method == method]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(left)
            return [c for c in self.calls if c.method == method]


def _fault_spec(spec: str) -> tuple[str, str, float]:
    """'chat.postMessage:slow:0.5' → ('chat.postMessage', 'slow', 0.5)."""
    method, mode, seconds = spec.split(":")
    return method, mode, float(seconds)


def _main() -> int:
    """`python -m tests.fakes.fake_slack TOKEN [METHOD:MODE:SECONDS …]`: serve until stdin closes, then print the
    calls as JSON lines."""
    import sys

    with FakeSlack(sys.argv[1], check_blocks=False) as fake:  # the benchmarks measure the bot, not this check
        for spec in sys.argv[2:]:
            fake.fault(*_fault_spec(spec))
        print(f"ready {fake.api_url}", flush=True)
        sys.stdin.read()
        for call in fake.calls:
            print(json.dumps({"method": call.method, "thread_ts": call.params.get("thread_ts"), "at": call.at,
                              "text": str(call.params.get("text", ""))[:40]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
