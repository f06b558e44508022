"""APIResponse / AsyncAPIResponse: properties, parse targets, media types, caching, reading,
limits, closing, the stream seam, typedresp.parse and extract_response_type."""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import enum
import gzip
import json
import weakref
from collections.abc import Iterator
from typing import Annotated, Any, Generic, Literal, NewType, Optional, TypeVar, Union

import anyio
import attrs
import httpx
import pytest
import typing_extensions
from hypothesis import given, settings
from hypothesis import strategies as st
from typing_extensions import assert_type

from typedresp import (
    APIConnectionError,
    APITimeoutError,
    MissingStreamClassError,
    Registry,
    ResponseTooLarge,
    ResponseValidationError,
    StreamAlreadyConsumed,
)
from typedresp._async_response import AsyncAPIResponse
from typedresp._parse import parse
from typedresp._response import APIResponse, BaseAPIResponse, extract_response_type

from .bodies import AsyncTrackedBody, TrackedBody
from .server import Reply, ServerView
from .twins import Twin

T = TypeVar("T")
U = TypeVar("U")
URL = "http://127.0.0.1/api"


# ----------------------------------------------------------------------- models


@attrs.define
class User:
    id: int
    name: str


@attrs.define
class Page(Generic[T]):
    data: list[T]
    has_more: bool = False


@dataclasses.dataclass
class Point:
    x: int
    y: int


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


UserId = NewType("UserId", int)
Users = typing_extensions.TypeAliasType("Users", list[User])


# ---------------------------------------------------------------------- helpers


JSON = {"Content-Type": "application/json"}


def unread(
    body: bytes | list[bytes],
    headers: dict[str, str] | None = None,
    status: int = 200,
    error: Exception | None = None,
) -> tuple[httpx.Response, TrackedBody]:
    """An unread (streaming) response and its tracked body."""
    stream = TrackedBody([body] if isinstance(body, bytes) else body, error)
    request = httpx.Request("GET", URL)
    headers = JSON if headers is None else headers
    return httpx.Response(status, headers=headers, stream=stream, request=request), stream


def async_unread(
    body: bytes | list[bytes],
    headers: dict[str, str] | None = None,
    error: Exception | None = None,
) -> tuple[httpx.Response, AsyncTrackedBody]:
    stream = AsyncTrackedBody([body] if isinstance(body, bytes) else body, error)
    request = httpx.Request("GET", URL)
    headers = JSON if headers is None else headers
    return httpx.Response(200, headers=headers, stream=stream, request=request), stream


def async_unread_from(body: AsyncTrackedBody) -> httpx.Response:
    return httpx.Response(200, headers=JSON, stream=body, request=httpx.Request("GET", URL))


def api(body: bytes | list[bytes], cast_to: Any = Any, **kwargs: Any) -> APIResponse[Any]:
    headers = kwargs.pop("headers", None)
    raw, _ = unread(body, headers)
    return APIResponse(raw=raw, cast_to=cast_to, **kwargs)


def twin_unread(
    twin: Twin,
    body: bytes | list[bytes],
    headers: dict[str, str] | None = None,
    status: int = 200,
    error: Exception | None = None,
) -> tuple[httpx.Response, Any]:
    """An unread response of the twin's flavour and its tracked body."""
    stream = twin.body([body] if isinstance(body, bytes) else body, error)
    request = httpx.Request("GET", URL)
    headers = JSON if headers is None else headers
    return httpx.Response(status, headers=headers, stream=stream, request=request), stream


def twin_api(twin: Twin, body: bytes | list[bytes], cast_to: Any = Any, **kwargs: Any) -> Any:
    """The twin's response (see `Twin.response`) over an unread body."""
    raw, _ = twin_unread(twin, body, kwargs.pop("headers", None))
    return twin.response(raw=raw, cast_to=cast_to, **kwargs)


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


# ------------------------------------------------------------------- properties


@pytest.mark.anyio
async def test_properties_come_from_the_httpx_response(twin: Twin) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {**JSON, "X-Thing": "1"}
        return httpx.Response(201, headers=headers, stream=twin.body([b'{"ok": true}']))

    transport = httpx.MockTransport(handler)
    async with twin.entered(twin.http_client_cls(transport=transport)) as client:
        raw = await twin(client.post(URL + "?q=1", json={}))
    response = twin.response(raw=raw, cast_to=dict[str, bool], retries_taken=2)

    assert response.http_response is raw
    assert response.status_code == 201
    assert response.headers["x-thing"] == "1"
    assert response.http_request is raw.request
    assert response.url == httpx.URL(URL + "?q=1")
    assert response.method == "POST"
    assert response.http_version == "HTTP/1.1"
    assert response.elapsed == raw.elapsed
    assert response.is_closed
    assert response.retries_taken == 2


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-request-id": "a", "request-id": "b"}, "a"),
        ({"request-id": "b"}, "b"),
        ({}, None),
    ],
)
@pytest.mark.anyio
async def test_request_id_reads_x_request_id_then_request_id(
    headers: dict[str, str], expected: str | None, twin: Twin
) -> None:
    assert twin_api(twin, b"{}", headers={**JSON, **headers}).request_id == expected


