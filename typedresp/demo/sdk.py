"""A tiny SDK for the demo's pet-store API, built on typedresp: models, a resource, a client.

This is all an SDK author writes. typedresp gives the rest: checked parsing, pagination,
typed errors, retries, streams, and the ``with_raw_response`` /
``with_streaming_response`` views of every API method.
"""

from __future__ import annotations

import datetime
import enum
import functools
from collections.abc import Mapping
from typing import Any, Literal, Optional, Union

import attrs

from typedresp import (
    Client,
    CursorRule,
    Stream,
    StreamedBinaryAPIResponse,
    StreamingResponseView,
    SyncAPIResource,
    SyncPage,
    to_custom_streamed_response_wrapper,
)

__all__ = [
    "Activity",
    "Adoption",
    "Ate",
    "Napped",
    "Pet",
    "Pets",
    "PetsWithStreamingResponse",
    "Petstore",
    "Species",
    "Vaccination",
    "Woke",
]

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

    def list(self, *, limit: int = 3, extra_headers: Headers = None) -> SyncPage[Pet]:
        """The first page of pets; iterating it gives every pet, page after page. The
        server says ``next_after``: the cursor for ``?after=``."""
        return self._client.get_pages(
            "/pets",
            item=Pet,
            rule=CursorRule(next_cursor="next_after"),
            params={"limit": limit},
            extra_headers=extra_headers,
        )

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
