"""Test an SDK built on typedresp without a network: a router, body builders, pages.

`MockRouter` answers requests by method and path through an `httpx.MockTransport` and
records every call:

>>> from typedresp import Client, CursorRule
>>> router = MockRouter()
>>> rex = router.get("/v1/pets/1", httpx.Response(200, json={"id": 1, "name": "Rex"}))
>>> client = Client("https://api.test/v1", headers={"Authorization": "Bearer sk-test"},
...                 http_client=httpx.Client(transport=router.transport))
>>> client.get("/pets/1", cast_to=dict[str, Any])["name"]
'Rex'
>>> rex.called, router.calls[0].request.headers["authorization"]
(True, 'Bearer sk-test')

Streams are answered chunk by chunk, cut where a test chooses (``at=`` byte offsets or
every ``size`` bytes), to show that a parser copes with any boundary:

>>> events = [{"delta": "Hel"}, {"delta": "lo"}, "[DONE]"]
>>> chat = router.get("/v1/chat", sse_response(events, size=7))
>>> [event["delta"] for event in client.get("/chat", cast_to=dict[str, str], stream=True)]
['Hel', 'lo']
>>> export = router.get("/v1/export", jsonl_response([{"n": 1}, {"n": 2}], at=[3]))

`PageServer` serves a list in pages, in the shape of a cursor, page-number, offset or
RFC 8288 ``Link`` header API:

>>> pets = [{"id": f"pet_{n}", "name": name} for n, name in enumerate(["Rex", "Tom", "Polly"])]
>>> listing = router.get("/v1/pets", PageServer(pets, page_size=2, style="cursor"))
>>> [pet["name"] for pet in client.get_pages("/pets", item=dict[str, str], rule=CursorRule())]
['Rex', 'Tom', 'Polly']
>>> len(listing.calls), router
(2, <MockRouter 4 routes, 4 calls>)
>>> client.close()

Every response is built afresh for each call, so one route serves any number of calls
(a list of responses is served one per call, in order). A request no route matches, or
one more call than a list has responses, raises `AssertionError` out of the client call.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, Union

import attrs
import httpx

from ._sse import ServerSentEvent

__all__ = [
    "ChunkedStream",
    "MockRouter",
    "PageServer",
    "RecordedCall",
    "Route",
    "chunked",
    "jsonl_body",
    "jsonl_response",
    "sse_body",
    "sse_response",
    "stream_response",
]

Handler = Union[httpx.Response, Callable[[httpx.Request], httpx.Response]]
"""What a route answers: a response (served afresh each time) or a function of the request."""

SSEInput = Union[ServerSentEvent, str, Mapping[str, Any], Sequence[Any]]
"""One event for `sse_body`: a `ServerSentEvent`, a text (its ``data``), or JSON data."""


@attrs.frozen
class RecordedCall:
    """One request a `MockRouter` answered, and the response it gave."""

    request: httpx.Request
    response: httpx.Response


@attrs.define
class Route:
    """A method and path, what they answer, and the calls they got."""

    method: str
    path: str
    handlers: list[Handler]
    repeat: bool
    calls: list[RecordedCall] = attrs.Factory(list[RecordedCall])

    @property
    def called(self) -> bool:
        return bool(self.calls)

    def answer(self, request: httpx.Request) -> httpx.Response:
        if self.repeat:
            handler = self.handlers[0]
        elif len(self.calls) < len(self.handlers):
            handler = self.handlers[len(self.calls)]
        else:
            raise AssertionError(
                f"{self.method} {self.path} was called {len(self.calls) + 1} times; "
                f"it has {len(self.handlers)} responses"
            )
        response = handler(request) if callable(handler) else _fresh(handler)
        self.calls.append(RecordedCall(request, response))
        return response


class MockRouter:
    """Answers requests by method and path (the URL's path, the query aside).

    ``router.get(path, response)`` (``post``, ``put``, ``patch``, ``delete``,
    ``route(method, ...)``) adds a route and returns it, with its own ``calls``;
    ``router.calls`` has every call in order. ``router.transport`` goes into
    ``httpx.Client(transport=...)`` or ``httpx.AsyncClient(transport=...)``.
    """

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.calls: list[RecordedCall] = []
        self.transport = httpx.MockTransport(self.handle)

    def __repr__(self) -> str:
        return f"<MockRouter {len(self.routes)} routes, {len(self.calls)} calls>"

    def route(self, method: str, path: str, response: Handler | Sequence[Handler]) -> Route:
        """Answer ``method path`` with ``response``: one handler for every call, or a
        list of them, one per call in order."""
        if isinstance(response, httpx.Response) or callable(response):
            handlers: list[Handler] = [response]
            repeat = True
        else:
            handlers = list(response)
            repeat = False
        route = Route(method.upper(), path, handlers, repeat)
        self.routes[route.method, path] = route
        return route

    def get(self, path: str, response: Handler | Sequence[Handler]) -> Route:
        return self.route("GET", path, response)

    def post(self, path: str, response: Handler | Sequence[Handler]) -> Route:
        return self.route("POST", path, response)

    def put(self, path: str, response: Handler | Sequence[Handler]) -> Route:
        return self.route("PUT", path, response)

    def patch(self, path: str, response: Handler | Sequence[Handler]) -> Route:
        return self.route("PATCH", path, response)

    def delete(self, path: str, response: Handler | Sequence[Handler]) -> Route:
        return self.route("DELETE", path, response)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """The `httpx.MockTransport` handler: the matching route's answer."""
        route = self.routes.get((request.method, request.url.path))
        if route is None:
            known = ", ".join(f"{method} {path}" for method, path in self.routes) or "none"
            raise AssertionError(
                f"no route for {request.method} {request.url.path} (routes: {known})"
            )
        response = route.answer(request)
        self.calls.append(route.calls[-1])
        return response


def _fresh(response: httpx.Response) -> httpx.Response:
    """A new response with the same status, headers and (re-iterable) body stream."""
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=response.stream,
        extensions={**response.extensions},
    )


