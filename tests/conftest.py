"""Shared fixtures: a real HTTP server on 127.0.0.1 and the anyio backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import LocalServer, ServerView


@pytest.fixture(scope="session")
def local_server() -> Iterator[LocalServer]:
    """The session's HTTP server on 127.0.0.1; stopped when the session ends."""
    with LocalServer() as server:
        yield server


@pytest.fixture
def http_server(local_server: LocalServer) -> Iterator[ServerView]:
    """This test's view of the server: ``http_server.route(path, Reply(...))``, ``.url``."""
    view = local_server.view()
    yield view
    view.close()


@pytest.fixture(scope="session")
def other_server() -> Iterator[LocalServer]:
    """A second server on 127.0.0.1, on another port: another origin than `local_server`."""
    with LocalServer() as server:
        yield server


@pytest.fixture
def other_origin(other_server: LocalServer) -> Iterator[ServerView]:
    """This test's view of `other_server`."""
    view = other_server.view()
    yield view
    view.close()


@pytest.fixture
def anyio_backend() -> str:
    """Run ``@pytest.mark.anyio`` tests on asyncio (trio is not a dependency)."""
    return "asyncio"
