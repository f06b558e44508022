"""A tiny SDK for the demo's pet-store API, built on typedresp: models, a resource, a client.

This is all an SDK author writes. typedresp gives the rest: checked parsing, typed
errors, retries, streams, and the ``with_raw_response`` / ``with_streaming_response``
views of every API method.
"""

from __future__ import annotations

import datetime
import enum
import functools
from collections.abc import Iterator, Mapping
from typing import Any, Generic, Literal, Optional, TypeVar, Union

import attrs

from typedresp import (
    Client,
    Stream,
    StreamedBinaryAPIResponse,
    StreamingResponseView,
    SyncAPIResource,
    to_custom_streamed_response_wrapper,
)

__all__ = [
    "Activity",
    "Adoption",
    "Ate",
    "Napped",
    "Page",
    "Pet",
    "Pets",
    "PetsWithStreamingResponse",
    "Petstore",
    "Species",
    "Vaccination",
    "Woke",
]

T = TypeVar("T")
Headers = Optional[Mapping[str, Any]]


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
class Page(Generic[T]):
    object: Literal["list"]
    data: list[T]
    has_more: bool
    next_after: Optional[int] = None


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
"""One event of a pet's activity stream, told apart by its ``type``."""


@attrs.frozen
class Adoption:
    id: str
    pet_id: int
    adopter: str
    attempts: int


@attrs.frozen
class AdoptionRequest:
    adopter: str


class Pets(SyncAPIResource):
    """``/pets``: every method passes ``extra_headers`` on, so the views can wrap it."""

    @functools.cached_property
    def with_streaming_response(self) -> PetsWithStreamingResponse:
        return PetsWithStreamingResponse(self)

    def retrieve(self, pet_id: int, *, extra_headers: Headers = None) -> Pet:
        return self._client.get(f"/pets/{pet_id}", cast_to=Pet, extra_headers=extra_headers)

    def list(
        self, *, limit: int = 3, after: Optional[int] = None, extra_headers: Headers = None
    ) -> Page[Pet]:
        params: dict[str, Any] = {"limit": limit}
        if after is not None:
            params["after"] = after
        return self._client.get(
            "/pets", cast_to=Page[Pet], params=params, extra_headers=extra_headers
        )

    def iter_all(self, *, limit: int = 3) -> Iterator[Pet]:
        """Every pet, page after page."""
        page = self.list(limit=limit)
        yield from page.data
        while page.has_more:
            page = self.list(limit=limit, after=page.next_after)
            yield from page.data

    def activity(self, pet_id: int, *, extra_headers: Headers = None) -> Stream[Activity]:
        return self._client.get(
            f"/pets/{pet_id}/activity",
            cast_to=Activity,
            stream=True,
            stream_cls=Stream[Activity],
            extra_headers=extra_headers,
        )

    def photo(self, pet_id: int, *, extra_headers: Headers = None) -> bytes:
        return self._client.get(f"/pets/{pet_id}/photo", cast_to=bytes, extra_headers=extra_headers)

    def adopt(self, pet_id: int, *, adopter: str, extra_headers: Headers = None) -> Adoption:
        return self._client.post(
            f"/pets/{pet_id}/adopt",
            body=AdoptionRequest(adopter=adopter),
            cast_to=Adoption,
            extra_headers=extra_headers,
        )


class PetsWithStreamingResponse(StreamingResponseView):
    """``pets.with_streaming_response``: generic for every method, with an exact type for
    ``photo`` (a streamed binary response, with ``stream_to_file``)."""

    def __init__(self, pets: Pets) -> None:
        super().__init__(pets)
        self.photo = to_custom_streamed_response_wrapper(pets.photo, StreamedBinaryAPIResponse)


class Petstore(Client):
    """The SDK's client: ``Petstore(base_url).pets.retrieve(1)``."""

    def __init__(self, base_url: str, **options: Any) -> None:
        super().__init__(base_url, **options)
        self.pets = Pets(self)
