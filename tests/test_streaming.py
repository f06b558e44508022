"""Stream[T] / AsyncStream[T]: typed events, [DONE], error events, limits, and that the
response is closed however the stream ends."""

from __future__ import annotations

import gc
import itertools
import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, ClassVar, Literal, Union

import anyio
import anyio.lowlevel
import attrs
import httpx
import pytest

from typedresp import (
    APIConnectionError,
    APITimeoutError,
    AsyncStream,
    MissingStreamClassError,
    Registry,
    ResponseTooLarge,
    ResponseValidationError,
    ServerSentEvent,
    Stream,
    StreamAlreadyConsumed,
    StreamError,
    TypedRespError,
)
from typedresp._streaming import BodyKind

from .server import CountingBody, Reply, ServerView
from .twins import Twin


@attrs.frozen
class Delta:
    type: Literal["delta"]
    text: str


@attrs.frozen
class Finished:
    type: Literal["finished"]
    reason: str


ChatEvent = Union[Delta, Finished]


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body from chunks that records how far it was read and if it was closed.

    ``fail_with`` is raised after the chunks, as httpx does when a connection drops.
    """

    def __init__(self, chunks: Iterable[bytes], fail_with: Exception | None = None) -> None:
        self.chunks = list(chunks)
        self.fail_with = fail_with
        self.read = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.read += 1
            yield chunk
        if self.fail_with is not None:
            raise self.fail_with

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def respond(
    chunks: Iterable[bytes],
    content_type: str = "text/event-stream",
    fail_with: Exception | None = None,
) -> tuple[httpx.Response, Body]:
    body = Body(chunks, fail_with)
    request = httpx.Request("GET", "https://api.example/stream")
    response = httpx.Response(
        200, headers={"content-type": content_type}, stream=body, request=request
    )
    return response, body


def sse(*events: str) -> list[bytes]:
    """One chunk per event: ``sse('{"a": 1}')`` is ``[b'data: {"a": 1}\\n\\n']``."""
    return [f"data: {event}\n\n".encode() for event in events]


DELTA_HI = '{"type": "delta", "text": "Hi"}'
DELTA_THERE = '{"type": "delta", "text": " there"}'
FINISHED = '{"type": "finished", "reason": "stop"}'


# --- typed events ---------------------------------------------------------------------


@pytest.mark.anyio
async def test_each_event_is_structured_to_the_union_of_event_classes(twin: Twin) -> None:
    response, body = respond(sse(DELTA_HI, DELTA_THERE, FINISHED))
    stream = twin.Stream[ChatEvent](cast_to=ChatEvent, response=response)
    assert await twin.items(stream) == [
        Delta("delta", "Hi"),
        Delta("delta", " there"),
        Finished("finished", "stop"),
    ]
    assert body.closed


@pytest.mark.anyio
async def test_the_element_type_can_come_from_the_subscript(twin: Twin) -> None:
    response, _ = respond(sse(DELTA_HI))
    assert await twin.items(twin.Stream[Delta](response=response)) == [Delta("delta", "Hi")]


@pytest.mark.anyio
async def test_the_element_type_can_come_from_a_subclass(twin: Twin) -> None:
    class DeltaStream(twin.Stream[Delta]):
        pass

    class NamedDeltaStream(DeltaStream):
        pass

    response, _ = respond(sse(DELTA_HI))
    assert await twin.items(NamedDeltaStream(response=response)) == [Delta("delta", "Hi")]


@pytest.mark.anyio
async def test_an_explicit_cast_to_wins_over_the_subscript(twin: Twin) -> None:
    response, _ = respond(sse(DELTA_HI))
    stream: Any = twin.Stream[Finished](cast_to=Delta, response=response)
    assert stream.cast_to is Delta


@pytest.mark.anyio
async def test_without_an_element_type_iterating_raises_type_error_and_closes(twin: Twin) -> None:
    response, body = respond(sse(DELTA_HI))
    stream: Any = twin.Stream(response=response)
    with pytest.raises(TypeError, match=r"Stream\[T\]"):
        await twin.next(stream)
    assert body.closed


@pytest.mark.anyio
async def test_server_sent_event_as_the_type_gives_the_raw_events(twin: Twin) -> None:
    response, _ = respond([b"event: delta\nid: 4\ndata: plain text\n\n"])
    (event,) = await twin.items(twin.Stream(cast_to=ServerSentEvent, response=response))
    assert event == ServerSentEvent(event="delta", data="plain text", id="4")


@pytest.mark.anyio
async def test_str_as_the_type_gives_the_data_text_without_decoding_json(twin: Twin) -> None:
    response, _ = respond(sse("plain text", '{"a": 1}'))
    assert await twin.items(twin.Stream(cast_to=str, response=response)) == [
        "plain text",
        '{"a": 1}',
    ]


@pytest.mark.anyio
async def test_a_registry_given_is_the_one_used(twin: Twin) -> None:
    registry = Registry()

    @attrs.frozen
    class Cents:
        value: int

    registry.register_structure_hook(Cents, lambda value, _: Cents(round(value * 100)))
    response, _ = respond(sse("1.25"))
    assert await twin.items(twin.Stream(cast_to=Cents, response=response, registry=registry)) == [
        Cents(125)
    ]


@pytest.mark.anyio
async def test_events_split_across_chunks_are_put_together(twin: Twin) -> None:
    body = b"".join(sse(DELTA_HI, FINISHED))
    response, _ = respond([body[i : i + 3] for i in range(0, len(body), 3)])
    assert await twin.items(twin.Stream(cast_to=ChatEvent, response=response)) == [
        Delta("delta", "Hi"),
        Finished("finished", "stop"),
    ]


@pytest.mark.anyio
async def test_last_event_id_and_retry_are_exposed(twin: Twin) -> None:
    response, _ = respond([b"retry: 2500\nid: a1\ndata: 1\n\n", b"id: a2\ndata: 2\n\n"])
    stream = twin.Stream(cast_to=int, response=response)
    assert (stream.last_event_id, stream.retry) == ("", None)
    assert await twin.next(stream) == 1
    assert (stream.last_event_id, stream.retry) == ("a1", 2500)
    assert await twin.next(stream) == 2
    assert stream.last_event_id == "a2"


@pytest.mark.anyio
async def test_a_validation_error_names_the_path_and_carries_the_response(twin: Twin) -> None:
    response, body = respond(sse(DELTA_HI, '{"type": "delta", "text": 5}'))
    stream = twin.Stream[ChatEvent](cast_to=ChatEvent, response=response)
    assert await twin.next(stream) == Delta("delta", "Hi")
    with pytest.raises(ResponseValidationError) as info:
        await twin.next(stream)
    assert [item.path for item in info.value.errors] == ["$.text"]
    assert info.value.response is response
    assert body.closed


@pytest.mark.anyio
async def test_invalid_json_data_raises_a_validation_error_with_the_text(twin: Twin) -> None:
    response, body = respond(sse("{not json"))
    with pytest.raises(ResponseValidationError) as info:
        await twin.items(twin.Stream(cast_to=Delta, response=response))
    assert info.value.body == "{not json"
    assert info.value.response is response
    assert body.closed


# --- [DONE] and error events ----------------------------------------------------------


@pytest.mark.anyio
async def test_done_ends_the_stream_and_closes_the_response(twin: Twin) -> None:
    response, body = respond([*sse(DELTA_HI, "[DONE]", DELTA_THERE), *sse(DELTA_THERE) * 100])
    assert await twin.items(twin.Stream(cast_to=Delta, response=response)) == [Delta("delta", "Hi")]
    assert body.closed
    assert body.read == 2  # nothing after [DONE] was read


@pytest.mark.anyio
async def test_a_subclass_can_turn_the_done_marker_off(twin: Twin) -> None:
    class NoDone(twin.Stream[str]):
        done_data: ClassVar[str | None] = None

    response, _ = respond(sse("a", "[DONE]", "b"))
    assert await twin.items(NoDone(response=response)) == ["a", "[DONE]", "b"]


@pytest.mark.anyio
async def test_an_event_named_error_raises_stream_error_with_the_event_and_body(twin: Twin) -> None:
    response, body = respond(
        [*sse(DELTA_HI), b'event: error\ndata: {"message": "overloaded"}\n\n', *sse(DELTA_THERE)]
    )
    stream = twin.Stream(cast_to=Delta, response=response)
    assert await twin.next(stream) == Delta("delta", "Hi")
    with pytest.raises(StreamError, match="overloaded") as info:
        await twin.next(stream)
    assert info.value.body == {"message": "overloaded"}
    assert isinstance(info.value.event, ServerSentEvent)
    assert info.value.event.event == "error"
    assert isinstance(info.value, TypedRespError)
    assert body.closed


@pytest.mark.anyio
async def test_an_error_event_with_text_data_carries_the_text(twin: Twin) -> None:
    response, _ = respond([b"event: error\ndata: upstream timed out\n\n"])
    with pytest.raises(StreamError, match="upstream timed out") as info:
        await twin.items(twin.Stream(cast_to=Delta, response=response))
    assert info.value.body == "upstream timed out"


@pytest.mark.anyio
async def test_json_data_with_a_non_null_error_raises_stream_error(twin: Twin) -> None:
    response, body = respond(sse('{"error": {"message": "quota exceeded", "code": 429}}'))
    with pytest.raises(StreamError, match="quota exceeded") as info:
        await twin.items(twin.Stream(cast_to=Delta, response=response))
    assert info.value.body == {"error": {"message": "quota exceeded", "code": 429}}
    assert body.closed


@pytest.mark.anyio
async def test_json_data_with_a_null_error_is_an_ordinary_event(twin: Twin) -> None:
    @attrs.frozen
    class Result:
        value: int
        error: str | None

    response, _ = respond(sse('{"value": 1, "error": null}'))
    assert await twin.items(twin.Stream(cast_to=Result, response=response)) == [Result(1, None)]


@pytest.mark.anyio
async def test_a_detector_can_be_passed_for_other_conventions(twin: Twin) -> None:
    def detector(event: ServerSentEvent, body: Any) -> StreamError | None:
        if isinstance(body, dict) and body.get("type") == "failure":
            return StreamError(body["why"], event=event, body=body)
        return None

    response, _ = respond(sse(DELTA_HI, '{"type": "failure", "why": "boom"}'))
    stream = twin.Stream(cast_to=Delta, response=response, error_detector=detector)
    assert await twin.next(stream) == Delta("delta", "Hi")
    with pytest.raises(StreamError, match="boom"):
        await twin.next(stream)


@pytest.mark.anyio
async def test_a_subclass_can_override_detect_error(twin: Twin) -> None:
    class Lenient(twin.Stream[Any]):
        def detect_error(self, event: ServerSentEvent, body: Any) -> StreamError | None:
            return None  # this API puts an "error" key on ordinary events

    response, _ = respond(sse('{"error": "partial"}'))
    assert await twin.items(Lenient(response=response)) == [{"error": "partial"}]


# --- JSON lines -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-ndjson",
        "application/jsonl",
        "application/x-jsonlines",
        "Application/X-NDJSON; charset=utf-8",
    ],
)
@pytest.mark.anyio
async def test_json_lines_bodies_are_read_line_by_line(content_type: str, twin: Twin) -> None:
    body = f"{DELTA_HI}\r\n\n{FINISHED}".encode()
    response, _ = respond([body[:7], body[7:]], content_type=content_type)
    assert await twin.items(twin.Stream(cast_to=ChatEvent, response=response)) == [
        Delta("delta", "Hi"),
        Finished("finished", "stop"),
    ]


@pytest.mark.anyio
async def test_json_lines_with_a_non_null_error_raise_stream_error(twin: Twin) -> None:
    response, _ = respond([b'{"error": "nope"}\n'], content_type="application/x-ndjson")
    with pytest.raises(StreamError) as info:
        await twin.items(twin.Stream(cast_to=Delta, response=response))
    assert info.value.body == {"error": "nope"}


@pytest.mark.anyio
async def test_the_content_type_decides_sse_even_with_parameters(twin: Twin) -> None:
    response, _ = respond(sse("1"), content_type="text/event-stream; charset=utf-8")
    assert await twin.items(twin.Stream(cast_to=int, response=response)) == [1]


@pytest.mark.anyio
async def test_a_stream_class_can_force_json_lines_whatever_the_content_type(twin: Twin) -> None:
    class Lines(twin.Stream[int]):
        body_kind: ClassVar[BodyKind | None] = "jsonl"

    response, _ = respond([b"1\n2\n"], content_type="text/plain")
    assert await twin.items(Lines(response=response)) == [1, 2]


@pytest.mark.anyio
async def test_a_stream_class_can_force_sse_whatever_the_content_type(twin: Twin) -> None:
    class Events(twin.Stream[int]):
        body_kind: ClassVar[BodyKind | None] = "sse"

    response, _ = respond(sse("1"), content_type="application/x-ndjson")
    assert await twin.items(Events(response=response)) == [1]


# --- limits ---------------------------------------------------------------------------


@pytest.mark.anyio
async def test_an_event_over_max_event_bytes_raises_response_too_large_and_closes(
    twin: Twin,
) -> None:
    huge = b"data: " + b"x" * 1000
    response, body = respond([*sse("1"), huge, huge, huge, b"\n\n"])
    stream = twin.Stream(cast_to=int, response=response, max_event_bytes=1500)
    assert await twin.next(stream) == 1
    with pytest.raises(ResponseTooLarge) as info:
        await twin.next(stream)
    assert info.value.limit == 1500
    assert info.value.response is response
    assert body.read == 3  # raised as soon as the limit was crossed
    assert body.closed


@pytest.mark.anyio
async def test_a_json_line_over_max_event_bytes_raises_response_too_large(twin: Twin) -> None:
    response, _ = respond([b"[" + b"1," * 100], content_type="application/x-ndjson")
    with pytest.raises(ResponseTooLarge):
        await twin.items(twin.Stream(cast_to=list[int], response=response, max_event_bytes=50))


# --- the response is always closed ----------------------------------------------------


@pytest.mark.anyio
async def test_the_response_is_closed_at_the_end_of_the_body(twin: Twin) -> None:
    response, body = respond(sse("1", "2"))
    assert await twin.items(twin.Stream(cast_to=int, response=response)) == [1, 2]
    assert body.closed
    assert response.is_closed


def test_breaking_out_of_a_for_loop_closes_the_response() -> None:
    response, body = respond(sse("1", "2", "3"))
    stream = Stream(cast_to=int, response=response)
    for item in stream:
        assert item == 1
        break
    gc.collect()  # only needed on interpreters without reference counting
    assert body.closed
    assert stream.is_closed
    assert list(stream) == []


@pytest.mark.anyio
async def test_leaving_a_with_block_closes_the_response(twin: Twin) -> None:
    response, body = respond(sse("1", "2"))
    async with twin.entered(twin.Stream(cast_to=int, response=response)) as stream:
        assert await twin.next(stream) == 1
        assert not body.closed
    assert body.closed


def test_an_exception_in_the_loop_body_closes_the_response() -> None:
    response, body = respond(sse("1", "2"))

    def consume() -> None:
        for _ in Stream(cast_to=int, response=response):
            raise KeyError("user code failed")

    with pytest.raises(KeyError):
        consume()
    gc.collect()
    assert body.closed


@pytest.mark.anyio
async def test_close_during_iteration_stops_the_loop(twin: Twin) -> None:
    response, body = respond(sse("1", "2", "3"))
    stream = twin.Stream(cast_to=int, response=response)
    seen = []
    async for item in twin.each(stream):
        seen.append(item)
        await twin.close(stream)
    assert seen == [1]
    assert body.closed


@pytest.mark.anyio
async def test_next_then_for_continues_where_next_stopped(twin: Twin) -> None:
    response, _ = respond([b"".join(sse("1", "2", "3"))])
    stream = twin.Stream(cast_to=int, response=response)
    assert await twin.next(stream) == 1
    assert await twin.items(stream) == [2, 3]


@pytest.mark.anyio
async def test_a_dropped_connection_raises_a_typed_error_and_closes(twin: Twin) -> None:
    response, body = respond(
        [*sse("1"), b"data: 2"], fail_with=httpx.RemoteProtocolError("peer closed")
    )
    stream = twin.Stream(cast_to=int, response=response)
    assert await twin.next(stream) == 1
    with pytest.raises(APIConnectionError, match="peer closed") as info:
        await twin.next(stream)
    assert info.value.request is response.request
    assert isinstance(info.value.__cause__, httpx.RemoteProtocolError)
    assert body.closed


@pytest.mark.anyio
async def test_a_read_timeout_raises_api_timeout_error(twin: Twin) -> None:
    response, _ = respond(sse("1"), fail_with=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        await twin.items(twin.Stream(cast_to=int, response=response))


@pytest.mark.anyio
async def test_a_body_already_streamed_raises_stream_already_consumed(twin: Twin) -> None:
    response, _ = respond(sse("1"))
    for _ in response.iter_bytes():
        pass
    with pytest.raises(StreamAlreadyConsumed):
        await twin.items(twin.Stream(cast_to=int, response=response))


@pytest.mark.anyio
async def test_a_response_read_into_memory_can_still_be_streamed(twin: Twin) -> None:
    response = httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=b"".join(sse("1", "2"))
    )
    assert await twin.items(twin.Stream(cast_to=int, response=response)) == [1, 2]


def test_the_stream_class_is_marked_for_the_response_layer() -> None:
    assert Stream._typedresp_stream_ is True
    assert AsyncStream._typedresp_stream_ is True


# --- a real server on 127.0.0.1 -------------------------------------------------------


@pytest.mark.anyio
async def test_events_arrive_while_the_server_is_still_streaming(
    http_server: ServerView, twin: Twin
) -> None:
    first_seen = threading.Event()

    def events() -> Iterator[bytes]:
        yield b"data: 1\n\n"
        # The second event is only sent once the client has the first: were the client
        # buffering the whole body, this would wait until the timeout and fail.
        if first_seen.wait(timeout=30):
            yield b"data: 2\n\n"

    http_server.route("/slow", Reply(body=events(), headers={"Content-Type": "text/event-stream"}))
    async with twin.streamed(http_server.url + "/slow") as response:
        stream = twin.Stream(cast_to=int, response=response)
        assert await twin.next(stream) == 1
        first_seen.set()
        assert await twin.items(stream) == [2]
        assert response.is_closed


@pytest.mark.anyio
async def test_a_connection_dropped_mid_event_raises_api_connection_error(
    http_server: ServerView, twin: Twin
) -> None:
    body = b'data: 1\n\ndata: {"partial'
    http_server.route(
        "/drop",
        Reply(
            body=[body, b"more"],
            headers={"Content-Type": "text/event-stream"},
            drop_after=len(body),
        ),
    )
    async with twin.streamed(http_server.url + "/drop") as response:
        stream = twin.Stream(cast_to=int, response=response)
        assert await twin.next(stream) == 1
        with pytest.raises(APIConnectionError):
            await twin.next(stream)
        assert response.is_closed


def test_a_64_mib_event_from_a_real_server_is_decoded(http_server: ServerView) -> None:
    size = 64 * 2**20 - len(b'data: ""\n\n')  # the event is 64 MiB on the wire
    chunk = b"x" * 2**20
    pieces = [b'data: "', *([chunk] * 63), b"x" * (size - 63 * len(chunk)), b'"\n\n']
    http_server.route("/big", Reply(body=pieces, headers={"Content-Type": "text/event-stream"}))
    with (
        httpx.Client() as client,
        client.stream("GET", http_server.url + "/big") as response,
    ):
        (text,) = list(Stream(cast_to=str, response=response))
    assert len(text) == size + 2  # str gives the data as sent, quotes included
    assert response.is_closed


@pytest.mark.anyio
async def test_an_endless_event_stops_at_the_limit_without_reading_on(
    http_server: ServerView, twin: Twin
) -> None:
    endless = CountingBody(b"x" * 65536, times=None)
    http_server.route(
        "/endless",
        Reply(
            body=itertools.chain([b"data: "], _take(endless)),
            headers={"Content-Type": "text/event-stream"},
        ),
    )
    async with twin.streamed(http_server.url + "/endless") as response:
        with pytest.raises(ResponseTooLarge):
            await twin.items(twin.Stream(cast_to=str, response=response, max_event_bytes=2**20))
        assert response.is_closed
    # The server would send 256 MiB; the client stopped after the 1 MiB limit (what the
    # server got out before noticing is bounded by the socket buffers).
    assert endless.produced < 32 * 2**20


def _take(body: CountingBody, limit: int = 4096) -> Iterator[bytes]:
    """The chunks of a body, at most ``limit`` of them (so a failing test still ends)."""
    for count, chunk in enumerate(body):
        if count >= limit:
            return
        yield chunk


@pytest.mark.anyio
async def test_a_gzip_encoded_event_stream_is_decoded(http_server: ServerView, twin: Twin) -> None:
    http_server.route(
        "/gzip",
        Reply(body=sse("1", "2"), headers={"Content-Type": "text/event-stream"}, gzip=True),
    )
    async with twin.streamed(http_server.url + "/gzip") as response:
        assert await twin.items(twin.Stream(cast_to=int, response=response)) == [1, 2]


def test_breaking_out_of_an_endless_real_stream_closes_the_response(
    http_server: ServerView,
) -> None:
    http_server.route(
        "/forever",
        Reply(
            body=CountingBody(b"data: 1\n\n", times=100_000),
            headers={"Content-Type": "text/event-stream"},
        ),
    )
    with httpx.Client() as client:
        response = client.send(
            client.build_request("GET", http_server.url + "/forever"), stream=True
        )
        for item in Stream(cast_to=int, response=response):
            assert item == 1
            break
        gc.collect()
        assert response.is_closed


@pytest.mark.anyio
async def test_cancelling_a_task_waiting_for_the_next_event_closes_the_response(
    http_server: ServerView,
) -> None:
    release = threading.Event()

    def events() -> Iterator[bytes]:
        yield b"data: 1\n\n"
        release.wait(timeout=30)  # the server stalls until the test ends
        yield b"data: 2\n\n"

    http_server.route("/stall", Reply(body=events(), headers={"Content-Type": "text/event-stream"}))
    got: list[int] = []
    try:
        async with httpx.AsyncClient() as client:
            request = client.build_request("GET", http_server.url + "/stall")
            response = await client.send(request, stream=True)
            stream = AsyncStream(cast_to=int, response=response)
            waiting = anyio.Event()

            async def consume() -> None:
                async for item in stream:
                    got.append(item)
                    waiting.set()

            async with anyio.create_task_group() as tasks:
                tasks.start_soon(consume)
                await waiting.wait()
                await anyio.wait_all_tasks_blocked()  # consume() now waits for event 2
                tasks.cancel_scope.cancel()
            assert got == [1]
            assert response.is_closed
            assert stream.is_closed
    finally:
        release.set()


class StallingBody(httpx.AsyncByteStream):
    """Sends its chunks, then waits forever; closing it takes a trip to the event loop."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = list(chunks)
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        await anyio.sleep_forever()

    async def aclose(self) -> None:
        await anyio.lowlevel.checkpoint()  # a cancelled, unshielded close stops here
        self.closed = True


