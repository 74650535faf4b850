"""What an admin deploys: the image build (where an engine runs), compose for both modes with the knowledge mounted,
nothing secret in the build context, a systemd unit that says how to install it."""

import os
import subprocess

import pytest
import yaml

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def test_the_image_builds_and_answers_where_a_container_engine_runs():
    result = subprocess.run(["bash", str(DEPLOY / "build-image.sh")], capture_output=True, text=True, timeout=1800)
    if result.returncode == 3:
        pytest.skip(result.stdout.strip())
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_offers_both_modes_with_the_knowledge_mounted():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {tuple(s["profiles"]) for s in services.values()} == {("http",), ("socket",)}
    commands = {s["profiles"][0]: s["command"] for s in services.values()}
    assert commands == {"http": ["madoguchi", "serve", "--http"], "socket": ["madoguchi", "serve", "--socket-mode"]}
    for service in services.values():
        assert "../knowledge:/app/knowledge:ro" in service["volumes"] and service["env_file"] == "../.env"


def test_the_build_context_leaves_out_secrets_records_and_virtualenvs():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "var/", ".venv", ".git", "*.sqlite3"} <= set(ignored)


def test_the_systemd_unit_says_how_to_install_it_and_gives_time_to_drain():
    unit = (DEPLOY / "madoguchi.service").read_text(encoding="utf-8")
    assert "useradd" in unit and "git clone" in unit and "TimeoutStopSec=20" in unit and "ExecReload" in unit


