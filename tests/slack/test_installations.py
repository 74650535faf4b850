"""The workspaces' installations (OAuth mode): apart from the curators' records, tokens encrypted at rest, files only
the owner reads, an earlier version's records file emptied of them; answered from a bounded cache when PostgreSQL is
stopped or never answers, /healthz saying so; install-flow states that expire; every token form redacted in logs."""

import json
import logging
import os
import sqlite3
import time
import urllib.error
import urllib.request

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.core.engine import Engine
from bot.curation.schema import open_engine
from bot.runtime import Runtime, build_snapshot
from bot.settings import Settings
from bot.slack import installations as cache
from bot.slack import oauth
from bot.slack.app import build_app
from bot.slack.server import RedactSecrets, http_server, serve_in_background
from bot.slack.services import SlackServices
from tests.fakes.fake_slack import FakeSlack
from tests.servers import TcpProxy, postgres_url  # noqa: F401 - pytest fixture
from tests.slack.conftest import SECRET, TOKEN_KEY, BotUnderTest
from tests.slack.test_oauth import event_for, install


class Serving:
    """The OAuth app over HTTP, with its /healthz wired as `serve` wires it."""

    def __init__(self, settings, knowledge, tokenizer, index, slack):
        runtime = Runtime(build_snapshot(knowledge, None, engine=Engine(knowledge, tokenizer, index)))
        self.services = SlackServices(runtime, settings)
        app = build_app(settings, runtime, services=self.services)
        self.server = http_server(app, port=0, host="127.0.0.1", threads=4, signing_secret=SECRET,
                                  health=self.services.health)
        serve_in_background(self.server)
        self.bot = BotUnderTest(f"http://127.0.0.1:{self.server.effective_port}", slack, runtime, None, self.services)

    def health(self, strict=False):
        try:
            with urllib.request.urlopen(self.bot.url + "/healthz" + ("?strict=1" if strict else ""), timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def close(self):
        for pool in self.services.pools:
            pool.close()
            pool.drain(10)
        self.server.close()


def settings_for(slack, tmp_path, **more):
    return Settings(signing_secret=SECRET, api_url=slack.api_url, client_id="111.222", client_secret="shh",
                    database=tmp_path / "records.sqlite3", installations_db=tmp_path / "installations.sqlite3",
                    token_keys=(TOKEN_KEY,), **more)


def on_disk(folder, name: str) -> bytes:
    """Every byte of a SQLite database as stored: the file, its write-ahead log and shared memory."""
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith(f"{name}.sqlite3"))


def answered(bot, team, channel) -> bool:
    assert bot.post(event_for(team, "二重ローン 宮城", channel))[0] == 200
    return bot.slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("channel") == channel)


def test_tokens_are_encrypted_at_rest_apart_from_the_records_in_files_only_the_owner_reads(tmp_path, knowledge,
                                                                                            tokenizer, index):
    with FakeSlack("xoxb-unused") as slack:
        settings = settings_for(slack, tmp_path)
        serving = Serving(settings, knowledge, tokenizer, index, slack)
        try:
            install(serving.bot, "T1")
            assert answered(serving.bot, "T1", "D1")
            (post,) = slack.sent("chat.postMessage")
            assert post.headers["Authorization"] == "Bearer xoxb-inst-T1"  # decrypted for use
        finally:
            serving.close()
    assert on_disk(tmp_path, "installations") and b"xoxb-inst-T1" not in on_disk(tmp_path, "installations")
    row = sqlite3.connect(settings.installations_db).execute("SELECT bot_token FROM slack_installations").fetchone()
    assert row and row[0].startswith("gAAAAA")  # a Fernet token
    assert all(os.stat(p).st_mode & 0o777 == 0o600 for p in tmp_path.iterdir() if ".sqlite3" in p.name)
    with sqlite3.connect(settings.database) as records:  # the file staff read and copy holds no installation
        assert not [t for (t,) in records.execute("SELECT name FROM sqlite_master") if t.startswith("slack_")]


def test_an_earlier_versions_records_file_gives_up_its_installations(tmp_path, knowledge, tokenizer, index):
    """Installations kept (tokens in clear, 0644) in the records file by an earlier version: moved out and encrypted,
    the records file rewritten without them and made 0600; the workspace is still answered."""
    records = tmp_path / "records.sqlite3"
    sqlite3.connect(records).close()
    os.chmod(records, 0o644)
    old = SQLAlchemyInstallationStore(client_id="111.222", engine=open_engine(records))
    old.create_tables()
    old.save(Installation(app_id="A1", team_id="T3", user_id="U1", bot_token="xoxb-inst-T3", bot_id="B1",
                          bot_user_id="UBOT", bot_scopes="chat:write", installed_at=time.time()))
    old.engine.dispose()
    assert b"xoxb-inst-T3" in on_disk(tmp_path, "records")
    with FakeSlack("xoxb-unused") as slack:
        serving = Serving(settings_for(slack, tmp_path), knowledge, tokenizer, index, slack)
        try:
            assert answered(serving.bot, "T3", "D3")
        finally:
            serving.close()
    assert b"xoxb-inst-T3" not in on_disk(tmp_path, "records") and os.stat(records).st_mode & 0o777 == 0o600
    assert b"xoxb-inst-T3" not in on_disk(tmp_path, "installations")


