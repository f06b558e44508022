"""The exceptions typedresp raises.

Every exception derives from `TypedRespError`, so one ``except`` clause catches them all.
Each carries what a caller needs to act on it: the failing JSON paths, the response,
the decoded body.

Our exception hierarchy:

* TypedRespError
  + ResponseValidationError (also a ValueError)
  + StreamAlreadyConsumed
  + MissingStreamClassError (also a TypeError)
  + StreamError
  + ResponseTooLarge
  + PaginationError (defined with the pages, in _pagination)
  + APIError
    - APIConnectionError
      · APITimeoutError
    - APIStatusError
      · BadRequestError (400)
      · AuthenticationError (401)
      · PermissionDeniedError (403)
      · NotFoundError (404)
      · ConflictError (409)
      · UnprocessableEntityError (422)
      · RateLimitError (429)
      · InternalServerError (5xx)

Every status outside 200-299 is an `APIStatusError` (`status_error_class` picks the
class). An `APIError` message never shows a URL's password or a secret-looking query
value (see `typedresp._redact`).

Paths follow one format everywhere: ``$`` is the decoded body, ``.name`` a field (the
key as it came on the wire), ``[3]`` a list index and ``['key']`` a dict key, e.g.
``$.choices[0].message.role``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs.exceptions import FrozenInstanceError

from ._redact import redact

if TYPE_CHECKING:
    from collections.abc import Sequence

    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingStreamClassError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLarge",
    "ResponseValidationError",
    "StreamAlreadyConsumed",
    "StreamError",
    "TypedRespError",
    "UnprocessableEntityError",
    "ValidationErrorItem",
    "status_error_class",
]


class TypedRespError(Exception):
    """The root of every exception typedresp raises."""


class ValidationErrorItem:
    """One failing place in a body: where (``path``) and what was wrong (``message``).

    >>> str(ValidationErrorItem("$.data[3].created_at", "expected ISO-8601 datetime, got 'x'"))
    "$.data[3].created_at: expected ISO-8601 datetime, got 'x'"

    Immutable and hashable; two items are equal when their path and message are. (A plain
    class rather than an attrs one: building an attrs class would cost every import.)
    """

    __slots__ = ("__weakref__", "exception", "message", "path")
    __match_args__ = ("path", "message", "exception")

    path: str
    message: str
    exception: BaseException | None
    """The exception that caused this entry, when a hook or a constructor raised one."""

    def __init__(self, path: str, message: str, exception: BaseException | None = None) -> None:
        initialise = object.__setattr__
        initialise(self, "path", path)
        initialise(self, "message", message)
        initialise(self, "exception", exception)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError

    def __repr__(self) -> str:
        name = type(self).__qualname__.rsplit(">.", 1)[-1]
        return f"{name}(path={self.path!r}, message={self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ValidationErrorItem) or other.__class__ is not self.__class__:
            return NotImplemented
        return self.path == other.path and self.message == other.message

    def __hash__(self) -> int:
        return hash((self.path, self.message))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.message, self.exception))

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


MAX_ERRORS = 1000
"""A `ResponseValidationError` keeps at most this many entries (and counts the rest)."""


def shortened(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with ``...`` when it is longer."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def short_repr(value: Any, limit: int = 60, *, str_as_is: bool = False) -> str:
    """A repr short enough for a message, safe for any value (a string as it is, with
    ``str_as_is``): the one way typedresp quotes a value.

    >>> short_repr("x" * 100, 10)
    "'xxxxxx..."
    """
    if value.__class__ is int and value.bit_length() > 200:
        return f"<integer of {len(str(value.bit_length()))}+ digit bits>"
    if str_as_is and isinstance(value, str):
        return shortened(value, limit)
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return shortened(text, limit)


def field_path(path: str, key: str) -> str:
    """The path of the field ``key`` inside ``path``: ``$.name``, or ``$['content-type']``
    for a key that is not an identifier."""
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]"


class ErrorList(list[ValidationErrorItem]):
    """The entries a detailed check collects: the first `MAX_ERRORS` of them, and
    ``total``, how many there were (a body of a million wrong items must not build a
    million entries)."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def append(self, item: ValidationErrorItem) -> None:
        self.total += 1
        if len(self) < MAX_ERRORS:
            super().append(item)


