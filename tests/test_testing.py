"""`typedresp.testing`: the mock router, the stream body builders cut at chosen
boundaries, and the page server."""

from __future__ import annotations

import attrs
import httpx
import pytest

from typedresp import (
    APIResponse,
    AsyncClient,
    AsyncStream,
    Client,
    ServerSentEvent,
    Stream,
    StreamError,
)
from typedresp.testing import (
    MockRouter,
    PageServer,
    chunked,
    jsonl_body,
    jsonl_response,
    sse_body,
    sse_response,
    stream_response,
)

from .clients import Waits


@attrs.frozen
class Delta:
    text: str


def client_for(router: MockRouter) -> Client:
    return Client("https://api.test/v1", http_client=httpx.Client(transport=router.transport))


def test_the_router_answers_by_method_and_path_and_records_calls() -> None:
    router = MockRouter()
    pets = router.get("/v1/pets/1", httpx.Response(200, json={"id": 1}))
    adopt = router.post(
        "/v1/pets/1/adopt", lambda request: httpx.Response(201, content=request.read())
    )
    client = client_for(router)
    assert client.get("/pets/1", cast_to=dict, params={"x": 1}) == {"id": 1}
    assert client.get("/pets/1", cast_to=dict) == {"id": 1}  # served afresh every time
    assert client.post("/pets/1/adopt", cast_to=dict, body={"a": 1}) == {"a": 1}
    assert [call.request.method for call in router.calls] == ["GET", "GET", "POST"]
    assert router.calls[0].request.url.params["x"] == "1"
    assert len(pets.calls) == 2
    assert adopt.called
    assert adopt.calls[0].response.status_code == 201


def test_a_list_is_served_one_response_per_call_then_fails() -> None:
    router = MockRouter()
    router.get("/v1/x", [httpx.Response(503), httpx.Response(200, json=1)])
    client = Client(
        "https://api.test/v1",
        http_client=httpx.Client(transport=router.transport),
        retry_policy=Waits().policy(),
    )
    assert client.get("/x", cast_to=int) == 1
    with pytest.raises(AssertionError, match=r"GET /v1/x was called 3 times; it has 2 responses"):
        client.get("/x", cast_to=int)


def test_an_unknown_route_fails_the_test_with_the_known_ones() -> None:
    router = MockRouter()
    router.get("/v1/pets", httpx.Response(200, json=[]))
    with pytest.raises(
        AssertionError, match=r"no route for DELETE /v1/pets \(routes: GET /v1/pets\)"
    ):
        client_for(router).delete("/pets", cast_to=dict)


def test_chunked_cuts_at_offsets_and_sizes() -> None:
    assert chunked(b"abcdefgh", at=[3, 5]) == [b"abc", b"de", b"fgh"]
    assert chunked(b"abcdefgh", size=3) == [b"abc", b"def", b"gh"]
    assert chunked(b"abcdefgh", size=4, at=[1, 99, 0]) == [b"a", b"bcd", b"efgh"]
    assert chunked(b"") == [b""]
    with pytest.raises(ValueError, match="size must be >= 1"):
        chunked(b"ab", size=0)


def test_sse_body_writes_every_field() -> None:
    body = sse_body(
        [{"a": 1}, "two\nlines", ServerSentEvent(event="ping", data="", id="7", retry=30)]
    )
    assert body == (
        b'data: {"a": 1}\n\ndata: two\ndata: lines\n\nevent: ping\nid: 7\nretry: 30\ndata: \n\n'
    )
    assert jsonl_body([{"n": 1}, 2]) == b'{"n": 1}\n2\n'


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64])
def test_a_sse_stream_cut_anywhere_gives_the_same_events(size: int) -> None:
    router = MockRouter()
    events = [{"text": "Hel"}, {"text": "lo"}, "[DONE]"]
    router.get("/v1/chat", sse_response(events, size=size))
    client = client_for(router)
    response = client.get(
        "/chat", cast_to=APIResponse[bytes], extra_headers={"X-Typedresp-Raw-Response": "stream"}
    )
    chunks = list(response.iter_bytes())
    assert all(len(chunk) <= size for chunk in chunks)
    with client.get("/chat", cast_to=Delta, stream=True, stream_cls=Stream[Delta]) as stream:
        assert [delta.text for delta in stream] == ["Hel", "lo"]


def test_a_crlf_split_between_chunks_is_one_line_break() -> None:
    body = b'data: {"text": "a"}\r\n\r\ndata: {"text": "b"}\r\n\r\n'
    cut = body.index(b"\r\n") + 1  # between CR and LF
    router = MockRouter()
    chunks = chunked(body, at=[cut])
    router.get("/v1/chat", stream_response(chunks, content_type="text/event-stream"))
    client = client_for(router)
    with client.get("/chat", cast_to=Delta, stream=True, stream_cls=Stream[Delta]) as stream:
        assert [delta.text for delta in stream] == ["a", "b"]


def test_an_error_event_from_the_builder_raises_stream_error() -> None:
    router = MockRouter()
    router.get(
        "/v1/chat",
        sse_response(
            [{"text": "a"}, ServerSentEvent(event="error", data='{"error": "x"}')], at=[4]
        ),
    )
    with client_for(router).get(
        "/chat", cast_to=Delta, stream=True, stream_cls=Stream[Delta]
    ) as stream:
        events = iter(stream)
        assert next(events).text == "a"
        with pytest.raises(StreamError):
            next(events)


@pytest.mark.anyio
async def test_json_lines_are_served_to_async_clients_in_chunks() -> None:
    router = MockRouter()
    router.get("/v1/export", jsonl_response([{"text": "x"}, {"text": "y"}], at=[3, 14]))
    async with httpx.AsyncClient(transport=router.transport) as http:
        client = AsyncClient("https://api.test/v1", http_client=http)
        stream = await client.get(
            "/export", cast_to=Delta, stream=True, stream_cls=AsyncStream[Delta]
        )
        async with stream:
            assert [delta.text async for delta in stream] == ["x", "y"]


def test_the_page_server_serves_each_shape() -> None:
    items = [{"id": n} for n in range(1, 6)]
    request = httpx.Request

    def get(server: PageServer, query: str) -> httpx.Response:
        return server(request("GET", "https://api.test/v1/items?" + query))

    cursor = get(PageServer(items, style="cursor"), "limit=2&after=2")
    assert cursor.json() == {"object": "list", "data": items[2:4], "has_more": True}
    assert get(PageServer(items, style="cursor"), "after=4").json()["has_more"] is False
    assert get(PageServer(items, style="page"), "page=3&per_page=2").json() == {"data": items[4:]}
    assert get(PageServer(items, style="offset"), "offset=1&limit=3").json() == {"data": items[1:4]}
    link = get(PageServer(items, style="link", page_size=2), "")
    assert link.json() == items[:2]
    assert link.headers["link"] == '<https://api.test/v1/items?page=2&per_page=2>; rel="next"'
    assert "link" not in get(PageServer(items, style="link"), "page=3").headers
