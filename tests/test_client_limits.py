"""What bounds a client call, over real sockets: the default body limit (128 MiB for a
body read into memory, none for a streamed download) and ``total_timeout`` (one attempt,
from sending to the end of the body, however slowly the body trickles in)."""

from __future__ import annotations

import time
from typing import Any

import anyio
import attrs
import pytest

from typedresp import (
    APITimeoutError,
    AsyncClient,
    Client,
    ResponseTooLarge,
    to_streamed_response_wrapper,
)

from .clients import async_client_for, client_for
from .hostile import MIB, gzip_bomb
from .server import CountingBody, RecordedRequest, Reply, ServerView

BOMB_HEADERS = {"Content-Type": "application/json", "Content-Encoding": "gzip, gzip, gzip"}
JSON = {"Content-Type": "application/json"}


@attrs.define
class Pet:
    id: int
    name: str


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """1 GiB of zeros in under 1 KB."""
    return gzip_bomb(1 << 30, layers=3)


# --------------------------------------------------------------------- body limit


def test_a_client_reads_at_most_128_mib_into_memory_unless_told() -> None:
    assert Client("http://127.0.0.1").max_body_bytes == 128 * MIB
    assert AsyncClient("http://127.0.0.1").max_body_bytes == 128 * MIB
    assert Client("http://127.0.0.1", max_body_bytes=None).max_body_bytes is None
    assert AsyncClient("http://127.0.0.1", max_body_bytes=5).max_body_bytes == 5


def test_a_gzip_bomb_to_a_default_client_is_too_large_not_a_memory_error(
    http_server: ServerView, bomb: bytes
) -> None:
    http_server.route("/bomb", Reply(body=bomb, headers=BOMB_HEADERS))
    for client in client_for(http_server.url):
        with pytest.raises(ResponseTooLarge) as info:
            client.get("/bomb", cast_to=Any)
    assert info.value.limit == 128 * MIB
    assert len(http_server.requests) == 1


@pytest.mark.anyio
async def test_async_a_gzip_bomb_stops_at_the_client_limit(
    http_server: ServerView, bomb: bytes
) -> None:
    http_server.route("/bomb", Reply(body=bomb, headers=BOMB_HEADERS))
    async for client in async_client_for(http_server.url, max_body_bytes=4 * MIB):
        with pytest.raises(ResponseTooLarge) as info:
            await client.get("/bomb", cast_to=Any)
    assert info.value.limit == 4 * MIB


def test_a_streamed_response_of_a_default_client_is_not_capped(
    http_server: ServerView, bomb: bytes
) -> None:
    http_server.route("/bomb", Reply(body=bomb, headers=BOMB_HEADERS))
    for client in client_for(http_server.url):
        with to_streamed_response_wrapper(client.get)("/bomb", cast_to=bytes) as response:
            chunks = response.iter_bytes(MIB)
            read = sum(len(next(chunks)) for _ in range(129))  # past the 128 MiB default
            chunks.close()
    assert read == 129 * MIB


def test_a_limit_given_caps_streamed_responses_too(http_server: ServerView, bomb: bytes) -> None:
    http_server.route("/bomb", Reply(body=bomb, headers=BOMB_HEADERS))
    for client in client_for(http_server.url, max_body_bytes=MIB):
        with to_streamed_response_wrapper(client.get)("/bomb", cast_to=bytes) as response:
            with pytest.raises(ResponseTooLarge):
                for _ in response.iter_bytes():
                    pass
            assert response.is_closed


# ------------------------------------------------------------------ total_timeout


def trickle() -> Reply:
    """A JSON body that never ends, one byte every 0.2 s: each read succeeds."""
    return Reply(body=CountingBody(b" "), delay=0.2, headers=JSON)


def test_the_default_total_timeout_is_ten_minutes_and_none_lifts_it() -> None:
    assert Client("http://127.0.0.1").total_timeout == 600
    assert AsyncClient("http://127.0.0.1", total_timeout=None).total_timeout is None
    with pytest.raises(ValueError, match="total_timeout"):
        Client("http://127.0.0.1", total_timeout=0)


def test_a_trickling_body_ends_at_total_timeout(http_server: ServerView) -> None:
    http_server.route("/pet", trickle())
    for client in client_for(http_server.url, timeout=5, total_timeout=1.0, max_retries=0):
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match=r"total_timeout=1\.0"):
            client.get("/pet", cast_to=Pet)
        assert 1.0 <= time.monotonic() - started < 3.0


@pytest.mark.anyio
async def test_async_a_trickling_body_ends_at_total_timeout(http_server: ServerView) -> None:
    http_server.route("/pet", trickle())
    async for client in async_client_for(
        http_server.url, timeout=5, total_timeout=1.0, max_retries=0
    ):
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match=r"total_timeout=1\.0"):
            await client.get("/pet", cast_to=Pet)
        assert 1.0 <= time.monotonic() - started < 3.0


@pytest.mark.anyio
async def test_async_a_stalled_body_ends_at_total_timeout_not_the_read_timeout(
    http_server: ServerView,
) -> None:
    http_server.route("/pet", Reply(body=[b'{"id": 1, ', b'"name": "Rex"}'], delay=4, headers=JSON))
    async for client in async_client_for(
        http_server.url, timeout=30, total_timeout=0.5, max_retries=0
    ):
        with anyio.fail_after(3):
            with pytest.raises(APITimeoutError):
                await client.get("/pet", cast_to=Pet)


@pytest.mark.anyio
async def test_async_late_headers_end_at_total_timeout(http_server: ServerView) -> None:
    @http_server.route("/pet")
    def late(request: RecordedRequest) -> Reply:
        time.sleep(2)
        return Reply.json({"id": 1, "name": "Rex"})

    async for client in async_client_for(
        http_server.url, timeout=30, total_timeout=0.5, max_retries=0
    ):
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="No response within total_timeout"):
            await client.get("/pet", cast_to=Pet)
        assert time.monotonic() - started < 1.5


def test_total_timeout_bounds_each_attempt(http_server: ServerView) -> None:
    http_server.route("/pet", trickle())
    for client in client_for(http_server.url, timeout=5, total_timeout=0.5, max_retries=1):
        with pytest.raises(APITimeoutError):
            client.get("/pet", cast_to=Pet)
    assert len(http_server.requests) == 2


def test_a_stream_is_read_for_as_long_as_its_consumer_wants(http_server: ServerView) -> None:
    events = [b'data: {"id": %d, "name": "a"}\n\n' % i for i in range(5)]
    sse = {"Content-Type": "text/event-stream"}
    http_server.route("/events", Reply(body=events, delay=0.3, headers=sse))
    for client in client_for(http_server.url, total_timeout=0.5):
        with client.get("/events", cast_to=Pet, stream=True) as stream:
            assert [pet.id for pet in stream] == [0, 1, 2, 3, 4]


def test_a_body_that_arrives_in_time_is_not_affected(http_server: ServerView) -> None:
    http_server.route(
        "/pet", Reply(body=[b'{"id": 1, ', b'"name": "Rex"}'], delay=0.1, headers=JSON)
    )
    for client in client_for(http_server.url, total_timeout=5):
        assert client.get("/pet", cast_to=Pet) == Pet(1, "Rex")
