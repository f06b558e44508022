"""Incremental decoders for streamed bodies: server-sent events and JSON lines.

Both take the body as bytes chunks of any size, split anywhere (even inside a line
ending or a UTF-8 character), and do work proportional to the bytes they are given: a
64 MiB event or 10 000 data lines costs one pass over the bytes, never a rescan.

`SSEDecoder` follows the WHATWG rules for ``text/event-stream``
(https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):

* one leading UTF-8 byte order mark is stripped;
* CR, LF and CRLF each end a line, also when the CR and the LF arrive in different chunks;
* a line starting with ``:`` is a comment; ``field:value`` drops one space after the
  colon; a line without a colon is a field with an empty value; unknown fields are
  ignored;
* ``data`` lines are joined with ``"\\n"``; a blank line dispatches the event; an event
  without ``data`` is not dispatched; the event type defaults to ``"message"``;
* ``id`` sets the last event id unless it contains NUL, and the id is kept for the
  events that follow; ``retry`` is used only when it is all ASCII digits (and, beyond
  WHATWG, at most 18 of them: a longer value, past 31 million years, is ignored as an
  invalid one is, rather than converted at quadratic cost);
* an event not ended by a blank line when the body ends is dropped, its ``id`` included;
  `SSEDecoder.flush` (or an interrupted ``iter_events``) leaves the decoder as it was after
  the last dispatched event, so a reused decoder starts clean;
* invalid UTF-8 is replaced with U+FFFD rather than failing.

`JSONLinesDecoder` splits ``application/x-ndjson`` / JSON lines bodies on LF (a CR
before it is dropped) and skips blank lines.

Both raise `ResponseTooLarge` as soon as a line, or the data of one event, grows past
``max_event_bytes`` — before reading more of the body.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

import attrs

from ._exceptions import ResponseTooLarge

__all__ = ["DEFAULT_MAX_EVENT_BYTES", "JSONLinesDecoder", "SSEDecoder", "ServerSentEvent"]

DEFAULT_MAX_EVENT_BYTES = 64 * 2**20
"""The default limit on one line and on one event's data: 64 MiB."""

_BOM = b"\xef\xbb\xbf"
_CR = 0x0D
_LF = 0x0A
_COLON = 0x3A
_BLANK = b" \t\r"  # JSON whitespace that can be left on a line split on LF
_MAX_RETRY_DIGITS = 18


@attrs.frozen
class ServerSentEvent:
    """One event of a ``text/event-stream`` body, as the server sent it.

    >>> ServerSentEvent(data='{"delta": "Hi"}').json()
    {'delta': 'Hi'}
    """

    event: str = "message"
    """The event type: the ``event`` field, ``"message"`` when there was none."""
    data: str = ""
    """The ``data`` lines joined with ``"\\n"``."""
    id: str = ""
    """The last event id at the time of this event (ids carry over to later events)."""
    retry: int | None = None
    """The ``retry`` field sent with this event, in milliseconds, if there was one."""

    def json(self) -> Any:
        """The data decoded as JSON; invalid JSON raises `ResponseValidationError`."""
        from ._json import loads

        return loads(self.data)


def _too_large(what: str, limit: int) -> ResponseTooLarge:
    return ResponseTooLarge(f"{what} is larger than max_event_bytes={limit}", limit=limit)


