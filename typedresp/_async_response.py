"""`AsyncAPIResponse`: the async twin of `typedresp.APIResponse`, over the same base.

Everything but the I/O (reading, iterating, closing) is `BaseAPIResponse`'s, in
`typedresp._response`.
"""

from __future__ import annotations

import codecs
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
)
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload

import httpx

from ._body import (
    LineSplitter,
    TextChunker,
    aiter_body,
    body_text,
    is_encoded,
)
from ._engine import structure_hook
from ._exceptions import (
    ResponseTooLarge,
)
from ._http_errors import map_httpx_errors
from ._response import NOT_PARSED, BaseAPIResponse, R
from ._targets import TargetKind, target_kind

if TYPE_CHECKING:
    # PEP 747: lets `parse(to=list[User] | None)` be typed exactly. Imported for the
    # checkers only, so typing_extensions < 4.13 still works at run time.
    from typing_extensions import TypeForm

__all__ = ["AsyncAPIResponse"]

_T = TypeVar("_T")


class AsyncAPIResponse(BaseAPIResponse[R]):
    """The async twin of `APIResponse`: ``await response.parse(to=User)``.

    For example::

        response = AsyncAPIResponse(raw=httpx_response, cast_to=User)
        user = await response.parse()
    """

    __slots__ = ()

    _body_stream_type: ClassVar[type] = httpx.AsyncByteStream
    _wrong_body_hint: ClassVar[str] = (
        "it came from httpx.Client: use APIResponse, or typedresp.parse()"
    )

    @overload
    async def parse(self, *, to: None = None) -> R: ...
    @overload
    async def parse(self, *, to: type[_T]) -> _T: ...
    @overload
    async def parse(self, *, to: TypeForm[_T]) -> _T: ...
    @overload
    async def parse(self, *, to: Any) -> Any: ...
    async def parse(self, *, to: Any = None) -> Any:
        """The body as a typed object; see `APIResponse.parse`.

        For example::

            user = await response.parse(to=User)
        """
        key = self._cast_to if to is None else to
        if self._first_target is not NOT_PARSED:  # parsed before: perhaps to this target
            parsed = self._cached(key)
            if parsed is not NOT_PARSED:
                return parsed
        try:
            kind = target_kind(key, self._registry)
            if self._stream or kind is TargetKind.STREAM:
                return self._remember(key, self._make_stream(key))
            # Fetched before the body is read: a target that cannot be built is a
            # TypeError then, with the body left unread.
            hook = (
                structure_hook(self._registry, key)
                if kind is TargetKind.JSON or kind is TargetKind.TEXT_SCALAR
                else None
            )
            content = await self.read()
            parsed = self._remember(key, self._parse_body(key, kind, content, hook))
        except BaseException:
            await self.close()
            raise
        await self.close()
        return parsed

    async def read(self) -> bytes:
        """Read the whole body and return it (decompressed); later calls return it again."""
        content = self._content_if_read()
        if content is not None:
            if self._max_body_bytes is None:
                return content
            try:
                self._check_size(len(content))
            except ResponseTooLarge:
                await self.close()
                raise
            return content
        if self._max_body_bytes is None and not is_encoded(self.http_response):
            try:
                with map_httpx_errors(self._translate):
                    return await self.http_response.aread()
            except BaseException:
                await self.close()
                raise
        content = b"".join([chunk async for chunk in self.iter_bytes()])
        # httpx keeps a read body in `_content`; Response.aread() would stream it again.
        self.http_response._content = content  # pyright: ignore[reportPrivateUsage]
        return content

    async def text(self) -> str:
        """Read the body and decode it as text (charset from Content-Type, else UTF-8)."""
        await self.read()
        return body_text(self.http_response)

    async def json(self) -> Any:
        """Read the body and decode it as JSON, whatever the Content-Type says."""
        return self._decode_any_json(await self.read())

    async def close(self) -> None:
        """Close the response and release its connection; safe to call more than once.

        Shielded from cancellation: a cancelled task still finishes closing.
        """
        import anyio  # here, not at the top: a sync-only program never loads it

        with anyio.CancelScope(shield=True):
            await self.http_response.aclose()

    async def aclose(self) -> None:
        """The same as `close`, under the name httpx and `contextlib.aclosing` use."""
        await self.close()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncGenerator[bytes, None]:
        """The body as it arrives, decompressed, in chunks of ``chunk_size`` bytes if given.

        For example::

            async for chunk in response.iter_bytes():
                await sink.send(chunk)
        """
        seen = 0
        completed = False
        try:
            with map_httpx_errors(self._translate):
                async for chunk in aiter_body(self.http_response, chunk_size):
                    seen += len(chunk)
                    self._check_size(seen)
                    yield chunk
            completed = True
        finally:
            if not completed:
                await self.close()

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The body as text as it arrives (charset from Content-Type, else UTF-8)."""
        decoder = codecs.getincrementaldecoder(self._text_encoding())(errors="replace")
        chunker = TextChunker(chunk_size)
        async for chunk in self.iter_bytes():
            for piece in chunker.feed(decoder.decode(chunk)):
                yield piece
        for piece in chunker.feed(decoder.decode(b"", final=True)):
            yield piece
        for piece in chunker.flush():
            yield piece

    async def iter_lines(self) -> AsyncIterator[str]:
        """The body as text, one line at a time (without line endings), as in httpx."""
        splitter = LineSplitter()
        async for text in self.iter_text():
            for line in splitter.feed(text):
                yield line
        for line in splitter.flush():
            yield line
