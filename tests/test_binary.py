"""Binary downloads: write_to_file / stream_to_file write atomically, in constant memory,
and leave nothing behind when the download fails, is interrupted or is cancelled."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from typedresp import (
    APIConnectionError,
    AsyncBinaryAPIResponse,
    AsyncStreamedBinaryAPIResponse,
    BinaryAPIResponse,
    ResponseTooLarge,
    StreamAlreadyConsumed,
    StreamedBinaryAPIResponse,
)

from .bodies import AsyncTrackedBody, TrackedBody
from .server import Reply, ServerView

URL = "http://127.0.0.1/file"
MiB = 1 << 20


def unread(
    chunks: list[bytes], headers: dict[str, str] | None = None
) -> tuple[httpx.Response, TrackedBody]:
    body = TrackedBody(chunks)
    request = httpx.Request("GET", URL)
    return httpx.Response(200, headers=headers or {}, stream=body, request=request), body


def streamed(chunks: list[bytes], **headers: str) -> tuple[StreamedBinaryAPIResponse, TrackedBody]:
    raw, body = unread(chunks, headers)
    return StreamedBinaryAPIResponse(raw=raw, cast_to=bytes), body


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


class Progress:
    """A progress callback that records its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int | None]] = []

    def __call__(self, done: int, total: int | None) -> None:
        self.calls.append((done, total))


# ---------------------------------------------------------------- write_to_file


def test_write_to_file_writes_the_body_and_closes(tmp_path: Path) -> None:
    raw = httpx.Response(200, content=b"hello", request=httpx.Request("GET", URL))
    progress = Progress()
    BinaryAPIResponse(raw=raw, cast_to=bytes).write_to_file(tmp_path / "out.bin", progress=progress)
    assert (tmp_path / "out.bin").read_bytes() == b"hello"
    assert progress.calls == [(5, 5)]
    assert raw.is_closed
    assert leftovers(tmp_path) == ["out.bin"]


def test_write_to_file_takes_a_str_path_and_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old content that is longer")
    raw, body = unread([b"new"])
    BinaryAPIResponse(raw=raw, cast_to=bytes).write_to_file(str(target))
    assert target.read_bytes() == b"new"
    assert body.closed


