"""Body helpers for the response layer: media types, JSON bytes, text and line splitting,
and decompression in bounded steps (`iter_body` / `aiter_body`): gzip, deflate, br and
zstd, nested too, with a truncated compressed stream an error rather than a short body."""

from __future__ import annotations

import codecs
import functools
import importlib
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from typing import Any, Final, Protocol

import httpx

__all__ = [
    "BoundedDecoder",
    "ByteChunker",
    "LineSplitter",
    "TextChunker",
    "aiter_body",
    "body_codec",
    "body_text",
    "content_type",
    "decode_body",
    "is_encoded",
    "is_json_media_type",
    "is_read",
    "iter_body",
    "json_bytes",
    "quoted_media_type",
    "response_content_type",
    "text_codec",
]

_UTF8_NAMES: Final = frozenset({"utf-8", "ascii"})

DECODE_STEP: Final = 256 * 1024
"""The most bytes one decompression layer produces before the reader takes them."""

_ZLIB_WBITS: Final = {"gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}

_ZSTD_SLICE: Final = 64
"""Compressed bytes given to zstandard at a time: at most ~2 MiB come of them."""
_ZSTD_MAX_WINDOW: Final = 8 * 2**20


def _optional(*names: str) -> Any:
    """The first of these modules that imports, or None."""
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


# The same optional packages httpx decodes ``br`` and ``zstd`` with, tried as it does; httpx
# has imported them already.
_brotli: Any = _optional("brotli", "brotlicffi")
_zstandard: Any = _optional("zstandard")


@functools.lru_cache(maxsize=1)
def _known_encodings() -> frozenset[str]:
    """The encodings `BoundedDecoder` undoes: those httpx decodes here."""
    known = set(_ZLIB_WBITS)
    if _brotli is not None:
        known.add("br")
    if _zstandard is not None:
        known.add("zstd")
    return frozenset(known)


def is_encoded(response: httpx.Response) -> bool:
    """Whether the body has a Content-Encoding other than ``identity``: read it with
    `iter_body`, which bounds and checks the decoding, not with httpx's ``read()``."""
    encoding = response.headers.get("content-encoding")
    return encoding is not None and encoding.strip().lower() not in ("", "identity")


def is_read(response: httpx.Response) -> bool:
    try:
        response.content  # noqa: B018 - raises ResponseNotRead until the body is read
    except httpx.ResponseNotRead:
        return False
    return True


def response_content_type(response: httpx.Response) -> tuple[str | None, str | None]:
    """The media type and charset of ``response``, lower-cased: ``("application/json", None)``.

    Reads the header from the entries `httpx.Headers` keeps, lower-cased keys included, in
    a fifth of the time of ``headers.get()``, which lower-cases and encodes the name on
    every call; a parse pays for it once. Falls back to ``headers.get()`` if httpx ever
    keeps its entries differently.
    """
    headers = response.headers
    found = None
    try:
        for _, key, value in headers._list:  # pyright: ignore[reportPrivateUsage]
            if key == b"content-type":
                if found is not None:  # repeated: joined with ", ", as headers.get() does
                    return content_type(headers.get("content-type"))
                found = value
    except (AttributeError, TypeError, ValueError):
        return content_type(headers.get("content-type"))
    if found is None:
        return None, None
    parsed = _ASCII_CONTENT_TYPES.get(found)
    if parsed is None:
        parsed = content_type(found.decode(headers.encoding))
        if found.isascii() and len(_ASCII_CONTENT_TYPES) < 256:  # decoded alike everywhere
            _ASCII_CONTENT_TYPES[found] = parsed
    return parsed


_ASCII_CONTENT_TYPES: dict[bytes, tuple[str | None, str | None]] = {}
"""Parsed Content-Type values by their bytes: a dict lookup, quicker than an lru_cache."""


@functools.lru_cache(maxsize=256)
def content_type(header: str | None) -> tuple[str | None, str | None]:
    """``"Application/JSON; charset=UTF-8"`` → ``("application/json", "utf-8")``.

    Cached: an API sends the same few headers again and again.
    """
    if header is None:
        return None, None
    media_type, _, params = header.partition(";")
    media_type = media_type.strip().lower()
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower() or None
    return media_type or None, charset


def quoted_media_type(media_type: str | None, limit: int = 100) -> str:
    """``media_type`` quoted for a message, cut to ``limit`` characters: a header can be
    kilobytes long."""
    if media_type is not None and len(media_type) > limit:
        return repr(media_type[:limit]) + f"... ({len(media_type)} characters)"
    return repr(media_type)


def is_json_media_type(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def json_bytes(response: httpx.Response, content: bytes, charset: str | None) -> bytes:
    """The body (``content``, already read) as UTF-8 JSON text: transcoded when a charset
    other than UTF-8 is declared and the body can be in it (see `body_codec`)."""
    if body_codec(content, charset) is not None:
        return decode_body(content, charset).encode("utf-8", errors="surrogatepass")
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :]
    return content


def body_text(response: httpx.Response) -> str:
    """The text of a read body: as httpx gives it when no charset is declared (its
    ``default_encoding`` applies), else by `decode_body`, which never raises."""
    charset = response_content_type(response)[1]
    if charset is None:
        return response.text
    return decode_body(response.content, charset)


def decode_body(content: bytes, charset: str | None) -> str:
    """``content`` as text in the charset it can be in (`body_codec`), else UTF-8; invalid
    bytes are replaced."""
    codec = body_codec(content, charset) or "utf-8"
    if codec in _BOM_FIRST and not content.startswith(_BOMS):  # pick the byte order
        codec += "-be" if content[:1] == b"\x00" else "-le"
    try:
        return content.decode(codec, "replace")
    except UnicodeError:  # pragma: no cover - "replace" leaves nothing to raise
        return content.decode("utf-8", "replace")


def body_codec(content: bytes, charset: str | None) -> str | None:
    """The codec to decode ``content`` with, declared as ``charset``; None for UTF-8.

    UTF-8 is also what an unknown charset or one that is no text encoding (``base64``,
    ``rot13``) gives, and a UTF-16 or UTF-32 label on a body that cannot be in it: text
    in those starts with a byte order mark or has a NUL byte in its first four bytes
    (JSON starts with an ASCII character), so a body without is read as the UTF-8 that
    RFC 8259 requires of JSON.
    """
    codec = text_codec(charset)
    if codec is None or not codec.startswith(("utf-16", "utf-32")):
        return codec
    head = content[:4]
    return codec if b"\x00" in head or head.startswith(_BOMS) else None


@functools.lru_cache(maxsize=64)
def text_codec(charset: str | None) -> str | None:
    """The Python codec for a declared charset; None for UTF-8, for none, for an unknown
    one and for a codec that is no text encoding."""
    if charset is None:
        return None
    try:
        info = codecs.lookup(charset)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _UTF8_NAMES:
        return None
    return info.name


_BOM_FIRST: Final = frozenset({"utf-16", "utf-32"})
"""Codecs that need a byte order mark, or an order picked for them."""
_BOMS: Final = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)


