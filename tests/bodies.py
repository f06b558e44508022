"""Response bodies for tests that record how much was read and whether they were closed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator

import anyio
import httpx

__all__ = ["AsyncTrackedBody", "TrackedBody"]


class TrackedBody(httpx.SyncByteStream):
    """A sync body that records how much was read and whether it was closed."""

    def __init__(self, chunks: Iterable[bytes], error: Exception | None = None) -> None:
        self.chunks = list(chunks)
        self.error = error
        self.served = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.served += len(chunk)
            yield chunk
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.closed = True


class AsyncTrackedBody(httpx.AsyncByteStream):
    """The async twin of `TrackedBody`.

    Like a network read, it yields to the event loop before each chunk, and so does its
    ``aclose`` (a lock, a TLS goodbye): an unshielded close in a cancelled scope never
    finishes.
    """

    def __init__(self, chunks: Iterable[bytes], error: Exception | None = None) -> None:
        self.chunks = list(chunks)
        self.error = error
        self.served = 0
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            await anyio.sleep(0)
            self.served += len(chunk)
            yield chunk
        if self.error is not None:
            raise self.error

    async def aclose(self) -> None:
        await anyio.sleep(0)
        self.closed = True