@pytest.mark.anyio
async def test_repr_shows_status_reason_and_type(twin: Twin) -> None:
    name = twin.APIResponse.__name__
    assert repr(twin_api(twin, b"{}", User)) == f"<{name} [200 OK] type=User>"
    assert repr(twin_api(twin, b"{}", Optional[User])) == f"<{name} [200 OK] type=User | None>"


def test_a_negative_body_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="max_body_bytes"):
        api(b"{}", max_body_bytes=-1)


def test_an_async_body_is_refused_by_the_sync_class_and_vice_versa() -> None:
    raw, _ = async_unread(b"{}")
    with pytest.raises(TypeError, match="AsyncAPIResponse"):
        APIResponse(raw=raw, cast_to=User)
    raw, _ = unread(b"{}")
    with pytest.raises(TypeError, match="APIResponse"):
        AsyncAPIResponse(raw=raw, cast_to=User)


def test_a_read_async_body_can_be_parsed_synchronously() -> None:
    raw = httpx.Response(200, json={"id": 1, "name": "a"})
    assert APIResponse(raw=raw, cast_to=User).parse() == User(1, "a")


# ---------------------------------------------------------------- parse targets

USER = {"id": 1, "name": "Ada"}


@pytest.mark.parametrize(
    ("target", "body", "expected"),
    [
        (User, USER, User(1, "Ada")),
        (Page[User], {"data": [USER], "has_more": True}, Page([User(1, "Ada")], True)),
        (Point, {"x": 1, "y": 2}, Point(1, 2)),
        (list[User], [USER, USER], [User(1, "Ada"), User(1, "Ada")]),
        (dict[str, int], {"a": 1}, {"a": 1}),
        (dict, {"a": [1]}, {"a": [1]}),
        (list, [1, "x"], [1, "x"]),
        (Optional[User], None, None),
        (Optional[User], USER, User(1, "Ada")),
        (Union[int, str], 5, 5),
        (int | str, "x", "x"),
        (Literal["a", "b"], "b", "b"),
        (Color, "red", Color.RED),
        (int, 5, 5),
        (float, 1, 1.0),
        (bool, True, True),
        (Annotated[User, "meta"], USER, User(1, "Ada")),
        (Users, [USER], [User(1, "Ada")]),
        (UserId, 7, 7),
        (object, {"a": [1, None]}, {"a": [1, None]}),
        (Any, [1, {"b": 2}], [1, {"b": 2}]),
    ],
)
@pytest.mark.anyio
async def test_parse_checks_the_json_body_against_the_target(
    target: Any, body: Any, expected: Any, twin: Twin
) -> None:
    assert await twin_api(twin, dumps(body)).parse(to=target) == expected


@pytest.mark.anyio
async def test_str_gives_the_text_also_for_a_json_body(twin: Twin) -> None:
    assert await twin_api(twin, b'{"a": 1}').parse(to=str) == '{"a": 1}'


@pytest.mark.anyio
async def test_bytes_gives_the_content(twin: Twin) -> None:
    response = twin_api(twin, b"\x00\xff", headers={"Content-Type": "application/octet-stream"})
    assert await response.parse(to=bytes) == b"\x00\xff"


@pytest.mark.anyio
async def test_none_gives_none_and_reads_and_closes_the_body(twin: Twin) -> None:
    raw, body = twin_unread(twin, b"whatever", headers={"Content-Type": "text/plain"})
    assert await twin.response(raw=raw, cast_to=None).parse() is None
    assert body.served == len(b"whatever")
    assert body.closed


@pytest.mark.anyio
async def test_httpx_response_gives_the_response_itself_with_its_body_read(twin: Twin) -> None:
    raw, _ = twin_unread(twin, b"{}")
    assert await twin.response(raw=raw, cast_to=User).parse(to=httpx.Response) is raw
    assert raw.content == b"{}"


