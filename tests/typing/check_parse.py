"""Static types of the parse entry points, checked by mypy --strict and pyright (strict).

Not a pytest module (the name does not start with ``test_``): it is only ever type-checked.
Each ``assert_type`` must hold exactly in both checkers; a line marked with an ignore
comment must be an error (both checkers report an ignore comment that is not needed).

Targets other than plain classes (``list[User]``, ``User | None``, ``Literal[...]``,
``Annotated[...]``, aliases) are typed through PEP 747 ``TypeForm``.
"""
# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, NewType, Optional, TypeVar, Union

import attrs
import httpx
from typing_extensions import TypeAliasType, assert_type

import typedresp
from typedresp import APIResponse, AsyncAPIResponse, AsyncStream, Registry, Stream


@attrs.define
class User:
    id: int


T = TypeVar("T")


@attrs.define
class Page(Generic[T]):
    data: list[T]


UserId = NewType("UserId", int)
Users = TypeAliasType("Users", list[User])


def response_parse(response: APIResponse[User], any_target: Any, user_class: type[User]) -> None:
    assert_type(response.parse(), User)
    assert_type(response.parse(to=None), User)
    assert_type(response.parse(to=User), User)
    assert_type(response.parse(to=user_class), User)
    assert_type(response.parse(to=str), str)
    assert_type(response.parse(to=bytes), bytes)
    assert_type(response.parse(to=httpx.Response), httpx.Response)
    assert_type(response.parse(to=list[User]), list[User])
    assert_type(response.parse(to=dict[str, list[User]]), dict[str, list[User]])
    assert_type(response.parse(to=User | None), Optional[User])
    assert_type(response.parse(to=Optional[User]), Optional[User])
    assert_type(response.parse(to=Union[User, int]), Union[User, int])
    assert_type(response.parse(to=Literal["a", "b"]), Literal["a", "b"])
    assert_type(response.parse(to=Annotated[User, "meta"]), User)
    assert_type(response.parse(to=UserId), UserId)
    assert_type(response.parse(to=Users), list[User])
    assert_type(response.parse(to=Page[User]), Page[User])
    assert_type(response.parse(to=Stream[User]), Stream[User])
    wrong: int = response.parse(to=User)  # type: ignore[assignment]
    del wrong
    response.parse(to=User | None).id  # type: ignore[union-attr]
    response.parse(to=list[User]).id  # type: ignore[attr-defined]


def response_cast_to(raw: httpx.Response) -> None:
    assert_type(APIResponse(raw=raw, cast_to=User), APIResponse[User])
    assert_type(APIResponse(raw=raw, cast_to=list[User]).parse(), list[User])
    assert_type(APIResponse(raw=raw, cast_to=User | None).parse(), Optional[User])
    assert_type(APIResponse(raw=raw, cast_to=Literal["a", "b"]).parse(), Literal["a", "b"])


async def async_response_parse(response: AsyncAPIResponse[User]) -> None:
    assert_type(await response.parse(), User)
    assert_type(await response.parse(to=User), User)
    assert_type(await response.parse(to=list[User]), list[User])
    assert_type(await response.parse(to=User | None), Optional[User])
    assert_type(await response.parse(to=Literal["a", "b"]), Literal["a", "b"])
    assert_type(await response.parse(to=Annotated[User, "meta"]), User)


def one_line_parse(raw: httpx.Response) -> None:
    assert_type(typedresp.parse(raw, to=User), User)
    assert_type(typedresp.parse(raw, to=list[User]), list[User])
    assert_type(typedresp.parse(raw, to=User | None), Optional[User])
    assert_type(typedresp.parse(raw, to=Literal["a", "b"]), Literal["a", "b"])
    assert_type(typedresp.parse(raw, to=Annotated[User, "meta"]), User)


async def one_line_aparse(raw: httpx.Response) -> None:
    assert_type(await typedresp.aparse(raw, to=User), User)
    assert_type(await typedresp.aparse(raw, to=list[User]), list[User])
    assert_type(await typedresp.aparse(raw, to=User | None), Optional[User])


def registry(registry: Registry, value: object, any_target: Any) -> None:
    assert_type(registry.structure(value, User), User)
    assert_type(registry.structure(value, list[User]), list[User])
    assert_type(registry.structure(value, User | None), Optional[User])
    assert_type(registry.structure(value, Literal["a", "b"]), Literal["a", "b"])
    assert_type(registry.structure(value, Annotated[User, "meta"]), User)
    assert_type(registry.structure(value, any_target), Any)
    assert_type(registry.parse_json(b"{}", User), User)
    assert_type(registry.parse_json(b"[]", list[User]), list[User])
    assert_type(registry.parse_json(b"null", User | None), Optional[User])


def streams(raw: httpx.Response) -> None:
    stream = Stream(cast_to=User, response=raw)
    assert_type(stream, Stream[User])
    for user in stream:
        assert_type(user, User)
    assert_type(next(stream), User)
    for event in Stream[User](response=raw):
        assert_type(event, User)
    for maybe in Stream(cast_to=User | None, response=raw):
        assert_type(maybe, Optional[User])
    with Stream(cast_to=list[User], response=raw) as users:
        for batch in users:
            assert_type(batch, list[User])


async def async_streams(raw: httpx.Response) -> None:
    stream = AsyncStream(cast_to=User, response=raw)
    assert_type(stream, AsyncStream[User])
    async for user in stream:
        assert_type(user, User)
    assert_type(await stream.__anext__(), User)
    async with AsyncStream[Literal["a", "b"]](response=raw) as letters:
        async for letter in letters:
            assert_type(letter, Literal["a", "b"])