class _LineSplitter:
    """Turns bytes chunks into complete lines, ended by CR, LF or CRLF (or LF only)."""

    __slots__ = ("_lf_only", "_limit", "_pending", "_skip_lf")

    def __init__(self, limit: int | None, *, lf_only: bool) -> None:
        if limit is not None and limit < 0:
            raise ValueError(f"max_event_bytes must be None or >= 0, got {limit}")
        self._limit = limit
        self._lf_only = lf_only
        self._pending = bytearray()  # the start of a line whose end has not come yet
        self._skip_lf = False  # the last chunk ended with CR: an LF next ends nothing

    def split(self, chunk: bytes) -> list[bytes]:
        """The lines this chunk completes, without their line endings."""
        if not chunk:
            return []
        if self._skip_lf:
            self._skip_lf = False
            if chunk[0] == _LF:
                chunk = chunk[1:]
                if not chunk:
                    return []
        if self._lf_only:
            lines = chunk.split(b"\n")
            tail = lines.pop()  # b"" when the chunk ended with LF
        else:
            lines = chunk.splitlines()  # bytes split on CR, LF and CRLF only
            last = chunk[-1]
            if last == _CR:
                self._skip_lf = True
                tail = b""
            elif last == _LF:
                tail = b""
            else:
                tail = lines.pop()
        limit = self._limit
        if lines and self._pending:
            self._pending += lines[0]
            lines[0] = bytes(self._pending)
            self._pending.clear()
        if tail:
            self._pending += tail
            if limit is not None and len(self._pending) > limit:
                raise _too_large("a line", limit)
        if limit is not None:
            for line in lines:
                if len(line) > limit:
                    raise _too_large("a line", limit)
        return lines

    def flush(self) -> bytes | None:
        """The unterminated last line, if any; resets the splitter."""
        rest = bytes(self._pending) if self._pending else None
        self.reset()
        return rest

    def reset(self) -> None:
        """Drop the unterminated last line (without copying it, however long)."""
        self._pending.clear()
        self._skip_lf = False


