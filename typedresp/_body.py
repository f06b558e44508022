"""Body helpers for the response layer: media types, JSON bytes, text and line splitting."""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from typing import Final

import httpx

__all__ = [
    "LineSplitter",
    "TextChunker",
    "content_type",
    "is_json_media_type",
    "is_read",
    "json_bytes",
]

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_UTF8_NAMES: Final = frozenset({"utf-8", "ascii"})


def is_read(response: httpx.Response) -> bool:
    try:
        response.content  # noqa: B018 - raises ResponseNotRead until the body is read
    except httpx.ResponseNotRead:
        return False
    return True


def content_type(header: str | None) -> tuple[str | None, str | None]:
    """``"Application/JSON; charset=UTF-8"`` → ``("application/json", "utf-8")``."""
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


def is_json_media_type(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def json_bytes(response: httpx.Response, charset: str | None) -> bytes:
    """The body as UTF-8 JSON text: transcoded when a charset other than UTF-8 is declared."""
    content = response.content
    if charset is not None:
        try:
            name = codecs.lookup(charset).name
        except LookupError:
            name = "utf-8"
        if name not in _UTF8_NAMES:
            return response.text.encode("utf-8", errors="surrogatepass")
    if content.startswith(_UTF8_BOM):
        return content[len(_UTF8_BOM) :]
    return content


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
