"""Start-up of the Slack front end: logging, the Bolt app, SIGHUP reloads, and HTTP or Socket Mode serving."""

from __future__ import annotations

import logging
import signal
import sys
import threading

from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.server import configure_logging, health_application, http_server, serve_in_background, socket_mode_handler


def serve(settings: Settings, runtime: Runtime, *, http: bool, port: int) -> int:
    configure_logging(settings.log_level)
    app = build_app(settings, runtime, socket_mode=not http)
    reload_on_sighup(runtime)
    if http:
        server = http_server(app, port)
        print(f"madoguchi: serving Slack over HTTP on port {port} (POST /slack/events, GET /healthz)", file=sys.stderr)
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        return 0
    from waitress import create_server

    print("madoguchi: connecting to Slack in Socket Mode", file=sys.stderr)
    handler = socket_mode_handler(app, settings.app_token)
    handler.connect()
    health = create_server(health_application(handler.client.is_connected), host="0.0.0.0", port=port, threads=1)
    serve_in_background(health)
    print(f"madoguchi: health check on port {port} (GET /healthz)", file=sys.stderr)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        handler.close()
    return 0


def reload_on_sighup(runtime: Runtime) -> None:
    """SIGHUP reloads the knowledge in the background; problems are logged and the old knowledge keeps serving."""
    log = logging.getLogger("madoguchi.reload")

    def reload():
        problems = runtime.reload()
        if problems:
            log.error("knowledge NOT reloaded, still serving the previous version:\n%s", "\n".join(map(str, problems)))
        else:
            log.info("knowledge reloaded: %d contacts", len(runtime.knowledge.contacts))

    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda *_: threading.Thread(target=reload, name="reload").start())
