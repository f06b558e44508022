"""httpx's errors as typedresp's: one context manager does the mapping.

Modelled on httpx's own ``map_httpcore_exceptions``: code that calls httpx runs inside
`map_httpx_errors`, which raises the typedresp error a translation gives, chained to the
httpx one (``__cause__``, which retry decisions read), and lets anything else through as
it is. `sending` is the translation for sending a request; a translation for reading a
body (`typedresp._response.read_error`) plugs in the same way.

For example::

    with sending(request):
        raw = http_client.send(request, stream=True)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

import httpx

from ._exceptions import APIConnectionError, APITimeoutError

__all__ = ["connection_error", "map_httpx_errors", "request_error_of", "sending"]

Translation = Callable[[Exception], "Exception | None"]
"""The typedresp error an exception stands for, or None to let it through as it is."""


class map_httpx_errors:
    """Within it, an exception that ``translate`` maps is raised as the typedresp error it
    maps to, chained to it (unless the translation chained it to another cause already);
    any other exception, and every `BaseException` such as a cancellation, passes as it is.
    """

    __slots__ = ("_translate",)

    def __init__(self, translate: Translation) -> None:
        self._translate = translate

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not isinstance(exc, Exception):
            return
        error = self._translate(exc)
        if error is None:
            return
        if error.__cause__ is None:
            error.__cause__ = exc
        raise error


def sending(request: httpx.Request) -> map_httpx_errors:
    """Map httpx's errors while sending ``request`` (its response headers included) to
    `APIConnectionError` / `APITimeoutError`, caused by the httpx error."""

    def translate(exc: Exception) -> Exception | None:
        error = request_error_of(exc, request)
        if error is None:
            return None
        mapped = connection_error(error, request)
        mapped.__cause__ = error
        return mapped

    return map_httpx_errors(translate)


def request_error_of(exc: Exception, request: httpx.Request) -> httpx.RequestError | None:
    """``exc``, raised while sending ``request``, as the httpx error it stands for; None
    when it stands for none.

    httpcore lets h11's ``LocalProtocolError`` through while it sends a request body (a
    Content-Length that does not match the body): it is httpx's ``LocalProtocolError``,
    a request that fails the same way every time. h11 is looked up, not imported: if it
    was never loaded, nothing can have raised its errors.
    """
    if isinstance(exc, httpx.RequestError):
        return exc
    h11 = sys.modules.get("h11")
    h11_error: type[Exception] | None = getattr(h11, "LocalProtocolError", None)
    if h11_error is not None and isinstance(exc, h11_error):
        error = httpx.LocalProtocolError(str(exc), request=request)
        error.__cause__ = exc
        return error
    return None


def connection_error(exc: httpx.RequestError, request: httpx.Request) -> APIConnectionError:
    """The typedresp error for an httpx error while sending ``request`` (a transport
    error, too many redirects)."""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Request timed out: {exc}", request=request)
    return APIConnectionError(f"Connection error: {exc}", request=request)
