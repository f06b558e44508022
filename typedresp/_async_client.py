"""`AsyncClient`: the async twin of `Client`.

>>> async with AsyncClient("https://api.example.com/v1") as client:
...     user = await client.get("/users/u_1", cast_to=User)
...     async for event in await client.post("/chat", body=request, cast_to=Chunk, stream=True):
...         print(event.delta)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import httpx

from ._base_client import (
    DEFAULT_MAX_RETRIES,
    BaseClient,
    Call,
    Params,
    Timeout,
    request_error_of,
    resolve_timeout,
)
from ._exceptions import APIConnectionError
from ._response import AsyncAPIResponse
from ._retries import RetryPolicy
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
    and trio (through anyio). A cancelled call leaves no response open.
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
        max_body_bytes: int | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        # Checked at run time too: callers need not be type-checked.
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"http_client must be an httpx.AsyncClient, got {http_client!r}")
        super().__init__(
            base_url,
            headers=headers,
            timeout=resolve_timeout(timeout, http_client, given=timeout is not _NOT_GIVEN),
            max_retries=max_retries,
            registry=registry,
            max_body_bytes=max_body_bytes,
            retry_policy=retry_policy,
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
    ) -> Any:
        """Send ``method path`` with retries and return the parsed body (see `Client`)."""
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
        response = await self._send(call)
        if call.controls.mode is not None:
            return response
        return await response.parse()

    async def _send(self, call: Call) -> AsyncAPIResponse[Any]:
        retries_taken = 0
        while True:
            request = self._build_request(self.http_client, call)
            try:
                raw = await self.http_client.send(request, stream=True)
            except Exception as exc:
                error = request_error_of(exc, request)
                if error is None:
                    raise
                delay = self._delay_after_transport_error(call, error, request, retries_taken)
            else:
                try:  # until the response is handed off or closed, whatever raises
                    if raw.is_error:
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

    async def _read_status_error(self, raw: httpx.Response) -> Exception:
        """The error for ``raw``, from its body read up to one byte past the limit."""
        response = AsyncAPIResponse(raw=raw, cast_to=bytes)
        try:
            if self.max_body_bytes is None:
                return self._status_error(raw, await response.read())
            chunks = response.iter_bytes(self.max_body_bytes + 1)
            try:
                return self._status_error(raw, await anext(chunks, b""))
            finally:
                await chunks.aclose()
        finally:
            await _close(raw)

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

        >>> page = await client.get("/users", cast_to=Page[User], params={"limit": 10})
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

        >>> user = await client.post("/users", body=NewUser(name="Ada"), cast_to=User)
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


async def _close(raw: httpx.Response) -> None:
    import anyio  # on first use, not at import: a cold start saves about a millisecond

    # Also while a cancellation propagates: the connection must go back to the pool.
    with anyio.CancelScope(shield=True):
        await raw.aclose()