def test_the_replicas_compose_has_two_bots_redis_postgres_and_a_load_balancer():
    compose = yaml.safe_load((DEPLOY / "compose.replicas.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"bot-1", "bot-2", "lb", "redis", "postgres"} <= set(services)
    for bot in ("bot-1", "bot-2"):
        assert services[bot]["environment"]["REDIS_URL"].startswith("redis://")
        assert services[bot]["environment"]["DATABASE_URL"].startswith("postgresql://")
    config = (DEPLOY / "haproxy.cfg").read_text()
    assert "server bot-1 bot-1:3000 check" in config and "server bot-2 bot-2:3000 check" in config


def test_the_kubernetes_deployment_probes_healthz_and_gives_time_to_drain():
    deployment, service = (yaml.safe_load((DEPLOY / "kubernetes" / f"{name}.yaml").read_text(encoding="utf-8"))
                           for name in ("deployment", "service"))
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert deployment["spec"]["replicas"] >= 2 and pod["terminationGracePeriodSeconds"] >= 15
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz" == container["livenessProbe"]["httpGet"]["path"]
    assert service["spec"]["ports"][0]["targetPort"] == 3000
    secret = yaml.safe_load((DEPLOY / "kubernetes" / "secret.example.yaml").read_text(encoding="utf-8"))
    assert {"REDIS_URL", "DATABASE_URL", "SLACK_CLIENT_ID"} <= set(secret["stringData"])


def test_the_kubernetes_image_names_a_registry_and_a_version():
    """`image: madoguchi:latest` would be pulled from Docker Hub: the image pushed to one's own registry, a version."""
    deployment = yaml.safe_load((DEPLOY / "kubernetes" / "deployment.yaml").read_text(encoding="utf-8"))
    image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
    registry, _, rest = image.partition("/")
    assert ("." in registry or ":" in registry) and rest and not image.endswith((":latest", "madoguchi")), image


def test_the_deploy_guide_says_the_same_in_japanese_and_english():
    """Both halves have the same sections and each names what an admin must set (the Japanese half once lacked OAuth
    and Kubernetes), and the nginx example forwards the OAuth paths."""
    text = (DEPLOY / "README.md").read_text(encoding="utf-8")
    japanese, english = text.split("\n## English\n")
    sections = [[line for line in half.splitlines() if line.startswith("### ")] for half in (japanese, english)]
    assert len(sections[0]) == len(sections[1]) >= 6
    for half in (japanese, english):
        for must in ("MADOGUCHI_ADMINS", "MADOGUCHI_TOKEN_KEY", "SLACK_CLIENT_ID", "Kubernetes", "/healthz?strict=1",
                     "/slack/oauth_redirect", "org_deploy_enabled", "Public Distribution", "manifest.marketplace.yaml",
                     "SLACK_SCOPES", "docs/privacy.md", "MADOGUCHI_RETENTION_DAYS", "madoguchi mcp --http",
                     "MADOGUCHI_MCP_TOKEN", "mcp_servers", "file_share", "thread_broadcast", "MADOGUCHI_CURATORS",
                     "files:write", "knowledge_versions", "MADOGUCHI_KNOWLEDGE_POLL", "knowledge restore",
                     "sudo -u madoguchi"):
            assert must in half, must
    nginx = text.split("```nginx")[1].split("```")[0]
    assert all(f"location = {path}" in nginx for path in ("/slack/events", "/slack/install", "/slack/oauth_redirect", "/mcp"))


def test_the_manifests_are_org_ready_for_their_workflow_step_and_the_http_one_has_its_redirect_url():
    """Slack requires an app with a custom step to opt in to org-ready apps; the OAuth redirect URL is a field, not a
    comment."""
    for path in DEPLOY.glob("manifest.*.yaml"):
        manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
        if manifest.get("functions") or manifest["features"].get("functions"):
            assert manifest["settings"]["org_deploy_enabled"] is True, path.name
    http = yaml.safe_load((DEPLOY / "manifest.http.yaml").read_text(encoding="utf-8"))
    assert http["oauth_config"]["redirect_urls"] == ["https://madoguchi.example.jp/slack/oauth_redirect"]


def test_the_privacy_policy_says_what_the_code_does():
    """docs/privacy.md: the retention it promises is the default, its delete command exists, the tables it names are
    the records' tables; the manifests for listing link to it."""
    from bot.cli import build_parser
    from bot.curation.retention import TABLES
    from bot.settings import DEFAULT_RETENTION_DAYS

    text = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")
    assert f"**{DEFAULT_RETENTION_DAYS} 日**" in text and f"**{DEFAULT_RETENTION_DAYS} days**" in text
    build_parser().parse_args(["records", "delete", "--team", "T1"])
    assert all(f"`{t.name}`" in text for t in TABLES)
    # the knowledge history is named, and kept: replaying it is how every replica gets the curated data
    assert "`knowledge_versions`" in text and "knowledge_versions" not in {t.name for t in TABLES}
    assert "privacy" in (ROOT / "deploy" / "manifest.marketplace.yaml").read_text(encoding="utf-8")


def test_the_server_s_commands_read_the_settings_the_unit_runs_with(tmp_path):
    """The unit keeps every setting in /opt/madoguchi/.env (none in Environment=), so that `madoguchi report` run
    there, as the staff guide says, reads the database the bot writes — not another one, "no records yet"."""
    import sys

    unit = (DEPLOY / "madoguchi.service").read_text(encoding="utf-8")
    assert not [line for line in unit.splitlines() if line.startswith("Environment=")]
    assert "EnvironmentFile=/opt/madoguchi/.env" in unit and "WorkingDirectory=/opt/madoguchi" in unit
    printf = next(line for line in unit.splitlines() if "printf 'MADOGUCHI_DB=" in line).lstrip("# ")
    database = tmp_path / "lib" / "madoguchi.sqlite3"
    (tmp_path / "lib").mkdir()
    server = tmp_path / "opt"
    server.mkdir()
    subprocess.run(printf.replace("/var/lib/madoguchi/", f"{tmp_path}/lib/").replace("/opt/madoguchi/knowledge",
                                                                                     str(ROOT / "knowledge")),
                   shell=True, cwd=server, check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MADOGUCHI_", "DATABASE_URL"))}
    asked = subprocess.run([sys.executable, "-m", "bot", "ask", "二重ローン 宮城"], cwd=server, env=env,
                           capture_output=True, text=True, timeout=120)
    assert asked.returncode == 0 and database.is_file(), asked.stderr
    report = subprocess.run([sys.executable, "-m", "bot", "report"], cwd=server, env=env, capture_output=True,
                            text=True, timeout=120)
    assert report.returncode == 0 and "回答数 1" in report.stdout, report.stderr
    guide = (ROOT / "docs" / "staff-guide.md").read_text(encoding="utf-8")
    assert "cd /opt/madoguchi && sudo -u madoguchi .venv/bin/madoguchi report" in guide