@pytest.mark.anyio
async def test_a_subclass_of_httpx_response_is_refused_and_the_response_closed(twin: Twin) -> None:
    class MyResponse(httpx.Response):
        pass

    raw, body = twin_unread(twin, b"{}")
    with pytest.raises(TypeError, match=r"only httpx\.Response itself"):
        await twin.response(raw=raw, cast_to=MyResponse).parse()
    assert body.closed


@pytest.mark.anyio
async def test_a_response_class_is_refused_as_a_target(twin: Twin) -> None:
    with pytest.raises(TypeError, match="this object is the response"):
        await twin_api(twin, b"{}").parse(to=APIResponse[User])


@pytest.mark.anyio
async def test_a_validation_error_carries_the_response_and_the_decoded_body(twin: Twin) -> None:
    raw, body = twin_unread(twin, dumps({"id": "x", "name": "Ada"}))
    with pytest.raises(ResponseValidationError) as info:
        await twin.response(raw=raw, cast_to=User).parse()
    assert info.value.response is raw
    assert info.value.body == {"id": "x", "name": "Ada"}
    assert [e.path for e in info.value.errors] == ["$.id"]
    assert body.closed


@pytest.mark.anyio
async def test_a_bare_dict_or_list_target_is_checked(twin: Twin) -> None:
    with pytest.raises(ResponseValidationError):
        await twin_api(twin, b"[1]").parse(to=dict)
    with pytest.raises(ResponseValidationError):
        await twin_api(twin, b'{"a": 1}').parse(to=list)


@pytest.mark.anyio
async def test_strict_null_for_a_non_optional_target_raises(twin: Twin) -> None:
    with pytest.raises(ResponseValidationError):
        await twin_api(twin, b"null").parse(to=User)


@pytest.mark.anyio
async def test_a_registry_given_is_the_one_used(twin: Twin) -> None:
    registry = Registry()
    registry.register_structure_hook(User, lambda value, _: User(0, str(value)))
    assert await twin_api(twin, b'"raw"', registry=registry).parse(to=User) == User(0, "raw")
    with pytest.raises(ResponseValidationError):
        await twin_api(twin, b'"raw"').parse(to=User)


# -------------------------------------------------------------- media types


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "Application/JSON; Charset=UTF-8",
        "application/problem+json",
        "application/vnd.api+json; charset=utf-8",
    ],
)
@pytest.mark.anyio
async def test_json_media_types_are_recognised_case_insensitively(
    content_type: str, twin: Twin
) -> None:
    response = twin_api(twin, dumps(USER), headers={"Content-Type": content_type})
    assert await response.parse(to=User) == User(1, "Ada")


@pytest.mark.anyio
async def test_without_a_content_type_a_json_body_is_json(twin: Twin) -> None:
    assert await twin_api(twin, dumps(USER), headers={}).parse(to=User) == User(1, "Ada")


@pytest.mark.anyio
async def test_without_a_content_type_a_non_json_body_raises_with_the_text(twin: Twin) -> None:
    with pytest.raises(ResponseValidationError) as info:
        await twin_api(twin, b"hello", headers={}).parse(to=User)
    assert info.value.body == "hello"


