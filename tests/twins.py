"""One test body for both twins: the sync and the async client, response and stream.

A test takes the ``twin`` fixture (``conftest.py``: once ``sync``, once ``async``) and is
written once, as an async test: what the sync twin returns and the async one awaits goes
through ``await twin(...)``; what one iterates and the other iterates with ``async for``
through ``await twin.items(...)``; the classes to build come from the twin
(``twin.Stream[Event](...)``, ``twin.APIResponse(...)``).

For example::

    @pytest.mark.anyio
    async def test_get(twin: Twin, http_server: ServerView) -> None:
        async with twin.client(http_server.url) as client:
            assert await twin(client.get("/pets/1", cast_to=Pet)) == Pet(1, "Rex")
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator
from typing import Any

import attrs
import httpx

from typedresp import (
    APIResponse,
    AsyncAPIResponse,
    AsyncClient,
    AsyncStream,
    Client,
    Stream,
)

from .bodies import AsyncTrackedBody, TrackedBody
from .clients import async_client_for, client_for

__all__ = ["Awaited", "Twin"]


@attrs.frozen
class Twin:
    """The sync twin (``is_async=False``) or the async one, and how to drive it."""

    is_async: bool

    def __repr__(self) -> str:
        return "async" if self.is_async else "sync"

    # ------------------------------------------------------------------ classes

    @property
    def Client(self) -> Any:
        return AsyncClient if self.is_async else Client

    @property
    def APIResponse(self) -> Any:
        return AsyncAPIResponse if self.is_async else APIResponse

    @property
    def Stream(self) -> Any:
        return AsyncStream if self.is_async else Stream

    @property
    def http_client_cls(self) -> Any:
        return httpx.AsyncClient if self.is_async else httpx.Client

    def response(self, **options: Any) -> Any:
        """The twin's response class built with ``options``; the sync one as `Awaited`,
        so that one body awaits ``parse``, ``read``, ``text``, ``json`` and ``close``."""
        response = self.APIResponse(**options)
        return response if self.is_async else Awaited(response)

    def body(self, chunks: list[bytes], error: Exception | None = None) -> Any:
        """A `TrackedBody` (sync) or an `AsyncTrackedBody`."""
        return (AsyncTrackedBody if self.is_async else TrackedBody)(chunks, error)

    # ---------------------------------------------------------------- driving

    async def __call__(self, value: Any) -> Any:
        """``value`` awaited when it is awaitable (the async twin's), else as it is."""
        return await value if inspect.isawaitable(value) else value

    async def items(self, iterable: Any) -> list[Any]:
        """Everything ``iterable`` yields, with ``async for`` when it is async."""
        if hasattr(iterable, "__aiter__"):
            return [item async for item in iterable]
        return list(iterable)

    async def consume(self, value: Any) -> Any:
        """``value`` awaited when it is awaitable, else iterated to its end (as a list)."""
        return await value if inspect.isawaitable(value) else await self.items(value)

    async def each(self, iterable: Any) -> AsyncIterator[Any]:
        """``iterable`` as an async iterator: ``async for item in twin.each(stream)``."""
        if hasattr(iterable, "__aiter__"):
            async for item in iterable:
                yield item
        else:
            for item in iterable:
                yield item

    async def next(self, iterator: Any) -> Any:
        """``next(iterator)``, or ``await anext(iterator)``."""
        if hasattr(iterator, "__anext__"):
            return await iterator.__anext__()
        return next(iterator)

    @contextlib.asynccontextmanager
    async def entered(self, manager: Any) -> AsyncIterator[Any]:
        """``with manager``, or ``async with manager`` when it is async."""
        if hasattr(manager, "__aenter__"):
            async with manager as value:
                yield value
        else:
            with manager as value:
                yield value

    @contextlib.asynccontextmanager
    async def streamed(self, url: str) -> AsyncIterator[httpx.Response]:
        """``GET url`` with a plain httpx client of the twin's flavour, body not read."""
        async with (
            self.entered(self.http_client_cls(trust_env=False)) as http,
            self.entered(http.stream("GET", url)) as response,
        ):
            yield response

    @contextlib.asynccontextmanager
    async def client(self, url: str, **options: Any) -> AsyncIterator[Any]:
        """A `Client` or `AsyncClient` on ``url`` that does not sleep (see `client_for`)."""
        if self.is_async:
            async for client in async_client_for(url, **options):
                yield client
        else:
            for client in client_for(url, **options):
                yield client

    async def close(self, closable: Any) -> None:
        """``closable.close()``, or ``await closable.aclose()`` when it has one."""
        await self(closable.aclose() if hasattr(closable, "aclose") else closable.close())


class Awaited:
    """A sync `APIResponse` behind the async one's face: ``parse``, ``read``, ``text``,
    ``json`` and ``close`` return awaitables of what the sync method returns (it runs
    when awaited, and raises there); everything else is the response's own.
    """

    _AWAITED = frozenset({"parse", "read", "text", "json", "close"})

    def __init__(self, response: APIResponse[Any]) -> None:
        self.wrapped = response

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.wrapped, name)
        if name not in self._AWAITED:
            return attribute

        async def awaited(*args: Any, **kwargs: Any) -> Any:
            return attribute(*args, **kwargs)

        return awaited

    def __repr__(self) -> str:
        return repr(self.wrapped)
