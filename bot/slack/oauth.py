"""Many workspaces: Bolt's OAuth flow with slack_sdk's own SQLAlchemy stores.

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, the HTTP app serves /slack/install (an "Add to Slack" page) and
/slack/oauth_redirect; each workspace's bot token comes from the installation store (keyed by team, or by
enterprise for an org-wide Enterprise Grid install) instead of SLACK_BOT_TOKEN. The stores live in the same database
as the curators' records: PostgreSQL with DATABASE_URL, else the SQLite file. app_uninstalled and tokens_revoked
delete the workspace's installation (Bolt's token revocation listeners). With token rotation, one replica refreshes
an installation's token at a time (bot.slack.rotation).
"""

from __future__ import annotations

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.curation.schema import migrate, open_engine
from bot.settings import Settings
from bot.slack.client import web_client
from bot.slack.rotation import SerializedTokenRotator

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
BOT_SCOPES = ("app_mentions:read", "assistant:write", "channels:history", "chat:write", "commands", "groups:history",
              "im:history")  # as in deploy/manifest.http.yaml (tests/test_manifests.py keeps them equal)
STATE_SECONDS = 600


def oauth_settings(settings: Settings) -> OAuthSettings:
    """Bolt's OAuth settings on the records' database (the tables are created when missing)."""
    engine = open_engine(settings.database_url or settings.database)
    installations = SQLAlchemyInstallationStore(client_id=settings.client_id, engine=engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine)
    migrate(engine, installations.metadata, states.metadata)
    oauth = OAuthSettings(client_id=settings.client_id, client_secret=settings.client_secret, scopes=list(BOT_SCOPES),
                          installation_store=installations, state_store=states, install_path=INSTALL_PATH,
                          redirect_uri_path=REDIRECT_PATH)
    # token rotation (when enabled in the app's settings): one refresh at a time per installation, across replicas,
    # through SLACK_API_URL like every other call
    oauth.authorize.token_rotator = SerializedTokenRotator(client_id=settings.client_id,
                                                           client_secret=settings.client_secret,
                                                           client=web_client(settings), store=installations, engine=engine)
    return oauth
