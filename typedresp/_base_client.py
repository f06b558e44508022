"""What `Client` and `AsyncClient` share: request options, bodies, headers, errors."""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, TypeGuard, Union

import attrs
import httpx

from . import _json
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLarge,
    ResponseValidationError,
    UnprocessableEntityError,
)
from ._registry import default_registry
from ._response import BaseAPIResponse, extract_response_type, is_stream_class
from ._retries import RetryPolicy
from ._wrappers import (
    RAW_RESPONSE_HEADER,
    RESPONSE_CLASS_HEADER,
    ControlEntries,
    split_control_entries,
)

if TYPE_CHECKING:
    from cattrs import BaseConverter

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "BaseClient",
    "Call",
    "Params",
    "Timeout",
    "connection_error",
    "log",
    "log_retry",
    "resolve_timeout",
    "status_reason",
]

log = logging.getLogger("typedresp")

DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=5.0)
"""60 s to read, write or wait for the pool, 5 s to connect."""

DEFAULT_MAX_RETRIES: Final = 2

IDEMPOTENCY_HEADER: Final = "Idempotency-Key"
_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_STATUS_ERRORS: Final[dict[int, type[APIStatusError]]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
_DETERMINISTIC_ERRORS: Final = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)
_CONTROL_NAMES: Final = frozenset({RAW_RESPONSE_HEADER.lower(), RESPONSE_CLASS_HEADER.lower()})

Timeout = Union[float, httpx.Timeout, None]
Params = Union[Mapping[str, Any], None]


@attrs.frozen
class Call:
    """One API call: what every attempt sends, and what the caller asked to get back."""

    method: str
    url: httpx.URL
    params: Params
    headers: httpx.Headers
    json: Any
    cast_to: Any
    stream: bool
    stream_cls: Any
    controls: ControlEntries

    @property
    def reads_body(self) -> bool:
        """Whether the body is read before the call returns (and so may be retried)."""
        return not (self.controls.mode == "stream" or self.stream or is_stream_class(self.cast_to))


