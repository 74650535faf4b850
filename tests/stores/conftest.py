"""Fixtures of the store tests: a real Redis server (tests/servers.py)."""

from tests.servers import redis_server, shared  # noqa: F401 - pytest fixtures
