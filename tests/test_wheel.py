"""What users install is what the tests test: the wheel, built from the files the image builds it from and installed
into a fresh virtual environment, holds every module of bot/ and the default knowledge, declares every dependency,
answers from a folder outside the checkout, and starts `serve --http` with its conversations on a real Redis (as each
replica of compose and Kubernetes runs).

The fresh environment gets the wheel alone (--no-deps); its dependencies come from the test environment through a
.pth line — which, unlike the test environment's own site directory, runs no editable-install hook, so nothing of the
checkout can be imported from it; `pip check` then proves the wheel's declared dependencies are all there.

The same tests run inside the container image when deploy/build-image.sh has built one (MADOGUCHI_IMAGE names it,
MADOGUCHI_ENGINE the engine that runs it); otherwise that half is skipped with the reason."""

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import urllib.request
from dataclasses import dataclass

import pytest

from tests.conftest import ROOT
from tests.fakes.fake_slack import FakeSlack
from tests.servers import redis_server  # noqa: F401 - pytest fixture
from tests.slack.conftest import SECRET, TOKEN, BotUnderTest, mention
from tests.slack.test_lifecycle import free_port, wait_until_serving

BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "bot", "knowledge")  # what the image's wheel is built from
CHECKOUT_MODULES = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                          for p in (ROOT / "bot").rglob("*.py"))
IMPORT_EVERY_MODULE = """
import importlib, importlib.util, json, pkgutil, sysconfig, bot, madoguchi_knowledge as k
names = ['bot'] + [m.name for m in pkgutil.walk_packages(bot.__path__, 'bot.')]
files = {n: importlib.util.find_spec(n).origin if n.endswith('__main__') else importlib.import_module(n).__file__
         for n in names}  # __main__ would run the command
print(json.dumps({'files': files, 'knowledge': list(k.__path__), 'site': sysconfig.get_paths()['purelib']}))
"""


@dataclass
class Installation:
    """How to run a command of the installed bot: in the fresh virtual environment, or in the image."""

    prefix: tuple[str, ...]  # what goes before `madoguchi …` or `python …`
    bin: str  # where madoguchi and python are, inside the installation
    elsewhere: str  # a working directory outside the checkout, with no knowledge/ of its own

    def command(self, program: str, *args: str, env: dict | None = None) -> list[str]:
        if not self.prefix:
            return [f"{self.bin}/{program}", *args]
        settings = [f"--env={k}={v}" for k, v in (env or {}).items() if k.startswith(("SLACK_", "MADOGUCHI_", "REDIS_"))]
        return [*self.prefix, *settings, f"--workdir={self.elsewhere}", IMAGE, program, *args]

    def run(self, program: str, *args: str, env: dict) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(program, *args, env=env), capture_output=True, text=True, env=env,
                              cwd=None if self.prefix else self.elsewhere, timeout=300)


IMAGE, ENGINE = os.environ.get("MADOGUCHI_IMAGE", ""), os.environ.get("MADOGUCHI_ENGINE", "docker")