class SSEDecoder:
    """Decode a ``text/event-stream`` body, fed as bytes chunks, into `ServerSentEvent` s.

    >>> decoder = SSEDecoder()
    >>> decoder.decode(b'data: {"a": 1}\\r\\n\\r') + decoder.decode(b"\\ndata: 2\\n\\n")
    [ServerSentEvent(event='message', data='{"a": 1}', id='', retry=None), \
ServerSentEvent(event='message', data='2', id='', retry=None)]
    """

    __slots__ = (
        "_data",
        "_dispatched_id",
        "_event",
        "_event_retry",
        "_head",
        "_id",
        "_limit",
        "_lines",
        "_more_data",
        "last_event_id",
        "retry",
    )

    last_event_id: str
    """The id of the last dispatched event (WHATWG: the last event ID string)."""
    retry: int | None
    """The reconnection time the server asked for last, in milliseconds."""

    def __init__(self, *, max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES) -> None:
        self._limit = max_event_bytes
        self._lines = _LineSplitter(max_event_bytes, lf_only=False)
        self._head: bytes | None = b""  # bytes seen while a BOM may still be coming
        # The first data line of the event; later ones are joined into one buffer, so
        # memory follows the limit (a list of short lines costs ~40 bytes a line).
        self._data: bytes | None = None
        self._more_data: bytearray | None = None
        self._event = b""
        self._id = b""  # the last event ID buffer
        self._dispatched_id = b""  # the buffer as it was at the last dispatch
        self._event_retry: int | None = None
        self.last_event_id = ""
        self.retry = None

    def decode(self, chunk: bytes) -> list[ServerSentEvent]:
        """Feed the next chunk; return the events it completes (often none, maybe many)."""
        if self._head is not None:
            head = self._head + chunk
            if len(head) < 3 and _BOM.startswith(head):
                self._head = head
                return []
            self._head = None
            chunk = head[3:] if head.startswith(_BOM) else head
        lines = self._lines.split(chunk)
        return self._interpret(lines) if lines else []

    def flush(self) -> list[ServerSentEvent]:
        """End of the body: an event not ended by a blank line is dropped (WHATWG), with
        the ``id`` it set. The decoder is then ready for another body.

        Returns no events; it is here so both decoders are driven the same way.
        """
        self.reset()
        return []

    def reset(self) -> None:
        """Forget a partial event (and the ``id`` it set): ready for another body."""
        self._lines.reset()
        self._head = b""
        self._data = None
        self._more_data = None
        self._event = b""
        self._event_retry = None
        self._id = self._dispatched_id

    def iter_events(self, chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
        """Decode a whole body given as an iterable of chunks (e.g. ``iter_bytes()``).

        However it ends (the body's end, an error, the consumer stopping), nothing of a
        partial event stays in the decoder.
        """
        try:
            for chunk in chunks:
                yield from self.decode(chunk)
        finally:
            self.reset()

    async def aiter_events(self, chunks: AsyncIterable[bytes]) -> AsyncIterator[ServerSentEvent]:
        """Decode a whole body given as an async iterable of chunks (``aiter_bytes()``)."""
        try:
            async for chunk in chunks:
                for event in self.decode(chunk):
                    yield event
        finally:
            self.reset()

    def _interpret(self, lines: list[bytes]) -> list[ServerSentEvent]:
        events: list[ServerSentEvent] = []
        limit = self._limit
        for line in lines:
            if not line:
                event = self._dispatch()
                if event is not None:
                    events.append(event)
                continue
            if line[0] == _COLON:
                continue
            name, _, value = line.partition(b":")
            if value[:1] == b" ":
                value = value[1:]
            if name == b"data":
                if self._data is None:
                    self._data = value
                    continue  # no longer than its line, which the splitter checked
                more = self._more_data
                if more is None:
                    more = self._more_data = bytearray(self._data)
                more += b"\n"
                more += value
                if limit is not None and len(more) > limit:
                    raise _too_large("the data of an event", limit)
            elif name == b"event":
                self._event = value
            elif name == b"id":
                if b"\0" not in value:
                    self._id = value
            elif (  # bytes: ASCII digits only
                name == b"retry" and value.isdigit() and len(value) <= _MAX_RETRY_DIGITS
            ):
                self._event_retry = self.retry = int(value)
            # any other field is ignored
        return events

    def _dispatch(self) -> ServerSentEvent | None:
        self._dispatched_id = self._id
        self.last_event_id = last_id = self._id.decode("utf-8", "replace") if self._id else ""
        data = self._data
        more = self._more_data
        event_type = self._event
        retry = self._event_retry
        self._event = b""
        self._event_retry = None
        if data is None:
            return None
        self._data = None
        self._more_data = None
        text = (data if more is None else more).decode("utf-8", "replace")
        return ServerSentEvent(
            event=event_type.decode("utf-8", "replace") if event_type else "message",
            data=text,
            id=last_id,
            retry=retry,
        )


class JSONLinesDecoder:
    """Split a JSON-lines body, fed as bytes chunks, into one ``bytes`` per JSON document.

    Lines end with LF; JSON whitespace around a line (a CR before the LF) is dropped and
    blank lines are skipped; a last line
    without a line ending is returned by `flush`.

    >>> decoder = JSONLinesDecoder()
    >>> decoder.decode(b'{"a": 1}\\r\\n\\n{"a"') + decoder.decode(b": 2}") + decoder.flush()
    [b'{"a": 1}', b'{"a": 2}']
    """

    __slots__ = ("_lines",)

    def __init__(self, *, max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES) -> None:
        self._lines = _LineSplitter(max_event_bytes, lf_only=True)

    def decode(self, chunk: bytes) -> list[bytes]:
        """Feed the next chunk; return the non-blank lines it completes."""
        return [stripped for line in self._lines.split(chunk) if (stripped := line.strip(_BLANK))]

    def flush(self) -> list[bytes]:
        """End of the body: the last line, if it was not ended by a line ending."""
        rest = self._lines.flush()
        stripped = rest.strip(_BLANK) if rest is not None else b""
        return [stripped] if stripped else []

    def reset(self) -> None:
        """Forget a partial line: ready for another body."""
        self._lines.reset()

    def iter_lines(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """Decode a whole body given as an iterable of chunks (e.g. ``iter_bytes()``).

        Interrupted (an error, the consumer stopping), it drops the partial line.
        """
        try:
            for chunk in chunks:
                yield from self.decode(chunk)
        except BaseException:
            self.reset()
            raise
        yield from self.flush()

    async def aiter_lines(self, chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
        """Decode a whole body given as an async iterable of chunks (``aiter_bytes()``)."""
        try:
            async for chunk in chunks:
                for line in self.decode(chunk):
                    yield line
        except BaseException:
            self.reset()
            raise
        for line in self.flush():
            yield line