class ResponseValidationError(TypedRespError, ValueError):
    """A body did not match the type it was parsed to.

    ``errors`` lists the failing paths (each a `ValidationErrorItem`; at most
    `MAX_ERRORS` of them, ``error_count`` says how many there were in all), ``body`` is
    the decoded value (or the text, when the body was not JSON) and ``response`` the
    `httpx.Response` it came from, when there was one.
    """

    errors: list[ValidationErrorItem]
    error_count: int
    body: Any
    response: httpx.Response | None
    target: Any

    def __init__(
        self,
        errors: list[ValidationErrorItem],
        *,
        body: Any = None,
        response: httpx.Response | None = None,
        target: Any = None,
        error_count: int | None = None,
    ) -> None:
        self.errors = list(errors[:MAX_ERRORS])
        self.error_count = max(len(errors), error_count or 0)
        self.body = body
        self.response = response
        self.target = target
        super().__init__(self.errors)

    def __str__(self) -> str:
        count = self.error_count
        head = f"{count} validation error{'s' if count != 1 else ''}"
        if self.target is not None:
            # Naming a type is the introspection layer's job (one name in every message);
            # imported here, as the errors layer is below it.
            from ._introspection import describe

            head += f" for {describe(self.target)}"
        shown = [f"  {item}" for item in self.errors[:20]]
        if count > len(shown):
            shown.append(f"  ... and {count - len(shown)} more")
        return "\n".join([head, *shown])

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_validation_error,
            (self.errors, self.body, self.target, self.error_count),
        )


def _rebuild_validation_error(
    errors: list[ValidationErrorItem], body: Any, target: Any, error_count: int | None = None
) -> ResponseValidationError:
    return ResponseValidationError(errors, body=body, target=target, error_count=error_count)


_UNCHANGED: Any = object()


def about_response(
    error: ResponseValidationError | ResponseTooLarge,
    response: httpx.Response,
    *,
    body: Any = _UNCHANGED,
    target: Any = _UNCHANGED,
) -> None:
    """Tell ``error``, raised below the response layer (the JSON decoder, the engine, a
    stream decoder), which response it is about, unless it knows already; and, for a
    validation error, the ``body`` and ``target`` given. The one place that does it."""
    if error.response is None:
        error.response = response
    if isinstance(error, ResponseValidationError):
        if body is not _UNCHANGED:
            error.body = body
        if target is not _UNCHANGED:
            error.target = target


class StreamAlreadyConsumed(TypedRespError):
    """The body was already read by streaming it, so it cannot be read again."""


class MissingStreamClassError(TypedRespError, TypeError):
    """A streamed body was parsed without a stream class to parse it with."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "The response was requested with stream=True but no stream class was given: "
            "pass stream_cls=Stream[T] or parse(to=Stream[T])."
        )


class StreamError(TypedRespError):
    """The server sent an error event in the middle of a stream.

    ``event`` is the raw event and ``body`` its decoded data.
    """

    def __init__(self, message: str, *, event: Any = None, body: Any = None) -> None:
        super().__init__(message)
        self.event = event
        self.body = body


class ResponseTooLarge(TypedRespError):
    """A body (or one stream event) grew past the configured limit.

    Raised as soon as the limit is crossed; the rest is not read and the response is
    closed.
    """

    def __init__(self, message: str, *, limit: int, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.limit = limit
        self.response = response


class APIError(TypedRespError):
    """A request to an API failed."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The server could not be reached, or the connection broke, or the body could not be
    decoded: a corrupt Content-Encoding, or compressed data that ends early (a truncated
    body is never given as a short one)."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)


class APIStatusError(APIError):
    """The server answered with a status outside 200-299 (an error, a redirect that was
    not followed, or a status no standard defines, such as 600).

    ``body`` is the decoded JSON body, or the text when it is not JSON.
    """

    error: Any = None
    """The body structured into the client's (or the call's) ``error_model``; None when
    none was named or the body does not fit it."""

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message, request=request_of(response))
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.request_id = request_id_of(response)


class BadRequestError(APIStatusError):
    """400 Bad Request."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized."""


class PermissionDeniedError(APIStatusError):
    """403 Forbidden."""


class NotFoundError(APIStatusError):
    """404 Not Found."""


class ConflictError(APIStatusError):
    """409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """A 5xx status."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The exception class for a response with ``status`` (one outside 200-299)."""
    found = _STATUS_ERRORS.get(status)
    if found is not None:
        return found
    return InternalServerError if 500 <= status <= 599 else APIStatusError


def request_of(response: httpx.Response) -> httpx.Request | None:
    """The request a response answered, or None for a response built by hand."""
    try:
        return response.request
    except RuntimeError:
        return None


REQUEST_ID_HEADERS: tuple[str, ...] = ("x-request-id", "request-id")
"""The headers a request id is read from by default, first found first."""


def request_id_of(
    response: httpx.Response, names: Sequence[str] = REQUEST_ID_HEADERS
) -> str | None:
    """The first of the ``names`` headers the response has (by default ``x-request-id``,
    else ``request-id``): what to quote to the API's support."""
    headers = response.headers
    for name in names:
        found: str | None = headers.get(name)
        if found:
            return found
    return None