def _fresh_venv(base) -> Installation:
    source, wheels, venv, elsewhere = base / "source", base / "wheels", base / "venv", base / "elsewhere"
    elsewhere.mkdir()
    source.mkdir()
    # built from what deploy/Dockerfile copies, not in the checkout: a build there reuses its build/ folder, which
    # may hold modules the package list no longer finds (or that were deleted)
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)], check=True,
                   capture_output=True, timeout=300)
    (wheel,) = wheels.glob("madoguchi-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (venv / purelib.removeprefix(str(venv) + "/") / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return Installation((), str(venv / "bin"), str(elsewhere))


@pytest.fixture(scope="module", params=["wheel", "image"])
def installed(request, tmp_path_factory):
    if request.param == "image":
        if not IMAGE:
            pytest.skip("no image to check: deploy/build-image.sh runs these tests in the image it builds")
        return Installation((ENGINE, "run", "--rm", "--network=host"), "", "/tmp")
    return _fresh_venv(tmp_path_factory.mktemp("wheel"))


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MADOGUCHI_", "REDIS_", "PYTHONPATH"))}
    env.update(PYTHONIOENCODING="utf-8", MADOGUCHI_DB="off", MADOGUCHI_CACHE_DIR="off", **extra)
    return env


def test_every_module_of_bot_is_installed_and_its_dependencies_are_declared(installed):
    env = clean_env()
    result = installed.run("python", "-c", IMPORT_EVERY_MODULE, env=env)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert sorted(found["files"]) == CHECKOUT_MODULES  # every module, each importable from the installation…
    assert all(f.startswith(found["site"]) for f in [*found["files"].values(), *found["knowledge"]]), found  # …only
    check = installed.run("python", "-m", "pip", "check", env=env) if installed.prefix else subprocess.run(
        [sys.executable, "-m", "pip", "--python", f"{installed.bin}/python", "check"], capture_output=True, text=True,
        env=env, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_installed_bot_answers_from_a_folder_outside_the_checkout(installed):
    result = installed.run("madoguchi", "ask", "二重ローン 宮城", env=clean_env())
    assert result.returncode == 0, result.stderr
    assert "宮城県産業復興相談センター" in result.stdout


def test_the_installed_bot_serves_slack_over_http_with_its_state_on_redis(installed, redis_server):  # noqa: F811
    """`serve --http` with REDIS_URL: a mention is answered in its thread, and the conversation is on Redis (where
    another replica would find it)."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushdb()
    port = free_port()
    with FakeSlack(TOKEN) as slack:
        env = clean_env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.api_url,
                        REDIS_URL=redis_server.url, PORT=str(port))
        process = subprocess.Popen(installed.command("madoguchi", "serve", "--http", "--port", str(port), env=env),
                                   env=env, cwd=None if installed.prefix else installed.elsewhere,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            bot = BotUnderTest(f"http://127.0.0.1:{port}", slack, None, None)
            wait_until_serving(bot, process)
            with urllib.request.urlopen(f"{bot.url}/healthz", timeout=10) as health:
                assert health.status == 200
            assert bot.event(mention("二重ローン 宮城", channel="C9", ts="1700000000.000100"))[0] == 200
            assert slack.wait_until(lambda c: c.method == "chat.postMessage" and c.params.get("channel") == "C9")
            (post,) = [c for c in slack.sent("chat.postMessage") if c.params.get("channel") == "C9"]
            assert "宮城県産業復興相談センター" in post.params["text"]
            assert post.params["thread_ts"] == "1700000000.000100"
            assert any(b"C9" in key for key in client.scan_iter()), "the conversation is not on Redis"
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0, process.stderr.read()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def test_the_image_builds_its_wheel_from_the_same_files():
    """deploy/Dockerfile's first stage copies exactly what the wheel above is built from."""
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    wheel_stage = dockerfile.split("\nFROM ")[1]
    copied = [word for line in wheel_stage.splitlines() if line.startswith("COPY ") for word in line.split()[1:-1]]
    assert sorted(copied) == sorted(BUILD_INPUTS)


def test_every_knowledge_file_is_installed(installed):
    """The packaged knowledge is the whole folder (synonyms.csv was left out once: only *.toml were listed at its level)."""
    listed = ("import json, pathlib, madoguchi_knowledge as k; root = pathlib.Path(list(k.__path__)[0]); "
              "print(json.dumps(sorted(str(p.relative_to(root)) for p in root.rglob('*') if p.is_file() "
              "and '__pycache__' not in p.parts and p.name != '__init__.py')))")
    result = installed.run("python", "-c", listed, env=clean_env())
    assert result.returncode == 0, result.stderr
    shipped = sorted(str(p.relative_to(ROOT / "knowledge")) for p in (ROOT / "knowledge").rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts and p.name != "__init__.py")
    assert json.loads(result.stdout) == shipped
