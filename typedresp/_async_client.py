"""`AsyncClient`: the async twin of `Client`.

For example::

    async with AsyncClient("https://api.example.com/v1") as client:
        user = await client.get("/users/u_1", cast_to=User)
        async for event in await client.post("/chat", body=request, cast_to=Chunk, stream=True):
            print(event.delta)
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import httpx

from ._base_client import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TOTAL_TIMEOUT,
    AsyncDeadlineStream,
    BaseClient,
    Call,
    Params,
    Timeout,
    request_error_of,
    resolve_timeout,
)
from ._error_bodies import complete_status_error
from ._exceptions import APIConnectionError, APIStatusError
from ._pagination import AsyncPaginator, PageRule, first_async_page
from ._response import AsyncAPIResponse
from ._retries import RetryPolicy
from ._status import aread_status_error, is_error_status
from ._streaming import AsyncStream

if TYPE_CHECKING:
    from cattrs import BaseConverter
    from typing_extensions import Self

__all__ = ["AsyncClient"]

T = TypeVar("T")
_StreamT = TypeVar("_StreamT")
_NOT_GIVEN: Any = object()


class AsyncClient(BaseClient):
    """The async twin of `Client`: the same arguments, with an `httpx.AsyncClient`.

    Every method is awaited; ``stream=True`` gives an `AsyncStream`. Works under asyncio
    and trio (through anyio). A cancelled call leaves no response open. ``total_timeout``
    cancels any wait past it, the wait for the response headers included.
    """

    default_stream_cls: Any = AsyncStream
    _default_response_cls = AsyncAPIResponse

    def __init__(
        self,
        base_url: str | httpx.URL,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout = _NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        registry: BaseConverter | None = None,
        max_body_bytes: int | None = _NOT_GIVEN,
        retry_policy: RetryPolicy | None = None,
        total_timeout: float | None = DEFAULT_TOTAL_TIMEOUT,
        sensitive_headers: Collection[str] = (),
        error_model: Any = None,
        request_id_headers: Sequence[str] | None = None,
    ) -> None:
        # Checked at run time too: callers need not be type-checked.
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"http_client must be an httpx.AsyncClient, got {http_client!r}")
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
            httpx.AsyncClient(timeout=self.timeout, follow_redirects=True)
            if http_client is None
            else http_client
        )

    # ------------------------------------------------------------------ lifecycle

    @property
    def is_closed(self) -> bool:
        """Whether the underlying httpx client was closed."""
        return self.http_client.is_closed

    async def aclose(self) -> None:
        """Close the httpx client if this client made it (one you passed in stays open)."""
        if self._owns_http_client:
            await self.http_client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ requests

    async def request(
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
            response = await self._send(call)
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
        return await response.parse()

    async def _send(self, call: Call) -> AsyncAPIResponse[Any]:
        retries_taken = 0
        while True:
            request = self._build_request(self.http_client, call)
            try:
                raw = await self._send_request(call, request)
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
                            raise await self._read_status_error(raw)
                        await _close(raw)
                        delay = status_delay
                    else:
                        response: AsyncAPIResponse[Any] = self._response(call, raw, retries_taken)
                        if not call.reads_body:
                            return response
                        try:
                            await response.read()  # closes the response if it fails
                        except APIConnectionError as exc:
                            delay = self._delay_after_read_error(call, exc, retries_taken)
                        else:
                            return response
                except BaseException:
                    await _close(raw)
                    raise
            await self.retry_policy.async_sleep(delay)
            retries_taken += 1

    async def _send_request(self, call: Call, request: httpx.Request) -> httpx.Response:
        """Send one attempt of ``call``, as `Client._send_request` does; here
        ``total_timeout`` also bounds the wait for the response headers."""
        deadline = self._deadline()
        http = self.http_client
        history: list[httpx.Response] = []
        raw = await self._send_hop(request, deadline, auth=httpx.USE_CLIENT_DEFAULT)
        while raw.next_request is not None and http.follow_redirects:
            await _close(raw)
            hop = self._next_hop(raw, history, http.max_redirects)
            raw = await self._send_hop(hop, deadline, auth=None)
        raw.history = history
        body, body_deadline = raw.stream, self._body_deadline(call, raw, deadline)
        if body_deadline is not None and isinstance(body, httpx.AsyncByteStream):
            raw.stream = AsyncDeadlineStream(body, body_deadline, raw.request, self.total_timeout)
        return raw

    async def _send_hop(
        self, request: httpx.Request, deadline: float | None, *, auth: Any
    ) -> httpx.Response:
        send = self.http_client.send(request, stream=True, follow_redirects=False, auth=auth)
        if deadline is None:
            return await send
        import anyio

        try:
            with anyio.fail_after(max(deadline - time.monotonic(), 0.0)):
                return await send
        except TimeoutError as exc:
            raise httpx.ReadTimeout(
                f"No response within total_timeout={self.total_timeout} s", request=request
            ) from exc

    async def _read_status_error(self, raw: httpx.Response) -> Exception:
        """The error for ``raw``, from its body read up to the limit; closes ``raw``."""
        return await aread_status_error(
            raw, registry=self.registry, max_body_bytes=self.max_body_bytes
        )

    # --------------------------------------------------------------- the verbs

    @overload
    async def get(
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
    async def get(
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
    async def get(
        self,
        path: str,
        *,
        cast_to: Any,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any: ...
    async def get(
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

            page = await client.get("/users", cast_to=Page[User], params={"limit": 10})
        """
        return await self.request(
            "GET",
            path,
            cast_to=cast_to,
            params=params,
            extra_headers=extra_headers,
            stream=stream,
            stream_cls=stream_cls,
        )

    @overload
    async def post(
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
    async def post(
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
    async def post(
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
    async def post(
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

            user = await client.post("/users", body=NewUser(name="Ada"), cast_to=User)
        """
        return await self.request(
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
    async def put(
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
    async def put(
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
    async def put(
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
    async def put(
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
        return await self.request(
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
    async def patch(
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
    async def patch(
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
    async def patch(
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
    async def patch(
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
        return await self.request(
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
    async def delete(
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
    async def delete(
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
    async def delete(
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
    async def delete(
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
        return await self.request(
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
    ) -> AsyncPaginator[T]:
        """The async twin of `Client.get_pages`: not awaited itself; ``await`` what it
        returns for the first `AsyncPage`, or ``async for`` over it for every item.

        For example::

            async for pet in client.get_pages("/pets", item=Pet, rule=CursorRule()):
                print(pet.name)
        """
        paginator: AsyncPaginator[T] = first_async_page(
            self,
            path,
            item=item,
            rule=rule,
            items_key=items_key,
            params=params,
            extra_headers=extra_headers,
            error_model=error_model,
        )
        return paginator


async def _close(raw: httpx.Response) -> None:
    import anyio  # on first use, not at import: a cold start saves about a millisecond

    # Also while a cancellation propagates: the connection must go back to the pool.
    with anyio.CancelScope(shield=True):
        await raw.aclose()