class BaseClient:
    """Configuration and request building shared by `Client` and `AsyncClient`."""

    default_stream_cls: Any = None
    """The stream class used for ``stream=True`` when no ``stream_cls`` is given."""

    _default_response_cls: type[BaseAPIResponse[Any]]

    def __init__(
        self,
        base_url: str | httpx.URL,
        *,
        headers: Mapping[str, str] | None,
        timeout: httpx.Timeout,
        max_retries: int,
        registry: BaseConverter | None,
        max_body_bytes: int | None,
        retry_policy: RetryPolicy | None,
    ) -> None:
        # Checked at run time too: callers need not be type-checked.
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"max_retries must be an int >= 0, got {max_retries!r}")
        if max_body_bytes is not None and max_body_bytes < 0:
            raise ValueError(f"max_body_bytes must be None or >= 0, got {max_body_bytes}")
        self._base_url = httpx.URL(base_url)
        self.headers: dict[str, str] = dict(headers or {})
        for name in self.headers:
            if name.lower() in _CONTROL_NAMES:
                raise ValueError(
                    f"{name} is a per-call control entry of the response wrappers, "
                    "not a default header: pass it in extra_headers, or use with_raw_response"
                )
        self.timeout = timeout
        self.max_retries = max_retries
        self.registry = default_registry if registry is None else registry
        self.max_body_bytes = max_body_bytes
        self.retry_policy = RetryPolicy() if retry_policy is None else retry_policy

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={str(self.base_url)!r}>"

    @property
    def base_url(self) -> httpx.URL:
        """What every request path is appended to."""
        return self._base_url

    # ------------------------------------------------------------------ requests

    def _call(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any,
        params: Params,
        body: Any,
        extra_headers: Mapping[str, Any] | None,
        stream: bool,
        stream_cls: Any,
    ) -> Call:
        controls, wire_headers = split_control_entries(extra_headers)
        if controls.response_cls is not None and not issubclass(
            controls.response_cls, self._default_response_cls
        ):
            raise TypeError(
                f"{type(self).__name__} builds {self._default_response_cls.__name__} "
                f"subclasses; {controls.response_cls.__name__} is not one"
            )
        method = method.upper()
        headers = httpx.Headers(self.headers)
        headers.update(wire_headers)  # case-insensitively: one value per name
        if method not in _SAFE_METHODS and IDEMPOTENCY_HEADER not in headers:
            import uuid  # here, not at the top: it is a few milliseconds of every cold start

            headers[IDEMPOTENCY_HEADER] = f"typedresp-{uuid.uuid4()}"
        if stream_cls is not None and not stream:
            raise TypeError("stream_cls is for streamed responses: pass stream=True with it")
        if stream and stream_cls is None:
            stream_cls = self.default_stream_cls
        return Call(
            method=method,
            url=self._url(path),
            params=params,
            headers=headers,
            json=None if body is None else self._json_body(body),
            cast_to=cast_to,
            stream=stream,
            stream_cls=stream_cls,
            controls=controls,
        )

    def _url(self, path: str) -> httpx.URL:
        """``path`` under the base URL's path, with the queries of both; an absolute
        ``http(s)://`` URL (any case) as it is."""
        if "://" in path:
            url = httpx.URL(path)
            if url.scheme in ("http", "https"):
                return url
        relative = httpx.URL("/" + path.lstrip("/"))  # a leading "/" cannot be a scheme
        base = self._base_url
        raw_path = base.raw_path.split(b"?")[0].rstrip(b"/") + relative.raw_path.split(b"?")[0]
        query = b"&".join(part for part in (base.query, relative.query) if part)
        return base.copy_with(raw_path=raw_path + b"?" + query if query else raw_path)

    def _json_body(self, body: object) -> Any:
        if _is_json_object(body):
            return body
        if (
            attrs.has(type(body))
            or dataclasses.is_dataclass(body)
            or isinstance(body, (list, tuple))
        ):
            return self.registry.unstructure(body)
        return body

    def _build_request(
        self, http_client: httpx.Client | httpx.AsyncClient, call: Call
    ) -> httpx.Request:
        # httpx would replace the URL's query (the base URL's, the path's) with params.
        url = call.url if call.params is None else call.url.copy_merge_params(call.params)
        return http_client.build_request(
            call.method,
            url,
            headers=call.headers,
            json=call.json,
            timeout=self.timeout,
        )

    # ---------------------------------------------------------------- responses

    def _response_cls_and_type(self, call: Call) -> tuple[type[BaseAPIResponse[Any]], Any]:
        """The response class to build and the ``cast_to`` it gets."""
        response_cls = call.controls.response_cls
        if response_cls is None:
            return self._default_response_cls, call.cast_to
        try:
            return response_cls, extract_response_type(response_cls)
        except TypeError:  # an unparametrised class: the call's type
            return response_cls, call.cast_to

    def _response(self, call: Call, raw: httpx.Response, retries_taken: int) -> Any:
        response_cls, cast_to = self._response_cls_and_type(call)
        return response_cls(
            raw=raw,
            cast_to=cast_to,
            registry=self.registry,
            stream=call.stream,
            stream_cls=call.stream_cls,
            retries_taken=retries_taken,
            max_body_bytes=self.max_body_bytes,
        )

    # ------------------------------------------------------------------ retries
    # Each returns the wait before the next attempt (and logs it), or says the attempt is
    # the last one: the sync and async send loops only sleep and count.

    def _delay_after_transport_error(
        self, call: Call, exc: httpx.RequestError, request: httpx.Request, retries_taken: int
    ) -> float:
        """The wait before retrying a request that could not be sent; raises the
        `APIConnectionError` when it is not retried: a redirect loop, an unsupported
        scheme or a request httpx will not send fails the same way every time."""
        error = connection_error(exc, request)
        if (
            retries_taken >= self.max_retries
            or not isinstance(exc, httpx.TransportError)
            or isinstance(exc, _DETERMINISTIC_ERRORS)
        ):
            raise error from exc
        return self._log_delay(
            call, self.retry_policy.delay(retries_taken), repr(exc), retries_taken
        )

    def _delay_after_status(
        self, call: Call, raw: httpx.Response, retries_taken: int
    ) -> float | None:
        """The wait before retrying an error status, or None when it is not retried."""
        if retries_taken >= self.max_retries or not self.retry_policy.should_retry(raw):
            return None
        delay = self.retry_policy.delay(retries_taken, raw.headers)
        return self._log_delay(call, delay, status_reason(raw), retries_taken)

    def _delay_after_read_error(
        self, call: Call, exc: APIConnectionError, retries_taken: int
    ) -> float:
        """The wait before retrying a body that broke off; raises ``exc`` when it is not
        retried (a body that cannot be decoded will not decode next time either)."""
        if retries_taken >= self.max_retries or isinstance(exc.__cause__, httpx.DecodingError):
            raise exc
        return self._log_delay(
            call, self.retry_policy.delay(retries_taken), repr(exc), retries_taken
        )

    def _log_delay(self, call: Call, delay: float, reason: str, retries_taken: int) -> float:
        log_retry(call, delay, reason, retries_taken, self.max_retries)
        return delay

    def _status_error(self, response: httpx.Response, content: bytes) -> APIStatusError:
        """The exception for an error status whose body starts with ``content``: a body
        over ``max_body_bytes`` is cut there and kept as text, the `ResponseTooLarge` as
        the cause."""
        limit = self.max_body_bytes
        too_large: ResponseTooLarge | None = None
        if limit is not None and len(content) > limit:
            too_large = ResponseTooLarge(
                f"The error body is larger than max_body_bytes={limit}; cut there.",
                limit=limit,
                response=response,
            )
            body: Any = _text(response, content[:limit])
        else:
            body = _decoded_body(response, content, self.registry)
        status = response.status_code
        error_cls = _STATUS_ERRORS.get(status)
        if error_cls is None:
            error_cls = InternalServerError if status >= 500 else APIStatusError
        request = response.request
        message = f"{status} {response.reason_phrase} for {request.method} {request.url}"
        if body is not None:
            message += f": {_short(_error_detail(body))}"
        error = error_cls(message, response=response, body=body)
        error.__cause__ = too_large
        return error