@pytest.mark.anyio
async def test_a_cancelled_task_still_finishes_closing_the_response() -> None:
    body = StallingBody(sse("1"))
    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)
    stream = AsyncStream(cast_to=int, response=response)
    got: list[int] = []

    async def consume() -> None:
        async for item in stream:
            got.append(item)

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(consume)
        await anyio.wait_all_tasks_blocked()
        tasks.cancel_scope.cancel()
    assert got == [1]
    assert body.closed


# --- through the response layer -------------------------------------------------------


@pytest.mark.anyio
async def test_api_response_parse_gives_the_stream_class_it_was_given(twin: Twin) -> None:
    response, body = respond(sse(DELTA_HI, "[DONE]"))
    api_response = twin.APIResponse(
        raw=response, cast_to=Delta, stream=True, stream_cls=twin.Stream[Delta]
    )
    stream = await twin(api_response.parse())
    assert isinstance(stream, twin.Stream)
    assert await twin.items(stream) == [Delta("delta", "Hi")]
    assert body.closed


@pytest.mark.anyio
async def test_api_response_parse_to_a_stream_type_builds_one(twin: Twin) -> None:
    class ChatStream(twin.Stream[ChatEvent]):
        pass

    response, _ = respond(sse(FINISHED))
    api_response = twin.APIResponse(raw=response, cast_to=ChatEvent, stream=True)
    stream = await twin(api_response.parse(to=ChatStream))
    assert isinstance(stream, ChatStream)
    assert await twin.items(stream) == [Finished("finished", "stop")]


