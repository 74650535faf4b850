"""Start-up and shutdown of the Slack front end.

Start-up: logging, one check of the bot token (a refused token is one line and exit status 2; Slack unreachable is
retried with backoff, saying so), the port (in use: one line, exit 2), SIGHUP reloads. Shutdown on SIGTERM or SIGINT:
stop taking new requests, finish every acknowledged event within the deadline (default 10 s), exit 0 — also as PID 1
in a container, where a signal without a handler is ignored.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.client import web_client
from bot.slack.server import configure_logging, health_application, http_server, serve_in_background, socket_mode_handler
from bot.slack.services import SlackServices

DRAIN_SECONDS = 10.0
REFUSED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type",
           "missing_scope"}
log = logging.getLogger("madoguchi.serve")


class CountingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, counting what it has not finished (a listener acknowledged but still running)."""

    def __init__(self, max_workers: int):
        super().__init__(max_workers=max_workers, thread_name_prefix="bolt-listener")
        self.pending = 0
        self._lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        with self._lock:
            self.pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future) -> None:
        with self._lock:
            self.pending -= 1


def check_token(settings: Settings, wait=time.sleep) -> tuple[str, frozenset[str] | None]:
    """('', the token's scopes) once Slack accepts the bot token; (a one-line reason, None) if it refuses it.
    Unreachable: retried, said so. Scopes None: Slack did not say."""
    client, delay = web_client(settings), 1.0
    logging.getLogger("slack_sdk.web.base_client").setLevel(logging.CRITICAL)  # said below, in one line
    try:
        return _check_token(client, settings, wait, delay)
    finally:
        logging.getLogger("slack_sdk.web.base_client").setLevel(logging.NOTSET)


def _check_token(client, settings: Settings, wait, delay: float) -> tuple[str, frozenset[str] | None]:
    while True:
        try:
            response = client.auth_test()
            scopes = next((v for k, v in (response.headers or {}).items() if k.lower() == "x-oauth-scopes"), None)
            if isinstance(scopes, list):
                scopes = scopes[0] if scopes else ""
            return "", frozenset(s.strip() for s in scopes.split(",")) if scopes is not None else None
        except SlackApiError as e:
            error = e.response.get("error") or f"HTTP {e.response.status_code}"
            if error in REFUSED:
                return (f"SLACK_BOT_TOKEN was refused by Slack ({error}): use this app's Bot User OAuth Token (xoxb-…) "
                        f"from OAuth & Permissions, and reinstall the app if it was revoked"), None
            reason = error
        except Exception as e:  # noqa: BLE001 - no answer at all: the network, DNS, a proxy
            reason = type(e).__name__
        print(f"madoguchi: Slack is unreachable at {settings.api_url} ({reason}); trying again in {delay:.0f} s",
              file=sys.stderr)
        wait(delay)
        delay = min(delay * 2, 60.0)


def serve(settings: Settings, runtime: Runtime, *, http: bool, port: int, drain_seconds: float = DRAIN_SECONDS,
          shared=None) -> int:
    """Serve until SIGTERM/SIGINT, then end the process (status 0); returns only on a start-up problem (status 2).
    shared: a bot.stores.redis_store.Redis for several replicas (seen events and shares there), or None."""
    configure_logging(settings.log_level)
    problem, scopes = ("", None) if settings.oauth else check_token(settings)
    if problem:
        print(f"madoguchi: {problem}", file=sys.stderr)
        return 2
    # without channels:history (the mention-only manifest) thread replies never arrive: clarifying questions say so
    seen = None
    services = SlackServices(runtime, settings, thread_replies=scopes is None or "channels:history" in scopes)
    if shared is not None:
        from bot.stores.redis_store import RedisSeenEvents, RedisShares

        seen, services.shares = RedisSeenEvents(shared), RedisShares(shared)
        services.stores.append(shared)
    bolt_pool = CountingExecutor(max_workers=10)
    app = build_app(settings, runtime, socket_mode=not http, seen=seen, services=services, listener_executor=bolt_pool)
    reload_on_sighup(runtime)
    stop = StopRequest.on_signals()
    _curate(services, runtime, settings, stop.event)
    try:
        server = http_server(app, port, signing_secret=settings.signing_secret, stopping=stop.event,
                             health=services.health) if http else \
            _health_server(port)
    except OSError as e:
        print(f"madoguchi: cannot listen on port {port} ({e.strerror or e}); is another process using it? Choose "
              f"another with --port or PORT", file=sys.stderr)
        return 2
    if http:
        print(f"madoguchi: serving Slack over HTTP on port {port} (POST /slack/events, GET /healthz)", file=sys.stderr)
        _loop_until(server, stop)
        server.accepting = False  # no new connections; new requests on open ones get 503 (Slack sends them again)
        drained = _drain(lambda: _busy(server) or bolt_pool.pending or any(p.pending for p in services.pools),
                         drain_seconds, lambda: _loop_once(server))
    else:
        print("madoguchi: connecting to Slack in Socket Mode", file=sys.stderr)
        handler = socket_mode_handler(app, settings.app_token)
        handler.connect()
        server.application = health_application(handler.client.is_connected)
        serve_in_background(server)
        print(f"madoguchi: health check on port {port} (GET /healthz)", file=sys.stderr)
        stop.wait()  # wakes every 0.2 s: never a wait the signal cannot end
        # no new events; those acknowledged are answered below. The client's close may wait on its own threads: it is
        # given a moment in a thread of its own, and the process ends at the deadline whatever it does.
        closing = threading.Thread(target=handler.client.close, name="socket-mode-close", daemon=True)
        closing.start()
        closing.join(timeout=2)
        drained = _drain(lambda: bolt_pool.pending or any(p.pending for p in services.pools), drain_seconds,
                         lambda: time.sleep(0.05))
    log.info("stopped: %s", "every acknowledged event answered" if drained else
             f"deadline of {drain_seconds:.0f} s reached with work left")
    server.close()
    _exit_now(runtime)


