"""Builds the Bolt App: settings, a Web API client with Slack's retry handlers, middleware and listeners."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (ConnectionErrorRetryHandler, RateLimitErrorRetryHandler,
                                                   ServerErrorRetryHandler)

from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack import listeners
from bot.slack.dedupe import MemorySeenEvents, SeenEvents
from bot.slack.middleware import deduplicate, provide
from bot.slack.services import SlackServices


def web_client(settings: Settings) -> WebClient:
    """Web API client for SLACK_API_URL; 429s, connection errors and 5xx are retried by slack_sdk."""
    return WebClient(token=settings.bot_token, base_url=settings.api_url, retry_handlers=[
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ])


def build_app(settings: Settings, runtime: Runtime, *, socket_mode: bool = False, seen: SeenEvents | None = None) -> App:
    app = App(
        signing_secret=settings.signing_secret or None,
        client=web_client(settings),  # carries the bot token
        request_verification_enabled=not socket_mode,  # Socket Mode messages are not signed
    )
    app.use(provide(SlackServices(runtime, settings)))
    app.use(deduplicate(seen or MemorySeenEvents()))
    listeners.register(app)
    return app
