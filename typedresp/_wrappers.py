"""The eight response wrappers: call an API method and get its response, not its result.

Each takes a bound API method (one that passes ``extra_headers`` on to a `Client` or
`AsyncClient`) and returns a function with the same parameters that gives the response
instead of the parsed body::

    response = to_raw_response_wrapper(client.users.retrieve)("u_1")   # APIResponse[User]
    response.headers["x-ratelimit-remaining"], response.parse()

For example::

    with to_streamed_response_wrapper(client.files.content)("f_1") as response:
        for chunk in response.iter_bytes():
            ...

They ask for that through *control entries* added to a copy of ``extra_headers`` (the
caller's dict is never changed), as in the SDKs they are modelled on (see
`typedresp._controls`). Unlike those SDKs, the client takes the control entries out before
sending: they never reach the wire.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar, cast

from ._async_response import AsyncAPIResponse
from ._context import AsyncResponseContextManager, ResponseContextManager
from ._controls import RAW_RESPONSE_HEADER, RESPONSE_CLASS_HEADER, Mode
from ._response import APIResponse

__all__ = [
    "async_to_custom_raw_response_wrapper",
    "async_to_custom_streamed_response_wrapper",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "to_custom_raw_response_wrapper",
    "to_custom_streamed_response_wrapper",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

P = ParamSpec("P")
R = TypeVar("R")
_APIResponseT = TypeVar("_APIResponseT", bound=APIResponse[Any])
_AsyncAPIResponseT = TypeVar("_AsyncAPIResponseT", bound=AsyncAPIResponse[Any])


def _ask(kwargs: dict[str, Any], mode: Mode, response_cls: type | None = None) -> None:
    """Put the control entries into a copy of ``kwargs["extra_headers"]``."""
    extra_headers: dict[str, Any] = {**(kwargs.get("extra_headers") or {})}
    extra_headers[RAW_RESPONSE_HEADER] = mode
    if response_cls is not None:
        extra_headers[RESPONSE_CLASS_HEADER] = response_cls
    # Every wrapped API method takes extra_headers; ParamSpec cannot say so.
    kwargs["extra_headers"] = extra_headers


def _checked(result: object, expected: type, func: Callable[..., Any]) -> Any:
    if not isinstance(result, expected):
        name = getattr(func, "__qualname__", repr(func))
        raise TypeError(
            f"{name} returned {type(result).__name__}, not {expected.__name__}: an API method "
            "must pass its extra_headers on to the client for the raw and streamed views to work."
        )
    return result


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """Wrap an API method so that it returns the `APIResponse` instead of the parsed body.

    The body is read and the connection released before it returns, except for a method
    that streams (``stream=True``, a stream ``cast_to``): then the body is not read yet,
    and the response must be parsed (its stream iterated) or closed.

    For example::

        response = to_raw_response_wrapper(client.users.retrieve)("u_1")
        user = response.parse()
    """

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        _ask(kwargs, "raw")
        return cast("APIResponse[R]", _checked(func(*args, **kwargs), APIResponse, func))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[AsyncAPIResponse[R]]]:
    """The async twin of `to_raw_response_wrapper`."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[R]:
        _ask(kwargs, "raw")
        result = await func(*args, **kwargs)
        return cast("AsyncAPIResponse[R]", _checked(result, AsyncAPIResponse, func))

    return wrapped