@pytest.mark.parametrize("target", [User, dict[str, Any], list[int], Any, Optional[User]])
@pytest.mark.anyio
async def test_a_non_json_body_raises_for_a_structured_target_with_the_text(
    target: Any, twin: Twin
) -> None:
    raw, body = twin_unread(twin, b"<html>oops</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(ResponseValidationError) as info:
        await twin.response(raw=raw, cast_to=target).parse()
    assert info.value.body == "<html>oops</html>"
    assert info.value.response is raw
    assert "text/html" in str(info.value)
    assert body.closed


@pytest.mark.anyio
async def test_a_non_json_content_type_with_a_json_looking_body_still_raises(twin: Twin) -> None:
    with pytest.raises(ResponseValidationError):
        await twin_api(twin, dumps(USER), headers={"Content-Type": "text/plain"}).parse(to=User)


@pytest.mark.parametrize(
    ("target", "text", "expected"),
    [(int, "42", 42), (int, " 42\n", 42), (float, "4.5", 4.5), (bool, "true", True)],
)
@pytest.mark.anyio
async def test_a_plain_text_scalar_parses_for_a_scalar_target(
    target: Any, text: str, expected: Any, twin: Twin
) -> None:
    response = twin_api(twin, text.encode(), headers={"Content-Type": "text/plain"})
    assert await response.parse(to=target) == expected


@pytest.mark.parametrize(("target", "text"), [(int, "4.2"), (int, "four"), (bool, "yes")])
@pytest.mark.anyio
async def test_a_bad_plain_text_scalar_raises_a_validation_error(
    target: Any, text: str, twin: Twin
) -> None:
    with pytest.raises(ResponseValidationError) as info:
        await twin_api(twin, text.encode(), headers={"Content-Type": "text/plain"}).parse(to=target)
    assert info.value.response is not None


@pytest.mark.parametrize("body", [b"", b"{", b'{"id": 1,}', b"\xff\xfe"])
@pytest.mark.anyio
async def test_a_bad_or_empty_json_body_raises_with_the_text(body: bytes, twin: Twin) -> None:
    raw, stream = twin_unread(twin, body)
    with pytest.raises(ResponseValidationError) as info:
        await twin.response(raw=raw, cast_to=User).parse()
    assert info.value.body == raw.text
    assert info.value.response is raw
    assert info.value.errors[0].path == "$"
    assert stream.closed


@pytest.mark.anyio
async def test_hostile_json_is_a_validation_error(twin: Twin) -> None:
    with pytest.raises(ResponseValidationError):
        await twin_api(twin, b"[" * 100_000 + b"]" * 100_000).parse(to=Any)


@pytest.mark.anyio
async def test_a_declared_charset_other_than_utf8_is_decoded(twin: Twin) -> None:
    body = json.dumps({"id": 1, "name": "Zoë"}, ensure_ascii=False).encode("latin-1")
    response = twin_api(twin, body, headers={"Content-Type": "application/json; charset=latin-1"})
    assert await response.parse(to=User) == User(1, "Zoë")


@pytest.mark.anyio
async def test_json_decodes_a_declared_charset_too(twin: Twin) -> None:
    body = '{"name": "Zoë"}'.encode("latin-1")
    response = twin_api(twin, body, headers={"Content-Type": "text/plain; charset=iso-8859-1"})
    assert await response.json() == {"name": "Zoë"}


UTF8_BODY = '{"id": 1, "name": "Zoë"}'.encode()


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "UTF-16BE", "utf-32-le"])
@pytest.mark.anyio
async def test_a_utf16_or_utf32_label_on_a_utf8_body_reads_it_as_utf8(
    http_server: ServerView, charset: str, twin: Twin
) -> None:
    headers = {"Content-Type": f"application/json; charset={charset}"}
    http_server.route("/u", Reply(body=UTF8_BODY, headers=headers))
    with httpx.Client(trust_env=False) as client:
        assert parse(client.get(http_server.url + "/u"), to=User) == User(1, "Zoë")
    async with twin.streamed(http_server.url + "/u") as raw:
        response = twin.response(raw=raw, cast_to=str)
        assert await response.parse() == UTF8_BODY.decode()
        assert await response.json() == {"id": 1, "name": "Zoë"}


@pytest.mark.parametrize("charset", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
@pytest.mark.anyio
async def test_a_body_really_in_utf16_or_utf32_is_decoded(charset: str, twin: Twin) -> None:
    body = '{"id": 1, "name": "Zoë"}'.encode(charset)
    response = twin_api(
        twin, body, headers={"Content-Type": f"application/json; charset={charset}"}
    )
    assert await response.parse(to=User) == User(1, "Zoë")
    assert await response.parse(to=str) == '{"id": 1, "name": "Zoë"}'


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "no-such-charset"])
@pytest.mark.anyio
async def test_a_charset_that_is_no_text_encoding_is_read_as_utf8(charset: str, twin: Twin) -> None:
    response = twin_api(
        twin, UTF8_BODY, headers={"Content-Type": f"application/json; charset={charset}"}
    )
    assert await response.parse(to=User) == User(1, "Zoë")
    assert await response.text() == UTF8_BODY.decode()
    assert "".join(await twin.items(response.iter_text())) == UTF8_BODY.decode()


@pytest.mark.anyio
async def test_a_bad_body_with_a_utf16_label_is_a_validation_error_keeping_its_text(
    twin: Twin,
) -> None:
    response = twin_api(
        twin, b"not json", headers={"Content-Type": "application/json; charset=utf-16"}
    )
    with pytest.raises(ResponseValidationError) as info:
        await response.parse(to=User)
    assert info.value.body == "not json"


@pytest.mark.anyio
async def test_a_huge_content_type_is_cut_in_the_message(twin: Twin) -> None:
    content_type = "text/" + "x" * 65536
    response = twin_api(twin, b"<p>hi</p>", headers={"Content-Type": content_type})
    with pytest.raises(ResponseValidationError) as info:
        await response.parse(to=User)
    assert len(str(info.value)) < 400
    assert "(65541 characters)" in str(info.value)


