"""`Client`: typed calls to one HTTP API, with retries and typed errors.

For example::

    client = Client("https://api.example.com/v1", headers={"Authorization": f"Bearer {key}"})
    user = client.get("/users/u_1", cast_to=User)
    for event in client.post("/chat", body=request, cast_to=Chunk, stream=True):
        print(event.delta)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ._base_client import BaseClient, Call, DeadlineStream, Params
from ._exceptions import APIConnectionError
from ._http_errors import sending
from ._page_rules import PageRule
from ._pagination import SyncPage, first_sync_page
from ._response import APIResponse
from ._status import is_error_status, read_status_error
from ._streaming import Stream
from ._verbs import Verb, verb

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Client"]

T = TypeVar("T")


class Client(BaseClient[httpx.Client]):
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
    _http_client_cls = httpx.Client

    # ------------------------------------------------------------------ lifecycle

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
        with self._status_errors_completed(error_model):
            response = self._send(call)
        return response if call.controls.mode is not None else response.parse()

    def _send(self, call: Call) -> APIResponse[Any]:
        retries_taken = 0
        while True:
            request = self._build_request(self.http_client, call)
            try:
                with sending(request):
                    raw = self._send_request(call, request)
            except APIConnectionError as error:
                delay = self._delay_after_connection_error(call, error, retries_taken)
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
                        except APIConnectionError as error:
                            delay = self._delay_after_connection_error(call, error, retries_taken)
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
        return read_status_error(raw, max_body_bytes=self.max_body_bytes)

    # --------------------------------------------------------------- the verbs

    get = verb[Verb[None]]("GET")
    post = verb[Verb[Any]]("POST")
    put = verb[Verb[Any]]("PUT")
    patch = verb[Verb[Any]]("PATCH")
    delete = verb[Verb[Any]]("DELETE")

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
