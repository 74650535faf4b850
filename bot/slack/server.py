"""Running the app: HTTP on waitress (POST /slack/events, GET /healthz) or Socket Mode.

Nothing unauthenticated costs much: a body larger than Slack ever sends is refused before it is read, the signature
is checked before anything is parsed, a malformed body gets 400, and no request body is ever logged. Waitress keeps
at most CONNECTION_LIMIT connections and closes idle ones after IDLE_TIMEOUT seconds, so idle or slow clients cannot
starve real ones (put a reverse proxy with its own limits in front for more; see deploy/README.md).
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

HEALTH_PATH = "/healthz"
EVENTS_PATH = "/slack/events"
MAX_BODY = 256 * 1024  # bytes; Slack's largest payloads (views with many blocks) are far smaller
CONNECTION_LIMIT = 1000
IDLE_TIMEOUT = 15  # seconds without activity before waitress closes a connection
# every form of Slack token: bot, user, app-level, refresh (xoxe-), rotating (xoxe.xoxb-…), workflow (xwfp-)
_SECRET = re.compile(r"\b(?:xox[a-z](?:\.xox[a-z])?|xapp|xwf[a-z])-[A-Za-z0-9.-]+")
log = logging.getLogger("madoguchi.http")


class RedactSecrets(logging.Filter):
    """Belt and braces: mask anything that looks like a Slack token in every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _SECRET.search(message):
            record.msg, record.args = _SECRET.sub("xox*-(redacted)", message), None
        return True


class QuietReconnects(logging.Filter):
    """Socket Mode connection trouble in one line per outage: slack_sdk logs a traceback for every failed read and
    reconnect attempt (dozens per drop). Their tracebacks are cut to the exception's one line, and the same message
    from the same logger is said once a minute at most."""

    NOISY = ("slack_sdk.socket_mode", "slack_bolt.adapter.socket_mode")

    def __init__(self, every: float = 60.0, clock=time.monotonic):
        super().__init__()
        self.every, self.clock = every, clock
        self._last: dict[tuple[str, str], float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self.NOISY) or record.levelno < logging.WARNING:
            return True
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.msg, record.args = f"{record.getMessage()} ({type(error).__name__}: {error})", None
            record.exc_info, record.exc_text = None, None
        key, now = (record.name, record.getMessage()[:120]), self.clock()
        if now - self._last.get(key, -self.every) < self.every:
            return False
        self._last[key] = now
        return True


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets())
        handler.addFilter(QuietReconnects())
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" on every busy request: noise


def _plain(start_response, status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def _well_formed(body: bytes, content_type: str) -> bool:
    """Is the body what Slack sends: JSON (events), or a form (commands; interactivity with a JSON payload)? Nested
    deeper than Slack ever nests (a signed body of 100,000 brackets), it is not."""
    try:
        text = body.decode("utf-8")
        if "json" in content_type:
            return isinstance(json.loads(text), dict)
        form = parse_qs(text, strict_parsing=bool(text))
        return "payload" not in form or isinstance(json.loads(form["payload"][0]), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False


def _signed(verifier: SignatureVerifier, body: bytes, environ: dict) -> bool:
    """Does the request carry Slack's signature of this body? Any header missing or malformed (a timestamp that is not
    a number, which slack_sdk's verifier raises on) is simply not signed."""
    try:
        return verifier.is_valid(body, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
                                 environ.get("HTTP_X_SLACK_SIGNATURE", ""))
    except (ValueError, TypeError, OverflowError):
        return False


def wsgi_application(app: App, signing_secret: str | None = None, stopping: threading.Event | None = None, health=None):
    """The WSGI app: a health check, and /slack/events for Bolt once the request is small, signed and well formed
    (signing_secret None: Bolt alone checks, as in tests of Socket Mode). Once `stopping` is set, 503 for both.

    GET /healthz: 200 while this process answers, with a line per shared store (health(): installations, Redis) —
    "degraded" when one fails, since the bot still answers (installed workspaces from its cache, without shared
    state): a load balancer keeps it. GET /healthz?strict=1: 503 when a store fails, for monitoring that alerts."""
    stopping = stopping or threading.Event()
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret) if signing_secret else None
    flow = app.oauth_flow
    oauth_paths = {flow.install_path, flow.redirect_uri_path} if flow is not None else set()

    def application(environ, start_response):
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            if stopping.is_set():  # a load balancer sends no more here
                return _plain(start_response, "503 Service Unavailable", "stopping\n")
            ok, lines = health() if health else (True, [])
            strict = "strict=1" in environ.get("QUERY_STRING", "")
            status = "200 OK" if ok or not strict else "503 Service Unavailable"
            return _plain(start_response, status, "\n".join(["ok" if ok else "degraded", *lines]) + "\n")
        if method == "GET" and path in oauth_paths:  # Bolt's OAuth flow: the install page and Slack's redirect back
            return slack(environ, start_response)
        if path != EVENTS_PATH or method != "POST":
            return _plain(start_response, "404 Not Found", "not found\n")
        if stopping.is_set():  # not acknowledged, so Slack delivers it again (to another replica, or after restart)
            return _plain(start_response, "503 Service Unavailable", "stopping\n")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _plain(start_response, "400 Bad Request", "bad length\n")
        if length > MAX_BODY:
            return _plain(start_response, "413 Payload Too Large", "too large\n")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        if verifier is not None and not _signed(verifier, body, environ):
            log.info("request with a missing or wrong signature refused (%d bytes)", length)
            return _plain(start_response, "401 Unauthorized", "invalid signature\n")
        if not _well_formed(body, environ.get("CONTENT_TYPE", "")):
            log.info("malformed request body refused (%d bytes)", length)
            return _plain(start_response, "400 Bad Request", "malformed body\n")
        environ["wsgi.input"] = io.BytesIO(body)
        return slack(environ, start_response)

    return application


def http_server(app: App, port: int, host: str = "0.0.0.0", threads: int = 8, signing_secret: str | None = None,
                stopping: threading.Event | None = None, health=None):
    """A waitress server (production-grade, pure Python) with connection limits; .run() serves, .close() stops."""
    from waitress import create_server

    return create_server(wsgi_application(app, signing_secret, stopping, health), host=host, port=port, threads=threads,
                         ident="madoguchi", connection_limit=CONNECTION_LIMIT, channel_timeout=IDLE_TIMEOUT,
                         cleanup_interval=5, asyncore_use_poll=True, backlog=1024)


def health_application(is_healthy):
    """A WSGI app answering only GET /healthz: 200 while is_healthy() is true, else 503 (Socket Mode)."""

    def application(environ, start_response):
        if environ.get("PATH_INFO") != HEALTH_PATH:
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "10")])
            return [b"not found\n"]
        ok = is_healthy()
        body = b"ok\n" if ok else b"disconnected\n"
        start_response("200 OK" if ok else "503 Service Unavailable",
                       [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]

    return application


def serve_in_background(server) -> threading.Thread:
    """Run a waitress server in a daemon thread. Closing the server from another thread makes its poll
    loop fail on the closed sockets; that is the expected end of the thread, not an error."""

    def run():
        try:
            server.run()
        except (OSError, ValueError):
            pass

    thread = threading.Thread(target=run, name="waitress", daemon=True)
    thread.start()
    return thread


def socket_mode_handler(app: App, app_token: str):
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(app, app_token)
