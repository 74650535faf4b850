"""Settings: the one reader of the environment and the `.env` file, for every command. Fails fast with one line
naming the setting; secrets never appear in reprs or logs. Nothing else in the package reads os.environ."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DEFAULT_DATABASE = Path("var", "madoguchi.sqlite3")
DEFAULT_INSTALLATIONS = Path("var", "installations.sqlite3")
DEFAULT_RETENTION_DAYS = 365  # records (answers, feedback) are deleted after a year unless MADOGUCHI_RETENTION_DAYS says otherwise
MIN_MCP_TOKEN = 24  # characters of MADOGUCHI_MCP_TOKEN: a guessable token would open the MCP server to anyone
OFF = ("off", "none", "0")
# values people leave in a .env copied from an example: refused, so that a secret is never a word anyone can guess
PLACEHOLDERS = frozenset({"...", "…", "changeme", "change-me", "change_me", "changethis", "xxx", "xxxx", "todo",
                          "secret", "your-secret", "placeholder", "example", "dummy", "test", "password"})


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
    curators: tuple[tuple[str, str], ...] = ()  # MADOGUCHI_CURATORS: (workspace or "" for every one, user id)
    knowledge_poll: float = 3.0  # MADOGUCHI_KNOWLEDGE_POLL: seconds between two looks for a newer applied version
    user_hash_key: str = field(default="", repr=False)  # keys the hashes of user ids in the records
    redis_url: str = field(default="", repr=False)  # shared state for several replicas (may hold a password)
    database_url: str = field(default="", repr=False)  # the records on a database server (may hold a password)
    client_id: str = ""  # SLACK_CLIENT_ID: with the secret, workspaces install the app through Bolt's OAuth flow
    client_secret: str = field(default="", repr=False)
    token_keys: tuple[str, ...] = field(default=(), repr=False)  # MADOGUCHI_TOKEN_KEY: Fernet keys, the first encrypts
    installations_db: Path = DEFAULT_INSTALLATIONS  # the installations (OAuth), apart from the records
    mcp_token: str = field(default="", repr=False)  # MADOGUCHI_MCP_TOKEN: the bearer token `madoguchi mcp --http` asks for
    retention_days: int = DEFAULT_RETENTION_DAYS  # records older than this are deleted (0: kept)
    install_scopes: tuple[str, ...] = ()  # SLACK_SCOPES: the bot scopes the install flow asks for (() : the HTTP manifest's)

    def require_mcp_token(self) -> None:
        """The MCP server over HTTP answers only with its bearer token (stdio is the local user's own process)."""
        if len(self.mcp_token) < MIN_MCP_TOKEN:
            raise SettingsError(f"MADOGUCHI_MCP_TOKEN is not set (or shorter than {MIN_MCP_TOKEN} characters): "
                                f"`madoguchi mcp --http` answers only with it; make one with `madoguchi keygen`")

    def is_curator(self, team: str, user: str) -> bool:
        """May change the knowledge and read the report from Slack: a user named in MADOGUCHI_CURATORS (for every
        workspace, or as T…:U… for one), else — when none are named — an admin (MADOGUCHI_ADMINS)."""
        if not self.curators:
            return bool(user) and user in self.admins
        return any(u == user and t in ("", team) for t, u in self.curators)

    @property
    def oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)

    def require_oauth(self) -> None:
        """Installing through OAuth needs the signing secret (HTTP mode) and the key that encrypts the tokens kept."""
        _require("SLACK_SIGNING_SECRET", self.signing_secret)
        if not self.token_keys:
            raise SettingsError("MADOGUCHI_TOKEN_KEY is not set: with SLACK_CLIENT_ID each workspace's tokens are kept "
                                "encrypted with it; make one with `madoguchi keygen` and keep it secret")

    @property
    def installations_target(self) -> str | Path:
        """Where the installations (OAuth) are kept: DATABASE_URL (their own tables), else their own SQLite file."""
        return self.database_url or self.installations_db

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


