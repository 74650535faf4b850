"""Running the app: HTTP on waitress (POST /slack/events, GET /healthz) or Socket Mode."""

from __future__ import annotations

import logging
import re
import threading

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

HEALTH_PATH = "/healthz"
EVENTS_PATH = "/slack/events"
_SECRET = re.compile(r"xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Belt and braces: mask anything that looks like a Slack token in every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _SECRET.search(message):
            record.msg, record.args = _SECRET.sub("xox*-(redacted)", message), None
        return True


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets())


def wsgi_application(app: App):
    """The WSGI app: Bolt's handler for /slack/events plus a health check."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ, start_response):
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "3")])
            return [b"ok\n"]
        return slack(environ, start_response)

    return application


def http_server(app: App, port: int, host: str = "0.0.0.0", threads: int = 8):
    """A waitress server (production-grade, pure Python); call .run() to serve, .close() to stop."""
    from waitress import create_server

    return create_server(wsgi_application(app), host=host, port=port, threads=threads, ident="madoguchi")


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
