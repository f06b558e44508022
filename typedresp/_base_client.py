"""What `Client` and `AsyncClient` share: options, what to send, retries, redirects,
deadlines, error models. Every decision of a call is made here; the twins only send, read,
close and sleep, with or without ``await``."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from collections.abc import AsyncIterator, Collection, Generator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, TypeVar, Union, cast

import attrs
import httpx

from ._controls import CONTROL_NAMES, ControlEntries, split_control_entries
from ._error_bodies import complete_status_error
from ._exceptions import APIConnectionError, APIStatusError
from ._redact import RedactedHeaders, is_credential_header, redact
from ._registry import default_registry
from ._response import BaseAPIResponse, extract_response_type
from ._retries import RetryPolicy
from ._status import is_error_status, is_json_object
from ._targets import is_stream_class
from ._user_agent import user_agent

if TYPE_CHECKING:
    from cattrs import BaseConverter

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOTAL_TIMEOUT",
    "BaseClient",
    "Call",
    "Params",
    "Timeout",
    "fails_the_same_way",
    "log",
    "log_retry",
    "resolve_timeout",
    "status_reason",
]

log = logging.getLogger("typedresp")

DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=5.0)
"""60 s to read, write or wait for the pool, 5 s to connect."""

DEFAULT_MAX_RETRIES: Final = 2

DEFAULT_MAX_BODY_BYTES: Final = 128 * 1024 * 1024
"""128 MiB: the most a client reads into memory for one body, unless told otherwise."""

DEFAULT_TOTAL_TIMEOUT: Final = 600.0
"""10 minutes: the most one attempt may take, from sending to the end of the body.

