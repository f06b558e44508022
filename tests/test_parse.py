"""typedresp.parse / typedresp.aparse: one-line parsing of a plain httpx response, in memory
and over a real server (gzip, chunked, endless bodies, SSE)."""

from __future__ import annotations

import enum
import json
from typing import Annotated, Any, Generic, NewType, TypeVar

import attrs
import httpx
import pytest
from typing_extensions import assert_type

import typedresp
from typedresp import Registry, ResponseTooLarge, ResponseValidationError, Stream
from typedresp._parse import aparse, parse

from .bodies import TrackedBody
from .server import CountingBody, Reply, ServerView

T = TypeVar("T")
URL = "http://127.0.0.1/api"
JSON = {"Content-Type": "application/json"}
USER = {"id": 1, "name": "Ada"}


@attrs.define
class User:
    id: int
    name: str


@attrs.define
class Page(Generic[T]):
    data: list[T]
    has_more: bool = False


class Color(enum.Enum):
    RED = "red"


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


def unread(chunks: list[bytes]) -> tuple[httpx.Response, TrackedBody]:
    body = TrackedBody(chunks)
    request = httpx.Request("GET", URL)
    return httpx.Response(200, headers=JSON, stream=body, request=request), body


def test_typedresp_parse_parses_a_read_response() -> None:
    users = parse(httpx.Response(200, json=[USER]), to=list[User])
    assert users == [User(1, "Ada")]


def test_typedresp_parse_reads_and_closes_an_unread_response() -> None:
    raw, body = unread([dumps(USER)])
    assert typedresp.parse(raw, to=User) == User(1, "Ada")
    assert body.closed


def test_typedresp_parse_uses_the_registry_given() -> None:
    tolerant = Registry(strict=False)
    kept: Any = parse(httpx.Response(200, json="blue"), to=Color, registry=tolerant)
    assert kept == "blue"
    with pytest.raises(ResponseValidationError):
        parse(httpx.Response(200, json="blue"), to=Color)


def test_typedresp_parse_of_a_real_gzip_response(http_server: ServerView) -> None:
    http_server.route("/users", Reply.json([USER] * 50, gzip=True))
    with httpx.Client(trust_env=False) as client:
        raw = client.get(http_server.url + "/users")
    assert raw.headers["content-encoding"] == "gzip"
    assert typedresp.parse(raw, to=list[User]) == [User(1, "Ada")] * 50


def test_a_chunked_body_in_one_byte_chunks_parses(http_server: ServerView) -> None:
    body = dumps({"data": [USER] * 3, "has_more": False})
    chunks = [body[i : i + 1] for i in range(len(body))]
    http_server.route("/page", Reply(body=chunks, headers=JSON, delay=0.0005))
    with httpx.Client(trust_env=False) as client:
        request = client.build_request("GET", http_server.url + "/page")
        raw = client.send(request, stream=True)
        assert raw.headers["transfer-encoding"] == "chunked"
        assert parse(raw, to=Page[User]) == Page([User(1, "Ada")] * 3)
        assert raw.is_closed


def test_an_endless_gzip_body_stops_at_the_limit(http_server: ServerView) -> None:
    endless = CountingBody(b" " * 65536)
    http_server.route("/bomb", Reply(body=endless, headers=JSON, gzip=True))
    with httpx.Client(trust_env=False) as client:
        request = client.build_request("GET", http_server.url + "/bomb")
        raw = client.send(request, stream=True)
        with pytest.raises(ResponseTooLarge):
            parse(raw, to=Any, max_body_bytes=1 << 20)
        assert raw.is_closed
    # Socket buffers let the server run ahead a little, never to the end of an endless body.
    assert endless.produced < 256 << 20


class Plain:
    """A class no converter knows how to build from JSON."""

    def __init__(self, value: Any) -> None:
        self.value = value


def test_a_target_that_cannot_be_built_is_a_type_error_before_the_body_is_read(
    http_server: ServerView,
) -> None:
    endless = CountingBody(b"<html>" * 10000)
    http_server.route("/page", Reply(body=endless, headers={"Content-Type": "text/html"}))
    with httpx.Client(trust_env=False) as client:
        request = client.build_request("GET", http_server.url + "/page")
        raw = client.send(request, stream=True)
        with pytest.raises(TypeError, match="cannot structure"):
            parse(raw, to=list[Plain])
        assert not raw.is_stream_consumed
        assert raw.is_closed
    assert endless.produced < 64 << 20


@pytest.mark.anyio
async def test_aparse_refuses_a_target_that_cannot_be_built_before_reading() -> None:
    raw = httpx.Response(
        200,
        headers={"Content-Type": "text/plain"},
        stream=httpx.ByteStream(b"not json"),
        request=httpx.Request("GET", URL),
    )
    with pytest.raises(TypeError, match="cannot structure"):
        await aparse(raw, to=Plain)
    assert not raw.is_stream_consumed
    assert raw.is_closed


def test_typedresp_parse_takes_a_body_limit() -> None:
    raw, _ = unread([b"[1]"] * 10)
    with pytest.raises(ResponseTooLarge):
        parse(raw, to=Any, max_body_bytes=5)


@pytest.mark.anyio
async def test_aparse_parses_an_async_response(http_server: ServerView) -> None:
    http_server.route("/user", Reply.json(USER, gzip=True))
    async with httpx.AsyncClient(trust_env=False) as client:
        request = client.build_request("GET", http_server.url + "/user")
        raw = await client.send(request, stream=True)
        assert await aparse(raw, to=User) == User(1, "Ada")
        assert raw.is_closed


def test_parse_to_a_stream_class_streams_a_real_sse_body(http_server: ServerView) -> None:
    events = b"".join(b"data: " + dumps(USER) + b"\n\n" for _ in range(3)) + b"data: [DONE]\n\n"
    headers = {"Content-Type": "text/event-stream"}
    http_server.route("/events", Reply(body=[events[:7], events[7:]], headers=headers))
    with httpx.Client(trust_env=False) as client:
        raw = client.send(client.build_request("GET", http_server.url + "/events"), stream=True)
        stream = typedresp.parse(raw, to=Stream[User])
        assert list(stream) == [User(1, "Ada")] * 3
        assert raw.is_closed


def test_parse_is_typed_for_static_checkers() -> None:
    assert_type(parse(httpx.Response(200, json=[1]), to=list[int]), list[int])
    assert_type(parse(httpx.Response(200, json=USER), to=User), User)


def test_a_hook_on_a_wrapper_of_str_wins_over_the_body_text() -> None:
    slug = NewType("slug", str)
    shouting = Annotated[str, "shouting"]
    registry = Registry()
    registry.register_structure_hook(slug, lambda value, _: f"slug:{value}")
    registry.register_structure_hook(shouting, lambda value, _: value.upper())

    def response() -> httpx.Response:
        return httpx.Response(200, json="abc")

    assert parse(response(), to=slug, registry=registry) == "slug:abc"
    assert parse(response(), to=shouting, registry=registry) == "ABC"
    assert parse(response(), to=str, registry=registry) == '"abc"'
    assert parse(response(), to=slug) == '"abc"'  # no hook in the default registry: the text


def test_a_bad_argument_still_closes_the_response() -> None:
    response = httpx.Response(200, json=1)
    with pytest.raises(ValueError, match="max_body_bytes"):
        parse(response, to=int, max_body_bytes=-1)
    assert response.is_closed