class TextChunker:
    """Re-cut text into pieces of exactly ``size`` characters (the last may be shorter)."""

    def __init__(self, size: int | None) -> None:
        self._size = size
        self._buffer = ""

    def feed(self, text: str) -> Iterable[str]:
        if not text:
            return ()
        if self._size is None:
            return (text,)
        self._buffer += text
        size = self._size
        cut = len(self._buffer) - len(self._buffer) % size
        pieces = [self._buffer[i : i + size] for i in range(0, cut, size)]
        self._buffer = self._buffer[cut:]
        return pieces

    def flush(self) -> Iterable[str]:
        rest, self._buffer = self._buffer, ""
        return (rest,) if rest else ()


class LineSplitter:
    """Split text arriving in pieces into lines, exactly as `str.splitlines` would.

    A ``\\r`` at the end of a piece waits for the next one, so ``\\r\\n`` split across two
    pieces is one line break.
    """

    _NEWLINES: Final = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

    def __init__(self) -> None:
        self._buffer: list[str] = []
        self._trailing_cr = False

    def feed(self, text: str) -> list[str]:
        if self._trailing_cr:
            text = "\r" + text
            self._trailing_cr = False
        if text.endswith("\r"):
            self._trailing_cr = True
            text = text[:-1]
        if not text:
            return []
        ends_with_newline = text[-1] in self._NEWLINES
        lines = text.splitlines()
        if len(lines) == 1 and not ends_with_newline:
            self._buffer.append(lines[0])
            return []
        if self._buffer:
            lines[0] = "".join(self._buffer) + lines[0]
            self._buffer = []
        if not ends_with_newline:
            self._buffer = [lines.pop()]
        return lines

    def flush(self) -> list[str]:
        if not self._buffer and not self._trailing_cr:
            return []
        line = "".join(self._buffer)
        self._buffer = []
        self._trailing_cr = False
        return [line]


