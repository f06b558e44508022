"""Context managers send on entry and always close; no path leaks a connection."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import attrs
import httpx
import pytest

from typedresp import (
    APIResponse,
    AsyncAPIResponse,
    AsyncResponseContextManager,
    ResponseContextManager,
    ResponseTooLarge,
    ResponseValidationError,
)

from .bodies import AsyncTrackedBody, TrackedBody
from .server import Reply, ServerView

URL = "http://127.0.0.1"
JSON = {"Content-Type": "application/json"}


@attrs.define
class User:
    id: int
    name: str


class Boom(Exception):
    pass


# ------------------------------------------------------------------ sync


def test_the_request_is_sent_only_when_the_block_is_entered(http_server: ServerView) -> None:
    http_server.route("/user", Reply.json({"id": 1, "name": "Ada"}))
    with httpx.Client(trust_env=False) as client:

        def send() -> APIResponse[User]:
            request = client.build_request("GET", http_server.url + "/user")
            return APIResponse(raw=client.send(request, stream=True), cast_to=User)

        manager = ResponseContextManager(send)
        assert http_server.requests == []
        with manager as response:
            assert len(http_server.requests) == 1
            assert not response.is_closed
            assert response.parse() == User(1, "Ada")
        assert response.is_closed


def test_the_response_is_closed_when_the_block_raises() -> None:
    body = TrackedBody([b"{}"])
    raw = httpx.Response(200, stream=body, request=httpx.Request("GET", URL))
    with pytest.raises(Boom), ResponseContextManager(lambda: APIResponse(raw=raw, cast_to=User)):
        raise Boom
    assert body.closed
    assert body.served == 0


def test_a_failing_request_leaves_nothing_to_close() -> None:
    def fail() -> APIResponse[User]:
        raise httpx.ConnectError("refused")

    with pytest.raises(httpx.ConnectError), ResponseContextManager(fail):
        pass


def test_a_context_manager_is_entered_once() -> None:
    manager = ResponseContextManager(
        lambda: APIResponse(raw=httpx.Response(200, content=b"{}"), cast_to=Any)
    )
    with manager:
        pass
    with pytest.raises(RuntimeError, match="once"), manager:
        pass


# ------------------------------------------------------------------ async


@pytest.mark.anyio
async def test_async_request_is_sent_only_when_the_block_is_entered(
    http_server: ServerView,
) -> None:
    http_server.route("/user", Reply.json({"id": 1, "name": "Ada"}))
    async with httpx.AsyncClient(trust_env=False) as client:

        async def send() -> AsyncAPIResponse[User]:
            request = client.build_request("GET", http_server.url + "/user")
            return AsyncAPIResponse(raw=await client.send(request, stream=True), cast_to=User)

        manager = AsyncResponseContextManager(send)
        await anyio.sleep(0)
        assert http_server.requests == []
        async with manager as response:
            assert len(http_server.requests) == 1
            assert await response.parse() == User(1, "Ada")
        assert response.is_closed


@pytest.mark.anyio
async def test_async_response_is_closed_when_the_block_is_cancelled(
    http_server: ServerView,
) -> None:
    http_server.route("/slow", Reply(body=[b"x"] * 10_000, delay=0.001))
    async with httpx.AsyncClient(trust_env=False) as client:

        async def send() -> AsyncAPIResponse[bytes]:
            request = client.build_request("GET", http_server.url + "/slow")
            return AsyncAPIResponse(raw=await client.send(request, stream=True), cast_to=bytes)

        with anyio.CancelScope() as scope:
            async with AsyncResponseContextManager(send()) as response:
                async for _ in response.iter_bytes():
                    scope.cancel()
                    await anyio.sleep(0)
        assert scope.cancelled_caught
        assert response.is_closed


@pytest.mark.anyio
async def test_async_close_on_exit_finishes_even_in_a_cancelled_scope() -> None:
    body = AsyncTrackedBody([b"x"] * 10)
    raw = httpx.Response(200, stream=body, request=httpx.Request("GET", URL))

    async def send() -> AsyncAPIResponse[bytes]:
        return AsyncAPIResponse(raw=raw, cast_to=bytes)

    with anyio.CancelScope() as scope:
        async with AsyncResponseContextManager(send()):
            scope.cancel()
            await anyio.sleep(0)
    assert scope.cancelled_caught
    assert body.closed


# ------------------------------------------------------------- no leaks


class LeakCheck:
    """Counts the bodies handed out and closed; what is open is checked out of the pool."""

    def __init__(self) -> None:
        self.opened = 0
        self.closed = 0

    @property
    def open(self) -> int:
        return self.opened - self.closed

    def wrap(self, response: httpx.Response) -> httpx.Response:
        self.opened += 1
        check = self
        inner = response.stream

        class Counted(httpx.SyncByteStream, httpx.AsyncByteStream):
            def __iter__(self) -> Iterator[bytes]:
                assert isinstance(inner, httpx.SyncByteStream)
                yield from inner

            async def __aiter__(self) -> Any:
                assert isinstance(inner, httpx.AsyncByteStream)
                async for chunk in inner:
                    yield chunk

            def close(self) -> None:
                check.closed += 1
                assert isinstance(inner, httpx.SyncByteStream)
                inner.close()

            async def aclose(self) -> None:
                check.closed += 1
                assert isinstance(inner, httpx.AsyncByteStream)
                await inner.aclose()

        response.stream = Counted()
        return response


class CountingTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, check: LeakCheck) -> None:
        self.inner = inner
        self.check = check

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.check.wrap(self.inner.handle_request(request))

    def close(self) -> None:
        self.inner.close()


class AsyncCountingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, check: LeakCheck) -> None:
        self.inner = inner
        self.check = check

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.check.wrap(await self.inner.handle_async_request(request))

    async def aclose(self) -> None:
        await self.inner.aclose()


GOOD = b'{"id": 1, "name": "Ada"}'
BAD = b'{"id": "one", "name": "Ada"}'
BIG = b"[" + b"1," * 5000 + b"1]"


def mock_handler(request: httpx.Request) -> httpx.Response:
    body = {"/good": GOOD, "/bad": BAD, "/big": BIG}[request.url.path]
    # An unread body, as a real transport gives: only reading or closing releases it.
    return httpx.Response(200, headers=JSON, stream=TrackedBody([body[:10], body[10:]]))


def run_paths(client: httpx.Client, base: str, iterations: int) -> None:
    """Parse ``iterations`` responses, cycling through every way a response is used."""

    def send(path: str, **kwargs: Any) -> APIResponse[Any]:
        raw = client.send(client.build_request("GET", base + path), stream=True)
        return APIResponse(raw=raw, cast_to=User, **kwargs)

    def success() -> None:
        assert send("/good").parse() == User(1, "Ada")

    def validation_error() -> None:
        with pytest.raises(ResponseValidationError):
            send("/bad").parse()

    def context_exit_with_exception() -> None:
        with pytest.raises(Boom), ResponseContextManager(functools.partial(send, "/good")):
            raise Boom

    def too_large() -> None:
        with pytest.raises(ResponseTooLarge):
            send("/big", max_body_bytes=1000).read()

    def break_out_of_iteration() -> None:
        for _ in send("/big").iter_bytes(16):
            break

    paths: list[Callable[[], None]] = [
        success,
        validation_error,
        context_exit_with_exception,
        too_large,
        break_out_of_iteration,
    ]
    for i in range(iterations):
        paths[i % len(paths)]()


def test_ten_thousand_responses_leave_no_body_open() -> None:
    check = LeakCheck()
    transport = CountingTransport(httpx.MockTransport(mock_handler), check)
    with httpx.Client(transport=transport) as client:
        run_paths(client, URL, 10_000)
    assert check.opened == 10_000
    assert check.open == 0


def test_responses_through_a_one_connection_pool_never_exhaust_it(
    http_server: ServerView,
) -> None:
    http_server.route("/good", Reply(body=GOOD, headers=JSON))
    http_server.route("/bad", Reply(body=BAD, headers=JSON))
    http_server.route("/big", Reply(body=BIG, headers=JSON))
    check = LeakCheck()
    # One connection: a single leaked response would make the next request time out.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    transport = CountingTransport(httpx.HTTPTransport(limits=limits), check)
    timeout = httpx.Timeout(10.0, pool=5.0)
    with httpx.Client(transport=transport, timeout=timeout, trust_env=False) as client:
        run_paths(client, http_server.url, 1_000)
        assert check.open == 0
    assert check.opened == 1_000


@pytest.mark.anyio
async def test_async_responses_through_a_one_connection_pool_never_exhaust_it(
    http_server: ServerView,
) -> None:
    http_server.route("/good", Reply(body=GOOD, headers=JSON))
    http_server.route("/bad", Reply(body=BAD, headers=JSON))
    check = LeakCheck()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    transport = AsyncCountingTransport(httpx.AsyncHTTPTransport(limits=limits), check)
    timeout = httpx.Timeout(10.0, pool=5.0)
    async with httpx.AsyncClient(transport=transport, timeout=timeout, trust_env=False) as client:

        async def send(path: str) -> AsyncAPIResponse[User]:
            raw = await client.send(
                client.build_request("GET", http_server.url + path), stream=True
            )
            return AsyncAPIResponse(raw=raw, cast_to=User)

        for i in range(300):
            if i % 3 == 0:
                assert await (await send("/good")).parse() == User(1, "Ada")
            elif i % 3 == 1:
                with pytest.raises(ResponseValidationError):
                    await (await send("/bad")).parse()
            else:
                with pytest.raises(Boom):
                    async with AsyncResponseContextManager(send("/good")):
                        raise Boom
        assert check.open == 0
    assert check.opened == 300