def _curate(services: SlackServices, runtime: Runtime, settings: Settings, stop: threading.Event) -> None:
    """With a records database: curators change the knowledge from Slack, and every replica loads an applied version
    within MADOGUCHI_KNOWLEDGE_POLL seconds (bot.curation.source.watch)."""
    source = runtime.source
    if source is None or source.versions is None:
        return
    from bot.assembly import follow_versions
    from bot.curation.curating import Curation

    services.curation = Curation(source, runtime)
    follow_versions(runtime, settings, stop)
    log.info("knowledge: version %d (%s mode); curators: %s", source.version, source.mode,
             len(settings.curators) or f"the {len(settings.admins)} admin(s)")


def _exit_now(runtime: Runtime) -> None:
    """End the process now, with status 0: work still running past the deadline (a post hanging on the Web API)
    must not keep it alive. The records are flushed first."""
    close = getattr(runtime.recorder, "close", None)
    if close:
        close()
    if runtime.source is not None:
        runtime.source.close()  # its work folder
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _health_server(port: int):
    """The health-check server of Socket Mode, listening before Slack is connected (its application is replaced by
    one that asks the WebSocket client once that exists)."""
    from waitress import create_server

    return create_server(health_application(lambda: False), host="0.0.0.0", port=port, threads=1)


class StopRequest:
    """SIGTERM or SIGINT, noted by the signal handler and acted on by the main thread.

    The handler only records the signal: a handler that logs or sets a threading.Event can deadlock on a lock the
    interrupted main thread holds at that moment (Event's own lock, a logging or stream lock), and then the process
    never stops — a lost SIGTERM ends in systemd's SIGKILL. The main thread looks every 0.2 s at most (a
    process-directed signal may land on another thread, and CPython runs a Python handler only when the main thread
    runs Python code, which a wait without a timeout never does), logs it, and sets `event` for the request threads."""

    CHECK_EVERY = 0.2

    def __init__(self):
        self.signum = 0
        self.event = threading.Event()

    @classmethod
    def on_signals(cls) -> "StopRequest":
        stop = cls()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, stop.handle)
        return stop

    def handle(self, signum, _frame) -> None:
        self.signum = signum

    def noticed(self) -> bool:
        if self.signum and not self.event.is_set():
            log.info("%s received: finishing what was acknowledged, then stopping", signal.Signals(self.signum).name)
            self.event.set()
        return self.event.is_set()

    def wait(self) -> None:
        while not self.noticed():
            time.sleep(self.CHECK_EVERY)


def _loop_once(server) -> None:
    from waitress import wasyncore

    wasyncore.loop(timeout=0.05, map=server._map, use_poll=True, count=1)


def _loop_until(server, stop: StopRequest) -> None:
    """waitress's own loop, one step at a time (0.05 s at most each), so that a signal stops it between steps."""
    while not stop.noticed():
        _loop_once(server)


def _busy(server) -> bool:
    dispatcher = server.task_dispatcher
    return bool(dispatcher.queue) or dispatcher.active_count > 0


def _drain(busy, seconds: float, step) -> bool:
    deadline = time.monotonic() + seconds
    while busy():
        if time.monotonic() >= deadline:
            return False
        step()
    return True


def reload_on_sighup(runtime: Runtime) -> None:
    """SIGHUP reloads the knowledge in the background; problems are logged and the old knowledge keeps serving."""
    reload_log = logging.getLogger("madoguchi.reload")

    def reload():
        try:
            problems = runtime.reload()
        except Exception:
            reload_log.exception("knowledge reload failed; still serving the previous version")
            return
        if problems:
            reload_log.error("knowledge NOT reloaded, still serving the previous version:\n%s", "\n".join(map(str, problems)))
        else:
            reload_log.info("knowledge reloaded: %d contacts", len(runtime.knowledge.contacts))

    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda *_: threading.Thread(target=reload, name="reload").start())
