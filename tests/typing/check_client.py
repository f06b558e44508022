"""Static types of the client verbs, checked by mypy --strict and pyright (strict).

Not a pytest module: it is only ever type-checked. Each ``assert_type`` must hold exactly
in both checkers; a line marked with an ignore comment must be an error.
"""
# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from typing import Any

import attrs
from typing_extensions import assert_type

from typedresp import AsyncClient, AsyncStream, Client, Stream


@attrs.define
class Pet:
    id: int


def sync_verbs(client: Client) -> None:
    assert_type(client.get("/p", cast_to=Pet), Pet)
    assert_type(client.post("/p", cast_to=Pet, body={"id": 1}), Pet)
    assert_type(client.put("/p", cast_to=Pet, body=None), Pet)
    assert_type(client.patch("/p", cast_to=Pet, params={"a": 1}), Pet)
    assert_type(client.delete("/p", cast_to=Pet, extra_headers={"X": "1"}), Pet)
    assert_type(client.get("/p", cast_to=Pet, stream=True, stream_cls=Stream[Pet]), Stream[Pet])
    assert_type(client.post("/p", cast_to=Pet, stream=True, stream_cls=Stream[Pet]), Stream[Pet])
    assert_type(client.get("/p", cast_to=list[Pet]), list[Pet])
    assert_type(client.request("GET", "/p", cast_to=Pet), Any)
    client.get("/p", cast_to=Pet, body={"id": 1})  # type: ignore[call-overload]
    client.get("/p", Pet)  # type: ignore[call-overload]


async def async_verbs(client: AsyncClient) -> None:
    assert_type(await client.get("/p", cast_to=Pet), Pet)
    assert_type(await client.post("/p", cast_to=Pet, body={"id": 1}), Pet)
    assert_type(await client.put("/p", cast_to=Pet), Pet)
    assert_type(await client.patch("/p", cast_to=Pet), Pet)
    assert_type(await client.delete("/p", cast_to=Pet), Pet)
    assert_type(
        await client.get("/p", cast_to=Pet, stream=True, stream_cls=AsyncStream[Pet]),
        AsyncStream[Pet],
    )
    assert_type(await client.request("GET", "/p", cast_to=Pet), Any)
    await client.get("/p", cast_to=Pet, body={"id": 1})  # type: ignore[call-overload]
