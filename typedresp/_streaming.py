"""Typed streams: `Stream[T]` and `AsyncStream[T]` yield one typed object per event.

The body is decoded as server-sent events (``text/event-stream``, or no Content-Type) or
JSON lines (``application/x-ndjson``, ``application/jsonl``, ``application/x-jsonlines``).
Any other Content-Type is no stream (an API answering an error as JSON with status 200):
the first iteration raises `StreamError` when its JSON has a non-null ``"error"``, else
`ResponseValidationError` naming the content type. Each
event's data is decoded as JSON and structured to ``T`` by a `Registry` (or any cattrs
converter). The response is
closed whatever happens: at the end of the body, at ``data: [DONE]``, on an error, on
cancellation, when a ``with`` block is left and when a ``for`` loop is broken out of.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Generic,
    Literal,
    TypeVar,
    cast,
    overload,
)

import httpx

from ._body import (
    aiter_body,
    decode_body,
    is_read,
    iter_body,
    quoted_media_type,
    response_content_type,
)
from ._engine import structurer
from ._exceptions import (
    APIConnectionError,
    ResponseTooLarge,
    ResponseValidationError,
    StreamError,
    ValidationErrorItem,
    about_response,
    request_of,
    short_repr,
)
from ._http_errors import map_httpx_errors
from ._json import loads as _loads_json
from ._registry import default_registry
from ._response import read_error
from ._sse import DEFAULT_MAX_EVENT_BYTES, JSONLinesDecoder, ServerSentEvent, SSEDecoder
from ._targets import stream_element

if TYPE_CHECKING:
    from cattrs import BaseConverter
    from typing_extensions import Self, TypeForm  # TypeForm: PEP 747

__all__ = ["AsyncStream", "BodyKind", "ErrorDetector", "Stream"]

_T = TypeVar("_T")

BodyKind = Literal["sse", "jsonl"]
"""How a streamed body is split into events: server-sent events or JSON lines."""

ErrorDetector = Callable[[ServerSentEvent, Any], "StreamError | None"]
"""``detector(event, body) -> StreamError | None``: the error an event stands for, if any.