# -------------------------------------------------------------------- bodies


class ChunkedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body sent as these chunks, for sync and async clients, as often as needed."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = list(chunks)

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk


def chunked(body: bytes, *, size: int | None = None, at: Iterable[int] = ()) -> list[bytes]:
    """``body`` cut at the byte offsets ``at``, and every ``size`` bytes when given.

    >>> chunked(b"data: 1\\n\\n", at=[5, 8])
    [b'data:', b' 1\\n', b'\\n']
    """
    cuts = {offset for offset in at if 0 < offset < len(body)}
    if size is not None:
        if size < 1:
            raise ValueError(f"size must be >= 1, got {size}")
        cuts.update(range(size, len(body), size))
    edges = [0, *sorted(cuts), len(body)]
    return [body[start:end] for start, end in itertools.pairwise(edges)]


def sse_body(events: Iterable[SSEInput]) -> bytes:
    """Server-sent events as bytes: a text is an event's ``data`` (``"[DONE]"`` too),
    a dict or list its JSON data, a `ServerSentEvent` gives its fields (``event`` when not
    ``"message"``, ``id`` when not empty, ``retry`` when set)."""
    out: list[str] = []
    for event in events:
        if not isinstance(event, ServerSentEvent):
            data = event if isinstance(event, str) else json.dumps(event)
            event = ServerSentEvent(data=data)
        if event.event != "message":
            out.append(f"event: {event.event}\n")
        if event.id:
            out.append(f"id: {event.id}\n")
        if event.retry is not None:
            out.append(f"retry: {event.retry}\n")
        out.extend(f"data: {line}\n" for line in event.data.split("\n"))
        out.append("\n")
    return "".join(out).encode()


def jsonl_body(records: Iterable[Any]) -> bytes:
    """JSON lines: each record as one line of JSON."""
    return b"".join(json.dumps(record).encode() + b"\n" for record in records)


def stream_response(
    chunks: Iterable[bytes],
    *,
    content_type: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """A response whose body comes as ``chunks`` (no Content-Length, as a stream)."""
    all_headers = {"Content-Type": content_type, **(headers or {})}
    return httpx.Response(status, headers=all_headers, stream=ChunkedStream(chunks))


def sse_response(
    events: Iterable[SSEInput],
    *,
    size: int | None = None,
    at: Iterable[int] = (),
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """A ``text/event-stream`` response of ``events`` (see `sse_body`), cut as `chunked`
    says."""
    chunks = chunked(sse_body(events), size=size, at=at)
    return stream_response(chunks, content_type="text/event-stream", status=status, headers=headers)


def jsonl_response(
    records: Iterable[Any],
    *,
    size: int | None = None,
    at: Iterable[int] = (),
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """An ``application/x-ndjson`` response of ``records``, cut as `chunked` says."""
    chunks = chunked(jsonl_body(records), size=size, at=at)
    return stream_response(
        chunks, content_type="application/x-ndjson", status=status, headers=headers
    )


# --------------------------------------------------------------------- pages

PageStyle = Literal["cursor", "page", "offset", "link"]


@attrs.frozen
class PageServer:
    """Serves ``items`` in pages, as a route handler, in one of four API shapes:

    * ``"cursor"``: ``?limit=&after=<id>`` (the ``id`` of the last item seen) answered
      ``{"object": "list", "data": [...], "has_more": bool}``, as OpenAI and Stripe do;
    * ``"page"``: ``?page=&per_page=`` (pages from 1) answered ``{"data": [...]}``;
    * ``"offset"``: ``?offset=&limit=`` answered ``{"data": [...]}``;
    * ``"link"``: ``?page=&per_page=`` answered with the list itself and a
      ``Link: <...>; rel="next"`` header while more pages follow, as GitHub does.

    ``page_size`` is used when the request names no size. ``items_key`` is where the
    items are in an object body (``"data"``).
    """

    items: Sequence[Any]
    page_size: int = 2
    style: PageStyle = "cursor"
    items_key: str = "data"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = request.url.params
        if self.style == "cursor":
            size = _int(query.get("limit"), self.page_size)
            after = query.get("after")
            start = 0
            if after is not None:
                ids = [str(item["id"]) for item in self.items]
                start = ids.index(after) + 1 if after in ids else len(self.items)
            data = list(self.items[start : start + size])
            more = start + size < len(self.items)
            return httpx.Response(
                200, json={"object": "list", self.items_key: data, "has_more": more}
            )
        if self.style == "offset":
            size = _int(query.get("limit"), self.page_size)
            start = _int(query.get("offset"), 0)
            return httpx.Response(
                200, json={self.items_key: list(self.items[start : start + size])}
            )
        size = _int(query.get("per_page"), self.page_size)
        number = _int(query.get("page"), 1)
        start = (number - 1) * size
        data = list(self.items[start : start + size])
        if self.style == "page":
            return httpx.Response(200, json={self.items_key: data})
        headers: dict[str, str] = {}
        if start + size < len(self.items):
            next_url = request.url.copy_merge_params({"page": number + 1, "per_page": size})
            headers["Link"] = f'<{next_url}>; rel="next"'
        return httpx.Response(200, json=data, headers=headers)


def _int(value: str | None, default: int) -> int:
    return default if value is None else int(value)