def resolve_timeout(
    timeout: Timeout, http_client: httpx.Client | httpx.AsyncClient | None, *, given: bool
) -> httpx.Timeout:
    """The timeout for every request: the one given, else the given httpx client's, else
    `DEFAULT_TIMEOUT`."""
    if given:
        return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    return DEFAULT_TIMEOUT if http_client is None else http_client.timeout


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


def log_retry(call: Call, delay: float, reason: str, retries_taken: int, max_retries: int) -> None:
    log.info(
        "Retrying %s %s in %.3f s (retry %d of %d): %s",
        call.method,
        call.url,
        delay,
        retries_taken + 1,
        max_retries,
        reason,
    )


def status_reason(response: httpx.Response) -> str:
    return f"{response.status_code} {response.reason_phrase}"


def _decoded_body(response: httpx.Response, content: bytes, registry: BaseConverter) -> Any:
    if not content:
        return None
    try:
        return _json.loads(content)
    except ResponseValidationError:
        return _text(response, content)


def _text(response: httpx.Response, content: bytes) -> str:
    return content.decode(response.encoding or "utf-8", errors="replace")


def _is_json_object(value: object) -> TypeGuard[dict[Any, Any]]:
    """Whether ``value`` is a dict: ``isinstance``, with the key and value types left open."""
    return isinstance(value, dict)


def _error_detail(body: Any) -> Any:
    """The message of an ``{"error": {"message": ...}}`` style body, else the body."""
    if _is_json_object(body):
        error = body.get("error")
        if _is_json_object(error) and isinstance(error.get("message"), str):
            return error["message"]
        if isinstance(error, str):
            return error
        if isinstance(body.get("message"), str):
            return body["message"]
    return body


def _short(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