@pytest.mark.anyio
async def test_async_aclose_works_with_contextlib_aclosing() -> None:
    body = AsyncTrackedBody([b"{}"])
    async with contextlib.aclosing(AsyncAPIResponse(raw=async_unread_from(body), cast_to=Any)):
        pass
    assert body.closed


@pytest.mark.anyio
async def test_a_utf8_bom_is_skipped(twin: Twin) -> None:
    assert await twin_api(twin, codecs.BOM_UTF8 + dumps(USER)).parse(to=User) == User(1, "Ada")


# -------------------------------------------------------- caching, post_parser


@pytest.mark.anyio
async def test_parse_is_cached_per_target_type(twin: Twin) -> None:
    response = twin_api(twin, dumps([USER]), list[User])
    first = await response.parse()
    assert await response.parse() is first
    assert await response.parse(to=list[User]) is first
    decoded: Any = await response.parse(to=Any)
    assert decoded == [USER]
    assert await response.parse(to=Optional[list[User]]) is await response.parse(
        to=list[User] | None
    )
    unhashable: Any = Annotated[list[User], {"meta": "data"}]
    other = twin_api(twin, dumps([USER]), unhashable)
    assert await other.parse() is await other.parse(to=Annotated[list[User], {"meta": "data"}])


@pytest.mark.anyio
async def test_post_parser_applies_to_the_default_type_only(twin: Twin) -> None:
    calls: list[Any] = []

    def post(value: Any) -> Any:
        calls.append(value)
        return ("post", value)

    default: Any = User  # post_parser changes what parse() gives for the default type
    response = twin_api(twin, dumps(USER), default, post_parser=post)
    assert await response.parse() == ("post", User(1, "Ada"))
    assert await response.parse(to=default) == ("post", User(1, "Ada"))
    assert await response.parse(to=dict[str, Any]) == USER
    assert len(calls) == 1


@pytest.mark.anyio
async def test_a_none_result_is_cached_too(twin: Twin) -> None:
    calls: list[Any] = []
    response = twin_api(
        twin, b"null", Optional[User], post_parser=lambda value: calls.append(value)
    )
    assert await response.parse() is None
    assert await response.parse() is None
    assert calls == [None]


@pytest.mark.anyio
async def test_an_unhashable_target_is_parsed_without_caching(twin: Twin) -> None:
    target = Annotated[int, {"unhashable": []}]
    response = twin_api(twin, b"5")
    assert await response.parse(to=target) == 5
    assert await response.parse(to=target) == 5


# ---------------------------------------------------------------- reading


@pytest.mark.anyio
async def test_read_text_and_json_give_the_body(twin: Twin) -> None:
    response = twin_api(twin, [b'{"a": "\xc3', b'\xa9"}'])
    assert await response.read() == '{"a": "é"}'.encode()
    assert await response.read() == '{"a": "é"}'.encode()
    assert await response.text() == '{"a": "é"}'
    assert await response.json() == {"a": "é"}


@pytest.mark.anyio
async def test_json_ignores_the_content_type_and_raises_a_validation_error_for_bad_json(
    twin: Twin,
) -> None:
    assert await twin_api(twin, b"[1]", headers={"Content-Type": "text/plain"}).json() == [1]
    raw, _ = twin_unread(twin, b"nope", headers={"Content-Type": "text/plain"})
    with pytest.raises(ResponseValidationError) as info:
        await twin.response(raw=raw, cast_to=Any).json()
    assert info.value.response is raw
    assert info.value.body == "nope"


@pytest.mark.anyio
async def test_iter_bytes_honours_chunk_size(twin: Twin) -> None:
    response = twin_api(twin, [b"abcde", b"fgh"])
    assert await twin.items(response.iter_bytes(3)) == [b"abc", b"def", b"gh"]


@pytest.mark.anyio
async def test_iter_text_decodes_a_character_split_across_chunks(twin: Twin) -> None:
    response = twin_api(twin, [b"caf\xc3", b"\xa9 ok"], headers={"Content-Type": "text/plain"})
    assert "".join(await twin.items(response.iter_text())) == "café ok"


