"""`Client`: typed calls to one HTTP API, with retries and typed errors.

For example::

    client = Client("https://api.example.com/v1", headers={"Authorization": f"Bearer {key}"})
    user = client.get("/users/u_1", cast_to=User)
    for event in client.post("/chat", body=request, cast_to=Chunk, stream=True):
        print(event.delta)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import httpx

from ._base_client import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TOTAL_TIMEOUT,
    BaseClient,
    Call,
    DeadlineStream,
    Params,
    Timeout,
    request_error_of,
    resolve_timeout,
)
from ._error_bodies import complete_status_error
from ._exceptions import APIConnectionError, APIStatusError
from ._pagination import PageRule, SyncPage, first_sync_page
from ._response import APIResponse
from ._retries import RetryPolicy
from ._status import is_error_status, read_status_error
from ._streaming import Stream

if TYPE_CHECKING:
    from cattrs import BaseConverter
    from typing_extensions import Self

__all__ = ["Client"]

T = TypeVar("T")
_StreamT = TypeVar("_StreamT")
_NOT_GIVEN: Any = object()


class Client(BaseClient):
    """A client for one HTTP API: typed results, retries, typed errors.

    ``base_url`` is prepended to every path; ``headers`` go with every request. Pass your
    own ``http_client`` (an `httpx.Client`: proxies, TLS, limits, transports) or let the
    client make one (it follows redirects), which it then closes in `close`. ``timeout``
    (seconds or an `httpx.Timeout`) defaults to that of the given ``http_client``, else
    60 s (5 s to connect). ``max_retries`` attempts are added on connection errors,
    timeouts and 408/409/429/5xx, waiting as ``retry_policy`` says (`RetryPolicy`).
    ``registry`` parses bodies (default: `typedresp.default_registry`).

    ``max_body_bytes`` limits a body read into memory (default 128 MiB; None lifts it):
    past it, `ResponseTooLarge`. A streamed response (``with_streaming_response``, a
    download to disk) is limited only by a value you give. ``total_timeout`` (seconds,
    default 600; None lifts it) bounds one attempt from sending to the end of the body,
    where ``timeout`` bounds each read: a body that trickles in raises `APITimeoutError`
    (see `DEFAULT_TOTAL_TIMEOUT` for why 600).

    On a redirect to another origin every credential header is dropped:
    ``Authorization``, ``Proxy-Authorization``, ``Cookie``, ``X-Api-Key``, ``Api-Key``
    and those named in ``sensitive_headers``, whose values ``repr(client.headers)`` masks
    too. No message, repr or log line shows a password in a URL or a secret-looking
    query value (``api_key=``, ``token=``, ...).

    ``error_model`` is what error bodies are structured into (`APIStatusError.error`);
    ``request_id_headers`` name the headers request ids are read from. Requests carry a
    ``User-Agent`` naming typedresp, httpx and Python, after the class's
    `user_agent_prefix` (an SDK's ``name/version``).

    Every call of a method other than GET, HEAD and OPTIONS carries an ``Idempotency-Key``
    header (unless ``extra_headers`` has one), the same on each of its attempts.

    Each method takes ``cast_to`` (what the body is parsed to), ``params`` (the query),
    ``extra_headers``, ``stream`` / ``stream_cls`` (an event stream: the result is a
    `Stream`), and, except `get`, ``body`` (a dict, list or scalar is sent as JSON as it
    is; an attrs or dataclass instance is unstructured first, with its JSON keys).
    A status outside 200-299 raises an `APIStatusError` subclass (`NotFoundError`,
    `RateLimitError`, ...), even when its body cannot be read; a connection that cannot be
    made raises `APIConnectionError` (`APITimeoutError`). A failure that would repeat (a
    response that breaks HTTP, a body that cannot be decoded) is not retried.
    `get_pages` walks a list endpoint page after page (see `SyncPage`).
    """

    default_stream_cls: Any = Stream
    _default_response_cls = APIResponse

    def __init__(
        self,
        base_url: str | httpx.URL,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout = _NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        registry: BaseConverter | None = None,
        max_body_bytes: int | None = _NOT_GIVEN,
        retry_policy: RetryPolicy | None = None,
        total_timeout: float | None = DEFAULT_TOTAL_TIMEOUT,
        sensitive_headers: Collection[str] = (),
        error_model: Any = None,
        request_id_headers: Sequence[str] | None = None,
    ) -> None:
        # Checked at run time too: callers need not be type-checked.
        if http_client is not None and not isinstance(http_client, httpx.Client):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"http_client must be an httpx.Client, got {http_client!r}")
        limit_given = max_body_bytes is not _NOT_GIVEN
        super().__init__(
            base_url,
            headers=headers,
            timeout=resolve_timeout(timeout, http_client, given=timeout is not _NOT_GIVEN),
            max_retries=max_retries,
            registry=registry,
            max_body_bytes=max_body_bytes if limit_given else DEFAULT_MAX_BODY_BYTES,
            limit_streamed_bodies=limit_given,
            retry_policy=retry_policy,
            total_timeout=total_timeout,
            sensitive_headers=sensitive_headers,
            error_model=error_model,
            request_id_headers=request_id_headers,
        )
        self._owns_http_client = http_client is None
        self.http_client = (
            httpx.Client(timeout=self.timeout, follow_redirects=True)
            if http_client is None
            else http_client
        )

    # ------------------------------------------------------------------ lifecycle

    @property
    def is_closed(self) -> bool:
        """Whether the underlying httpx client was closed."""
        return self.http_client.is_closed

    def close(self) -> None:
        """Close the httpx client if this client made it (one you passed in stays open)."""
        if self._owns_http_client:
            self.http_client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ requests

    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any,
        params: Params = None,
        body: Any = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
        error_model: Any = None,
    ) -> Any:
        """Send ``method path`` with retries and return the parsed body (see `Client`).

        ``error_model`` is this call's error model (default: the client's)."""
        call = self._call(
            method,
            path,
            cast_to=cast_to,
            params=params,
            body=body,
            extra_headers=extra_headers,
            stream=stream,
            stream_cls=stream_cls,
        )
        try:
            response = self._send(call)
        except APIStatusError as error:
            complete_status_error(
                error,
                error_model=self.error_model if error_model is None else error_model,
                registry=self.registry,
                request_id_headers=self.request_id_headers,
            )
            raise
        if call.controls.mode is not None:
            return response
        return response.parse()

    def _send(self, call: Call) -> APIResponse[Any]:
        retries_taken = 0
        while True:
            request = self._build_request(self.http_client, call)
            try:
                raw = self._send_request(call, request)
            except Exception as exc:
                error = request_error_of(exc, request)
                if error is None:
                    raise
                delay = self._delay_after_transport_error(call, error, request, retries_taken)
            else:
                try:  # until the response is handed off or closed, whatever raises
                    if is_error_status(raw.status_code):
                        status_delay = self._delay_after_status(call, raw, retries_taken)
                        if status_delay is None:
                            raise self._read_status_error(raw)
                        raw.close()
                        delay = status_delay
                    else:
                        response: APIResponse[Any] = self._response(call, raw, retries_taken)
                        if not call.reads_body:
                            return response
                        try:
                            response.read()  # closes the response if it fails
                        except APIConnectionError as exc:
                            delay = self._delay_after_read_error(call, exc, retries_taken)
                        else:
                            return response
                except BaseException:
                    raw.close()
                    raise
            self.retry_policy.sleep(delay)
            retries_taken += 1

    def _send_request(self, call: Call, request: httpx.Request) -> httpx.Response:
        """Send one attempt of ``call``: its response, headers read, body not yet.

        Redirects are followed here, one hop at a time, when the httpx client follows
        them (see `BaseClient._next_hop`); reading the body is bounded by
        ``total_timeout``.
        """
        deadline = self._deadline()
        http = self.http_client
        history: list[httpx.Response] = []
        raw = http.send(request, stream=True, follow_redirects=False)
        while raw.next_request is not None and http.follow_redirects:
            raw.close()
            hop = self._next_hop(raw, history, http.max_redirects)
            raw = http.send(hop, stream=True, follow_redirects=False, auth=None)
        raw.history = history
        body, body_deadline = raw.stream, self._body_deadline(call, raw, deadline)
        if body_deadline is not None and isinstance(body, httpx.SyncByteStream):
            raw.stream = DeadlineStream(body, body_deadline, raw.request, self.total_timeout)
        return raw

    def _read_status_error(self, raw: httpx.Response) -> Exception:
        """The error for ``raw``, from its body read up to the limit; closes ``raw``."""
        return read_status_error(raw, registry=self.registry, max_body_bytes=self.max_body_bytes)

    # --------------------------------------------------------------- the verbs

    @overload
    def get(
        self,
        path: str,
        *,
        cast_to: type[T],
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[False] = False,
        stream_cls: None = None,
    ) -> T: ...
    @overload
    def get(
        self,
        path: str,
        *,
        cast_to: Any,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    @overload
    def get(
        self,
        path: str,
        *,
        cast_to: Any,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any: ...
    def get(
        self,
        path: str,
        *,
        cast_to: Any,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``GET path``: the body parsed to ``cast_to``.

        For example::

            page = client.get("/users", cast_to=Page[User], params={"limit": 10})
        """
        return self.request(
            "GET",
            path,
            cast_to=cast_to,
            params=params,
            extra_headers=extra_headers,
            stream=stream,
            stream_cls=stream_cls,
        )

    @overload
    def post(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[False] = False,
        stream_cls: None = None,
    ) -> T: ...
    @overload
    def post(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    @overload
    def post(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any: ...
    def post(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``POST path`` with ``body`` as JSON: the response body parsed to ``cast_to``.

        For example::

            user = client.post("/users", body=NewUser(name="Ada"), cast_to=User)
        """
        return self.request(
            "POST",
            path,
            cast_to=cast_to,
            body=body,
            params=params,
            extra_headers=extra_headers,
            stream=stream,
            stream_cls=stream_cls,
        )

    @overload
    def put(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[False] = False,
        stream_cls: None = None,
    ) -> T: ...
    @overload
    def put(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    @overload
    def put(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any: ...
    def put(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``PUT path`` with ``body`` as JSON: the response body parsed to ``cast_to``."""
        return self.request(
            "PUT",
            path,
            cast_to=cast_to,
            body=body,
            params=params,
            extra_headers=extra_headers,
            stream=stream,
            stream_cls=stream_cls,
        )

    @overload
    def patch(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[False] = False,
        stream_cls: None = None,
    ) -> T: ...
    @overload
    def patch(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    @overload
    def patch(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any: ...
    def patch(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``PATCH path`` with ``body`` as JSON: the response body parsed to ``cast_to``."""
        return self.request(
            "PATCH",
            path,
            cast_to=cast_to,
            body=body,
            params=params,
            extra_headers=extra_headers,
            stream=stream,
            stream_cls=stream_cls,
        )

    @overload
    def delete(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[False] = False,
        stream_cls: None = None,
    ) -> T: ...
    @overload
    def delete(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    @overload
    def delete(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any: ...
    def delete(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Any = None,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``DELETE path`` (``body`` as JSON, rarely needed): the body parsed to ``cast_to``."""
        return self.request(
            "DELETE",
            path,
            cast_to=cast_to,
            body=body,
            params=params,
            extra_headers=extra_headers,
            stream=stream,
            stream_cls=stream_cls,
        )

    # ------------------------------------------------------------------ pages

    def get_pages(
        self,
        path: str,
        *,
        item: type[T],
        rule: PageRule,
        items_key: str | None = "data",
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        error_model: Any = None,
    ) -> SyncPage[T]:
        """``GET path``, a list endpoint: its first page, whose items are ``item`` objects
        at the body's ``items_key`` (None: the body is the list). Iterating the page gives
        every item, fetching the next pages as ``rule`` says (see `CursorRule`,
        `PageNumberRule`, `OffsetRule`, `LinkHeaderRule`). Through ``with_raw_response``,
        the `APIResponse` whose ``parse()`` gives the page.

        For example::

            for pet in client.get_pages("/pets", item=Pet, rule=CursorRule()):
                print(pet.name)
        """
        page: SyncPage[T] = first_sync_page(
            self,
            path,
            item=item,
            rule=rule,
            items_key=items_key,
            params=params,
            extra_headers=extra_headers,
            error_model=error_model,
        )
        return page