``body`` is the event's data decoded as JSON, or its text when it is not JSON.
"""

_JSON_LINES_TYPES = frozenset(
    {"application/x-ndjson", "application/jsonl", "application/x-jsonlines"}
)
_MISSING: Any = object()
_END: Any = object()
_READ_BODY_STEP = 64 * 1024
"""A body read before the stream began is decoded this many bytes at a time: lazily."""


def _body_kind(media_type: str | None) -> BodyKind | None:
    """How a body of this (lower-cased) media type is split; None when it is no stream."""
    if media_type is None or media_type == "text/event-stream":
        return "sse"
    return "jsonl" if media_type in _JSON_LINES_TYPES else None


def _default_error(event: ServerSentEvent, body: Any) -> StreamError | None:
    """The default error detector: an event named ``error``, or JSON data whose top-level
    ``"error"`` is not null (the convention of OpenAI-style APIs)."""
    detail: Any
    if event.event == "error":
        detail = body
    elif (
        isinstance(body, dict) and (found := cast("dict[str, Any]", body).get("error")) is not None
    ):
        detail = found
    else:
        return None
    message: Any = (
        cast("dict[str, Any]", detail).get("message") if isinstance(detail, dict) else None
    )
    if not isinstance(message, str):
        message = short_repr(detail, 200)
    return StreamError(f"the server sent an error event: {message}", event=event, body=body)


class _BaseStream(Generic[_T]):
    """What `Stream` and `AsyncStream` share: decoding, typing and error detection."""

    _typedresp_stream_: ClassVar[bool] = True
    """Marks a stream class for `typedresp._targets` (which cannot import this module)."""

    body_kind: ClassVar[BodyKind | None] = None
    """Force ``"sse"`` or ``"jsonl"``; ``None`` decides from the Content-Type: SSE for
    ``text/event-stream`` or none, JSON lines for their types, anything else is no stream
    (the first iteration raises)."""

    done_data: ClassVar[str | None] = "[DONE]"
    """An SSE event whose data is exactly this ends the stream; ``None`` to turn it off."""

    response: httpx.Response
    """The response the events are read from."""

    @overload
    def __init__(
        self,
        *,
        cast_to: type[_T],
        response: httpx.Response,
        registry: BaseConverter | None = None,
        max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES,
        error_detector: ErrorDetector | None = None,
    ) -> None: ...
    @overload
    def __init__(
        self,
        *,
        cast_to: TypeForm[_T],
        response: httpx.Response,
        registry: BaseConverter | None = None,
        max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES,
        error_detector: ErrorDetector | None = None,
    ) -> None: ...
    @overload
    def __init__(
        self,
        *,
        response: httpx.Response,
        registry: BaseConverter | None = None,
        max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES,
        error_detector: ErrorDetector | None = None,
    ) -> None: ...
    def __init__(
        self,
        *,
        cast_to: Any = _MISSING,
        response: httpx.Response,
        registry: BaseConverter | None = None,
        max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES,
        error_detector: ErrorDetector | None = None,
    ) -> None:
        self.response = response
        self._cast_to = cast_to
        self._registry = default_registry if registry is None else registry
        self._structure: Callable[[Any], Any] | None = None
        self._error_detector = error_detector
        self._media_type = response_content_type(response)[0]
        self._kind: BodyKind | None = type(self).body_kind or _body_kind(self._media_type)
        self._limit = max_event_bytes
        self._sse: SSEDecoder | None = None
        self._jsonl: JSONLinesDecoder | None = None
        if self._kind == "sse":
            self._sse = SSEDecoder(max_event_bytes=max_event_bytes)
        elif self._kind == "jsonl":
            self._jsonl = JSONLinesDecoder(max_event_bytes=max_event_bytes)
        self._pending: deque[Any] = deque()  # decoded events (or lines) not yet yielded
        self._exhausted = False
        self._closed = False

    @property
    def cast_to(self) -> Any:
        """The type each event is structured to."""
        if self._cast_to is _MISSING:
            self._cast_to = self._cast_to_from_class()
        return self._cast_to

    @property
    def last_event_id(self) -> str:
        """The id of the last event (SSE ``id`` field; ids carry over), ``""`` if none."""
        return self._sse.last_event_id if self._sse is not None else ""

    @property
    def retry(self) -> int | None:
        """The reconnection time the server last asked for (SSE ``retry``), in ms."""
        return self._sse.retry if self._sse is not None else None

    @property
    def is_closed(self) -> bool:
        """Whether the stream (and so the response) was closed."""
        return self._closed

    def detect_error(self, event: ServerSentEvent, body: Any) -> StreamError | None:
        """The `StreamError` this event stands for, or ``None``: override it (or pass
        ``error_detector=``) for APIs with other conventions.

        ``body`` is the data decoded as JSON, or the text when it is not JSON. The default
        raises for an event named ``error`` or a JSON object with a non-null ``"error"``.
        """
        if self._error_detector is not None:
            return self._error_detector(event, body)
        return _default_error(event, body)

    def _cast_to_from_class(self) -> Any:
        """``T`` from ``Stream[T](...)`` or from ``class MyStream(Stream[T])``."""
        # `Stream[T](...)` sets __orig_class__ (after __init__); it knows all the class does.
        cast_to = stream_element(getattr(self, "__orig_class__", type(self)), default=_MISSING)
        if cast_to is not _MISSING:
            return cast_to
        raise TypeError(
            f"{type(self).__name__} needs the type of its events: "
            f"pass cast_to=T or build it as {type(self).__name__}[T](...)"
        )

    def _feed(self, chunk: bytes | None) -> None:
        """Decode the next chunk (``None``: the body ended) into pending events."""
        try:
            if self._sse is not None:
                if chunk is None:
                    self._pending.extend(self._sse.flush())
                else:
                    self._pending.extend(self._sse.decode(chunk))
            elif self._jsonl is not None:
                if chunk is None:
                    self._pending.extend(self._jsonl.flush())
                else:
                    self._pending.extend(self._jsonl.decode(chunk))
        except ResponseTooLarge as exc:
            about_response(exc, self.response)
            raise
        if chunk is None:
            self._exhausted = True

    def _reset_decoders(self) -> None:
        """Drop a partial line or event: a stream that stopped part-way keeps nothing."""
        if self._sse is not None:
            self._sse.reset()
        if self._jsonl is not None:
            self._jsonl.reset()

    def _no_stream_body(self, size: int) -> None:
        """Check the size of a body that is no stream, read so far."""
        limit = self._limit
        if limit is not None and size > limit:
            raise ResponseTooLarge(
                f"a body that is no stream (content-type {quoted_media_type(self._media_type)}) "
                f"is larger than max_event_bytes={limit}",
                limit=limit,
                response=self.response,
            )

    def _no_stream_error(self, content: bytes) -> Exception:
        """The error for a body that is no stream: the API's own error, when it sent one."""
        text = decode_body(content, response_content_type(self.response)[1])
        try:
            body: Any = _loads_json(text)
        except ResponseValidationError:
            body = text
        error = self.detect_error(ServerSentEvent(data=text), body)
        if error is not None:
            return error
        return ResponseValidationError(
            [
                ValidationErrorItem(
                    "$",
                    "expected a stream (text/event-stream or JSON lines), got content-type "
                    + quoted_media_type(self._media_type),
                )
            ],
            body=body,
            response=self.response,
            target=self.cast_to,
        )

    def _typed(self, item: Any, cast_to: Any) -> Any:
        """The typed object for one decoded event, or ``_END`` at ``data: [DONE]``."""
        if isinstance(item, bytes):  # a JSON line
            body = self._loads(item)
            event = ServerSentEvent(data=item.decode("utf-8", "replace"))
        else:
            event = item
            data = event.data
            if data == self.done_data:
                return _END
            if cast_to is str:
                body = data
            else:
                try:
                    body = _loads_json(data)
                except ResponseValidationError as exc:
                    # Error events and raw events need not be JSON; the rest must be.
                    if event.event != "error" and cast_to is not ServerSentEvent:
                        about_response(exc, self.response)
                        raise
                    body = data
        error = self.detect_error(event, body)
        if error is not None:
            raise error
        if cast_to is ServerSentEvent:
            return event
        if cast_to is str:
            return event.data
        structure = self._structure
        if structure is None:  # fetched once: no dispatch per event
            structure = self._structure = structurer(self._registry, cast_to)
        try:
            return structure(body)
        except ResponseValidationError as exc:
            about_response(exc, self.response)
            raise

    def _read_error(self, exc: Exception) -> Exception | None:
        """The typedresp error for an httpx error raised while the stream is read."""
        if not isinstance(exc, (httpx.HTTPError, httpx.StreamError)):
            return None
        return read_error(exc, self.response, "stream") or APIConnectionError(
            f"The connection broke while reading the stream: {exc}",
            request=request_of(self.response),
        )

    def _loads(self, line: bytes) -> Any:
        try:
            return _loads_json(line)
        except ResponseValidationError as exc:
            about_response(exc, self.response)
            raise


