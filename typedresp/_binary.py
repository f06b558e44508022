"""Binary bodies written to disk: whole (``write_to_file``) or as they arrive (``stream_to_file``).

A download is written to a temporary file beside the target and renamed over it only when
the whole body has arrived and is on disk, so an error, a dropped connection, Ctrl-C or a
cancelled task never leaves a half-written file where the target should be. Streaming
keeps memory use independent of the body size.

For example::

    with client.with_streaming_response.download(file_id) as response:
        response.stream_to_file("model.bin", progress=lambda done, total: bar.update(done))
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from typing import IO, Any, Final

from ._async_response import AsyncAPIResponse
from ._response import APIResponse

__all__ = [
    "AsyncBinaryAPIResponse",
    "AsyncStreamedBinaryAPIResponse",
    "BinaryAPIResponse",
    "ProgressCallback",
    "StreamedBinaryAPIResponse",
]

ProgressCallback = Callable[[int, "int | None"], object]
"""Called as ``progress(bytes_written_so_far, total_bytes_or_None)`` after each chunk."""

_IDENTITY_ENCODINGS: Final = frozenset({"", "identity"})
_TEMP_ATTEMPTS: Final = 100


class BinaryAPIResponse(APIResponse[bytes]):
    """A response whose body is a file: ``response.write_to_file("out.png")``.

    For a large body request a streamed response (``with_streaming_response``) and use
    `StreamedBinaryAPIResponse.stream_to_file`; this class is for bodies read whole.
    """

    __slots__ = ()

    def write_to_file(
        self, file: str | os.PathLike[str], *, progress: ProgressCallback | None = None
    ) -> None:
        """Write the body to ``file`` (str or path-like), replacing it atomically.

        For example::

            response.write_to_file(Path("speech.mp3"))

        ``progress(bytes_so_far, total)`` is called after each chunk written; ``total``
        comes from Content-Length (None when unknown). The response is closed afterwards.
        """
        with contextlib.closing(self.iter_bytes()) as chunks:
            try:
                _write_atomically(file, chunks, progress, _expected_size(self))
            finally:
                self.close()


class AsyncBinaryAPIResponse(AsyncAPIResponse[bytes]):
    """The async twin of `BinaryAPIResponse`: ``await response.write_to_file(path)``."""

    __slots__ = ()

    async def write_to_file(
        self, file: str | os.PathLike[str], *, progress: ProgressCallback | None = None
    ) -> None:
        """Write the body to ``file``, replacing it atomically; see `BinaryAPIResponse`.

        For example::

            await response.write_to_file("speech.mp3")
        """
        async with contextlib.aclosing(self.iter_bytes()) as chunks:
            try:
                await _awrite_atomically(file, chunks, progress, _expected_size(self))
            finally:
                await self.close()


class StreamedBinaryAPIResponse(APIResponse[bytes]):
    """A streamed binary response: ``response.stream_to_file(path)`` in constant memory."""

    __slots__ = ()

    def stream_to_file(
        self,
        file: str | os.PathLike[str],
        *,
        chunk_size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Stream the body to ``file`` as it arrives, replacing the file atomically.

        For example::

            response.stream_to_file("dataset.tar", chunk_size=1 << 20)

        ``chunk_size`` sets the size of each write (default: as the data arrives).
        ``progress(bytes_so_far, total)`` is called after each write; ``total`` comes
        from Content-Length, and is None when unknown or when the body is compressed
        (the length on the wire is then not the length written). On any error the target
        is left untouched, no temporary file remains and the response is closed.
        """
        with contextlib.closing(self.iter_bytes(chunk_size)) as chunks:
            try:
                _write_atomically(file, chunks, progress, _expected_size(self))
            finally:
                self.close()


class AsyncStreamedBinaryAPIResponse(AsyncAPIResponse[bytes]):
    """The async twin of `StreamedBinaryAPIResponse`: ``await response.stream_to_file(path)``."""

    __slots__ = ()

    async def stream_to_file(
        self,
        file: str | os.PathLike[str],
        *,
        chunk_size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Stream the body to ``file`` as it arrives; see `StreamedBinaryAPIResponse`.

        File I/O runs in worker threads (anyio), so the event loop is never blocked by
        the disk. A cancellation leaves no temporary file and the target untouched.

        For example::

            await response.stream_to_file("dataset.tar")
        """
        async with contextlib.aclosing(self.iter_bytes(chunk_size)) as chunks:
            try:
                await _awrite_atomically(file, chunks, progress, _expected_size(self))
            finally:
                await self.close()


def _expected_size(response: APIResponse[Any] | AsyncAPIResponse[Any]) -> int | None:
    """How many bytes will be written, when known: the body length, else Content-Length."""
    content = response._content_if_read()  # pyright: ignore[reportPrivateUsage]
    if content is not None:
        return len(content)
    headers = response.http_response.headers
    if headers.get("content-encoding", "").strip().lower() not in _IDENTITY_ENCODINGS:
        return None
    try:
        length = int(headers.get("content-length", ""))
    except ValueError:
        return None
    return length if length >= 0 else None


def _target_path(file: str | os.PathLike[str]) -> str:
    path = os.fspath(file)
    # Like open(path, "wb"), write through a symlink rather than replacing it.
    return os.path.realpath(path) if os.path.islink(path) else path


def _create_temp(target: str) -> tuple[int, str]:
    """Create a new, empty file beside ``target``; return its descriptor and path.

    Created with mode 0o666 minus the umask, as ``open(target, "wb")`` would.
    """
    directory, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_TEMP_ATTEMPTS):
        # What secrets.token_hex(6) gives, without importing secrets (and hmac) for it.
        temp = os.path.join(directory, f".{name}.{os.urandom(6).hex()}.part")
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file beside {target!r}")


def _finish(file: IO[bytes], temp: str, target: str) -> None:
    """Make the temporary file durable and move it over the target."""
    file.flush()
    os.fsync(file.fileno())
    file.close()
    if os.path.exists(target):
        with contextlib.suppress(OSError):
            shutil.copymode(target, temp)
    os.replace(temp, target)


def _discard(file: IO[bytes], temp: str) -> None:
    file.close()
    with contextlib.suppress(OSError):
        os.unlink(temp)


def _write_atomically(
    file: str | os.PathLike[str],
    chunks: Iterator[bytes],
    progress: ProgressCallback | None,
    total: int | None,
) -> None:
    target = _target_path(file)
    fd, temp = _create_temp(target)
    out = open(fd, "wb")  # noqa: SIM115 - closed by _finish or _discard
    try:
        written = 0
        for chunk in chunks:
            out.write(chunk)
            written += len(chunk)
            if progress is not None:
                progress(written, total)
        _finish(out, temp, target)
    except BaseException:
        _discard(out, temp)
        raise


async def _awrite_atomically(
    file: str | os.PathLike[str],
    chunks: AsyncIterator[bytes],
    progress: ProgressCallback | None,
    total: int | None,
) -> None:
    import anyio.to_thread  # here, not at the top: only async downloads need it

    target = _target_path(file)
    fd, temp = await anyio.to_thread.run_sync(_create_temp, target)
    out = open(fd, "wb")  # noqa: SIM115 - wraps the descriptor, no I/O; closed below
    try:
        written = 0
        async for chunk in chunks:
            await anyio.to_thread.run_sync(out.write, chunk)
            written += len(chunk)
            if progress is not None:
                progress(written, total)
        await anyio.to_thread.run_sync(_finish, out, temp, target)
    except BaseException:
        # Synchronous on purpose: it must complete even while a cancellation propagates.
        _discard(out, temp)
        raise
