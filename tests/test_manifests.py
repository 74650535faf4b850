"""Every app manifest in deploy/ is one Slack accepts: validated against Slack's own published schema (vendored in
tests/fixtures/slack-manifest-schema), and it asks for exactly what the code uses."""

import json

import jsonschema
import pytest
import yaml

from tests.conftest import ROOT

SCHEMAS = ROOT / "tests" / "fixtures" / "slack-manifest-schema"
MANIFESTS = sorted((ROOT / "deploy").glob("manifest.*.yaml"))


def schema_for(manifest: dict) -> dict:
    version = manifest.get("_metadata", {}).get("major_version", 1)
    return json.loads((SCHEMAS / f"manifest.schema.{version}.0.0.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", MANIFESTS, ids=[p.name for p in MANIFESTS])
def test_the_manifest_validates_against_slacks_schema(path):
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema_for(manifest)).iter_errors(manifest), key=str)
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message[:160]}" for e in errors]


def test_the_vendored_schema_keeps_its_licence_and_source():
    assert "MIT" in (SCHEMAS / "LICENSE").read_text() and len((SCHEMAS / "SOURCE").read_text().split()[0]) == 40


@pytest.mark.parametrize("path", MANIFESTS, ids=[p.name for p in MANIFESTS])
def test_the_manifest_asks_for_what_the_app_uses(path):
    """Thread follow-ups need the channel history scopes and message events, except in the mention-only manifest;
    the Messages tab's prompts need assistant:write; the shortcut and the workflow step use the app's ids."""
    from bot.slack.listeners import FIND_OFFICE_STEP, LOOKUP_SHORTCUT

    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    scopes, events = set(manifest["oauth_config"]["scopes"]["bot"]), set(manifest["settings"]["event_subscriptions"]["bot_events"])
    threads = {"channels:history", "groups:history"} <= scopes and {"message.channels", "message.groups"} <= events
    marketplace = "marketplace" in path.name
    assert threads == ("mention-only" not in path.name and not marketplace)
    assert {"app_mentions:read", "chat:write", "commands"} <= scopes
    if marketplace:  # listed: no history scope, HTTP, no Messages tab (no DMs are read), a privacy policy linked
        assert not any(s.endswith(":history") for s in scopes) and not any(e.startswith("message.") for e in events)
        assert not manifest["settings"]["socket_mode_enabled"] and "agent_view" not in manifest["features"]
        assert not manifest["features"]["app_home"]["messages_tab_enabled"]
        assert "/privacy" in manifest["display_information"]["long_description"]
    else:  # DMs in the Messages tab, as an agent app
        assert {"im:history", "assistant:write"} <= scopes and "message.im" in events
        # curators: the workbook and the report uploaded (files:write), the edited one downloaded (files:read), the
        # DM opened for /madoguchi report (im:write)
        assert {"files:read", "files:write", "im:write"} <= scopes
    assert [s["callback_id"] for s in manifest["features"]["shortcuts"]] == [LOOKUP_SHORTCUT]
    assert [f["callback_id"] for f in manifest["features"]["functions"]] == [FIND_OFFICE_STEP]
    assert manifest["settings"]["function_runtime"] == "remote" and "function_executed" in events


def test_the_oauth_flow_asks_for_the_scopes_of_the_http_manifest():
    from bot.slack.oauth import BOT_SCOPES

    manifest = yaml.safe_load((ROOT / "deploy" / "manifest.http.yaml").read_text(encoding="utf-8"))
    assert sorted(BOT_SCOPES) == sorted(manifest["oauth_config"]["scopes"]["bot"])


def test_the_marketplace_install_asks_for_the_marketplace_manifests_scopes():
    """SLACK_SCOPES (as the deploy guide says for the listed app) makes the install flow ask for exactly its scopes."""
    from bot.settings import load_settings

    manifest = yaml.safe_load((ROOT / "deploy" / "manifest.marketplace.yaml").read_text(encoding="utf-8"))
    settings = load_settings({"SLACK_SCOPES": ",".join(manifest["oauth_config"]["scopes"]["bot"])}, dotenv=None)
    assert sorted(settings.install_scopes) == sorted(manifest["oauth_config"]["scopes"]["bot"])