def test_a_new_file_gets_the_permissions_open_would_give(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    raw, _ = unread([b"x"])
    BinaryAPIResponse(raw=raw, cast_to=bytes).write_to_file(tmp_path / "new.bin")
    assert stat.S_IMODE((tmp_path / "new.bin").stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_an_existing_files_mode_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "script.sh"
    target.write_bytes(b"old")
    target.chmod(0o750)
    raw, _ = unread([b"new"])
    BinaryAPIResponse(raw=raw, cast_to=bytes).write_to_file(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o750


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")
def test_a_symlink_is_written_through_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.bin"
    real.write_bytes(b"old")
    link = tmp_path / "link.bin"
    link.symlink_to(real)
    raw, _ = unread([b"new"])
    BinaryAPIResponse(raw=raw, cast_to=bytes).write_to_file(link)
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


# --------------------------------------------------------------- stream_to_file


def test_stream_to_file_writes_chunk_size_pieces_and_reports_progress(tmp_path: Path) -> None:
    response, body = streamed([b"abcdefg", b"hij"], **{"Content-Length": "10"})
    progress = Progress()
    response.stream_to_file(tmp_path / "out", chunk_size=4, progress=progress)
    assert (tmp_path / "out").read_bytes() == b"abcdefghij"
    assert progress.calls == [(4, 10), (8, 10), (10, 10)]
    assert body.closed


def test_progress_total_is_none_without_a_content_length(tmp_path: Path) -> None:
    response, _ = streamed([b"ab", b"cd"])
    progress = Progress()
    response.stream_to_file(tmp_path / "out", progress=progress)
    assert progress.calls == [(2, None), (4, None)]


@pytest.mark.parametrize("error", [ValueError("bar broke"), KeyboardInterrupt()])
def test_an_error_in_progress_leaves_no_file_and_closes(
    tmp_path: Path, error: BaseException
) -> None:
    response, body = streamed([b"a", b"b", b"c"])

    def progress(done: int, total: int | None) -> None:
        if done == 2:
            raise error

    with pytest.raises(type(error)):
        response.stream_to_file(tmp_path / "out", progress=progress)
    assert leftovers(tmp_path) == []
    assert body.served == 2
    assert body.closed


def test_a_failed_download_leaves_an_existing_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_bytes(b"precious")
    response, _ = streamed([b"x" * 100] * 10)
    response._max_body_bytes = 250  # pyright: ignore[reportPrivateUsage]
    with pytest.raises(ResponseTooLarge):
        response.stream_to_file(target)
    assert target.read_bytes() == b"precious"
    assert leftovers(tmp_path) == ["out"]


def test_max_body_bytes_stops_a_download(tmp_path: Path) -> None:
    raw, body = unread([b"x" * 100] * 10)
    response = StreamedBinaryAPIResponse(raw=raw, cast_to=bytes, max_body_bytes=250)
    with pytest.raises(ResponseTooLarge):
        response.stream_to_file(tmp_path / "out")
    assert leftovers(tmp_path) == []
    assert body.served == 300
    assert body.closed


def test_a_missing_directory_fails_before_reading_anything(tmp_path: Path) -> None:
    response, body = streamed([b"abc"])
    with pytest.raises(FileNotFoundError):
        response.stream_to_file(tmp_path / "missing" / "out")
    assert body.served == 0
    assert body.closed


def test_a_consumed_body_raises_and_leaves_no_file(tmp_path: Path) -> None:
    response, _ = streamed([b"abc"])
    assert b"".join(response.iter_bytes()) == b"abc"
    with pytest.raises(StreamAlreadyConsumed):
        response.stream_to_file(tmp_path / "out")
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- real server


def _pattern(size: int, chunk: int) -> tuple[Iterator[memoryview], str]:
    """``size`` bytes as memoryview slices of one buffer (no allocation while serving),
    each slice shifted so reordered or repeated chunks change the hash; and that hash."""
    base = memoryview(bytes(range(256)) * ((chunk + 256) // 256 + 1))

    def slices() -> Iterator[memoryview]:
        for i in range(size // chunk):
            yield base[i % 251 : i % 251 + chunk]

    digest = hashlib.sha256()
    for piece in slices():
        digest.update(piece)
    return slices(), digest.hexdigest()


def test_a_200_mb_body_streams_to_disk_in_constant_memory(
    http_server: ServerView, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    size = 200 * MiB
    body, expected = _pattern(size, MiB)
    http_server.route("/big", Reply(body=body, content_length=size))  # type: ignore[arg-type]
    progress = Progress()
    target = tmp_path / "big.bin"

    with httpx.Client(trust_env=False) as client:
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            started = time.perf_counter()
            request = client.build_request("GET", http_server.url + "/big")
            raw = client.send(request, stream=True)
            StreamedBinaryAPIResponse(raw=raw, cast_to=bytes).stream_to_file(
                target, progress=progress
            )
            seconds = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    digest = hashlib.sha256()
    with target.open("rb") as f:
        while piece := f.read(4 * MiB):
            digest.update(piece)
    assert digest.hexdigest() == expected
    assert progress.calls[-1] == (size, size)
    assert len(progress.calls) > 100
    assert raw.is_closed
    assert peak < 4 * MiB, f"peak traced memory {peak / MiB:.1f} MiB"
    with capsys.disabled():
        print(f"\n200 MiB stream_to_file: peak {peak / 1024:.0f} KiB, {seconds:.2f} s")


@pytest.mark.parametrize("existing", [None, b"precious"])
def test_a_dropped_connection_raises_and_leaves_no_file(
    http_server: ServerView, tmp_path: Path, existing: bytes | None
) -> None:
    target = tmp_path / "out.bin"
    if existing is not None:
        target.write_bytes(existing)
    http_server.route("/drop", Reply(body=b"x" * (4 * MiB), drop_after=MiB + 17))
    with httpx.Client(trust_env=False) as client:
        raw = client.send(client.build_request("GET", http_server.url + "/drop"), stream=True)
        response = StreamedBinaryAPIResponse(raw=raw, cast_to=bytes)
        with pytest.raises(APIConnectionError) as info:
            response.stream_to_file(target)
    assert isinstance(info.value.__cause__, httpx.RemoteProtocolError)
    assert raw.is_closed
    if existing is None:
        assert leftovers(tmp_path) == []
    else:
        assert leftovers(tmp_path) == ["out.bin"]
        assert target.read_bytes() == existing


def test_a_gzip_download_is_written_decompressed(http_server: ServerView, tmp_path: Path) -> None:
    data = b"0123456789" * 100_000
    http_server.route("/gz", Reply(body=[data[:300_000], data[300_000:]], gzip=True))
    progress = Progress()
    with httpx.Client(trust_env=False) as client:
        raw = client.send(client.build_request("GET", http_server.url + "/gz"), stream=True)
        StreamedBinaryAPIResponse(raw=raw, cast_to=bytes).stream_to_file(
            tmp_path / "out", progress=progress
        )
    assert (tmp_path / "out").read_bytes() == data
    assert {total for _, total in progress.calls} == {None}
    assert progress.calls[-1][0] == len(data)


# ----------------------------------------------------------------------- async


@pytest.mark.anyio
async def test_async_write_to_file(tmp_path: Path) -> None:
    body = AsyncTrackedBody([b"ab", b"cd"])
    raw = httpx.Response(200, stream=body, request=httpx.Request("GET", URL))
    progress = Progress()
    await AsyncBinaryAPIResponse(raw=raw, cast_to=bytes).write_to_file(
        tmp_path / "out", progress=progress
    )
    assert (tmp_path / "out").read_bytes() == b"abcd"
    assert progress.calls == [(2, None), (4, None)]
    assert body.closed


@pytest.mark.anyio
async def test_async_stream_to_file_over_a_real_server(
    http_server: ServerView, tmp_path: Path
) -> None:
    size = 8 * MiB
    body, expected = _pattern(size, 64 * 1024)
    http_server.route("/big", Reply(body=body, content_length=size))  # type: ignore[arg-type]
    async with httpx.AsyncClient(trust_env=False) as client:
        raw = await client.send(client.build_request("GET", http_server.url + "/big"), stream=True)
        await AsyncStreamedBinaryAPIResponse(raw=raw, cast_to=bytes).stream_to_file(
            tmp_path / "big", chunk_size=MiB
        )
    assert hashlib.sha256((tmp_path / "big").read_bytes()).hexdigest() == expected
    assert raw.is_closed


@pytest.mark.anyio
async def test_cancelling_a_download_leaves_no_file_and_closes(
    http_server: ServerView, tmp_path: Path
) -> None:
    http_server.route("/slow", Reply(body=[b"x" * 1024] * 1000, delay=0.001))
    async with httpx.AsyncClient(trust_env=False) as client:
        raw = await client.send(client.build_request("GET", http_server.url + "/slow"), stream=True)
        response = AsyncStreamedBinaryAPIResponse(raw=raw, cast_to=bytes)
        with anyio.CancelScope() as scope:

            def progress(done: int, total: int | None) -> None:
                if done >= 10 * 1024:
                    scope.cancel()

            await response.stream_to_file(tmp_path / "out", progress=progress)
        assert scope.cancelled_caught
    assert leftovers(tmp_path) == []
    assert raw.is_closed


@pytest.mark.anyio
async def test_async_dropped_connection_raises_and_leaves_no_file(
    http_server: ServerView, tmp_path: Path
) -> None:
    http_server.route("/drop", Reply(body=[b"x" * MiB] * 4, drop_after=MiB // 2))
    async with httpx.AsyncClient(trust_env=False) as client:
        raw = await client.send(client.build_request("GET", http_server.url + "/drop"), stream=True)
        with pytest.raises(APIConnectionError):
            await AsyncStreamedBinaryAPIResponse(raw=raw, cast_to=bytes).stream_to_file(
                tmp_path / "out"
            )
    assert leftovers(tmp_path) == []
    assert raw.is_closed


def test_binary_responses_are_bytes_responses() -> None:
    from typedresp import extract_response_type

    classes: list[Any] = [
        BinaryAPIResponse,
        AsyncBinaryAPIResponse,
        StreamedBinaryAPIResponse,
        AsyncStreamedBinaryAPIResponse,
    ]
    assert [extract_response_type(cls) for cls in classes] == [bytes] * 4