def to_streamed_response_wrapper(
    func: Callable[P, R],
) -> Callable[P, ResponseContextManager[APIResponse[R]]]:
    """Wrap an API method so that it returns a context manager over the `APIResponse`,
    with the body not read yet: nothing is sent until the ``with`` block is entered, and
    the response is closed when it is left.

    For example::

        with to_streamed_response_wrapper(client.files.content)("f_1") as response:
            for line in response.iter_lines():
                ...
    """

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[APIResponse[R]]:
        _ask(kwargs, "stream")

        def send() -> APIResponse[R]:
            return cast("APIResponse[R]", _checked(func(*args, **kwargs), APIResponse, func))

        return ResponseContextManager(send)

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, AsyncResponseContextManager[AsyncAPIResponse[R]]]:
    """The async twin of `to_streamed_response_wrapper`: use it with ``async with``."""

    @functools.wraps(func)
    def wrapped(
        *args: P.args, **kwargs: P.kwargs
    ) -> AsyncResponseContextManager[AsyncAPIResponse[R]]:
        _ask(kwargs, "stream")

        async def send() -> AsyncAPIResponse[R]:
            result = await func(*args, **kwargs)
            return cast("AsyncAPIResponse[R]", _checked(result, AsyncAPIResponse, func))

        return AsyncResponseContextManager(send)

    return wrapped


def to_custom_raw_response_wrapper(
    func: Callable[P, object], response_cls: type[_APIResponseT]
) -> Callable[P, _APIResponseT]:
    """Like `to_raw_response_wrapper`, but the response is a ``response_cls``.

    ``response_cls`` is a concrete subclass such as `BinaryAPIResponse`
    (``APIResponse[bytes]``); its type argument is what ``parse()`` gives.

    For example::

        to_custom_raw_response_wrapper(files.content, BinaryAPIResponse)("f_1").write_to_file(p)
    """
    _check_response_cls(response_cls, APIResponse)

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> _APIResponseT:
        _ask(kwargs, "raw", response_cls)
        return cast("_APIResponseT", _checked(func(*args, **kwargs), response_cls, func))

    return wrapped


def async_to_custom_raw_response_wrapper(
    func: Callable[P, Awaitable[object]], response_cls: type[_AsyncAPIResponseT]
) -> Callable[P, Awaitable[_AsyncAPIResponseT]]:
    """The async twin of `to_custom_raw_response_wrapper`."""
    _check_response_cls(response_cls, AsyncAPIResponse)

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> _AsyncAPIResponseT:
        _ask(kwargs, "raw", response_cls)
        result = await func(*args, **kwargs)
        return cast("_AsyncAPIResponseT", _checked(result, response_cls, func))

    return wrapped


def to_custom_streamed_response_wrapper(
    func: Callable[P, object], response_cls: type[_APIResponseT]
) -> Callable[P, ResponseContextManager[_APIResponseT]]:
    """Like `to_streamed_response_wrapper`, but the response is a ``response_cls``.

    For example::

        download = to_custom_streamed_response_wrapper(files.content, StreamedBinaryAPIResponse)
        with download("f_1") as response:
            response.stream_to_file("out.bin")
    """
    _check_response_cls(response_cls, APIResponse)

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[_APIResponseT]:
        _ask(kwargs, "stream", response_cls)

        def send() -> _APIResponseT:
            return cast("_APIResponseT", _checked(func(*args, **kwargs), response_cls, func))

        return ResponseContextManager(send)

    return wrapped


def async_to_custom_streamed_response_wrapper(
    func: Callable[P, Awaitable[object]], response_cls: type[_AsyncAPIResponseT]
) -> Callable[P, AsyncResponseContextManager[_AsyncAPIResponseT]]:
    """The async twin of `to_custom_streamed_response_wrapper`: use it with ``async with``."""
    _check_response_cls(response_cls, AsyncAPIResponse)

    @functools.wraps(func)
    def wrapped(
        *args: P.args, **kwargs: P.kwargs
    ) -> AsyncResponseContextManager[_AsyncAPIResponseT]:
        _ask(kwargs, "stream", response_cls)

        async def send() -> _AsyncAPIResponseT:
            result = await func(*args, **kwargs)
            return cast("_AsyncAPIResponseT", _checked(result, response_cls, func))

        return AsyncResponseContextManager(send)

    return wrapped


def _check_response_cls(response_cls: type, base: type) -> None:
    # Checked at run time too: callers need not be type-checked.
    if not (isinstance(response_cls, type) and issubclass(response_cls, base)):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"response_cls must be a subclass of {base.__name__}, got {response_cls!r}")