@pytest.mark.anyio
async def test_iter_text_uses_the_declared_charset_and_chunk_size(twin: Twin) -> None:
    body = "Zoë Zoë".encode("latin-1")
    response = twin_api(twin, body, headers={"Content-Type": "text/plain; charset=latin-1"})
    assert await twin.items(response.iter_text(3)) == ["Zoë", " Zo", "ë"]


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(st.sampled_from(["a", "é", "\n", "\r", "\r\n", "\x0b", "\u2028", " "])).map(
        "".join
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=6),
)
def test_iter_lines_splits_exactly_as_httpx_does(text: str, cuts: list[int]) -> None:
    data = text.encode()
    points = sorted({min(c, len(data)) for c in cuts})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    chunks = [c for c in chunks if c]
    headers = {"Content-Type": "text/plain; charset=utf-8"}
    ours = list(api(chunks, headers=headers).iter_lines())
    raw, _ = unread(chunks, headers=headers)
    assert ours == list(raw.iter_lines())


@pytest.mark.anyio
async def test_reading_a_body_already_streamed_raises_stream_already_consumed(twin: Twin) -> None:
    response = twin_api(twin, [b"ab", b"cd"])
    assert b"".join(await twin.items(response.iter_bytes())) == b"abcd"
    with pytest.raises(StreamAlreadyConsumed) as info:
        await response.read()
    assert isinstance(info.value.__cause__, httpx.StreamConsumed)
    with pytest.raises(StreamAlreadyConsumed):
        await twin.items(response.iter_bytes())
    with pytest.raises(StreamAlreadyConsumed):
        await response.parse(to=User)


@pytest.mark.anyio
async def test_breaking_out_of_iter_bytes_closes_the_response(twin: Twin) -> None:
    raw, body = twin_unread(twin, [b"a", b"b", b"c"])
    response = twin.response(raw=raw, cast_to=bytes)
    chunks = response.iter_bytes()
    assert await twin.next(chunks) == b"a"
    await twin.close(chunks)
    assert body.closed
    assert response.is_closed


@pytest.mark.anyio
async def test_close_is_idempotent(twin: Twin) -> None:
    raw, body = twin_unread(twin, b"{}")
    response = twin.response(raw=raw, cast_to=User)
    await response.close()
    await response.close()
    assert body.closed
    assert response.is_closed


class CountingCloses(APIResponse[User]):
    """A subclass whose close() does work of its own, as an SDK's may (metrics, a lock)."""

    closes = 0

    def close(self) -> None:
        type(self).closes += 1
        super().close()


def test_parse_calls_an_overridden_close_also_when_httpx_closed_the_response() -> None:
    raw = httpx.Response(200, json=USER, request=httpx.Request("GET", URL))
    assert raw.is_closed  # read when it was built, as httpx's client reads a body
    CountingCloses.closes = 0
    assert CountingCloses(raw=raw, cast_to=User).parse() == User(**USER)
    assert CountingCloses.closes == 1


def test_responses_can_be_weakly_referenced() -> None:
    response = APIResponse(raw=httpx.Response(200, json=USER), cast_to=User)
    assert weakref.ref(response)() is response


@pytest.mark.anyio
async def test_parse_closes_the_response(twin: Twin) -> None:
    raw, body = twin_unread(twin, dumps(USER))
    response = twin.response(raw=raw, cast_to=User)
    await response.parse()
    assert body.closed
    assert response.is_closed


@pytest.mark.anyio
async def test_a_broken_connection_while_reading_is_an_api_connection_error(twin: Twin) -> None:
    raw, body = twin_unread(twin, [b'{"id":'], error=httpx.ReadError("connection reset"))
    with pytest.raises(APIConnectionError) as info:
        await twin.response(raw=raw, cast_to=User).parse()
    assert isinstance(info.value.__cause__, httpx.ReadError)
    assert info.value.request is raw.request
    assert body.closed


