"""The Web API client: SLACK_API_URL, a 10-second timeout, and retries only where Slack certainly did not act."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.settings import Settings
from bot.slack.retries import retry_handlers

WEB_API_TIMEOUT = 10  # seconds for one Web API call (slack_sdk's default is 30)


def web_client(settings: Settings) -> WebClient:
    """Web API client for SLACK_API_URL; retried only where Slack certainly did not act (see retries.py)."""
    return WebClient(token=None if settings.oauth else settings.bot_token, base_url=settings.api_url, timeout=WEB_API_TIMEOUT,
                     retry_handlers=retry_handlers())
