"""No response is left open, whatever path a call takes: parsed, raw, streamed, an event
stream read to the end or broken out of, an error status, a retry, a bad body, a dropped
or refused connection, a body over the limit.

10 000 calls go through an in-memory transport whose bodies record being closed; a
smaller run goes over real sockets with a pool of one connection, where a single leaked
response would make the next call wait for the pool and time out.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import httpx
import pytest

from typedresp import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    Client,
    NotFoundError,
    ResponseTooLarge,
    ResponseValidationError,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)

from .bodies import AsyncTrackedBody, TrackedBody
from .clients import Waits
from .server import CountingBody, RecordedRequest, Reply, ServerView


@attrs.define
class Pet:
    id: int
    name: str


class Boom(Exception):
    pass


PET = json.dumps({"id": 1, "name": "Rex"}).encode()
EVENTS = [
    b'data: {"id": 1, "name": "a"}\n\n',
    b'data: {"id": 2, "name": "b"}\n\n',
    b"data: [DONE]\n\n",
]
SSE = {"content-type": "text/event-stream"}
JSON = {"content-type": "application/json"}
LIMIT = 1000


class Transport:
    """An in-memory API whose every body records whether it was closed."""

    def __init__(self, *, is_async: bool = False) -> None:
        self._body_cls = AsyncTrackedBody if is_async else TrackedBody
        self.bodies: list[Any] = []
        self._flaky = itertools.cycle([503, 200])

    def body(self, chunks: list[bytes], error: Exception | None = None) -> Any:
        body = self._body_cls(chunks, error)
        self.bodies.append(body)
        return body

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/pet":
            return httpx.Response(200, headers=JSON, stream=self.body([PET]))
        if path == "/events":
            return httpx.Response(200, headers=SSE, stream=self.body(EVENTS))
        if path == "/missing":
            return httpx.Response(404, headers=JSON, stream=self.body([b'{"error": "no"}']))
        if path == "/flaky":
            return httpx.Response(next(self._flaky), headers=JSON, stream=self.body([PET]))
        if path == "/bad":
            return httpx.Response(200, headers=JSON, stream=self.body([b'{"id": "1"}']))
        if path == "/drop":
            return httpx.Response(200, stream=self.body([PET[:5]], httpx.ReadError("reset")))
        if path == "/big":
            return httpx.Response(200, headers=JSON, stream=self.body([b" " * 600] * 4))
        raise httpx.ConnectError("refused", request=request)

    def open_bodies(self) -> list[Any]:
        return [body for body in self.bodies if not body.closed]


def sync_paths(client: Client) -> list[Callable[[], object]]:
    def raising_block() -> None:
        with pytest.raises(Boom), to_streamed_response_wrapper(client.get)("/pet", cast_to=Pet):
            raise Boom

    def broken_loop() -> None:
        for _ in client.get("/events", cast_to=Pet, stream=True):
            break

    def unread_stream() -> None:
        with client.get("/events", cast_to=Pet, stream=True):
            pass

    def expect(error: type[Exception], path: str) -> Callable[[], None]:
        def call() -> None:
            with pytest.raises(error):
                client.get(path, cast_to=Pet)

        return call

    def streamed_untouched() -> None:
        with to_streamed_response_wrapper(client.get)("/pet", cast_to=Pet):
            pass

    return [
        lambda: client.get("/pet", cast_to=Pet),
        lambda: to_raw_response_wrapper(client.get)("/pet", cast_to=Pet),
        streamed_untouched,
        raising_block,
        lambda: list(client.get("/events", cast_to=Pet, stream=True)),
        broken_loop,
        unread_stream,
        lambda: client.post("/flaky", cast_to=Pet),
        expect(NotFoundError, "/missing"),
        expect(ResponseValidationError, "/bad"),
        expect(APIConnectionError, "/drop"),
        expect(APIConnectionError, "/refused"),
        expect(ResponseTooLarge, "/big"),
    ]


def test_ten_thousand_calls_through_every_path_leave_no_response_open() -> None:
    transport = Transport()
    http = httpx.Client(transport=httpx.MockTransport(transport))
    client = Client(
        "http://127.0.0.1",
        http_client=http,
        max_retries=1,
        max_body_bytes=LIMIT,
        retry_policy=Waits().policy(),
    )
    paths = sync_paths(client)
    for call in itertools.islice(itertools.cycle(paths), 10_000):
        call()
    assert len(transport.bodies) > 10_000
    assert transport.open_bodies() == []


@pytest.mark.anyio
async def test_two_thousand_async_calls_through_every_path_leave_no_response_open() -> None:
    transport = Transport(is_async=True)
    http = httpx.AsyncClient(transport=httpx.MockTransport(transport))
    client = AsyncClient(
        "http://127.0.0.1",
        http_client=http,
        max_retries=1,
        max_body_bytes=LIMIT,
        retry_policy=Waits().policy(),
    )

    async def expect(error: type[Exception], path: str) -> None:
        with pytest.raises(error):
            await client.get(path, cast_to=Pet)

    for _ in range(2000 // 11):
        await client.get("/pet", cast_to=Pet)
        await async_to_raw_response_wrapper(client.get)("/pet", cast_to=Pet)
        async with async_to_streamed_response_wrapper(client.get)("/pet", cast_to=Pet):
            pass
        with pytest.raises(Boom):
            async with async_to_streamed_response_wrapper(client.get)("/pet", cast_to=Pet):
                raise Boom
        assert (
            len([event async for event in await client.get("/events", cast_to=Pet, stream=True)])
            == 2
        )
        async with await client.get("/events", cast_to=Pet, stream=True) as stream:
            async for _event in stream:
                break
        await client.post("/flaky", cast_to=Pet)
        await expect(NotFoundError, "/missing")
        await expect(ResponseValidationError, "/bad")
        await expect(APIConnectionError, "/drop")
        await expect(ResponseTooLarge, "/big")
    assert len(transport.bodies) > 2000
    assert transport.open_bodies() == []


# ---------------------------------------------------------------- real sockets


def serve_paths(http_server: ServerView) -> None:
    flaky = itertools.cycle([Reply(503), Reply(body=PET, headers=JSON)])

    def alternate(request: RecordedRequest) -> Reply:
        return next(flaky)

    http_server.route("/pet", Reply(body=PET, headers=JSON))
    http_server.route("/events", Reply(body=EVENTS, headers=SSE))
    http_server.route("/missing", Reply.json({"error": "no"}, status=404))
    http_server.route("/flaky", alternate)
    http_server.route("/bad", Reply.json({"id": "1"}))
    http_server.route("/drop", Reply(body=PET, headers=JSON, content_length=100, drop_after=5))
    http_server.route("/big", Reply(body=CountingBody(b" " * 600, times=None), headers=JSON))


@pytest.fixture
def one_connection_client(http_server: ServerView) -> Iterator[Client]:
    serve_paths(http_server)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    timeout = httpx.Timeout(5.0, pool=0.5)
    with httpx.Client(trust_env=False, limits=limits, timeout=timeout) as http:
        yield Client(
            http_server.url,
            http_client=http,
            max_retries=1,
            max_body_bytes=LIMIT,
            retry_policy=Waits().policy(),
        )


def test_calls_over_a_pool_of_one_connection_never_wait_for_it(
    one_connection_client: Client,
) -> None:
    *paths, _refused, too_large = sync_paths(one_connection_client)  # nothing refuses here
    paths.append(too_large)
    for _ in range(15):
        for call in paths:
            try:
                call()
            except APITimeoutError as error:  # pragma: no cover - the failure being tested
                pytest.fail(f"a connection was left checked out of the pool: {error}")