@pytest.mark.anyio
async def test_a_timeout_while_reading_is_an_api_timeout_error(twin: Twin) -> None:
    raw, body = twin_unread(twin, [b"ab"], error=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        await twin.items(twin.response(raw=raw, cast_to=bytes).iter_bytes())
    assert body.closed


# ----------------------------------------------------------------- limits


@pytest.mark.anyio
async def test_a_body_at_the_limit_is_read(twin: Twin) -> None:
    assert await twin_api(twin, [b"12345"], max_body_bytes=5).read() == b"12345"


@pytest.mark.anyio
async def test_a_body_past_the_limit_raises_without_reading_the_rest_and_closes(twin: Twin) -> None:
    raw, body = twin_unread(twin, [b"x" * 10] * 100)
    response = twin.response(raw=raw, cast_to=bytes, max_body_bytes=25)
    with pytest.raises(ResponseTooLarge) as info:
        await response.read()
    assert info.value.limit == 25
    assert info.value.response is raw
    assert body.served == 30
    assert body.closed


@pytest.mark.anyio
@pytest.mark.parametrize(
    "use",
    [
        lambda r: r.parse(),
        lambda r: r.text(),
        lambda r: r.json(),
        lambda r: r.iter_bytes(),
        lambda r: r.iter_text(),
        lambda r: r.iter_lines(),
    ],
)
async def test_every_way_of_reading_honours_the_limit(use: Any, twin: Twin) -> None:
    raw, body = twin_unread(twin, [b"[1, 2, 3, 4, 5, 6]"] * 10)
    response = twin.response(raw=raw, cast_to=Any, max_body_bytes=100)
    with pytest.raises(ResponseTooLarge):
        await twin.consume(use(response))
    assert body.closed


@pytest.mark.anyio
async def test_the_limit_counts_decompressed_bytes(twin: Twin) -> None:
    compressed = gzip.compress(b" " * 10_000 + b"[]")
    headers = {**JSON, "Content-Encoding": "gzip"}
    assert len(compressed) < 100
    with pytest.raises(ResponseTooLarge):
        await twin_api(twin, compressed, headers=headers, max_body_bytes=5_000).parse()
    assert await twin_api(twin, compressed, headers=headers, max_body_bytes=20_000).parse() == []


@pytest.mark.anyio
async def test_a_body_already_read_is_checked_against_the_limit(twin: Twin) -> None:
    raw = httpx.Response(200, content=b"x" * 100)
    with pytest.raises(ResponseTooLarge):
        await twin.response(raw=raw, cast_to=bytes, max_body_bytes=99).parse()


# ------------------------------------------------------------- stream seam


class FakeStream(Generic[T]):
    """The smallest stream class: what the seam must build, and nothing else."""

    _typedresp_stream_ = True

    def __init__(self, *, cast_to: Any, response: httpx.Response, registry: Registry) -> None:
        self.cast_to = cast_to
        self.response = response
        self.registry = registry


class Event(FakeStream[User]):
    pass


@attrs.define
class Chunk:
    text: str


CHUNK: Any = Chunk  # with stream=True, parse() gives a stream, not the cast_to type


@pytest.mark.anyio
async def test_stream_true_builds_the_stream_class_without_reading_the_body(twin: Twin) -> None:
    raw, body = twin_unread(twin, b"data: {}\n\n", headers={"Content-Type": "text/event-stream"})
    registry = Registry()
    response = twin.response(
        raw=raw, cast_to=CHUNK, stream=True, stream_cls=FakeStream[Chunk], registry=registry
    )
    stream = await response.parse()
    assert isinstance(stream, FakeStream)
    assert stream.cast_to is Chunk
    assert stream.response is raw
    assert stream.registry is registry
    assert body.served == 0
    assert not body.closed
    assert await response.parse() is stream


@pytest.mark.anyio
async def test_an_unparametrised_stream_cls_streams_cast_to(twin: Twin) -> None:
    raw, _ = twin_unread(twin, b"")
    stream = await twin.response(raw=raw, cast_to=CHUNK, stream=True, stream_cls=FakeStream).parse()
    assert stream.cast_to is Chunk


@pytest.mark.anyio
async def test_a_stream_subclass_gives_its_element_type(twin: Twin) -> None:
    raw, _ = twin_unread(twin, b"")
    stream = await twin.response(raw=raw, cast_to=CHUNK, stream=True, stream_cls=Event).parse()
    assert isinstance(stream, Event)
    assert stream.cast_to is User


@pytest.mark.anyio
async def test_parse_to_a_stream_class_builds_it_with_its_element_type(twin: Twin) -> None:
    raw, body = twin_unread(twin, b"")
    response = twin.response(raw=raw, cast_to=CHUNK, stream=True, stream_cls=FakeStream[Chunk])
    stream = await response.parse(to=FakeStream[User])
    assert stream.cast_to is User
    assert body.served == 0


@pytest.mark.anyio
async def test_with_stream_true_a_target_that_is_not_a_stream_class_is_refused(twin: Twin) -> None:
    raw, body = twin_unread(twin, b"")
    response = twin.response(raw=raw, cast_to=CHUNK, stream=True, stream_cls=FakeStream[Chunk])
    assert await response.parse(to=CHUNK) is await response.parse()
    with pytest.raises(TypeError, match=r"Stream\[User\]"):
        await response.parse(to=User)
    assert body.closed


def test_a_stream_class_target_streams_even_without_stream_true() -> None:
    raw, body = unread(b"")
    stream = parse(raw, to=FakeStream[Chunk])
    assert isinstance(stream, FakeStream)
    assert stream.cast_to is Chunk
    assert not body.closed


@pytest.mark.anyio
async def test_stream_true_without_a_stream_class_raises_and_closes(twin: Twin) -> None:
    raw, body = twin_unread(twin, b"")
    with pytest.raises(MissingStreamClassError):
        await twin.response(raw=raw, cast_to=CHUNK, stream=True).parse()
    assert body.closed


@pytest.mark.anyio
async def test_an_unparametrised_stream_class_target_is_refused(twin: Twin) -> None:
    raw, body = twin_unread(twin, b"")
    with pytest.raises(TypeError, match=r"FakeStream\[Chunk\]"):
        await twin.response(raw=raw, cast_to=CHUNK, stream=True).parse(to=FakeStream)
    assert body.closed


# ------------------------------------------------------------------ async


@pytest.mark.anyio
async def test_async_iterators_decode_like_the_sync_ones() -> None:
    def fresh() -> AsyncAPIResponse[Any]:
        raw, _ = async_unread(
            [b"caf\xc3", b"\xa9\r", b"\nline 2\n"], {"Content-Type": "text/plain"}
        )
        return AsyncAPIResponse(raw=raw, cast_to=str)

    assert [c async for c in fresh().iter_bytes(4)] == [b"caf\xc3", b"\xa9\r\nl", b"ine ", b"2\n"]
    assert "".join([t async for t in fresh().iter_text()]) == "café\r\nline 2\n"
    assert [line async for line in fresh().iter_lines()] == ["café", "line 2"]


@pytest.mark.anyio
async def test_cancelling_a_parse_closes_the_response(http_server: ServerView) -> None:
    started = anyio.Event()

    def slow() -> Iterator[bytes]:
        yield b"[1"
        for _ in range(2000):
            yield b",1"
        yield b"]"

    http_server.route("/slow", Reply(body=slow(), headers=JSON, delay=0.01))
    async with httpx.AsyncClient(trust_env=False) as client:
        request = client.build_request("GET", http_server.url + "/slow")
        raw = await client.send(request, stream=True)
        response = AsyncAPIResponse(raw=raw, cast_to=list[int])

        async def parse_it() -> None:
            started.set()
            await response.parse()

        async with anyio.create_task_group() as group:
            group.start_soon(parse_it)
            await started.wait()
            await anyio.sleep(0)
            group.cancel_scope.cancel()
        assert response.is_closed


@pytest.mark.anyio
async def test_a_cancelled_parse_finishes_closing_the_body() -> None:
    body = AsyncTrackedBody([b"[1"] + [b",1"] * 10 + [b"]"])
    response = AsyncAPIResponse(raw=async_unread_from(body), cast_to=list[int])
    with anyio.CancelScope() as scope:
        scope.cancel()
        await response.parse()
    assert scope.cancelled_caught
    assert body.closed


# ------------------------------------------------------- extract_response_type


class Mixin:
    pass


K = TypeVar("K")
V = TypeVar("V")


class BytesResponse(APIResponse[bytes]):
    pass


class DeeperBytesResponse(Mixin, BytesResponse):
    pass


class Reordered(APIResponse[V], Generic[K, V]):
    pass


@pytest.mark.parametrize(
    ("response_type", "expected"),
    [
        (APIResponse[User], User),
        (AsyncAPIResponse[list[User]], list[User]),
        (BaseAPIResponse[int], int),
        (BytesResponse, bytes),
        (DeeperBytesResponse, bytes),
        (Reordered[str, User], User),
    ],
)
def test_extract_response_type(response_type: Any, expected: Any) -> None:
    assert extract_response_type(response_type) == expected


@pytest.mark.parametrize("response_type", [APIResponse, Reordered, int])
def test_extract_response_type_of_an_unparametrised_class_raises(response_type: Any) -> None:
    with pytest.raises(TypeError, match="Cannot tell the response type"):
        extract_response_type(response_type)


# ------------------------------------------------------------------- typing


def test_parse_is_typed_for_static_checkers() -> None:
    response = APIResponse(raw=httpx.Response(200, json=USER), cast_to=User)
    assert_type(response, APIResponse[User])
    assert_type(response.parse(), User)
    assert_type(response.parse(to=dict[str, Any]), dict[str, Any])
    assert_type(parse(httpx.Response(200, json=[1]), to=list[int]), list[int])
    optional: APIResponse[Optional[User]] = APIResponse(
        raw=httpx.Response(200, headers=JSON, content=b"null"), cast_to=Optional[User]
    )
    assert_type(optional.parse(), Optional[User])
    assert optional.parse() is None
