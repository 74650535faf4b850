"""Many workspaces: Bolt's OAuth flow with slack_sdk's own SQLAlchemy stores.

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, the HTTP app serves /slack/install (an "Add to Slack" page) and
/slack/oauth_redirect; each workspace's bot token comes from the installation store (keyed by team, or by
enterprise for an org-wide Enterprise Grid install) instead of SLACK_BOT_TOKEN. The installations are kept apart from
the curators' records — their own SQLite file (MADOGUCHI_INSTALLATIONS_DB, created 0600), or PostgreSQL with
DATABASE_URL — with every token encrypted (MADOGUCHI_TOKEN_KEY) and served from a bounded cache when the database
fails (bot.slack.installations). app_uninstalled and tokens_revoked delete the workspace's installation (Bolt's token
revocation listeners). With token rotation, one replica refreshes an installation's token at a time
(bot.slack.rotation). The states of the install flow expire: each unauthenticated GET /slack/install leaves a row
that is gone after STATE_SECONDS, and there are never more than MAX_STATES.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, func, inspect, select, text

from bot.curation.schema import migrate_tables, open_engine
from bot.settings import Settings
from bot.slack.client import web_client
from bot.slack.installations import (CachedInstallationStore, EncryptedInstallationStore, encrypt_stored,
                                     encrypted_row, fernet, widen_token_columns)
from bot.slack.rotation import SerializedTokenRotator

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
BOT_SCOPES = ("app_mentions:read", "assistant:write", "channels:history", "chat:write", "commands", "files:read",
              "files:write", "groups:history", "im:history", "im:write")  # as in deploy/manifest.http.yaml (tests/test_manifests.py keeps them equal)
STATE_SECONDS = 600
MAX_STATES = 10_000
log = logging.getLogger("madoguchi.oauth")


class ExpiringStateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store, whose rows stay until used: here each issue deletes the expired ones and keeps at most
    MAX_STATES (2,000 unauthenticated GET /slack/install in 3 s once left 2,000 rows for good)."""

    def issue(self, *args, **kwargs) -> str:
        state = super().issue(*args, **kwargs)
        now = normalize_datetime_for_db(datetime.fromtimestamp(time.time(), tz=timezone.utc))
        c = self.oauth_states.c
        with self.engine.begin() as connection:
            connection.execute(self.oauth_states.delete().where(c.expire_at <= now))
            newest = connection.execute(select(func.max(c.id))).scalar() or 0
            connection.execute(self.oauth_states.delete().where(c.id <= newest - MAX_STATES))
        return state


def oauth_settings(settings: Settings) -> tuple[OAuthSettings, CachedInstallationStore]:
    """Bolt's OAuth settings (the tables are created when missing), and the installation store (for /healthz)."""
    engine = open_engine(settings.installations_target)
    stored = SQLAlchemyInstallationStore(client_id=settings.client_id, engine=engine)
    states = ExpiringStateStore(expiration_seconds=STATE_SECONDS, engine=engine)
    widen_token_columns(stored.metadata)
    migrate_tables(engine, stored.metadata, states.metadata)
    cipher = fernet(settings.token_keys)
    if settings.database and not settings.database_url:
        move_out_of_the_records(settings, stored, cipher)
    encrypted = encrypt_stored(stored, cipher)
    if encrypted:
        log.warning("%d installation(s) stored with tokens in clear were encrypted", encrypted)
    installations = CachedInstallationStore(EncryptedInstallationStore(stored, cipher))
    oauth = OAuthSettings(client_id=settings.client_id, client_secret=settings.client_secret,
                          scopes=list(settings.install_scopes or BOT_SCOPES),  # SLACK_SCOPES: the listed app's
                          installation_store=installations, state_store=states, install_path=INSTALL_PATH,
                          redirect_uri_path=REDIRECT_PATH)
    # token rotation (when enabled in the app's settings): one refresh at a time per installation, across replicas,
    # through SLACK_API_URL like every other call
    oauth.authorize.token_rotator = SerializedTokenRotator(client_id=settings.client_id,
                                                           client_secret=settings.client_secret,
                                                           client=web_client(settings), store=installations, engine=engine,
                                                           reader=installations.inner)
    return oauth, installations


def move_out_of_the_records(settings: Settings, stored: SQLAlchemyInstallationStore, cipher) -> None:
    """An earlier version kept the installations (tokens in clear) in the records' SQLite file, which staff read and
    copy: they move to the installations file, and the records file is rewritten without them (VACUUM)."""
    if not settings.database.is_file() or settings.database.resolve() == settings.installations_target.resolve():
        return
    records = open_engine(settings.database)
    tables = [t for t in (stored.installations.name, stored.bots.name, "slack_oauth_states")
              if t in inspect(records).get_table_names()]
    if not tables:
        return
    found = MetaData()
    found.reflect(records, only=tables)
    with records.connect() as source, stored.engine.begin() as target:
        for table in (stored.installations, stored.bots):
            if table.name in found.tables:
                rows = [encrypted_row(dict(r._mapping), cipher) for r in source.execute(select(found.tables[table.name]))]
                if rows and not target.execute(select(func.count()).select_from(table)).scalar():
                    target.execute(table.insert(), rows)
    with records.begin() as connection:
        for name in tables:
            connection.execute(text(f'DROP TABLE "{name}"'))
    with records.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM"))  # the file rewritten: no page keeps a token
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))  # nor the write-ahead log
    records.dispose()
    log.warning("the installations were moved out of the records file %s into %s", settings.database,
                settings.installations_target)
