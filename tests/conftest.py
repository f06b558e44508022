"""Shared fixtures: a real HTTP server on 127.0.0.1, the anyio backend, and the check that
the fast path never needs the detailed pass on data it should accept.

``TYPEDRESP_TEST_JSON=stdlib`` runs the suite on the standard library's JSON decoder, as
where orjson is missing (it is a dependency on CPython): CI does so on one Python.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

if os.environ.get("TYPEDRESP_TEST_JSON") == "stdlib":
    sys.modules["orjson"] = None  # type: ignore[assignment] # before typedresp is imported

import pytest

from typedresp import _engine

from .server import LocalServer, ServerView
from .twins import Twin


@pytest.fixture(autouse=True)
def fast_path_agrees_with_the_detailed_pass(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test in which a compiled fast function rejected a value that the detailed
    pass then accepted: the engine would return the right result, only slowly, and a bug in
    generated code would go unseen. ``@pytest.mark.detailed_pass_may_rescue`` lets a test
    that means it (a hook that fails only once, say) through."""
    if request.node.get_closest_marker("detailed_pass_may_rescue"):
        yield
        return
    rescued: list[str] = []

    def fail(value: object, tp: object, fast_error: Exception) -> None:
        rescued.append(f"{tp!r} <- {value!r:.200}: {fast_error!r}")
        pytest.fail(f"the fast path failed where the detailed pass succeeded: {rescued[-1]}")

    _engine.detailed_rescue = fail
    try:
        yield
    finally:
        _engine.detailed_rescue = None
    if rescued:  # the failure above was caught somewhere (`except BaseException`)
        pytest.fail("the fast path failed where the detailed pass succeeded: " + rescued[0])


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


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def twin(request: pytest.FixtureRequest) -> Twin:
    """Runs the test once with the sync twin and once with the async one (see `Twin`)."""
    return Twin(is_async=request.param)
