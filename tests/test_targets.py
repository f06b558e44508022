"""What a parse target asks of the body (`target_kind`), which classes are streams
(`is_stream_class`) and of what (`stream_element`): one answer for the response layer and
the stream layer alike."""

from __future__ import annotations

from typing import Annotated, Any, Generic, NewType, Optional, TypeVar

import attrs
import httpx
import pytest

from typedresp import (
    APIResponse,
    AsyncAPIResponse,
    AsyncStream,
    BaseAPIResponse,
    Registry,
    ServerSentEvent,
    Stream,
)
from typedresp._targets import TargetKind, is_stream_class, stream_element, target_kind

T = TypeVar("T")
K = TypeVar("K")


@attrs.define
class User:
    id: int


Slug = NewType("Slug", str)


class IntStream(Stream[int]):
    pass


class DeeperIntStream(IntStream):
    pass


class Mid(Stream[T], Generic[K, T]):
    """The element type is the *second* parameter: positions must not be trusted."""


class Leaf(Mid[str, int]):
    pass


class Later(Stream[T]):
    pass


class Fixed(Stream[int], Generic[K]):
    """Generic in something else than its element type."""


class AsyncMid(AsyncStream[T], Generic[K, T]):
    pass


class AsyncLeaf(AsyncMid[str, int]):
    pass


class MarkedByHand(Generic[T]):
    """A stream class that is no `Stream`: the mark alone makes it one."""

    _typedresp_stream_ = True

    def __init__(self, *, cast_to: Any, response: httpx.Response, registry: Any) -> None:
        self.cast_to = cast_to


class MarkedFalsely:
    _typedresp_stream_ = "yes"  # only True marks a stream class


SYNC_STREAMS: list[Any] = [
    Stream[int],
    IntStream,
    DeeperIntStream,
    Leaf,
    Mid[str, int],
    Later[int],
    Fixed[str],
    MarkedByHand[int],
]
ASYNC_STREAMS: list[Any] = [AsyncStream[int], AsyncLeaf, AsyncMid[bytes, int]]


def event_response() -> httpx.Response:
    return httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=b"data: 1\n\n"
    )


# ------------------------------------------------------------------- stream_element


@pytest.mark.parametrize("stream_cls", SYNC_STREAMS + ASYNC_STREAMS)
def test_stream_element_follows_the_type_variable_not_its_position(stream_cls: Any) -> None:
    assert stream_element(stream_cls) is int
    assert stream_element(Annotated[stream_cls, "doc"]) is int


@pytest.mark.parametrize("stream_cls", [s for s in SYNC_STREAMS if s is not MarkedByHand[int]])
def test_a_stream_and_the_response_layer_agree_on_the_element_type(stream_cls: Any) -> None:
    built_by_the_response = APIResponse(raw=event_response(), cast_to=Any).parse(to=stream_cls)
    built_directly = stream_cls(response=event_response())
    assert built_by_the_response.cast_to is int
    assert built_directly.cast_to is int
    assert list(built_directly) == [1]


@pytest.mark.anyio
@pytest.mark.parametrize("stream_cls", ASYNC_STREAMS)
async def test_an_async_stream_and_the_response_layer_agree_on_the_element_type(
    stream_cls: Any,
) -> None:
    response = AsyncAPIResponse(raw=event_response(), cast_to=Any)
    built_by_the_response = await response.parse(to=stream_cls)
    built_directly = stream_cls(response=event_response())
    assert built_by_the_response.cast_to is int
    assert built_directly.cast_to is int
    assert [event async for event in built_directly] == [1]


@pytest.mark.parametrize("stream_cls", [Stream, AsyncStream, Later, Mid, Mid[str, T]])
def test_an_unparametrised_stream_class_gives_the_default_or_says_what_it_needs(
    stream_cls: Any,
) -> None:
    assert stream_element(stream_cls, default=User) is User
    with pytest.raises(TypeError, match=r"needs its element type, e\.g\. \w+\[Chunk\]"):
        stream_element(stream_cls)


# ------------------------------------------------------------------ is_stream_class


@pytest.mark.parametrize(
    "tp",
    [Stream, AsyncStream, Leaf, Later[int], Annotated[IntStream, "doc"], MarkedByHand],
)
def test_stream_classes_are_recognised_by_their_mark(tp: Any) -> None:
    assert is_stream_class(tp)
    assert target_kind(tp) is TargetKind.STREAM


@pytest.mark.parametrize(
    "tp", [User, list[int], Optional[int], None, ServerSentEvent, MarkedFalsely, "Stream"]
)
def test_other_types_are_no_stream_classes(tp: Any) -> None:
    assert not is_stream_class(tp)


# ---------------------------------------------------------------------- target_kind


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        (None, TargetKind.NONE),
        (type(None), TargetKind.NONE),
        (str, TargetKind.TEXT),
        (Slug, TargetKind.TEXT),
        (Annotated[str, "doc"], TargetKind.TEXT),
        (bytes, TargetKind.BYTES),
        (httpx.Response, TargetKind.RESPONSE),
        (int, TargetKind.TEXT_SCALAR),
        (float, TargetKind.TEXT_SCALAR),
        (bool, TargetKind.TEXT_SCALAR),
        (User, TargetKind.JSON),
        (Optional[str], TargetKind.JSON),
        (list[bytes], TargetKind.JSON),
        (Any, TargetKind.JSON),
        (Annotated[User, {"unhashable": []}], TargetKind.JSON),
    ],
)
def test_each_target_is_classified_by_what_it_asks_of_the_body(target: Any, kind: str) -> None:
    assert target_kind(target) is kind
    assert target_kind(target) is kind  # the second answer comes from the cache


def test_a_wrapper_of_a_body_type_is_json_where_the_registry_has_a_hook_on_it() -> None:
    registry = Registry()
    registry.register_structure_hook(Slug, lambda value, _: Slug(f"slug:{value}"))
    assert target_kind(Slug, registry) is TargetKind.JSON
    assert target_kind(Slug, Registry()) is TargetKind.TEXT
    assert target_kind(str, registry) is TargetKind.TEXT


class MyHTTPXResponse(httpx.Response):
    pass


class MyAPIResponse(APIResponse[User]):
    pass


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (MyHTTPXResponse, r"only httpx\.Response itself"),
        (BaseAPIResponse, "this object is the response"),
        (APIResponse[User], "this object is the response"),
        (AsyncAPIResponse, "this object is the response"),
        (MyAPIResponse, r"parse\(to=MyAPIResponse\) is not possible: this object is the"),
    ],
)
def test_responses_are_no_targets(target: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        target_kind(target)
