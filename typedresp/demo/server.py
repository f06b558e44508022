"""The demo's pet-store API: a small HTTP/1.1 server on 127.0.0.1, standard library only.

For example::

    with serve() as base_url:       # e.g. "http://127.0.0.1:50123/v1"
        ...

Routes (all under ``/v1``):

* ``GET /pets?limit=&after=`` — a page of pets (``{"object": "list", "data": [...]}``);
* ``GET /pets/{id}`` — one pet; pet 13's record is corrupted (a vaccination date
  ``"soon"``); an unknown id is a 404 with an ``{"error": {...}}`` body;
* ``GET /pets/{id}/activity`` — server-sent events, one every ``event_delay`` seconds,
  ended by ``data: [DONE]``;
* ``GET /pets/{id}/photo`` — 256 KiB of binary data, sent in pieces;
* ``POST /pets/{id}/adopt`` — the first attempt with a given ``Idempotency-Key`` gets a
  503 with ``retry-after-ms``; the next one succeeds and reports how many attempts the
  server saw with that key.

Every response carries an ``x-request-id`` and an ``x-ratelimit-remaining`` header.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import random
import re
import socket
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["PETS", "PHOTO_SIZE", "serve"]

PETS: list[dict[str, Any]] = [
    {"id": 1, "name": "Rex", "species": "dog", "born": "2019-04-02",
     "vaccinations": [{"name": "rabies", "given_on": "2024-03-01"}]},
    {"id": 2, "name": "Tom", "species": "cat", "born": "2020-11-17"},
    {"id": 3, "name": "Polly", "species": "parrot", "born": "2012-06-30"},
    {"id": 4, "name": "Nibbles", "species": "rabbit", "born": "2023-02-14"},
    {"id": 5, "name": "Luna", "species": "cat", "born": "2021-08-09"},
]  # fmt: skip
_BROKEN_PET: dict[str, Any] = {
    "id": 13,
    "name": "Gremlin",
    "species": "cat",
    "born": "2022-01-13",
    "vaccinations": [
        {"name": "rabies", "given_on": "2023-05-02"},
        {"name": "flu", "given_on": "soon"},
    ],
}
_ACTIVITY: list[dict[str, Any]] = [
    {"type": "woke", "at": "2024-05-01T07:00:00Z"},
    {"type": "ate", "food": "kibble", "grams": 120},
    {"type": "napped", "minutes": 45},
    {"type": "ate", "food": "a sock", "grams": 30},
]
PHOTO_SIZE = 256 * 1024
_PHOTO_PIECES = 16


def _photo() -> bytes:
    noise = random.Random(1).randbytes(PHOTO_SIZE - 8)
    return b"\x89PNG\r\n\x1a\n" + noise


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, *, event_delay: float, photo_delay: float, retry_after_ms: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.event_delay = event_delay
        self.photo_delay = photo_delay
        self.retry_after_ms = retry_after_ms
        self.photo = _photo()
        self.lock = threading.Lock()
        self.request_ids = itertools.count(1)
        self.attempts: dict[str, int] = {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # socketserver passes the server the handler was made for, always a _Server here.
    server: _Server  # pyright: ignore[reportIncompatibleVariableOverride]

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm
        # and the client's delayed ACK add 40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        # A client that closes a kept-alive connection with a response still unread (a
        # stream closed early) resets it: the next request line never comes. Not an error.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    # ------------------------------------------------------------------ routing

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(split.query).items()}
        path = split.path
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if self.command == "GET" and path == "/v1/pets":
                self._list(query)
            elif match := re.fullmatch(r"/v1/pets/(\d+)", path):
                self._retrieve(int(match[1]))
            elif match := re.fullmatch(r"/v1/pets/(\d+)/activity", path):
                self._activity()
            elif match := re.fullmatch(r"/v1/pets/(\d+)/photo", path):
                self._photo()
            elif self.command == "POST" and (match := re.fullmatch(r"/v1/pets/(\d+)/adopt", path)):
                self._adopt(int(match[1]), body)
            else:
                self._json(404, {"error": {"type": "not_found", "message": f"no route {path}"}})

    def _list(self, query: dict[str, str]) -> None:
        limit = int(query.get("limit", "3"))
        after = int(query.get("after", "0"))
        rest = [pet for pet in PETS if pet["id"] > after]
        data = rest[:limit]
        has_more = len(rest) > limit
        next_after = data[-1]["id"] if has_more else None
        page = {"object": "list", "data": data, "has_more": has_more, "next_after": next_after}
        self._json(200, page)

    def _retrieve(self, pet_id: int) -> None:
        if pet_id == _BROKEN_PET["id"]:
            self._json(200, _BROKEN_PET)
            return
        for pet in PETS:
            if pet["id"] == pet_id:
                self._json(200, pet)
                return
        self._json(404, {"error": {"type": "not_found", "message": f"no pet with id {pet_id}"}})

    def _activity(self) -> None:
        def events() -> Iterator[bytes]:
            for event in _ACTIVITY:
                time.sleep(self.server.event_delay)
                yield f"event: activity\ndata: {json.dumps(event)}\n\n".encode()
            yield b"data: [DONE]\n\n"

        self._chunked(200, "text/event-stream", events())

    def _photo(self) -> None:
        photo = self.server.photo
        self._start(200, [("Content-Type", "image/png"), ("Content-Length", str(len(photo)))])
        piece = len(photo) // _PHOTO_PIECES
        for start in range(0, len(photo), piece):
            time.sleep(self.server.photo_delay)
            self.wfile.write(photo[start : start + piece])
            self.wfile.flush()

    def _adopt(self, pet_id: int, body: bytes) -> None:
        key = self.headers.get("Idempotency-Key") or ""
        with self.server.lock:
            attempts = self.server.attempts[key] = self.server.attempts.get(key, 0) + 1
        if attempts == 1:
            message = {"error": {"type": "overloaded", "message": "the shelter is busy"}}
            self._json(503, message, [("retry-after-ms", str(self.server.retry_after_ms))])
            return
        adopter = json.loads(body or b"{}").get("adopter", "someone")
        adoption = {
            "id": f"adopt_{key[-8:]}",
            "pet_id": pet_id,
            "adopter": adopter,
            "attempts": attempts,
        }
        self._json(200, adoption)

    # ---------------------------------------------------------------- writing

    def _start(self, status: int, headers: Iterable[tuple[str, str]]) -> None:
        request_id = f"req_{next(self.server.request_ids):04d}"
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("x-request-id", request_id)
        self.send_header("x-ratelimit-remaining", "41")
        self.end_headers()

    def _json(self, status: int, data: Any, headers: Iterable[tuple[str, str]] = ()) -> None:
        body = json.dumps(data).encode()
        self._start(
            status,
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                *headers,
            ],
        )
        self.wfile.write(body)

    def _chunked(self, status: int, content_type: str, chunks: Iterable[bytes]) -> None:
        self._start(status, [("Content-Type", content_type), ("Transfer-Encoding", "chunked")])
        for chunk in chunks:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")


@contextlib.contextmanager
def serve(
    *, event_delay: float = 0.15, photo_delay: float = 0.02, retry_after_ms: int = 200
) -> Generator[str, None, None]:
    """Run the pet-store server on 127.0.0.1 (a free port) and yield its base URL.

    The delays make streaming visible; tests pass zeros.
    """
    server = _Server(
        event_delay=event_delay, photo_delay=photo_delay, retry_after_ms=retry_after_ms
    )
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="typedresp-demo",
        daemon=True,
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
