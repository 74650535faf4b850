"""Settings: the one reader of the environment and the `.env` file, for every command. Fails fast with one line
naming the setting; secrets never appear in reprs or logs. Nothing else in the package reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DEFAULT_DATABASE = Path("var", "madoguchi.sqlite3")
OFF = ("off", "none", "0")


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
    knowledge_dir: Path | None = None  # None: ./knowledge when there is one, else the packaged knowledge
    cache_dir: Path | None = None  # None: no cache
    database: Path | None = DEFAULT_DATABASE  # None: record nothing
    admins: tuple[str, ...] = ()
    user_hash_key: str = field(default="", repr=False)  # keys the hashes of user ids in the records
    redis_url: str = field(default="", repr=False)  # shared state for several replicas (may hold a password)
    database_url: str = field(default="", repr=False)  # the records on a database server (may hold a password)
    client_id: str = ""  # SLACK_CLIENT_ID: with the secret, workspaces install the app through Bolt's OAuth flow
    client_secret: str = field(default="", repr=False)

    @property
    def oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)

    def require_oauth(self) -> None:
        """Installing through OAuth needs the signing secret (HTTP mode) and somewhere to keep the installations."""
        _require("SLACK_SIGNING_SECRET", self.signing_secret)
        if self.database is None and not self.database_url:
            raise SettingsError("SLACK_CLIENT_ID is set, so installations are kept in a database: set DATABASE_URL, "
                                "or MADOGUCHI_DB to a file instead of off")

    @property
    def records_target(self) -> str | Path | None:
        """Where the curators' records go: DATABASE_URL, else the SQLite file MADOGUCHI_DB; None when that is off."""
        if self.database is None:
            return None
        return self.database_url or self.database

    def hash_key(self) -> bytes | None:
        """The key for user-id hashes: MADOGUCHI_USER_HASH_KEY, else the signing secret or app token (secrets kept
        outside the database, so that its hashes cannot be reversed from the member list); None: no hashes."""
        key = self.user_hash_key or self.signing_secret or self.app_token
        return key.encode() if key else None

    @property
    def slack_configured(self) -> bool:
        return bool(self.bot_token) or self.oauth

    def knowledge(self, override: str | os.PathLike | None = None) -> Path:
        """The knowledge folder: --knowledge, else $MADOGUCHI_KNOWLEDGE, else ./knowledge, else the packaged one."""
        if override:
            return Path(override)
        if self.knowledge_dir:
            return self.knowledge_dir
        here = Path("knowledge")
        if (here / "categories.toml").is_file():
            return here
        from bot.knowledge import packaged_root

        return packaged_root()

    def require_http(self) -> None:
        """HTTP mode needs the bot token and the signing secret."""
        _require("SLACK_BOT_TOKEN", self.bot_token, "xoxb-")
        _require("SLACK_SIGNING_SECRET", self.signing_secret)

    def require_socket_mode(self) -> None:
        """Socket Mode needs the bot token and the app-level token."""
        _require("SLACK_BOT_TOKEN", self.bot_token, "xoxb-")
        _require("SLACK_APP_TOKEN", self.app_token, "xapp-")


_TOKEN_KINDS = {"xoxb-": "a bot token (xoxb-…, OAuth & Permissions → Bot User OAuth Token)",
                "xapp-": "an app-level token (xapp-…, Basic Information → App-Level Tokens, scope connections:write)"}


def _require(name: str, value: str, prefix: str = "") -> None:
    if not value:
        raise SettingsError(f"{name} is not set (put it in the environment or in .env)")
    if prefix and not value.startswith(prefix):
        got = value.split("-", 1)[0] + "-" if "-" in value else "something else"
        raise SettingsError(f"{name} must be {_TOKEN_KINDS[prefix]}, but it starts with {got!r}")
    if any(c.isspace() for c in value) or "#" in value:
        raise SettingsError(f"{name} contains a space or '#': a comment after the value is kept as part of it by "
                            f"docker --env-file and systemd; put comments on their own lines")


def _cache_dir(env: Mapping[str, str]) -> Path | None:
    """$MADOGUCHI_CACHE_DIR ('off' to disable), else $XDG_CACHE_HOME/madoguchi or ~/.cache/madoguchi."""
    value = env.get("MADOGUCHI_CACHE_DIR", "").strip()
    if value.lower() in OFF:
        return None
    if value:
        return Path(value)
    base = env.get("XDG_CACHE_HOME", "").strip()
    return Path(base or Path(env.get("HOME", "").strip() or Path.home(), ".cache"), "madoguchi")


def _database(env: Mapping[str, str]) -> Path | None:
    value = env.get("MADOGUCHI_DB", "").strip()
    if value.lower() in OFF:
        return None
    return Path(value) if value else DEFAULT_DATABASE


def load_settings(env: Mapping[str, str] | None = None, dotenv: str | os.PathLike | None = ".env") -> Settings:
    """Read the settings once. Values already in the environment win over the .env file."""
    if env is None:
        values = dict(os.environ)
        if dotenv and Path(dotenv).is_file():
            from dotenv import dotenv_values

            values = {**{k: v for k, v in dotenv_values(dotenv).items() if v is not None}, **values}
        env = values
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
    knowledge = env.get("MADOGUCHI_KNOWLEDGE", "").strip()
    return Settings(
        bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
        signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
        app_token=env.get("SLACK_APP_TOKEN", "").strip(),
        api_url=api_url,
        port=int(port_text),
        log_level=level,
        knowledge_dir=Path(knowledge) if knowledge else None,
        cache_dir=_cache_dir(env),
        database=_database(env),
        admins=admins,
        user_hash_key=env.get("MADOGUCHI_USER_HASH_KEY", "").strip(),
        redis_url=_redis_url(env),
        database_url=env.get("DATABASE_URL", "").strip(),
        client_id=env.get("SLACK_CLIENT_ID", "").strip(),
        client_secret=env.get("SLACK_CLIENT_SECRET", "").strip(),
    )


def _redis_url(env: Mapping[str, str]) -> str:
    url = env.get("REDIS_URL", "").strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"REDIS_URL must start with redis://, rediss:// or unix:// (got {url.split(':')[0]!r}…)")
    return url
