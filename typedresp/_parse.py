"""`typedresp.parse` / `typedresp.aparse`: parse a plain `httpx.Response` in one line.

>>> import httpx, typedresp
>>> users = typedresp.parse(httpx.get("https://api.example.com/users"), to=list[User])
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, TypeVar, overload

import httpx

from ._response import APIResponse, AsyncAPIResponse

if TYPE_CHECKING:
    from cattrs import BaseConverter
    from typing_extensions import TypeForm  # PEP 747; for the checkers only

__all__ = ["aparse", "parse"]

_T = TypeVar("_T")


@overload
def parse(
    response: httpx.Response,
    *,
    to: type[_T],
    registry: BaseConverter | None = None,
    max_body_bytes: int | None = None,
) -> _T: ...
@overload
def parse(
    response: httpx.Response,
    *,
    to: TypeForm[_T],
    registry: BaseConverter | None = None,
    max_body_bytes: int | None = None,
) -> _T: ...
@overload
def parse(
    response: httpx.Response,
    *,
    to: Any,
    registry: BaseConverter | None = None,
    max_body_bytes: int | None = None,
) -> Any: ...
def parse(
    response: httpx.Response,
    *,
    to: Any,
    registry: BaseConverter | None = None,
    max_body_bytes: int | None = None,
) -> Any:
    """Parse an `httpx.Response` into ``to``: the one-line entry for plain httpx users.

    >>> users = typedresp.parse(httpx.get(url), to=list[User])

    Reads the body if it was not read yet (``client.stream(...)`` / ``send(stream=True)``)
    and closes the response. See `APIResponse.parse` for the targets and errors.
    """
    try:
        api_response = APIResponse(
            raw=response, cast_to=to, registry=registry, max_body_bytes=max_body_bytes
        )
    except BaseException:
        with contextlib.suppress(RuntimeError):  # an async body cannot be closed from here
            response.close()
        raise
    return api_response.parse()


@overload
async def aparse(
    response: httpx.Response,
    *,
    to: type[_T],
    registry: BaseConverter | None = None,
    max_body_bytes: int | None = None,
) -> _T: ...
@overload
async def aparse(
    response: httpx.Response,
    *,
    to: TypeForm[_T],
    registry: BaseConverter | None = None,
    max_body_bytes: int | None = None,
) -> _T: ...
@overload
async def aparse(
    response: httpx.Response,
    *,
    to: Any,
    registry: BaseConverter | None = None,
    max_body_bytes: int | None = None,
) -> Any: ...
async def aparse(
    response: httpx.Response,
    *,
    to: Any,
    registry: BaseConverter | None = None,
    max_body_bytes: int | None = None,
) -> Any:
    """The async twin of `parse`, for responses from `httpx.AsyncClient`.

    >>> user = await typedresp.aparse(await client.get(url), to=User)
    """
    try:
        api_response = AsyncAPIResponse(
            raw=response, cast_to=to, registry=registry, max_body_bytes=max_body_bytes
        )
    except BaseException:
        with contextlib.suppress(RuntimeError):  # a sync body cannot be closed from here
            await response.aclose()
        raise
    return await api_response.parse()
