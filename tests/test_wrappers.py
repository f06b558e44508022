"""The eight response wrappers, sync and async, over a real server: what they return,
when they send, that the caller's headers are left alone and that their control entries
never reach the wire."""

from __future__ import annotations

import gc
import os
import warnings
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any, Optional

import attrs
import pytest

from typedresp import (
    APIResponse,
    AsyncAPIResponse,
    AsyncBinaryAPIResponse,
    AsyncClient,
    AsyncResponseContextManager,
    AsyncStreamedBinaryAPIResponse,
    BinaryAPIResponse,
    Client,
    NotFoundError,
    ResponseContextManager,
    StreamedBinaryAPIResponse,
    async_to_custom_raw_response_wrapper,
    async_to_custom_streamed_response_wrapper,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_custom_raw_response_wrapper,
    to_custom_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from typedresp._controls import RAW_RESPONSE_HEADER, RESPONSE_CLASS_HEADER, split_control_entries
from typedresp._resource import RawResponseView

from .clients import async_client_for, client_for
from .server import CountingBody, Reply, ServerView

Headers = Optional[Mapping[str, Any]]


@attrs.define
class Pet:
    id: int
    name: str


class Boom(Exception):
    pass


class PetsAPI:
    """What an SDK method looks like: keyword ``extra_headers`` passed on to the client."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def retrieve(self, pet_id: int, *, extra_headers: Headers = None) -> Pet:
        """Fetch one pet."""
        return self._client.get(f"/pets/{pet_id}", cast_to=Pet, extra_headers=extra_headers)

    def photo(self, pet_id: int, *, extra_headers: Headers = None) -> bytes:
        return self._client.get(f"/pets/{pet_id}/photo", cast_to=bytes, extra_headers=extra_headers)

    def forgetful(self, pet_id: int, *, extra_headers: Headers = None) -> Pet:
        return self._client.get(f"/pets/{pet_id}", cast_to=Pet)  # drops extra_headers

    def events(self, *, extra_headers: Headers = None) -> Any:
        return self._client.get("/events", cast_to=int, stream=True, extra_headers=extra_headers)


class AsyncPetsAPI:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def retrieve(self, pet_id: int, *, extra_headers: Headers = None) -> Pet:
        """Fetch one pet."""
        return await self._client.get(f"/pets/{pet_id}", cast_to=Pet, extra_headers=extra_headers)

    async def photo(self, pet_id: int, *, extra_headers: Headers = None) -> bytes:
        return await self._client.get(
            f"/pets/{pet_id}/photo", cast_to=bytes, extra_headers=extra_headers
        )


PHOTO = os.urandom(50_000)


@pytest.fixture
def api(http_server: ServerView) -> Iterator[PetsAPI]:
    http_server.route(
        "/pets/1", Reply.json({"id": 1, "name": "Rex"}, headers={"x-request-id": "r1"})
    )
    http_server.route("/pets/1/photo", Reply(body=[PHOTO[:20_000], PHOTO[20_000:]]))
    for client in client_for(http_server.url):
        yield PetsAPI(client)


@pytest.fixture
async def aapi(http_server: ServerView) -> AsyncIterator[AsyncPetsAPI]:
    http_server.route(
        "/pets/1", Reply.json({"id": 1, "name": "Rex"}, headers={"x-request-id": "r1"})
    )
    http_server.route("/pets/1/photo", Reply(body=[PHOTO[:20_000], PHOTO[20_000:]]))
    async for client in async_client_for(http_server.url):
        yield AsyncPetsAPI(client)


def assert_no_control_entries_sent(http_server: ServerView) -> None:
    assert http_server.requests
    for request in http_server.requests:
        assert not [name for name in request.headers if name.startswith("x-typedresp")]
        assert request.headers.get("x-trace") == "t1"


# ------------------------------------------------------------------------ sync


def test_raw_wrapper_returns_the_response_with_the_body_read(
    http_server: ServerView, api: PetsAPI
) -> None:
    response = to_raw_response_wrapper(api.retrieve)(1, extra_headers={"X-Trace": "t1"})
    assert type(response) is APIResponse
    assert response.is_closed  # body read, connection back in the pool
    assert response.request_id == "r1"
    assert response.parse() == Pet(1, "Rex")
    assert_no_control_entries_sent(http_server)


def test_raw_wrapper_of_a_streaming_method_returns_the_response_unread_as_documented(
    http_server: ServerView, api: PetsAPI
) -> None:
    sse = {"Content-Type": "text/event-stream"}
    http_server.route("/events", Reply(headers=sse, body=[b"data: 1\n\n"]))
    response = to_raw_response_wrapper(api.events)()
    assert not response.http_response.is_closed  # not read: the docs must not say it is
    assert list(response.parse()) == [1]
    assert response.http_response.is_closed
    for documented in (to_raw_response_wrapper, RawResponseView):
        assert "stream=True" in (documented.__doc__ or "")


def test_streamed_wrapper_sends_only_when_the_block_is_entered_and_closes_after(
    http_server: ServerView, api: PetsAPI
) -> None:
    manager = to_streamed_response_wrapper(api.retrieve)(1, extra_headers={"X-Trace": "t1"})
    assert isinstance(manager, ResponseContextManager)
    assert http_server.requests == []
    with manager as response:
        assert len(http_server.requests) == 1
        assert not response.is_closed  # the body is not read yet
        assert response.parse() == Pet(1, "Rex")
    assert response.is_closed
    assert_no_control_entries_sent(http_server)


def test_streamed_wrapper_closes_the_response_when_the_block_raises(
    http_server: ServerView, api: PetsAPI
) -> None:
    endless = CountingBody(b"x" * 4096, times=None)
    http_server.route("/pets/2/photo", Reply(body=endless))
    seen: list[APIResponse[bytes]] = []

    def read_a_chunk_then_fail() -> None:
        with to_streamed_response_wrapper(api.photo)(2) as response:
            seen.append(response)
            next(response.iter_bytes())
            raise Boom

    with pytest.raises(Boom):
        read_a_chunk_then_fail()
    assert seen[0].is_closed


def test_custom_raw_wrapper_builds_the_class_given(
    http_server: ServerView, api: PetsAPI, tmp_path: Path
) -> None:
    response = to_custom_raw_response_wrapper(api.photo, BinaryAPIResponse)(
        1, extra_headers={"X-Trace": "t1"}
    )
    assert type(response) is BinaryAPIResponse
    response.write_to_file(tmp_path / "rex.png")
    assert (tmp_path / "rex.png").read_bytes() == PHOTO
    assert_no_control_entries_sent(http_server)


def test_custom_streamed_wrapper_streams_to_a_file(
    http_server: ServerView, api: PetsAPI, tmp_path: Path
) -> None:
    download = to_custom_streamed_response_wrapper(api.photo, StreamedBinaryAPIResponse)
    progress: list[int] = []
    with download(1, extra_headers={"X-Trace": "t1"}) as response:
        assert type(response) is StreamedBinaryAPIResponse
        assert not response.is_closed
        response.stream_to_file(
            tmp_path / "rex.png", progress=lambda done, _: progress.append(done)
        )
    assert response.is_closed
    assert (tmp_path / "rex.png").read_bytes() == PHOTO
    assert progress[-1] == len(PHOTO)
    assert_no_control_entries_sent(http_server)


def test_the_callers_extra_headers_are_not_changed(http_server: ServerView, api: PetsAPI) -> None:
    mine = {"X-Trace": "t1"}
    to_raw_response_wrapper(api.retrieve)(1, extra_headers=mine)
    with to_streamed_response_wrapper(api.retrieve)(1, extra_headers=mine):
        pass
    to_custom_raw_response_wrapper(api.photo, BinaryAPIResponse)(1, extra_headers=mine)
    with to_custom_streamed_response_wrapper(api.photo, StreamedBinaryAPIResponse)(
        1, extra_headers=mine
    ):
        pass
    assert mine == {"X-Trace": "t1"}
    assert_no_control_entries_sent(http_server)


def test_a_wrapped_method_keeps_its_name_and_docstring(api: PetsAPI) -> None:
    for wrapper in (to_raw_response_wrapper, to_streamed_response_wrapper):
        wrapped = wrapper(api.retrieve)
        assert wrapped.__name__ == "retrieve"
        assert wrapped.__doc__ == "Fetch one pet."
        assert wrapped.__wrapped__ == api.retrieve  # type: ignore[attr-defined]


def test_a_wrapped_method_that_drops_extra_headers_is_reported(api: PetsAPI) -> None:
    with pytest.raises(TypeError, match="extra_headers"):
        to_raw_response_wrapper(api.forgetful)(1)
    with (
        pytest.raises(TypeError, match="extra_headers"),
        to_streamed_response_wrapper(api.forgetful)(1),
    ):
        pass


def test_error_statuses_raise_through_the_wrappers(http_server: ServerView, api: PetsAPI) -> None:
    http_server.route("/pets/9", Reply.json({"error": "no"}, status=404))
    with pytest.raises(NotFoundError):
        to_raw_response_wrapper(api.retrieve)(9)
    with pytest.raises(NotFoundError), to_streamed_response_wrapper(api.retrieve)(9):
        pass


def test_a_custom_wrapper_refuses_a_class_that_is_not_a_response() -> None:
    def method(*, extra_headers: Headers = None) -> bytes:
        return b""

    with pytest.raises(TypeError, match="APIResponse"):
        to_custom_raw_response_wrapper(method, bytes)  # type: ignore[type-var]
    with pytest.raises(TypeError, match="AsyncAPIResponse"):
        async_to_custom_streamed_response_wrapper(method, APIResponse)  # type: ignore[arg-type,type-var]


# ----------------------------------------------------------------------- async


@pytest.mark.anyio
async def test_async_raw_wrapper_returns_the_response_with_the_body_read(
    http_server: ServerView, aapi: AsyncPetsAPI
) -> None:
    response = await async_to_raw_response_wrapper(aapi.retrieve)(
        1, extra_headers={"X-Trace": "t1"}
    )
    assert type(response) is AsyncAPIResponse
    assert response.is_closed
    assert await response.parse() == Pet(1, "Rex")
    assert_no_control_entries_sent(http_server)


@pytest.mark.anyio
async def test_async_streamed_wrapper_sends_only_when_entered_and_closes_after(
    http_server: ServerView, aapi: AsyncPetsAPI
) -> None:
    manager = async_to_streamed_response_wrapper(aapi.retrieve)(1, extra_headers={"X-Trace": "t1"})
    assert isinstance(manager, AsyncResponseContextManager)
    assert http_server.requests == []
    async with manager as response:
        assert len(http_server.requests) == 1
        assert not response.is_closed
        assert await response.parse() == Pet(1, "Rex")
    assert response.is_closed
    assert_no_control_entries_sent(http_server)


@pytest.mark.anyio
async def test_an_async_streamed_manager_never_entered_leaves_no_coroutine_behind(
    http_server: ServerView, aapi: AsyncPetsAPI
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async_to_streamed_response_wrapper(aapi.retrieve)(1)
        async_to_custom_streamed_response_wrapper(aapi.photo, AsyncStreamedBinaryAPIResponse)(2)
        gc.collect()
    assert [str(w.message) for w in caught] == []
    assert http_server.requests == []


@pytest.mark.anyio
async def test_async_streamed_wrapper_closes_the_response_when_the_block_raises(
    http_server: ServerView, aapi: AsyncPetsAPI
) -> None:
    http_server.route("/pets/2/photo", Reply(body=CountingBody(b"x" * 4096, times=None)))
    seen: list[AsyncAPIResponse[bytes]] = []

    async def read_a_chunk_then_fail() -> None:
        async with async_to_streamed_response_wrapper(aapi.photo)(2) as response:
            seen.append(response)
            await response.iter_bytes().__anext__()
            raise Boom

    with pytest.raises(Boom):
        await read_a_chunk_then_fail()
    assert seen[0].is_closed


@pytest.mark.anyio
async def test_async_custom_raw_wrapper_builds_the_class_given(
    http_server: ServerView, aapi: AsyncPetsAPI, tmp_path: Path
) -> None:
    wrapped = async_to_custom_raw_response_wrapper(aapi.photo, AsyncBinaryAPIResponse)
    response = await wrapped(1, extra_headers={"X-Trace": "t1"})
    assert type(response) is AsyncBinaryAPIResponse
    await response.write_to_file(tmp_path / "rex.png")
    assert (tmp_path / "rex.png").read_bytes() == PHOTO
    assert_no_control_entries_sent(http_server)


@pytest.mark.anyio
async def test_async_custom_streamed_wrapper_streams_to_a_file(
    http_server: ServerView, aapi: AsyncPetsAPI, tmp_path: Path
) -> None:
    mine = {"X-Trace": "t1"}
    download = async_to_custom_streamed_response_wrapper(aapi.photo, AsyncStreamedBinaryAPIResponse)
    manager = download(1, extra_headers=mine)
    assert http_server.requests == []
    async with manager as response:
        assert type(response) is AsyncStreamedBinaryAPIResponse
        await response.stream_to_file(tmp_path / "rex.png")
    assert response.is_closed
    assert (tmp_path / "rex.png").read_bytes() == PHOTO
    assert mine == {"X-Trace": "t1"}
    assert_no_control_entries_sent(http_server)


# ----------------------------------------------------------- control entries


def test_control_entries_are_found_whatever_their_case() -> None:
    controls, headers = split_control_entries(
        {
            RAW_RESPONSE_HEADER.upper(): "stream",
            RESPONSE_CLASS_HEADER.lower(): BinaryAPIResponse,
            "A": "1",
        }
    )
    assert controls.mode == "stream"
    assert controls.response_cls is BinaryAPIResponse
    assert headers == {"A": "1"}


def test_nonsense_control_entries_are_refused() -> None:
    with pytest.raises(ValueError, match="raw"):
        split_control_entries({RAW_RESPONSE_HEADER: "true"})
    with pytest.raises(TypeError, match="subclass"):
        split_control_entries({RESPONSE_CLASS_HEADER: "APIResponse"})