class ByteChunker:
    """Re-cut bytes into pieces of exactly ``size`` bytes (the last may be shorter), as
    httpx does for ``iter_bytes(chunk_size)``; ``None`` passes pieces through."""

    def __init__(self, size: int | None) -> None:
        self._size = size
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        if self._size is None:
            return [data] if data else []
        buffer = self._buffer
        buffer += data
        size = self._size
        cut = len(buffer) - len(buffer) % size
        pieces = [bytes(buffer[i : i + size]) for i in range(0, cut, size)]
        del buffer[:cut]
        return pieces

    def flush(self) -> list[bytes]:
        rest = bytes(self._buffer)
        self._buffer.clear()
        return [rest] if rest else []


class _Layer(Protocol):
    """One Content-Encoding undone in bounded steps."""

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of ``data``, lazily, each at most about `DECODE_STEP`."""
        ...

    def finish(self) -> Iterator[bytes]:
        """What is left once the input has ended; `httpx.DecodingError` if it ended early."""
        ...


def _truncated(encoding: str) -> httpx.DecodingError:
    return httpx.DecodingError(f"the {encoding} data ended early: the body is truncated")


def _cut(data: bytes) -> Iterator[bytes]:
    """``data`` in pieces of at most `DECODE_STEP` bytes."""
    if len(data) <= DECODE_STEP:
        if data:
            yield data
        return
    for start in range(0, len(data), DECODE_STEP):
        yield data[start : start + DECODE_STEP]


class _Inflater:
    """One ``gzip`` or ``deflate`` layer, decoded as httpx does but in bounded steps."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._raw_deflate_fallback = encoding == "deflate"  # as httpx: maybe raw deflate
        self._zlib = zlib.decompressobj(_ZLIB_WBITS[encoding])
        self._seen = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            self._seen = True
        while data:
            try:
                out = self._zlib.decompress(data, DECODE_STEP)
            except zlib.error as exc:
                if self._raw_deflate_fallback:
                    self._raw_deflate_fallback = False
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise httpx.DecodingError(str(exc)) from exc
            self._raw_deflate_fallback = False
            rest = self._zlib.unconsumed_tail
            if out:
                yield out
            elif len(rest) >= len(data):  # no progress: nothing more can come of it
                return
            data = rest

    def finish(self) -> Iterator[bytes]:
        try:
            rest = self._zlib.flush()
        except zlib.error as exc:
            raise httpx.DecodingError(str(exc)) from exc
        if self._seen and not self._zlib.eof:
            raise _truncated(self._encoding)
        yield from _cut(rest)


class _Brotli:
    """One ``br`` layer: brotli's ``output_buffer_limit`` caps each step's output."""

    def __init__(self) -> None:
        if _brotli is None:  # pragma: no cover - for_response checks first
            raise httpx.DecodingError("Content-Encoding br needs the brotli package")
        self._decoder = _brotli.Decompressor()
        process = getattr(self._decoder, "process", None)  # brotli; brotlicffi: decompress
        self._process = process if process is not None else self._decoder.decompress
        if not _takes_output_limit(self._process):
            raise httpx.DecodingError(
                "this brotli package cannot decode in bounded steps (no output_buffer_limit): "
                "install brotli>=1.2 or brotlicffi>=1.2"
            )
        self._seen = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not data:
            return
        self._seen = True
        assert _brotli is not None
        try:
            out = self._process(data, output_buffer_limit=DECODE_STEP)
            # Output may still be pending once all input is taken (can_accept_more_data()
            # is then True): ask until a step gives nothing or the stream has ended.
            while out:
                yield from _cut(out)
                if self._decoder.is_finished():
                    break
                out = self._process(b"", output_buffer_limit=DECODE_STEP)
        except _brotli.error as exc:
            raise httpx.DecodingError(str(exc)) from exc

    def finish(self) -> Iterator[bytes]:
        if self._seen and not self._decoder.is_finished():
            raise _truncated("br")
        return iter(())


class _Zstd:
    """One ``zstd`` layer, frames one after another as httpx takes them.

    zstandard's ``decompressobj`` has no output limit, so the input goes in slices of
    `_ZSTD_SLICE` bytes: a zstd block (at most 128 KiB of output) takes at least 4 bytes
    of input, so one slice decodes to at most ~2 MiB. The window a frame may ask for is
    capped at 8 MiB, as RFC 9659 requires for the zstd Content-Encoding.
    """

    def __init__(self) -> None:
        self._decoder = self._new()
        self._in_frame = False  # the current decoder has been given input

    @staticmethod
    def _new() -> Any:
        assert _zstandard is not None
        return _zstandard.ZstdDecompressor(max_window_size=_ZSTD_MAX_WINDOW).decompressobj()

    def feed(self, data: bytes) -> Iterator[bytes]:
        assert _zstandard is not None
        view = memoryview(data)
        pending = b""  # input after a frame's end: at most one slice
        piece: bytes | memoryview
        try:
            while pending or view:
                if pending:
                    piece, pending = pending, b""
                else:
                    piece, view = view[:_ZSTD_SLICE], view[_ZSTD_SLICE:]
                self._in_frame = True
                yield from _cut(self._decoder.decompress(piece))
                if self._decoder.eof:  # a frame ended: the next one needs a new decoder
                    pending = self._decoder.unused_data
                    self._decoder = self._new()
                    self._in_frame = False
        except _zstandard.ZstdError as exc:
            raise httpx.DecodingError(str(exc)) from exc

    def finish(self) -> Iterator[bytes]:
        if self._in_frame and not self._decoder.eof:
            raise _truncated("zstd")
        return iter(())


