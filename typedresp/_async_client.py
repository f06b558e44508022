"""`AsyncClient`: the async twin of `Client`.

For example::

    async with AsyncClient("https://api.example.com/v1") as client:
        user = await client.get("/users/u_1", cast_to=User)
        async for event in await client.post("/chat", body=request, cast_to=Chunk, stream=True):
            print(event.delta)
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ._async_response import AsyncAPIResponse
from ._base_client import AsyncDeadlineStream, BaseClient, Call, Params
from ._exceptions import APIConnectionError
from ._http_errors import sending
from ._page_rules import PageRule
from ._pagination import AsyncPaginator, first_async_page
from ._status import aread_status_error, is_error_status
from ._streaming import AsyncStream
from ._verbs import AsyncVerb, verb

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["AsyncClient"]

T = TypeVar("T")


class AsyncClient(BaseClient[httpx.AsyncClient]):
    """The async twin of `Client`: the same arguments, with an `httpx.AsyncClient`.

    Every method is awaited; ``stream=True`` gives an `AsyncStream`. Works under asyncio
    and trio (through anyio). A cancelled call leaves no response open. ``total_timeout``
    cancels any wait past it, the wait for the response headers included.
    """

    default_stream_cls: Any = AsyncStream
    _default_response_cls = AsyncAPIResponse
    _http_client_cls = httpx.AsyncClient

    # ------------------------------------------------------------------ lifecycle

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
        with self._status_errors_completed(error_model):
            response = await self._send(call)
        return response if call.controls.mode is not None else await response.parse()

    async def _send(self, call: Call) -> AsyncAPIResponse[Any]:
        retries_taken = 0
        while True:
            request = self._build_request(self.http_client, call)
            try:
                with sending(request):
                    raw = await self._send_request(call, request)
            except APIConnectionError as error:
                delay = self._delay_after_connection_error(call, error, retries_taken)
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
                        except APIConnectionError as error:
                            delay = self._delay_after_connection_error(call, error, retries_taken)
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
        return await aread_status_error(raw, max_body_bytes=self.max_body_bytes)

    # --------------------------------------------------------------- the verbs

    get = verb[AsyncVerb[None]]("GET")
    post = verb[AsyncVerb[Any]]("POST")
    put = verb[AsyncVerb[Any]]("PUT")
    patch = verb[AsyncVerb[Any]]("PATCH")
    delete = verb[AsyncVerb[Any]]("DELETE")

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
    import anyio  # on first use, not at import: a cold start does not pay for it

    # Also while a cancellation propagates: the connection must go back to the pool.
    with anyio.CancelScope(shield=True):
        await raw.aclose()