@pytest.mark.anyio
async def test_api_response_with_a_registry_passes_it_to_the_stream(twin: Twin) -> None:
    registry = Registry()
    registry.register_structure_hook(Delta, lambda value, _: Delta("delta", value.upper()))
    response, _ = respond(sse('"hi"'))
    api_response = twin.APIResponse(
        raw=response, cast_to=Delta, registry=registry, stream=True, stream_cls=twin.Stream[Delta]
    )
    stream = await twin(api_response.parse())
    assert await twin.items(stream) == [Delta("delta", "HI")]


@pytest.mark.anyio
async def test_api_response_streamed_without_a_stream_class_raises(twin: Twin) -> None:
    response, body = respond(sse(DELTA_HI))
    with pytest.raises(MissingStreamClassError):
        await twin(twin.APIResponse(raw=response, cast_to=Delta, stream=True).parse())
    assert body.closed


# --- a body that is no stream ---------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"error": {"message": "quota exceeded", "code": 429}}'),
        ("application/json; charset=utf-8", b'{"error": "overloaded"}'),
    ],
)
async def test_a_json_error_answered_instead_of_a_stream_raises_stream_error(
    http_server: ServerView, content_type: str, body: bytes, twin: Twin
) -> None:
    http_server.route("/e", Reply(body=body, headers={"Content-Type": content_type}))
    async with twin.streamed(http_server.url + "/e") as response:
        with pytest.raises(StreamError) as info:
            await twin.items(twin.Stream(cast_to=Delta, response=response))
        assert response.is_closed
    assert isinstance(info.value.body, dict)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"data": [1, 2], "error": null}'),
        ("text/html", b"<html><body>Bad gateway</body></html>"),
        ("text/plain", b"data: 1\n\n"),
    ],
)
async def test_a_body_that_is_no_stream_raises_naming_its_content_type(
    http_server: ServerView, content_type: str, body: bytes, twin: Twin
) -> None:
    http_server.route("/e", Reply(body=body, headers={"Content-Type": content_type}))
    async with twin.streamed(http_server.url + "/e") as response:
        with pytest.raises(ResponseValidationError, match=f"got content-type '{content_type}'"):
            await twin.items(twin.Stream(cast_to=int, response=response))
        assert response.is_closed