def _secret(env: Mapping[str, str], name: str) -> str:
    """A secret's value; a placeholder left from an example (…, changeme, <your-secret>) is refused in one line."""
    value = env.get(name, "").strip()
    bare = value.lower().strip("<>\"'")
    if value and (bare in PLACEHOLDERS or set(bare) <= set(".…x*") or bare.startswith("your") or
                  bare.endswith(("-...", "-…", "-xxx", "-xxxx"))):
        raise SettingsError(f"{name} is a placeholder ({value[:12]!r}): put the real value in the environment or .env")
    return value


def _token_keys(env: Mapping[str, str]) -> tuple[str, ...]:
    """MADOGUCHI_TOKEN_KEY: one Fernet key, or several separated by commas (the first encrypts; any decrypts)."""
    keys = tuple(k.strip() for k in _secret(env, "MADOGUCHI_TOKEN_KEY").split(",") if k.strip())
    for key in keys:
        try:
            from cryptography.fernet import Fernet

            Fernet(key.encode())
        except ValueError:
            raise SettingsError("MADOGUCHI_TOKEN_KEY must be a Fernet key (44 characters of URL-safe base64), or several "
                                "separated by commas: make one with `madoguchi keygen`") from None
    return keys


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
    installations = env.get("MADOGUCHI_INSTALLATIONS_DB", "").strip()
    return Settings(
        bot_token=_secret(env, "SLACK_BOT_TOKEN"),
        signing_secret=_secret(env, "SLACK_SIGNING_SECRET"),
        app_token=_secret(env, "SLACK_APP_TOKEN"),
        api_url=api_url,
        port=int(port_text),
        log_level=level,
        knowledge_dir=Path(knowledge) if knowledge else None,
        cache_dir=_cache_dir(env),
        database=_database(env),
        admins=admins,
        curators=_curators(env),
        knowledge_poll=_poll(env),
        user_hash_key=_secret(env, "MADOGUCHI_USER_HASH_KEY"),
        redis_url=_redis_url(env),
        database_url=env.get("DATABASE_URL", "").strip(),
        client_id=env.get("SLACK_CLIENT_ID", "").strip(),
        client_secret=_secret(env, "SLACK_CLIENT_SECRET"),
        token_keys=_token_keys(env),
        installations_db=Path(installations) if installations else DEFAULT_INSTALLATIONS,
        mcp_token=_secret(env, "MADOGUCHI_MCP_TOKEN"),
        retention_days=_retention(env),
        install_scopes=tuple(x.strip() for x in env.get("SLACK_SCOPES", "").split(",") if x.strip()),
    )


def _curators(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    out = []
    for entry in (e.strip() for e in env.get("MADOGUCHI_CURATORS", "").split(",")):
        if not entry:
            continue
        team, _, user = entry.rpartition(":")
        if not re.fullmatch(r"[UW][A-Z0-9]+", user) or (team and not re.fullmatch(r"[TE][A-Z0-9]+", team)):
            raise SettingsError(f"MADOGUCHI_CURATORS must list Slack user ids (U…), each alone for every workspace or "
                                f"as T…:U… for one workspace, separated by commas (got {entry!r})")
        out.append((team, user))
    return tuple(out)


def _poll(env: Mapping[str, str]) -> float:
    text = env.get("MADOGUCHI_KNOWLEDGE_POLL", "").strip() or "3"
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0.1 <= seconds <= 3600:
        raise SettingsError(f"MADOGUCHI_KNOWLEDGE_POLL must be seconds between 0.1 and 3600 (got {text!r})")
    return seconds


def _retention(env: Mapping[str, str]) -> int:
    text = env.get("MADOGUCHI_RETENTION_DAYS", "").strip() or str(DEFAULT_RETENTION_DAYS)
    if not text.isdigit():
        raise SettingsError(f"MADOGUCHI_RETENTION_DAYS must be a number of days, 0 to keep records (got {text!r})")
    return int(text)


def _redis_url(env: Mapping[str, str]) -> str:
    url = env.get("REDIS_URL", "").strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"REDIS_URL must start with redis://, rediss:// or unix:// (got {url.split(':')[0]!r}…)")
    return url
