"""Settings, read once from the environment (and a `.env` file). Secrets never appear in reprs or logs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000


class SettingsError(Exception):
    """A required setting is missing or malformed; the message names it in one line."""


@dataclass(frozen=True)
class Settings:
    bot_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)
    api_url: str = DEFAULT_API_URL
    port: int = DEFAULT_PORT
    log_level: str = "INFO"
    knowledge_dir: str | None = None
    database: str = ""
    admins: tuple[str, ...] = ()

    @property
    def slack_configured(self) -> bool:
        return bool(self.bot_token)

    def require_http(self) -> None:
        """HTTP mode needs the bot token and the signing secret."""
        _require("SLACK_BOT_TOKEN", self.bot_token)
        _require("SLACK_SIGNING_SECRET", self.signing_secret)

    def require_socket_mode(self) -> None:
        """Socket Mode needs the bot token and the app-level token."""
        _require("SLACK_BOT_TOKEN", self.bot_token)
        _require("SLACK_APP_TOKEN", self.app_token)


def _require(name: str, value: str) -> None:
    if not value:
        raise SettingsError(f"{name} is not set (put it in the environment or in .env)")


def load_settings(env: dict[str, str] | None = None, dotenv: str | os.PathLike | None = ".env") -> Settings:
    """Read the settings once. Values already in the environment win over the .env file."""
    if env is None:
        if dotenv and Path(dotenv).is_file():
            from dotenv import load_dotenv

            load_dotenv(dotenv, override=False)
        env = dict(os.environ)
    api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError(f"SLACK_API_URL must start with http:// or https:// (got {api_url!r})")
    if not api_url.endswith("/"):
        api_url += "/"
    port_text = env.get("PORT", "").strip() or str(DEFAULT_PORT)
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SettingsError(f"PORT must be a port number (got {port_text!r})")
    level = (env.get("LOG_LEVEL", "").strip() or "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL (got {level!r})")
    admins = tuple(a.strip() for a in env.get("MADOGUCHI_ADMINS", "").split(",") if a.strip())
    return Settings(
        bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
        signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
        app_token=env.get("SLACK_APP_TOKEN", "").strip(),
        api_url=api_url,
        port=int(port_text),
        log_level=level,
        knowledge_dir=env.get("MADOGUCHI_KNOWLEDGE") or None,
        database=env.get("MADOGUCHI_DB", "").strip(),
        admins=admins,
    )