class Stream(_BaseStream[_T]):
    """Typed events from a streamed response: ``for chunk in Stream[Chunk](response=r)``.

    >>> import attrs
    >>> @attrs.define
    ... class ChatChunk:
    ...     delta: str
    >>> body = b'data: {"delta": "Hel"}\\n\\ndata: {"delta": "lo"}\\n\\ndata: [DONE]\\n\\n'
    >>> response = httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})
    >>> with Stream(cast_to=ChatChunk, response=response) as stream:
    ...     for chunk in stream:
    ...         print(chunk.delta)
    Hel
    lo

    Each event's JSON data is structured to ``T`` (`ServerSentEvent` gives the raw events,
    ``str`` the data text). ``data: [DONE]`` ends the stream; an error event raises
    `StreamError`; a broken connection raises `APIConnectionError`; an event larger than
    ``max_event_bytes`` raises `ResponseTooLarge`. The response is always closed: at the
    end, on an error, when the ``with`` block is left and when a ``for`` loop breaks.
    """

    _typedresp_stream_: ClassVar[bool] = True
    _chunks: Iterator[bytes] | None = None
    _iterator: Iterator[_T] | None = None

    def __iter__(self) -> Iterator[_T]:
        # A new generator per loop: when a `for` loop breaks, it is dropped and closed,
        # and its `finally` closes the response.
        return self._iterate()

    def __next__(self) -> _T:
        if self._iterator is None:
            self._iterator = self._iterate()
        return next(self._iterator)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the response; iteration stops. Safe to call more than once."""
        self._closed = True
        self._reset_decoders()
        self.response.close()

    def _iterate(self) -> Iterator[_T]:
        try:
            cast_to = self.cast_to
            if self._kind is None:
                raise self._no_stream_error(self._read_no_stream())
            pending = self._pending
            while not self._closed:
                if pending:
                    item = self._typed(pending.popleft(), cast_to)
                    if item is _END:
                        return
                    yield item
                elif self._exhausted:
                    return
                else:
                    self._feed(self._next_chunk())
        finally:
            self.close()

    def _next_chunk(self) -> bytes | None:
        with map_httpx_errors(self._read_error):
            if self._chunks is None:
                step = _READ_BODY_STEP if is_read(self.response) else None
                self._chunks = iter_body(self.response, step)
            return next(self._chunks, None)

    def _read_no_stream(self) -> bytes:
        content = bytearray()
        while (chunk := self._next_chunk()) is not None:
            content += chunk
            self._no_stream_body(len(content))
        return bytes(content)


class AsyncStream(_BaseStream[_T]):
    """Typed events from a streamed response: ``async for chunk in AsyncStream[Chunk](...)``.

    For example::

        async with AsyncStream(cast_to=ChatChunk, response=response) as stream:
            async for chunk in stream:
                print(chunk.delta)

    The same rules as `Stream`; the response is closed at the end, on an error, on
    cancellation, when ``async with`` is left and by `aclose`.
    """

    _typedresp_stream_: ClassVar[bool] = True
    _chunks: AsyncIterator[bytes] | None = None
    _iterator: AsyncIterator[_T] | None = None

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterate()

    async def __anext__(self) -> _T:
        if self._iterator is None:
            self._iterator = self._iterate()
        return await self._iterator.__anext__()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the response; iteration stops. Safe to call more than once, and also
        while the surrounding task is being cancelled."""
        import anyio  # here, not at the top: sync streams never need it

        self._closed = True
        self._reset_decoders()
        with anyio.CancelScope(shield=True):
            await self.response.aclose()

    async def _iterate(self) -> AsyncIterator[_T]:
        try:
            cast_to = self.cast_to
            if self._kind is None:
                raise self._no_stream_error(await self._read_no_stream())
            pending = self._pending
            while not self._closed:
                if pending:
                    item = self._typed(pending.popleft(), cast_to)
                    if item is _END:
                        return
                    yield item
                elif self._exhausted:
                    return
                else:
                    self._feed(await self._next_chunk())
        finally:
            await self.aclose()

    async def _next_chunk(self) -> bytes | None:
        with map_httpx_errors(self._read_error):
            if self._chunks is None:
                step = _READ_BODY_STEP if is_read(self.response) else None
                self._chunks = aiter_body(self.response, step)
            return await anext(self._chunks, None)

    async def _read_no_stream(self) -> bytes:
        content = bytearray()
        while (chunk := await self._next_chunk()) is not None:
            content += chunk
            self._no_stream_body(len(content))
        return bytes(content)
