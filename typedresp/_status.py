"""Status errors: the `APIStatusError` for a response outside 200-299, built from as much
of its body as can be read.

One place for the client and for `typedresp.parse`: the class (`status_error_class`), the
message and the body. The status wins over the body: a body that breaks off or cannot be
decompressed is kept as far as it was read (the read error is the cause), and one over the
limit is cut there (`ResponseTooLarge` the cause).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard

import httpx

from ._async_response import AsyncAPIResponse
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    ResponseTooLarge,
    ResponseValidationError,
    StreamAlreadyConsumed,
    TypedRespError,
    request_of,
    short_repr,
    status_error_class,
)
from ._json import loads as _loads_json
from ._response import APIResponse

if TYPE_CHECKING:
    pass

__all__ = [
    "aread_status_error",
    "error_detail",
    "is_error_status",
    "is_json_object",
    "read_status_error",
]

_UNREADABLE = (APIConnectionError, StreamAlreadyConsumed)


def is_error_status(status: int) -> bool:
    """Whether ``status`` is an error to typedresp: anything outside 200-299."""
    return not 200 <= status <= 299


def read_status_error(raw: httpx.Response, *, max_body_bytes: int | None) -> APIStatusError:
    """The error for ``raw``, from its body read up to the first chunk past
    ``max_body_bytes``; ``raw`` is closed."""
    pieces: list[bytes] = []
    unreadable: TypedRespError | None = None
    chunks = APIResponse(raw=raw, cast_to=bytes).iter_bytes()
    try:
        size = 0
        for chunk in chunks:
            pieces.append(chunk)
            size += len(chunk)
            if max_body_bytes is not None and size > max_body_bytes:
                break
    except _UNREADABLE as exc:
        unreadable = exc
    finally:
        chunks.close()
        raw.close()
    return status_error(raw, b"".join(pieces), max_body_bytes, unreadable)


async def aread_status_error(raw: httpx.Response, *, max_body_bytes: int | None) -> APIStatusError:
    """The async twin of `read_status_error`."""
    pieces: list[bytes] = []
    unreadable: TypedRespError | None = None
    response = AsyncAPIResponse(raw=raw, cast_to=bytes)
    chunks = response.iter_bytes()
    try:
        size = 0
        async for chunk in chunks:
            pieces.append(chunk)
            size += len(chunk)
            if max_body_bytes is not None and size > max_body_bytes:
                break
    except _UNREADABLE as exc:
        unreadable = exc
    finally:
        await chunks.aclose()
        await response.close()
    return status_error(raw, b"".join(pieces), max_body_bytes, unreadable)


def status_error(
    response: httpx.Response,
    content: bytes,
    max_body_bytes: int | None,
    unreadable: TypedRespError | None = None,
) -> APIStatusError:
    """The exception for ``response``, whose body starts with ``content``."""
    cause = unreadable
    if max_body_bytes is not None and len(content) > max_body_bytes:
        cause = ResponseTooLarge(
            f"The error body is larger than max_body_bytes={max_body_bytes}; cut there.",
            limit=max_body_bytes,
            response=response,
        )
        body: Any = _text(response, content[:max_body_bytes])
    elif unreadable is not None:
        body = _text(response, content) if content else None
    else:
        body = _decoded_body(response, content)
    status = response.status_code
    message = f"{status} {response.reason_phrase}".rstrip()
    request = request_of(response)
    if request is not None:
        message += f" for {request.method} {request.url}"
    note = _redirect_note(response)
    if note:
        message += f" ({note})"
    if unreadable is not None:
        message += f" (the body could not be read: {unreadable})"
    if body is not None:
        message += f": {error_detail(body)}"
    error = status_error_class(status)(message, response=response, body=body)
    error.__cause__ = cause
    return error


def is_json_object(value: object) -> TypeGuard[dict[Any, Any]]:
    """Whether ``value`` is a dict: ``isinstance``, with the key and value types left open."""
    return isinstance(value, dict)


def _redirect_note(response: httpx.Response) -> str:
    """What a 3xx that reached the caller means: no Location, or one not followed."""
    if not 300 <= response.status_code <= 399:
        return ""
    location = response.headers.get("location")
    if location is None:
        return "a redirect without a Location header"
    return f"a redirect to {short_repr(location, 200, str_as_is=True)} that was not followed"


def error_detail(body: Any) -> str:
    """What a status error's message quotes of its decoded ``body``, after ``": "``:
    an ``{"error": {"message": ...}}`` style message, else the body, cut at 300 chars."""
    return short_repr(_error_detail(body), 300, str_as_is=True)


def _decoded_body(response: httpx.Response, content: bytes) -> Any:
    if not content:
        return None
    try:
        return _loads_json(content)
    except ResponseValidationError:
        return _text(response, content)


def _text(response: httpx.Response, content: bytes) -> str:
    return content.decode(response.encoding or "utf-8", errors="replace")


def _error_detail(body: Any) -> Any:
    """The message of an ``{"error": {"message": ...}}`` style body, else the body."""
    if is_json_object(body):
        error = body.get("error")
        if is_json_object(error) and isinstance(error.get("message"), str):
            return error["message"]
        if isinstance(error, str):
            return error
        if isinstance(body.get("message"), str):
            return body["message"]
    return body