``timeout`` bounds each step (connect, each read, each write), so a server that sends a
byte just before every read timeout holds a call for ever; this bounds their sum. It is
finite so that a call always ends, and long: longer than any answer an API means to give
in one response (a long non-streamed completion takes a few minutes), short enough that a
stuck or trickling server frees the caller. A stream's body is read for as long as its
consumer wants. `Client` checks the deadline as each chunk of a body arrives (a read that
waits is bounded by ``timeout``); `AsyncClient` also cancels any wait past it, the wait
for the response headers included.
"""

IDEMPOTENCY_HEADER: Final = "Idempotency-Key"
_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_DETERMINISTIC_ERRORS: Final = (
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
    httpx.DecodingError,
)

Timeout = Union[float, httpx.Timeout, None]
Params = Union[Mapping[str, Any], None]

_HttpClientT = TypeVar("_HttpClientT", httpx.Client, httpx.AsyncClient)
_NOT_GIVEN: Any = object()


@attrs.frozen(repr=False)
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

    def __repr__(self) -> str:  # no header values, no secret of the URL
        return f"<Call {self.method} {redact(str(self.url))}>"

    @property
    def reads_body(self) -> bool:
        """Whether the body is read before the call returns (and so may be retried)."""
        return not (self.controls.mode == "stream" or self.stream or is_stream_class(self.cast_to))


class BaseClient(Generic[_HttpClientT]):
    """Configuration, request building and every decision `Client` and `AsyncClient`
    share; the twins only send, read, close and sleep."""

    default_stream_cls: Any = None
    """The stream class used for ``stream=True`` when no ``stream_cls`` is given."""

    user_agent_prefix: ClassVar[str | None] = None
    """An SDK's ``name/version``, sent in front of typedresp's default ``User-Agent``
    (``petstore-python/1.2.0 typedresp/0.1.0 httpx/0.28.1 python/3.12.4``)."""

    _default_response_cls: type[BaseAPIResponse[Any]]
    _http_client_cls: type[httpx.Client] | type[httpx.AsyncClient]

    def __init__(
        self,
        base_url: str | httpx.URL,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout = _NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: _HttpClientT | None = None,
        registry: BaseConverter | None = None,
        max_body_bytes: int | None = _NOT_GIVEN,
        retry_policy: RetryPolicy | None = None,
        total_timeout: float | None = DEFAULT_TOTAL_TIMEOUT,
        sensitive_headers: Collection[str] = (),
        error_model: Any = None,
        request_id_headers: Sequence[str] | None = None,
    ) -> None:
        # Checked at run time too: callers need not be type-checked.
        http_client_cls = self._http_client_cls
        if http_client is not None and not isinstance(http_client, http_client_cls):
            raise TypeError(
                f"http_client must be an httpx.{http_client_cls.__name__}, got {http_client!r}"
            )
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"max_retries must be an int >= 0, got {max_retries!r}")
        limit_given = max_body_bytes is not _NOT_GIVEN
        if not limit_given:
            max_body_bytes = DEFAULT_MAX_BODY_BYTES
        if max_body_bytes is not None and max_body_bytes < 0:
            raise ValueError(f"max_body_bytes must be None or >= 0, got {max_body_bytes}")
        if total_timeout is not None and not total_timeout > 0:
            raise ValueError(f"total_timeout must be None or > 0, got {total_timeout!r}")
        if isinstance(sensitive_headers, str):
            raise TypeError("sensitive_headers takes a collection of header names, not one str")
        self._base_url = httpx.URL(base_url)
        self.sensitive_headers = frozenset(name.lower() for name in sensitive_headers)
        """Header names, lower-cased, that carry a credential besides `CREDENTIAL_HEADERS`."""
        self.headers: dict[str, str] = RedactedHeaders(
            headers or {}, sensitive=self.sensitive_headers
        )
        for name in self.headers:
            if name.lower() in CONTROL_NAMES:
                raise ValueError(
                    f"{name} is a per-call control entry of the response wrappers, "
                    "not a default header: pass it in extra_headers, or use with_raw_response"
                )
        self.timeout = resolve_timeout(timeout, http_client, given=timeout is not _NOT_GIVEN)
        self.max_retries = max_retries
        self.registry = default_registry if registry is None else registry
        self.max_body_bytes = max_body_bytes
        self._limit_streamed_bodies = limit_given
        self.retry_policy = RetryPolicy() if retry_policy is None else retry_policy
        self.total_timeout = total_timeout
        self.error_model = error_model
        self.request_id_headers = None if request_id_headers is None else tuple(request_id_headers)
        if not any(name.lower() == "user-agent" for name in self.headers):
            self.headers["User-Agent"] = user_agent(self.user_agent_prefix)
        self._owns_http_client = http_client is None
        self.http_client: _HttpClientT = (
            cast("_HttpClientT", http_client_cls(timeout=self.timeout, follow_redirects=True))
            if http_client is None
            else http_client
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={redact(str(self.base_url))!r}>"

    @property
    def is_closed(self) -> bool:
        """Whether the underlying httpx client was closed."""
        return self.http_client.is_closed

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
            import uuid  # here, not at the top: it would lengthen every cold start

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
        if is_json_object(body):
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
            max_body_bytes=(
                self.max_body_bytes if call.reads_body or self._limit_streamed_bodies else None
            ),
            request_id_headers=self.request_id_headers,
        )

    @contextlib.contextmanager
    def _status_errors_completed(self, error_model: Any) -> Generator[None, None, None]:
        """Within it, an `APIStatusError` gets its typed ``.error`` (``error_model``, or the
        client's) and its request id before it goes on to the caller."""
        try:
            yield
        except APIStatusError as error:
            complete_status_error(
                error,
                error_model=self.error_model if error_model is None else error_model,
                registry=self.registry,
                request_id_headers=self.request_id_headers,
            )
            raise

    # ----------------------------------------------------------------- attempts

    def _deadline(self) -> float | None:
        """When an attempt starting now must be over (`time.monotonic`), or None."""
        return None if self.total_timeout is None else time.monotonic() + self.total_timeout

    def _next_hop(
        self, raw: httpx.Response, history: list[httpx.Response], max_redirects: int
    ) -> httpx.Request:
        """The request that follows the redirect ``raw`` (already closed, and added to
        ``history``); a request to another origin carries no credential header.

        httpx itself drops only ``Authorization`` and ``Cookie``; an ``X-Api-Key`` would
        reach whatever host the Location names.
        """
        request = raw.next_request
        assert request is not None  # the caller checked
        history.append(raw)
        if len(history) > max_redirects:
            raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)
        if not _same_origin(raw.request.url, request.url):
            for name in {
                n for n in request.headers if is_credential_header(n, self.sensitive_headers)
            }:
                del request.headers[name]
        return request

    def _body_deadline(
        self, call: Call, raw: httpx.Response, deadline: float | None
    ) -> float | None:
        """The attempt's ``deadline`` when it bounds reading ``raw``'s body too: a body the
        call reads, or an error body; a stream's consumer decides how long it reads."""
        if call.reads_body or is_error_status(raw.status_code):
            return deadline
        return None

    # ------------------------------------------------------------------ retries
    # Each returns the wait before the next attempt (and logs it), or says the attempt is
    # the last one: the sync and async send loops only sleep and count.

    def _delay_after_connection_error(
        self, call: Call, error: APIConnectionError, retries_taken: int
    ) -> float:
        """The wait before retrying a call whose request could not be sent or whose body
        broke off; raises ``error`` when it is not retried: no retry left, a redirect
        loop, or a failure that would repeat (`fails_the_same_way`)."""
        exc = error.__cause__
        if (
            retries_taken >= self.max_retries
            or not isinstance(exc, httpx.TransportError)
            or fails_the_same_way(exc)
        ):
            raise error
        return self._log_delay(
            call, self.retry_policy.delay(retries_taken), repr(exc), retries_taken
        )

    def _delay_after_status(
        self, call: Call, raw: httpx.Response, retries_taken: int
    ) -> float | None:
        """The wait before retrying an error status, or None when it is not retried."""
        if retries_taken >= self.max_retries:
            return None
        delay = self.retry_policy.status_delay(raw, retries_taken)
        if delay is None:
            return None
        return self._log_delay(call, delay, status_reason(raw), retries_taken)

    def _log_delay(self, call: Call, delay: float, reason: str, retries_taken: int) -> float:
        log_retry(call, delay, reason, retries_taken, self.max_retries)
        return delay


