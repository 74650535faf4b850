"""Settings are read once from the environment and .env; a missing one is one clear line and exit 2."""

import os
import subprocess
import sys

import pytest

from bot.settings import DEFAULT_API_URL, SettingsError, load_settings
from tests.conftest import ROOT


def test_defaults_and_values_from_the_environment():
    """SLACK_API_URL defaults to Slack's and gets a trailing slash; PORT and LOG_LEVEL are parsed."""
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "PORT": "8080", "LOG_LEVEL": "debug"})
    assert (s.api_url, s.port, s.log_level) == (DEFAULT_API_URL, 8080, "DEBUG")
    assert load_settings({"SLACK_API_URL": "http://127.0.0.1:9/api"}).api_url == "http://127.0.0.1:9/api/"


def test_secrets_never_appear_in_the_repr():
    """Printing the settings shows no token or secret."""
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-secret-1", "SLACK_SIGNING_SECRET": "sig-secret", "SLACK_APP_TOKEN": "xapp-secret"})
    text = repr(s) + str(s)
    assert "secret" not in text


@pytest.mark.parametrize("env, name", [({"PORT": "http"}, "PORT"), ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
                                       ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
                                       ({"MADOGUCHI_RETENTION_DAYS": "a year"}, "MADOGUCHI_RETENTION_DAYS"),
                                       ({"MADOGUCHI_MCP_TOKEN": "changeme"}, "MADOGUCHI_MCP_TOKEN"),
                                       ({"MADOGUCHI_CURATORS": "yamada"}, "MADOGUCHI_CURATORS"),
                                       ({"MADOGUCHI_CURATORS": "U1:T1"}, "MADOGUCHI_CURATORS"),
                                       ({"MADOGUCHI_KNOWLEDGE_POLL": "0"}, "MADOGUCHI_KNOWLEDGE_POLL"),
                                       ({"MADOGUCHI_KNOWLEDGE_POLL": "soon"}, "MADOGUCHI_KNOWLEDGE_POLL")])
def test_malformed_settings_name_the_variable(env, name):
    """A bad value is an error naming the variable."""
    with pytest.raises(SettingsError, match=name):
        load_settings(env)


def test_a_dotenv_file_is_read_and_the_environment_wins(tmp_path, monkeypatch):
    """Values in .env are used unless the environment already has them."""
    env_file = tmp_path / ".env"
    env_file.write_text("SLACK_BOT_TOKEN=xoxb-from-file\nPORT=4000\n")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.setenv("PORT", "5000")
    s = load_settings(dotenv=env_file)
    assert (s.bot_token, s.port) == ("xoxb-from-file", 5000)


@pytest.mark.parametrize("args, env, missing", [
    (["serve", "--http"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    (["serve"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)"),
    (["serve", "--socket-mode"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN is not set"),
    ([], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)"),
    (["serve", "--http"], {"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    (["serve"], {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c0ffee", "SLACK_SIGNING_SECRET": "s3cr3t-value"},
     "MADOGUCHI_TOKEN_KEY is not set"),  # OAuth keeps tokens: never in clear
    (["serve"], {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c0ffee", "SLACK_SIGNING_SECRET": "s3cr3t-value",
                 "MADOGUCHI_TOKEN_KEY": "not-a-key"}, "MADOGUCHI_TOKEN_KEY must be a Fernet key"),
    (["serve", "--http"], {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "changeme"},
     "SLACK_SIGNING_SECRET is a placeholder"),
    (["ask", "宮城"], {"MADOGUCHI_USER_HASH_KEY": "..."}, "MADOGUCHI_USER_HASH_KEY is a placeholder"),
    (["serve"], {"SLACK_BOT_TOKEN": "xoxb-...", "SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN is a placeholder"),
    (["serve", "--http"], {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "<your-signing-secret>"},
     "SLACK_SIGNING_SECRET is a placeholder"),
    (["mcp", "--http"], {"MADOGUCHI_MCP_TOKEN": "short-token"}, "MADOGUCHI_MCP_TOKEN is not set (or shorter than"),
])
def test_a_missing_setting_is_one_line_and_exit_2(tmp_path, args, env, missing):
    """`madoguchi serve` without what the mode needs prints one line naming the variable and exits 2."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MADOGUCHI_USER", "MADOGUCHI_TOKEN",
                                                                       "MADOGUCHI_MCP"))}
    result = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60,
                            env={**clean, **env, "PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and missing in result.stderr