@pytest.mark.anyio
async def test_a_body_without_content_type_is_read_as_sse(twin: Twin) -> None:
    response = httpx.Response(200, content=b"".join(sse("1", "2")))
    assert "content-type" not in response.headers
    assert await twin.items(twin.Stream(cast_to=int, response=response)) == [1, 2]


@pytest.mark.anyio
async def test_a_huge_content_type_is_cut_in_the_message(twin: Twin) -> None:
    content_type = "text/" + "x" * 65536
    response, _ = respond([b"hello"], content_type=content_type)
    with pytest.raises(ResponseValidationError) as info:
        await twin.items(twin.Stream(cast_to=int, response=response))
    assert len(str(info.value)) < 400
    assert "65541 characters" in str(info.value)


@pytest.mark.anyio
async def test_a_body_that_is_no_stream_is_read_only_up_to_the_event_limit(twin: Twin) -> None:
    response, body = respond([b"x" * 4096] * 1000, content_type="text/html")
    with pytest.raises(ResponseTooLarge):
        await twin.items(twin.Stream(cast_to=int, response=response, max_event_bytes=64 * 1024))
    assert body.closed
    assert body.read <= 17  # 4 KiB chunks: it stopped just past 64 KiB of the 4 MB


# --- a body read before streaming -------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content_type", "events", "count"),
    [
        ("text/event-stream", b"data: {}\n\n" * 200_000, 200_000),  # 2 MB: 200 000 events
        ("application/x-ndjson", b'{"a": 1}\n' * 100_000, 100_000),
    ],
)
async def test_a_body_read_before_streaming_is_decoded_lazily(
    content_type: str, events: bytes, count: int, twin: Twin
) -> None:
    from .hostile import peak_memory

    response = httpx.Response(200, headers={"content-type": content_type}, content=events)
    stream = twin.Stream(cast_to=Any, response=response)
    with peak_memory() as peak:
        seen = 0
        async for _ in twin.each(stream):
            seen += 1
    assert seen == count
    assert peak[0] < 2 * 2**20  # all events at once would take ~60 MB


@pytest.mark.anyio
async def test_a_stream_stopped_part_way_keeps_no_partial_event(twin: Twin) -> None:
    response, _ = respond([b"data: 1\n\nid: 7\ndata: half"], fail_with=httpx.ReadError("gone"))
    stream = twin.Stream(cast_to=int, response=response)
    with pytest.raises(APIConnectionError):
        await twin.items(stream)
    assert stream._sse is not None
    assert stream._sse.decode(b"\ndata: 2\n\n") == [ServerSentEvent(data="2")]
    assert stream.last_event_id == ""


@pytest.mark.anyio
async def test_async_with_closes_at_once_after_an_async_for_breaks() -> None:
    """The README's advice: an ``async for`` that breaks leaves the response to the
    generator's finaliser; ``async with`` closes it when the block is left."""
    response, body = respond(sse("1", "2", "3"))
    async with AsyncStream(cast_to=int, response=response) as stream:
        async for number in stream:
            assert number == 1
            break
    assert body.closed
    assert stream.is_closed
