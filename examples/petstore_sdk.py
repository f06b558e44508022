"""A complete small SDK for a fictional pet-store API, built on typedresp.

This is the file an SDK author copies: models, resources (sync and async), the two client
classes, and the few lines that give exact static types to the raw and streamed views.
Everything else — checked parsing, pagination, typed error bodies, retries with backoff,
event streams, downloads, ``with_raw_response`` / ``with_streaming_response`` — comes from
typedresp.

Run it against the demo's local server (127.0.0.1 only)::

    python -m pip install -e . && python examples/petstore_sdk.py
"""

from __future__ import annotations

import asyncio
import datetime
import enum
import functools
import os
import tempfile
from collections.abc import Mapping
from typing import Any, Literal, Optional, Union

import attrs
import httpx

import typedresp
from typedresp import (
    APIResponse,
    AsyncAPIResource,
    AsyncClient,
    AsyncPaginator,
    AsyncStream,
    AsyncStreamedBinaryAPIResponse,
    AsyncStreamingResponseView,
    BinaryAPIResponse,
    Client,
    CursorRule,
    RawResponseView,
    Registry,
    Stream,
    StreamedBinaryAPIResponse,
    StreamingResponseView,
    SyncAPIResource,
    SyncPage,
    async_to_custom_streamed_response_wrapper,
    to_custom_raw_response_wrapper,
    to_custom_streamed_response_wrapper,
)

Headers = Optional[Mapping[str, Any]]

DEFAULT_BASE_URL = "https://api.petstore.invalid/v1"

# A tolerant registry: when the API adds a species or an activity type, this SDK keeps
# working (the new value is kept as it came) instead of failing. Wrong types and missing
# fields still raise ResponseValidationError.
registry = Registry(strict=False)


# ---------------------------------------------------------------------- models


class Species(enum.Enum):
    DOG = "dog"
    CAT = "cat"
    PARROT = "parrot"
    RABBIT = "rabbit"


@attrs.frozen
class Vaccination:
    name: str
    given_on: datetime.date


@attrs.frozen
class Pet:
    id: int
    name: str
    species: Species
    born: datetime.date
    vaccinations: list[Vaccination] = attrs.Factory(list[Vaccination])


@attrs.frozen
class ErrorDetail:
    type: str
    message: str


@attrs.frozen
class PetstoreError:
    """The API's error body, ``{"error": {"type": ..., "message": ...}}``: errors carry it
    as ``.error``, and their message is its ``message``."""

    error: ErrorDetail

    @property
    def message(self) -> str:
        return self.error.message


# The list endpoints take ?limit= and ?after=<the last pet's id>, and say has_more.
PAGES = CursorRule(param="after")


@attrs.frozen
class Woke:
    type: Literal["woke"]
    at: datetime.datetime


@attrs.frozen
class Ate:
    type: Literal["ate"]
    food: str
    grams: int


@attrs.frozen
class Napped:
    type: Literal["napped"]
    minutes: int


Activity = Union[Woke, Ate, Napped]
"""An event of ``pets.activity(...)``; the ``type`` field tells them apart."""


@attrs.frozen
class AdoptionRequest:
    adopter_name: str = attrs.field(alias="adopter")  # the JSON key is "adopter"


@attrs.frozen
class Adoption:
    id: str
    pet_id: int
    adopter: str
    attempts: int


# ------------------------------------------------------------------- resources


class Pets(SyncAPIResource):
    """``client.pets``. Every method takes ``extra_headers`` and passes it on: that is
    all the raw and streamed views need."""

    def retrieve(self, pet_id: int, *, extra_headers: Headers = None) -> Pet:
        """One pet; `typedresp.NotFoundError` when there is none."""
        return self._client.get(f"/pets/{pet_id}", cast_to=Pet, extra_headers=extra_headers)

    def list(self, *, limit: int = 20, extra_headers: Headers = None) -> SyncPage[Pet]:
        """The first page of pets; ``for pet in pets.list()`` gives every pet, fetching
        the next pages as the loop goes."""
        return self._client.get_pages(
            "/pets", item=Pet, rule=PAGES, params={"limit": limit}, extra_headers=extra_headers
        )

    def activity(self, pet_id: int, *, extra_headers: Headers = None) -> Stream[Activity]:
        """What the pet is up to, as server-sent events; use it in a ``with`` block."""
        return self._client.get(
            f"/pets/{pet_id}/activity",
            cast_to=Activity,
            stream=True,
            stream_cls=Stream[Activity],
            extra_headers=extra_headers,
        )

    def photo(self, pet_id: int, *, extra_headers: Headers = None) -> bytes:
        """The pet's photo. For large files use
        ``with pets.with_streaming_response.photo(id) as r: r.stream_to_file(path)``."""
        return self._client.get(f"/pets/{pet_id}/photo", cast_to=bytes, extra_headers=extra_headers)

    def adopt(self, pet_id: int, *, adopter: str, extra_headers: Headers = None) -> Adoption:
        """Adopt a pet. Safe to retry: the client sends one Idempotency-Key per call."""
        return self._client.post(
            f"/pets/{pet_id}/adopt",
            body=AdoptionRequest(adopter=adopter),
            cast_to=Adoption,
            extra_headers=extra_headers,
        )

    # The views wrap every method above on their own. Declaring a method here gives it
    # an exact static type, and a response class of its own (binary, for photo).

    @functools.cached_property
    def with_raw_response(self) -> PetsWithRawResponse:
        return PetsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> PetsWithStreamingResponse:
        return PetsWithStreamingResponse(self)


