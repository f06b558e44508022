"""Download to a file: typedresp's ``stream_to_file`` against a raw socket copy, in MB/s.

Part of ``python -m benchmarks`` (section ``download``). A stdlib HTTP server in a child
process (so it never competes for this process's GIL) serves one body of ``size`` bytes
on 127.0.0.1. Each contender downloads it whole into a file, with the same durability
typedresp gives: write to a temporary file beside the target, ``fsync``, rename over it.

* ``raw socket copy``: a socket, one GET, ``recv_into`` a 1 MiB buffer and write it: the
  most Python can do on this machine, the reference;
* ``httpx iter_bytes``: an httpx streamed response, ``iter_bytes()`` written to the file;
* ``typedresp stream_to_file``: ``StreamedBinaryAPIResponse(raw=r, cast_to=bytes)
  .stream_to_file(path)``, as the data arrives, and with ``chunk_size=1 MiB``.

Files go to ``/dev/shm`` when it exists (memory: the disk's speed would hide the
software's), else to the system's temporary directory.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .timing import measure_interleaved, paired_ratio

__all__ = ["body", "run", "serve"]

SIZE = 64 * 2**20
CHUNK = 2**20
REFERENCE = "raw socket copy"
_LENGTH = re.compile(rb"^content-length:\s*(\d+)\s*$", re.I | re.M)


def body(size: int) -> bytes:
    """The served body: ``size`` bytes of a fixed pattern."""
    pattern = bytes(range(256)) * 4096
    return (pattern * (size // len(pattern) + 1))[:size]


# -- the server (child process) ---------------------------------------------------------


def serve(size: int) -> None:
    """Serve ``GET /blob`` (``size`` bytes) on 127.0.0.1; print the port, run until killed."""
    payload = body(size)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/octet-stream")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.connection.sendall(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


@contextlib.contextmanager
def _server(size: int) -> Iterator[int]:
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_download", "--serve", str(size)],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield int(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(timeout=10)


# -- the contenders ---------------------------------------------------------------------


def _temp_beside(target: Path) -> tuple[int, str]:
    return tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")


def _finish(file: Any, temp: str, target: Path) -> None:
    file.flush()
    os.fsync(file.fileno())
    file.close()
    os.replace(temp, target)


def raw_copy(port: int, target: Path) -> Callable[[], object]:
    request = b"GET /blob HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)

    def download() -> None:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(request)
            head = b""
            while b"\r\n\r\n" not in head:
                head += sock.recv(65536)
            header, _, rest = head.partition(b"\r\n\r\n")
            match = _LENGTH.search(header)
            assert match is not None
            length = int(match.group(1))
            fd, temp = _temp_beside(target)
            out = open(fd, "wb")  # noqa: SIM115 - closed by _finish
            out.write(rest)
            received = len(rest)
            while received < length:
                n = sock.recv_into(buffer)
                if not n:
                    raise ConnectionError("the server closed the connection early")
                out.write(view[:n])
                received += n
            _finish(out, temp, target)

    return download


def httpx_copy(port: int, target: Path) -> Callable[[], object]:
    import httpx

    client = httpx.Client()
    url = f"http://127.0.0.1:{port}/blob"

    def download() -> None:
        with client.stream("GET", url) as response:
            fd, temp = _temp_beside(target)
            out = open(fd, "wb")  # noqa: SIM115 - closed by _finish
            for chunk in response.iter_bytes():
                out.write(chunk)
            _finish(out, temp, target)

    return download


def typedresp_copy(port: int, target: Path, chunk_size: int | None) -> Callable[[], object]:
    import httpx

    from typedresp import StreamedBinaryAPIResponse

    client = httpx.Client()
    url = f"http://127.0.0.1:{port}/blob"

    def download() -> None:
        raw = client.send(client.build_request("GET", url), stream=True)
        response = StreamedBinaryAPIResponse(raw=raw, cast_to=bytes)
        response.stream_to_file(target, chunk_size=chunk_size)

    return download


def _directory() -> str | None:
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def run(*, size: int = SIZE, rounds: int = 8, sample_time: float = 0.1) -> list[dict[str, Any]]:
    """Check that every contender writes the body exactly, then time them interleaved."""
    expected = body(size)
    with _server(size) as port, tempfile.TemporaryDirectory(dir=_directory()) as directory:
        folder = Path(directory)
        contenders = {
            REFERENCE: raw_copy(port, folder / "raw.bin"),
            "httpx iter_bytes": httpx_copy(port, folder / "httpx.bin"),
            "typedresp stream_to_file": typedresp_copy(port, folder / "typedresp.bin", None),
            "typedresp stream_to_file, 1 MiB chunks": typedresp_copy(
                port, folder / "typedresp-1m.bin", CHUNK
            ),
        }
        for name, download in contenders.items():
            download()
            written = [p for p in folder.iterdir() if not p.name.startswith(".")]
            if len(written) != 1 or written[0].read_bytes() != expected:
                raise AssertionError(f"{name} did not write the body exactly")
            written[0].unlink()
        results = measure_interleaved(contenders, rounds=rounds, sample_time=sample_time)
    reference = results[REFERENCE]
    rows = []
    for name, measurement in results.items():
        rows.append(
            {
                "contender": name,
                "body_bytes": size,
                "directory": _directory() or tempfile.gettempdir(),
                "median_s": measurement.median,
                "min_s": measurement.min,
                "max_s": measurement.max,
                "mb_per_s": size / measurement.median / 1e6,
                "min_mb_per_s": size / measurement.max / 1e6,
                "max_mb_per_s": size / measurement.min / 1e6,
                # Its speed as a fraction of the raw copy's, taken within each round.
                "ratio_to_raw": paired_ratio(reference, measurement).median,
                "samples_s": measurement.samples,
            }
        )
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(int(sys.argv[2]))
    else:
        from .report import format_download

        print(format_download(run(size=8 * 2**20, rounds=3)))