_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def _same_origin(url: httpx.URL, other: httpx.URL) -> bool:
    """Same scheme, host and port: an ``http`` to ``https`` redirect changes the origin."""
    return (url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme)) == (
        other.scheme,
        other.host,
        other.port or _DEFAULT_PORTS.get(other.scheme),
    )


class DeadlineStream(httpx.SyncByteStream):
    """A response body that fails with `httpx.ReadTimeout` once ``deadline`` has passed.

    Checked as each chunk arrives: a body that trickles in ends at the deadline, one that
    stops coming ends at the next read timeout.
    """

    def __init__(
        self,
        stream: httpx.SyncByteStream,
        deadline: float,
        request: httpx.Request,
        total: float | None,
    ) -> None:
        self._stream = stream
        self._deadline = deadline
        self._request = request
        self._total = total

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout(_overdue(self._total), request=self._request)
            yield chunk

    def close(self) -> None:
        self._stream.close()


class AsyncDeadlineStream(httpx.AsyncByteStream):
    """The async twin of `DeadlineStream`; a read that waits past the deadline is
    cancelled there."""

    def __init__(
        self,
        stream: httpx.AsyncByteStream,
        deadline: float,
        request: httpx.Request,
        total: float | None,
    ) -> None:
        self._stream = stream
        self._deadline = deadline
        self._request = request
        self._total = total

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import anyio

        chunks = self._stream.__aiter__()
        while True:
            try:
                with anyio.fail_after(max(self._deadline - time.monotonic(), 0.0)):
                    chunk = await chunks.__anext__()
            except StopAsyncIteration:
                return
            except TimeoutError as exc:
                raise httpx.ReadTimeout(_overdue(self._total), request=self._request) from exc
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()


def _overdue(total: float | None) -> str:
    return f"The attempt took longer than total_timeout={total} s"


def resolve_timeout(
    timeout: Timeout, http_client: httpx.Client | httpx.AsyncClient | None, *, given: bool
) -> httpx.Timeout:
    """The timeout for every request: the one given, else the given httpx client's, else
    `DEFAULT_TIMEOUT`."""
    if given:
        return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    return DEFAULT_TIMEOUT if http_client is None else http_client.timeout


def fails_the_same_way(exc: BaseException | None) -> bool:
    """Whether the httpx error ``exc`` would come again on another attempt, so that a retry
    is pointless: a request httpx will not send, an unsupported scheme, a body that cannot
    be decoded, or an answer that breaks HTTP (a bad or repeated Content-Length, a status
    line such as ``2000``, an unexpected ``101``, a Location that is no URL).

    A broken answer is an httpx ``RemoteProtocolError`` caused by h11 refusing what it
    read, or by an invalid URL; a connection the server closed early is one too, but it
    says "closed" and may well succeed next time.
    """
    if isinstance(exc, _DETERMINISTIC_ERRORS):
        return True
    if not isinstance(exc, httpx.RemoteProtocolError):
        return False
    cause = exc.__cause__ or exc.__context__
    while cause is not None:
        if isinstance(cause, httpx.InvalidURL):
            return True
        if type(cause).__module__.startswith("h11"):
            return "closed" not in str(cause)
        cause = cause.__cause__ or cause.__context__
    return False


def log_retry(call: Call, delay: float, reason: str, retries_taken: int, max_retries: int) -> None:
    log.info(
        "Retrying %s %s in %.3f s (retry %d of %d): %s",
        call.method,
        redact(str(call.url)),
        delay,
        retries_taken + 1,
        max_retries,
        redact(reason),
    )


def status_reason(response: httpx.Response) -> str:
    return f"{response.status_code} {response.reason_phrase}"