@pytest.fixture
def postgres(tmp_path):
    """A PostgreSQL server of this test's own (pgserver), to stop and start."""
    import pgserver

    server = pgserver.get_server(tmp_path / "pg", cleanup_mode="stop")
    yield server, lambda: pgserver.get_server(tmp_path / "pg", cleanup_mode="stop")
    server.cleanup()


def test_postgres_stopped_installed_workspaces_are_still_answered_and_healthz_says_so(tmp_path, postgres, knowledge,
                                                                                      tokenizer, index, monkeypatch,
                                                                                      caplog):
    server, restart = postgres
    monkeypatch.setattr(cache, "FRESH", 0.0)  # every request asks the database: the cache is what is under test
    monkeypatch.setattr(cache, "RETRY", 0.0)  # …and asks again at once after a failure
    with FakeSlack("xoxb-unused") as slack:
        serving = Serving(settings_for(slack, tmp_path, database_url=server.get_uri()), knowledge, tokenizer, index, slack)
        try:
            install(serving.bot, "T4")
            assert answered(serving.bot, "T4", "D4") and serving.health() == (200, "ok\ninstallation store ok\n")
            server.cleanup()  # PostgreSQL stopped: every event and command was a 500
            with caplog.at_level(logging.WARNING, logger="madoguchi.installations"):
                assert answered(serving.bot, "T4", "D5")
                status, text = serving.health()
                assert status == 200 and text.startswith("degraded\ninstallation store unavailable")
                assert serving.health(strict=True)[0] == 503
                restart()
                assert answered(serving.bot, "T4", "D6") and serving.health() == (200, "ok\ninstallation store ok\n")
            messages = [r.getMessage() for r in caplog.records]
            assert sum("failed" in m for m in messages) == 1 and sum("works again" in m for m in messages) == 1
        finally:
            serving.close()


def test_a_database_that_never_answers_holds_no_acknowledgement(tmp_path, postgres_url, knowledge, tokenizer, index,
                                                                 monkeypatch):
    """PostgreSQL reachable but never answering (acks of 5–9 s and a request held 20 s, once): each look-up waits a
    second at most, then the cache answers, and the database is left alone for a while."""
    import urllib.parse

    monkeypatch.setattr(cache, "FRESH", 0.0)  # every request asks the database…
    monkeypatch.setattr(cache, "RETRY", 0.0)  # …even right after a failure: each must still be quick
    socket_dir = urllib.parse.parse_qs(urllib.parse.urlsplit(postgres_url).query)["host"][0]  # pgserver: a Unix socket
    proxy = TcpProxy(f"{socket_dir}/.s.PGSQL.5432")
    url = f"postgresql://postgres:@127.0.0.1:{proxy.port}/postgres"
    with FakeSlack("xoxb-unused") as slack:
        serving = Serving(settings_for(slack, tmp_path, database_url=url), knowledge, tokenizer, index, slack)
        try:
            install(serving.bot, "T8")
            assert answered(serving.bot, "T8", "D8")
            proxy.mode = "hang"
            for channel in ("D81", "D82", "D83"):
                began = time.monotonic()
                assert serving.bot.post(event_for("T8", "二重ローン 宮城", channel))[0] == 200
                assert time.monotonic() - began < 1.5
            assert slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("channel") == "D83")
        finally:
            proxy.close()
            serving.close()


def test_install_page_views_leave_no_state_rows_for_good(tmp_path, knowledge, tokenizer, index, monkeypatch):
    """Each unauthenticated GET /slack/install once left a row forever (2,000 in 3 s): expired rows go, and there are
    never more than MAX_STATES."""
    monkeypatch.setattr(oauth, "MAX_STATES", 20)
    with FakeSlack("xoxb-unused") as slack:
        settings = settings_for(slack, tmp_path)
        serving = Serving(settings, knowledge, tokenizer, index, slack)
        try:
            db = sqlite3.connect(settings.installations_db)
            db.execute("INSERT INTO slack_oauth_states (state, expire_at) VALUES ('old', '2020-01-01 00:00:00')")
            db.commit()
            for _ in range(60):
                urllib.request.urlopen(serving.bot.url + "/slack/install", timeout=10).read()
            states = [s for (s,) in db.execute("SELECT state FROM slack_oauth_states")]
            assert len(states) <= 20 and "old" not in states
        finally:
            serving.close()


@pytest.mark.parametrize("token", ["xoxb-1-abc", "xoxe-1-My0xLTE0LTI1", "xoxe.xoxb-1-MS0yLTE", "xoxp-12-34",
                                   "xapp-1-A0-1", "xwfp-abc123"])
def test_every_slack_token_form_is_redacted_in_logs(token):
    record = logging.LogRecord("slack_sdk", logging.DEBUG, __file__, 1, "refreshed: %s", (json.dumps({"t": token}),), None)
    RedactSecrets().filter(record)
    assert token not in record.getMessage() and "(redacted)" in record.getMessage()
