"""Context managers that send a request on entry and always close its response on exit.

For example::

    with ResponseContextManager(lambda: api.files.download_raw(file_id)) as response:
        response.stream_to_file("out.bin")
>>> # the response is closed here, also if the block raised
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

from ._async_response import AsyncAPIResponse
from ._response import APIResponse

__all__ = ["AsyncResponseContextManager", "ResponseContextManager"]

_APIResponseT = TypeVar("_APIResponseT", bound=APIResponse[Any])
_AsyncAPIResponseT = TypeVar("_AsyncAPIResponseT", bound=AsyncAPIResponse[Any])


class ResponseContextManager(Generic[_APIResponseT]):
    """Send the request only when the ``with`` block is entered; close the response on exit.

    ``request_func`` is called with no arguments on entry and returns the response.

    For example::

        with ResponseContextManager(functools.partial(client.get_raw, "/files/1")) as resp:
            for chunk in resp.iter_bytes():
                ...
    """

    def __init__(self, request_func: Callable[[], _APIResponseT]) -> None:
        self._request_func = request_func
        self._entered = False
        self._response: _APIResponseT | None = None

    def __enter__(self) -> _APIResponseT:
        if self._entered:
            raise RuntimeError("A ResponseContextManager sends its request once: enter it once.")
        self._entered = True
        self._response = self._request_func()
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[_AsyncAPIResponseT]):
    """The async twin of `ResponseContextManager`, over a coroutine function of the response.

    ``api_request`` is called with no arguments on entry and awaited, so the request is
    not sent before ``async with``; the response is closed on exit, also when the block
    raised or was cancelled. An awaitable (the coroutine of an API call, as in the openai
    SDK) is accepted too, but a manager that is never entered then leaves it un-awaited,
    and Python warns about it: pass the function.

    For example::

        request = functools.partial(client.get_raw, "/files/1")
        async with AsyncResponseContextManager(request) as response:
            await response.stream_to_file("out.bin")
    """

    def __init__(
        self,
        api_request: Callable[[], Awaitable[_AsyncAPIResponseT]] | Awaitable[_AsyncAPIResponseT],
    ) -> None:
        self._api_request = api_request
        self._entered = False
        self._response: _AsyncAPIResponseT | None = None

    async def __aenter__(self) -> _AsyncAPIResponseT:
        if self._entered:
            raise RuntimeError(
                "An AsyncResponseContextManager sends its request once: enter it once."
            )
        self._entered = True
        request = self._api_request
        response = await (request if inspect.isawaitable(request) else request())
        self._response = response
        return response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()  # shielded: also completes when cancelled
