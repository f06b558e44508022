"""SyncAPIResource / AsyncAPIResource: the views wrap every public API method of a
resource, with no code per method, and pick the response classes a method asks for."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any, Optional

import attrs
import pytest

from typedresp import (
    APIResponse,
    AsyncAPIResource,
    AsyncAPIResponse,
    AsyncBinaryAPIResponse,
    AsyncClient,
    AsyncRawResponseView,
    AsyncResponseContextManager,
    AsyncStreamedBinaryAPIResponse,
    AsyncStreamingResponseView,
    BinaryAPIResponse,
    Client,
    RawResponseView,
    ResponseContextManager,
    StreamedBinaryAPIResponse,
    StreamingResponseView,
    SyncAPIResource,
    response_classes,
    to_raw_response_wrapper,
)

from .clients import async_client_for, client_for
from .server import Reply, ServerView

Headers = Optional[Mapping[str, Any]]


@attrs.define
class Pet:
    id: int
    name: str


class Pets(SyncAPIResource):
    def retrieve(self, pet_id: int, *, extra_headers: Headers = None) -> Pet:
        return self._client.get(f"/pets/{pet_id}", cast_to=Pet, extra_headers=extra_headers)

    def rename(self, pet_id: int, name: str, *, extra_headers: Headers = None) -> Pet:
        return self._client.patch(
            f"/pets/{pet_id}", body={"name": name}, cast_to=Pet, extra_headers=extra_headers
        )

    @response_classes(raw=BinaryAPIResponse, streamed=StreamedBinaryAPIResponse)
    def photo(self, pet_id: int, *, extra_headers: Headers = None) -> bytes:
        return self._client.get(f"/pets/{pet_id}/photo", cast_to=bytes, extra_headers=extra_headers)

    @property
    def count(self) -> int:
        return 3

    def _private(self, *, extra_headers: Headers = None) -> Pet:
        raise AssertionError("never wrapped")

    def names(self, *pet_ids: int) -> list[str]:
        """A helper: it takes no extra_headers, so it has no response to give."""
        return [self.retrieve(pet_id).name for pet_id in pet_ids]

    def search(self, **options: Any) -> Pet:
        return self._client.get("/pets/1", cast_to=Pet, extra_headers=options.get("extra_headers"))


class AsyncPets(AsyncAPIResource):
    async def retrieve(self, pet_id: int, *, extra_headers: Headers = None) -> Pet:
        return await self._client.get(f"/pets/{pet_id}", cast_to=Pet, extra_headers=extra_headers)

    @response_classes(raw=AsyncBinaryAPIResponse, streamed=AsyncStreamedBinaryAPIResponse)
    async def photo(self, pet_id: int, *, extra_headers: Headers = None) -> bytes:
        return await self._client.get(
            f"/pets/{pet_id}/photo", cast_to=bytes, extra_headers=extra_headers
        )


def serve_pets(http_server: ServerView) -> None:
    http_server.route(
        "/pets/1", Reply.json({"id": 1, "name": "Rex"}, headers={"x-request-id": "r"})
    )
    http_server.route("/pets/1/photo", Reply(body=b"PNG..."))


@pytest.fixture
def pets(http_server: ServerView) -> Iterator[Pets]:
    serve_pets(http_server)
    for client in client_for(http_server.url):
        yield Pets(client)


@pytest.fixture
async def apets(http_server: ServerView) -> AsyncIterator[AsyncPets]:
    serve_pets(http_server)
    async for client in async_client_for(http_server.url):
        yield AsyncPets(client)


# ------------------------------------------------------------------------ sync


def test_a_resource_holds_its_client(http_server: ServerView) -> None:
    client = Client(http_server.url)
    assert Pets(client)._client is client


def test_the_raw_view_returns_the_response_of_any_public_method(
    http_server: ServerView, pets: Pets
) -> None:
    http_server.route("/pets/2", Reply.json({"id": 2, "name": "Bo"}))
    response = pets.with_raw_response.retrieve(1)
    assert type(response) is APIResponse
    assert response.request_id == "r"
    assert response.parse() == Pet(1, "Rex")
    renamed = pets.with_raw_response.rename(2, "Bo")
    assert renamed.parse() == Pet(2, "Bo")
    assert http_server.requests[-1].body == b'{"name":"Bo"}'
    assert not any(
        name.startswith("x-typedresp")
        for request in http_server.requests
        for name in request.headers
    )


def test_the_streaming_view_sends_on_entry_and_closes_on_exit(
    http_server: ServerView, pets: Pets
) -> None:
    manager = pets.with_streaming_response.retrieve(1)
    assert isinstance(manager, ResponseContextManager)
    assert http_server.requests == []
    with manager as response:
        assert not response.is_closed
        assert response.parse() == Pet(1, "Rex")
    assert response.is_closed


def test_the_views_use_the_response_classes_a_method_asks_for(pets: Pets, tmp_path: Path) -> None:
    raw = pets.with_raw_response.photo(1)
    assert type(raw) is BinaryAPIResponse
    raw.write_to_file(tmp_path / "a.png")
    with pets.with_streaming_response.photo(1) as streamed:
        assert type(streamed) is StreamedBinaryAPIResponse
        streamed.stream_to_file(tmp_path / "b.png")  # type: ignore[attr-defined]
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes() == b"PNG..."
    assert pets.photo(1) == b"PNG..."  # the method itself is unchanged


def test_the_views_are_made_once_per_resource(pets: Pets) -> None:
    assert isinstance(pets.with_raw_response, RawResponseView)
    assert isinstance(pets.with_streaming_response, StreamingResponseView)
    assert pets.with_raw_response is pets.with_raw_response
    assert pets.with_raw_response.retrieve is pets.with_raw_response.retrieve


def test_only_public_methods_of_the_resource_are_wrapped(pets: Pets) -> None:
    for name in ("count", "_private", "missing", "with_raw_response", "with_streaming_response"):
        with pytest.raises(AttributeError):
            getattr(pets.with_raw_response, name)
    with pytest.raises(AttributeError, match="photo, rename, retrieve, search"):
        pets.with_streaming_response.missing
    assert {"photo", "rename", "retrieve"} <= set(dir(pets.with_raw_response))


def test_a_method_without_extra_headers_is_not_wrapped(pets: Pets) -> None:
    assert pets.names(1) == ["Rex"]
    for view in (pets.with_raw_response, pets.with_streaming_response):
        with pytest.raises(AttributeError, match=r"Pets\.names takes no extra_headers"):
            view.names
        assert "names" not in dir(view)
    assert pets.with_raw_response.search().parse() == Pet(1, "Rex")  # **options is enough


def test_a_view_subclass_can_give_exact_types(pets: Pets, http_server: ServerView) -> None:
    class PetsWithRawResponse(RawResponseView):
        def __init__(self, pets: TypedPets) -> None:
            super().__init__(pets)
            self.retrieve = to_raw_response_wrapper(pets.retrieve)

    class TypedPets(Pets):
        @functools.cached_property
        def with_raw_response(self) -> PetsWithRawResponse:
            return PetsWithRawResponse(self)

    typed = TypedPets(pets._client)
    assert typed.with_raw_response.retrieve(1).parse() == Pet(1, "Rex")
    assert typed.with_raw_response.rename  # the rest stay generic


# ----------------------------------------------------------------------- async


@pytest.mark.anyio
async def test_the_async_raw_view_returns_the_async_response(apets: AsyncPets) -> None:
    assert isinstance(apets.with_raw_response, AsyncRawResponseView)
    response = await apets.with_raw_response.retrieve(1)
    assert type(response) is AsyncAPIResponse
    assert response.is_closed
    assert await response.parse() == Pet(1, "Rex")


@pytest.mark.anyio
async def test_the_async_streaming_view_sends_on_entry_and_closes_on_exit(
    http_server: ServerView, apets: AsyncPets
) -> None:
    assert isinstance(apets.with_streaming_response, AsyncStreamingResponseView)
    manager = apets.with_streaming_response.retrieve(1)
    assert isinstance(manager, AsyncResponseContextManager)
    assert http_server.requests == []
    async with manager as response:
        assert not response.is_closed
        assert await response.parse() == Pet(1, "Rex")
    assert response.is_closed


@pytest.mark.anyio
async def test_the_async_views_use_the_response_classes_a_method_asks_for(
    apets: AsyncPets, tmp_path: Path
) -> None:
    raw = await apets.with_raw_response.photo(1)
    assert type(raw) is AsyncBinaryAPIResponse
    async with apets.with_streaming_response.photo(1) as streamed:
        assert type(streamed) is AsyncStreamedBinaryAPIResponse
        await streamed.stream_to_file(tmp_path / "b.png")  # type: ignore[attr-defined]
    assert (tmp_path / "b.png").read_bytes() == b"PNG..."


def test_an_async_resource_holds_its_client(http_server: ServerView) -> None:
    client = AsyncClient(http_server.url)
    assert AsyncPets(client)._client is client