def _takes_output_limit(process: Any) -> bool:
    try:
        process(b"", output_buffer_limit=1)
    except TypeError:
        return False
    return True


def _layer(encoding: str) -> _Layer:
    if encoding in _ZLIB_WBITS:
        return _Inflater(encoding)
    if encoding == "br":
        return _Brotli()
    return _Zstd()


class BoundedDecoder:
    """Undo a Content-Encoding (``gzip``, ``deflate``, ``br``, ``zstd``, nested), at most
    about `DECODE_STEP` bytes a step, and check that each compressed stream is complete.

    httpx decodes each network chunk in one call, so a few hundred bytes encoded three
    times (``Content-Encoding: gzip, gzip, gzip``) become a gigabyte in memory before a
    size limit can look at them. Here every layer hands on bounded pieces, lazily, so a
    reader that stops at a limit has decompressed little more than the limit. httpx also
    accepts compressed data that stops short (a short body); here it is an
    `httpx.DecodingError`.
    """

    def __init__(self, encodings: Sequence[str]) -> None:
        # Content-Encoding lists the encodings in the order they were applied.
        self._layers = [_layer(e) for e in reversed(encodings) if e != "identity"]

    @classmethod
    def for_response(cls, response: httpx.Response) -> BoundedDecoder | None:
        """The decoder for ``response``, or None when httpx should decode it: no
        encoding, or one this class does not know (httpx ignores those; ``br`` without
        brotli and ``zstd`` without zstandard are among them, as in httpx)."""
        encodings = [
            value.strip().lower()
            for value in response.headers.get_list("content-encoding", split_commas=True)
        ]
        known = _known_encodings()
        if not any(e in known for e in encodings):
            return None
        if any(e not in known and e != "identity" for e in encodings):
            return None
        return cls(encodings)

    def decode(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of the next raw chunk (lazily; each at most `DECODE_STEP`)."""
        return _through(self._layers, data)

    def flush(self) -> Iterator[bytes]:
        """What is left once the raw body has ended; `httpx.DecodingError` when a
        compressed stream is incomplete."""
        for index, layer in enumerate(self._layers):
            rest = self._layers[index + 1 :]
            for piece in layer.finish():
                yield from _through(rest, piece)


def _through(layers: Sequence[_Layer], data: bytes) -> Iterator[bytes]:
    if not layers:
        if data:
            yield data
        return
    rest = layers[1:]
    for piece in layers[0].feed(data):
        yield from _through(rest, piece)


def iter_body(response: httpx.Response, chunk_size: int | None = None) -> Iterator[bytes]:
    """``response.iter_bytes(chunk_size)``, but every encoding is decoded in bounded steps
    (see `BoundedDecoder`). Raises `httpx.DecodingError` for a corrupt or truncated
    encoding."""
    decoder = None if is_read(response) else BoundedDecoder.for_response(response)
    if decoder is None:
        yield from response.iter_bytes(chunk_size)
        return
    chunker = ByteChunker(chunk_size)
    for data in response.iter_raw():
        for piece in decoder.decode(data):
            yield from chunker.feed(piece)
    for piece in decoder.flush():
        yield from chunker.feed(piece)
    yield from chunker.flush()


async def aiter_body(
    response: httpx.Response, chunk_size: int | None = None
) -> AsyncIterator[bytes]:
    """The async twin of `iter_body`: ``response.aiter_bytes(chunk_size)``, bounded."""
    decoder = None if is_read(response) else BoundedDecoder.for_response(response)
    if decoder is None:
        async for chunk in response.aiter_bytes(chunk_size):
            yield chunk
        return
    chunker = ByteChunker(chunk_size)
    async for data in response.aiter_raw():
        for piece in decoder.decode(data):
            for chunk in chunker.feed(piece):
                yield chunk
    for piece in decoder.flush():
        for chunk in chunker.feed(piece):
            yield chunk
    for chunk in chunker.flush():
        yield chunk
