"""Builds the Bolt App: a Web API client with safe retries, the services in Bolt's context, de-duplication and the
listeners by surface."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App

from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack import listeners
from bot.slack.dedupe import MemorySeenEvents, SeenEvents
from bot.slack.middleware import deduplicate, provide
from bot.slack.client import web_client
from bot.slack.services import SlackServices

class _TokenUnusedNoise(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that it is unused when a client is given: noise nobody can act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_TokenUnusedNoise())


def build_app(settings: Settings, runtime: Runtime, *, socket_mode: bool = False, seen: SeenEvents | None = None,
              services: SlackServices | None = None, listener_executor: Executor | None = None) -> App:
    """The Bolt app: one workspace with SLACK_BOT_TOKEN, or many through OAuth (SLACK_CLIENT_ID, bot.slack.oauth)."""
    options: dict = {"listener_executor": listener_executor} if listener_executor else {}
    services = services or SlackServices(runtime, settings)
    if settings.oauth:
        from bot.slack.oauth import oauth_settings

        oauth, installations = oauth_settings(settings)
        services.stores.append(installations)  # its state goes into /healthz
        options.update(oauth_settings=oauth, token_verification_enabled=False)
    else:
        # Bolt asks auth.test once, now, and keeps the answer: no request ever waits on it (serve() has checked the
        # token just before, so a refused one is a one-line message rather than Bolt's traceback)
        options.update(token_verification_enabled=True)
    app = App(
        # listeners only hand work to the bounded pools and return: run before the response, so that one that finds
        # no room can refuse the event (503) rather than acknowledge it and drop it, and no queue of Bolt's grows
        process_before_response=True,
        signing_secret=settings.signing_secret or None,
        client=web_client(settings),  # carries the bot token (none with OAuth: each workspace's comes from the store)
        request_verification_enabled=not socket_mode,  # Socket Mode messages are not signed
        **options,
    )
    if settings.oauth:
        app.enable_token_revocation_listeners()  # app_uninstalled, tokens_revoked: the installation is deleted
    services.seen = seen if seen is not None else MemorySeenEvents()
    app.use(provide(services))
    app.use(deduplicate(services.seen))
    listeners.register(app)
    return app
