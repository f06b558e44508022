"""Static types: a wrapped method keeps its parameters, the verbs give ``cast_to``, and the
views type-check. Runs mypy on a snippet; skipped when mypy is not installed (the ``lint``
extra)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

SNIPPET = """
from collections.abc import Mapping
from typing import Any, Optional, Union

import attrs
from typing_extensions import assert_type

from typedresp import (
    APIResponse, AsyncAPIResponse, AsyncAPIResource, AsyncClient, AsyncResponseContextManager,
    AsyncStream, Client, ResponseContextManager, Stream, StreamedBinaryAPIResponse,
    SyncAPIResource, async_to_raw_response_wrapper, async_to_streamed_response_wrapper,
    to_custom_streamed_response_wrapper, to_raw_response_wrapper, to_streamed_response_wrapper,
)

Headers = Optional[Mapping[str, Any]]


@attrs.define
class Pet:
    id: int


class Pets(SyncAPIResource):
    def retrieve(self, pet_id: int, *, extra_headers: Headers = None) -> Pet:
        return self._client.get(f"/pets/{pet_id}", cast_to=Pet, extra_headers=extra_headers)

    def events(self, *, extra_headers: Headers = None) -> Stream[Pet]:
        return self._client.get(
            "/events", cast_to=Pet, stream=True, stream_cls=Stream[Pet], extra_headers=extra_headers
        )


class AsyncPets(AsyncAPIResource):
    async def retrieve(self, pet_id: int, *, extra_headers: Headers = None) -> Pet:
        return await self._client.get(f"/pets/{pet_id}", cast_to=Pet, extra_headers=extra_headers)


def sync_calls(client: Client, pets: Pets) -> None:
    assert_type(client.get("/p", cast_to=Pet), Pet)
    assert_type(client.post("/p", cast_to=list[Pet], body={"a": 1}), list[Pet])
    assert_type(client.get("/p", cast_to=Pet, stream=True, stream_cls=Stream[Pet]), Stream[Pet])
    assert_type(client.get("/p", cast_to=Union[Pet, int]), Any)
    assert_type(client.get("/p", cast_to=Pet, stream_cls=Stream[Pet]), Any)  # refused at run time
    client.get("/p")  # E: cast_to is required
    client.get("/p", cast_to=Pet, body={})  # E: get takes no body

    raw = to_raw_response_wrapper(pets.retrieve)
    assert_type(raw(1), APIResponse[Pet])
    raw(1, extra_headers={"X-A": "b"})
    raw("1")  # E: pet_id is an int
    raw(1, pet_name="x")  # E: no such parameter

    streamed = to_streamed_response_wrapper(pets.retrieve)
    assert_type(streamed(1), ResponseContextManager[APIResponse[Pet]])
    with streamed(1) as response:
        assert_type(response.parse(), Pet)
    streamed()  # E: pet_id is missing

    download = to_custom_streamed_response_wrapper(pets.retrieve, StreamedBinaryAPIResponse)
    assert_type(download(1), ResponseContextManager[StreamedBinaryAPIResponse])

    assert_type(pets.with_raw_response.retrieve(1), APIResponse[Any])
    assert_type(pets.with_streaming_response.events(), ResponseContextManager[APIResponse[Any]])


async def async_calls(client: AsyncClient, pets: AsyncPets) -> None:
    assert_type(await client.get("/p", cast_to=Pet), Pet)
    stream = await client.post("/p", cast_to=Pet, stream=True, stream_cls=AsyncStream[Pet])
    assert_type(stream, AsyncStream[Pet])

    raw = async_to_raw_response_wrapper(pets.retrieve)
    assert_type(await raw(1), AsyncAPIResponse[Pet])
    await raw("1")  # E: pet_id is an int

    streamed = async_to_streamed_response_wrapper(pets.retrieve)
    assert_type(streamed(1), AsyncResponseContextManager[AsyncAPIResponse[Pet]])

    assert_type(await pets.with_raw_response.retrieve(1), AsyncAPIResponse[Any])
"""


def test_wrapped_methods_keep_their_signature_for_mypy(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    source = textwrap.dedent(SNIPPET)
    path = tmp_path / "snippet.py"
    path.write_text(source)
    expected = {number for number, line in enumerate(source.splitlines(), 1) if "# E:" in line}
    stdout, stderr, _ = api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(path)]
    )
    errors = {
        int(match[1]): match[2]
        for match in re.finditer(r"^.*snippet\.py:(\d+): error: (.*)$", stdout, re.MULTILINE)
    }
    assert stderr == ""
    assert set(errors) == expected, stdout