class PetsWithRawResponse(RawResponseView):
    def __init__(self, pets: Pets) -> None:
        super().__init__(pets)
        self.photo = to_custom_raw_response_wrapper(pets.photo, BinaryAPIResponse)


class PetsWithStreamingResponse(StreamingResponseView):
    def __init__(self, pets: Pets) -> None:
        super().__init__(pets)
        self.photo = to_custom_streamed_response_wrapper(pets.photo, StreamedBinaryAPIResponse)


class AsyncPets(AsyncAPIResource):
    """``async_client.pets``: the same API, awaited."""

    async def retrieve(self, pet_id: int, *, extra_headers: Headers = None) -> Pet:
        return await self._client.get(f"/pets/{pet_id}", cast_to=Pet, extra_headers=extra_headers)

    def list(self, *, limit: int = 20, extra_headers: Headers = None) -> AsyncPaginator[Pet]:
        """``async for pet in pets.list()``, or ``await pets.list()`` for the first page."""
        return self._client.get_pages(
            "/pets", item=Pet, rule=PAGES, params={"limit": limit}, extra_headers=extra_headers
        )

    async def activity(
        self, pet_id: int, *, extra_headers: Headers = None
    ) -> AsyncStream[Activity]:
        return await self._client.get(
            f"/pets/{pet_id}/activity",
            cast_to=Activity,
            stream=True,
            stream_cls=AsyncStream[Activity],
            extra_headers=extra_headers,
        )

    async def photo(self, pet_id: int, *, extra_headers: Headers = None) -> bytes:
        return await self._client.get(
            f"/pets/{pet_id}/photo", cast_to=bytes, extra_headers=extra_headers
        )

    @functools.cached_property
    def with_streaming_response(self) -> AsyncPetsWithStreamingResponse:
        return AsyncPetsWithStreamingResponse(self)


class AsyncPetsWithStreamingResponse(AsyncStreamingResponseView):
    def __init__(self, pets: AsyncPets) -> None:
        super().__init__(pets)
        self.photo = async_to_custom_streamed_response_wrapper(
            pets.photo, AsyncStreamedBinaryAPIResponse
        )


# --------------------------------------------------------------------- clients


class Petstore(Client):
    """The pet-store API: ``Petstore(api_key=...).pets.retrieve(1)``.

    Takes the options of `typedresp.Client` too (``timeout``, ``max_retries``,
    ``http_client``, ...).
    """

    user_agent_prefix = "petstore-python/1.0.0"  # then typedresp's, httpx's and Python's

    def __init__(
        self, *, api_key: Optional[str] = None, base_url: str = DEFAULT_BASE_URL, **options: Any
    ) -> None:
        api_key = api_key or os.environ.get("PETSTORE_API_KEY", "")
        options.setdefault("registry", registry)
        options.setdefault("error_model", PetstoreError)
        super().__init__(base_url, headers={"Authorization": f"Bearer {api_key}"}, **options)
        self.pets = Pets(self)


class AsyncPetstore(AsyncClient):
    """The async pet-store API: ``await AsyncPetstore(api_key=...).pets.retrieve(1)``."""

    user_agent_prefix = "petstore-python/1.0.0"

    def __init__(
        self, *, api_key: Optional[str] = None, base_url: str = DEFAULT_BASE_URL, **options: Any
    ) -> None:
        api_key = api_key or os.environ.get("PETSTORE_API_KEY", "")
        options.setdefault("registry", registry)
        options.setdefault("error_model", PetstoreError)
        super().__init__(base_url, headers={"Authorization": f"Bearer {api_key}"}, **options)
        self.pets = AsyncPets(self)


# ------------------------------------------------------------- trying it out


def main(base_url: str) -> None:
    """Use the SDK against ``base_url`` (the demo server), printing what it gets."""
    # trust_env=False: the demo server is on 127.0.0.1, never go through a proxy.
    # A client passed in stays open when the SDK client closes: it is closed here.
    with (
        httpx.Client(trust_env=False) as http_client,
        Petstore(api_key="demo", base_url=base_url, http_client=http_client) as client,
    ):
        print(client.pets.retrieve(1))
        print("all pets:", ", ".join(pet.name for pet in client.pets.list(limit=2)))
        first = client.pets.list(limit=2)
        print("first page:", len(first.items), "pets; more:", first.has_next_page())

        response: APIResponse[Pet] = client.pets.with_raw_response.retrieve(2)
        print("request id:", response.request_id, "->", response.parse().name)

        with client.pets.activity(1) as events:
            for event in events:
                print("activity:", event)

        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "rex.png")
            with client.pets.with_streaming_response.photo(1) as download:
                download.stream_to_file(path)
            print("photo:", os.path.getsize(path), "bytes")

        try:
            client.pets.retrieve(404)
        except typedresp.NotFoundError as error:
            print("not found:", error.status_code, error.body, error.request_id)
            print("error model:", error.error)

    asyncio.run(amain(base_url))


async def amain(base_url: str) -> None:
    async with (
        httpx.AsyncClient(trust_env=False) as http_client,
        AsyncPetstore(api_key="demo", base_url=base_url, http_client=http_client) as client,
    ):
        names = [pet.name async for pet in client.pets.list(limit=2)]
        print("async, all pets:", ", ".join(names))
        async with await client.pets.activity(2) as events:
            kinds = [event.type async for event in events]
        print("async activity:", ", ".join(kinds))


if __name__ == "__main__":
    from typedresp.demo import serve

    with serve(event_delay=0.05) as url:
        main(url)
