"""A real HTTP/1.1 server on 127.0.0.1 for tests, one per test session.

Tests register a reply per path and talk to it over real sockets, so what httpx does with
framing, compression, keep-alive and broken connections is what the tests see::

    def test_downloads(http_server: ServerView) -> None:
        http_server.route("/file", Reply(body=b"abc", headers={"Content-Type": "text/plain"}))
        assert httpx.get(http_server.url + "/file").content == b"abc"

A `Reply` describes the answer: status, headers (any, repeated ones too), a body given as
bytes or as an iterable of chunks (a generator may sleep, count what it produced, or run
forever), `chunked` transfer encoding, `gzip` content encoding, a `delay` before each
chunk and `drop_after` to break the connection after that many body bytes; `raw` bytes
are written as they are instead (a broken status line, a bad header), and the connection
closed. A handler is
either a `Reply` (served every time) or a function from the `RecordedRequest` to a
`Reply`. Every request is recorded in `ServerView.requests`.

The server binds port 0, serves each connection on its own daemon thread and is stopped by
the session fixture in ``conftest.py``; each test gets a `ServerView` under its own path
prefix, so nothing leaks from one test to the next.
"""

from __future__ import annotations

import gzip as gzip_module
import itertools
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Union
from urllib.parse import urlsplit

__all__ = ["CountingBody", "Handler", "LocalServer", "RecordedRequest", "Reply", "ServerView"]


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the server received it (``path`` without the test's prefix)."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes


@dataclass
class Reply:
    """What the server answers.

    Framing: a ``bytes`` body gets a ``Content-Length``; an iterable body is sent chunked
    unless ``content_length`` is given (then it is written as it comes, and may lie) or
    ``chunked=False`` (then the body ends when the connection closes).
    """

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: Mapping[str, str] | Sequence[tuple[str, str]] = ()
    chunked: bool | None = None
    content_length: int | None = None
    gzip: bool = False
    delay: float = 0.0
    drop_after: int | None = None
    raw: bytes | None = None

    @classmethod
    def json(
        cls,
        data: Any,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        **options: Any,
    ) -> Reply:
        """A JSON reply: ``Reply.json({"id": 1})``."""
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        return cls(status=status, body=json.dumps(data).encode(), headers=all_headers, **options)


Handler = Union[Reply, Callable[[RecordedRequest], Reply]]


class ServerView:
    """One test's part of the server: its own URL prefix, routes and recorded requests."""

    def __init__(self, server: LocalServer, prefix: str) -> None:
        self._server = server
        self.prefix = prefix
        self.url = server.base_url + prefix
        self.requests: list[RecordedRequest] = []

    def route(
        self, path: str, handler: Handler | None = None
    ) -> Callable[[Callable[[RecordedRequest], Reply]], Callable[[RecordedRequest], Reply]]:
        """Serve ``handler`` at ``path``; without a handler, a decorator registering one."""

        def register(fn: Callable[[RecordedRequest], Reply]) -> Callable[[RecordedRequest], Reply]:
            self._server.add_route(self, path, fn)
            return fn

        if handler is not None:
            self._server.add_route(self, path, handler)
        return register

    def close(self) -> None:
        """Remove this view's routes."""
        self._server.remove_view(self)


class LocalServer:
    """The threaded server; use `view()` to get a `ServerView` for one test."""

    def __init__(self) -> None:
        self._httpd = _HTTPServer(("127.0.0.1", 0), _RequestHandler)
        self._httpd.owner = self
        host, port = self._httpd.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"
        self._routes: dict[str, tuple[ServerView, Handler]] = {}
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="tests-local-server", daemon=True
        )

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def view(self) -> ServerView:
        return ServerView(self, f"/t{next(self._counter)}")

    def add_route(self, view: ServerView, path: str, handler: Handler) -> None:
        if not path.startswith("/"):
            raise ValueError(f"a route path starts with '/': {path!r}")
        with self._lock:
            self._routes[view.prefix + path] = (view, handler)

    def remove_view(self, view: ServerView) -> None:
        with self._lock:
            for key in [k for k, (v, _) in self._routes.items() if v is view]:
                del self._routes[key]

    def lookup(self, path: str) -> tuple[ServerView, Handler] | None:
        with self._lock:
            return self._routes.get(path)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: LocalServer


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        body = self._read_body()
        split = urlsplit(self.path)
        found = self.server.owner.lookup(split.path)
        if found is None:
            self._send(Reply(404, body=b"no route for " + split.path.encode()))
            return
        view, handler = found
        request = RecordedRequest(
            method=self.command,
            path=split.path[len(view.prefix) :],
            query=split.query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        view.requests.append(request)
        try:
            reply = handler if isinstance(handler, Reply) else handler(request)
        except Exception as exc:  # a broken test handler should answer, not hang the client
            reply = Reply(500, body=f"handler failed: {exc!r}".encode())
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        try:
            self._write_reply(reply)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def _write_reply(self, reply: Reply) -> None:
        if reply.raw is not None:
            self.wfile.write(reply.raw)
            self._drop()
            return
        headers = list(
            reply.headers.items() if isinstance(reply.headers, Mapping) else reply.headers
        )
        body: bytes | Iterable[bytes] = reply.body
        if reply.gzip:
            headers.append(("Content-Encoding", "gzip"))
            body = gzip_module.compress(body) if isinstance(body, bytes) else _gzip_chunks(body)
        chunked = reply.chunked
        if chunked is None:
            chunked = not isinstance(body, bytes) and reply.content_length is None
        names = {name.lower() for name, _ in headers}

        self.send_response(reply.status)
        for name, value in headers:
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.content_length is not None:
            self.send_header("Content-Length", str(reply.content_length))
        elif isinstance(body, bytes):
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return

        sent = 0
        for chunk in [body] if isinstance(body, bytes) else body:
            if reply.delay:
                time.sleep(reply.delay)
            if not chunk:
                continue
            if reply.drop_after is not None and sent + len(chunk) >= reply.drop_after:
                self._write(chunk[: reply.drop_after - sent], chunked=chunked)
                self._drop()
                return
            self._write(chunk, chunked=chunked)
            sent += len(chunk)
        if reply.drop_after is not None:
            self._drop()
            return
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _write(self, chunk: bytes, *, chunked: bool) -> None:
        if not chunk:
            return
        if chunked:
            self.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        else:
            self.wfile.write(chunk)

    def _drop(self) -> None:
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True


def _gzip_chunks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    compressor = zlib.compressobj(wbits=31)  # 31: gzip container
    for chunk in chunks:
        out = compressor.compress(chunk)
        if out:
            yield out
    yield compressor.flush()


@dataclass
class CountingBody:
    """An iterable body that counts the bytes it produced: ``CountingBody(chunk, times)``.

    ``times=None`` runs forever; use it to prove a client stopped reading early.
    """

    chunk: bytes
    times: int | None = None
    produced: int = field(default=0, init=False)

    def __iter__(self) -> Iterator[bytes]:
        counter = itertools.count() if self.times is None else range(self.times)
        for _ in counter:
            self.produced += len(self.chunk)
            yield self.chunk
