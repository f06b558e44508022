"""`typedresp.parse` / `typedresp.aparse`: parse a plain `httpx.Response` in one line.

>>> import attrs, httpx, typedresp
>>> @attrs.define
... class User:
...     id: int
...     name: str
>>> def api(request: httpx.Request) -> httpx.Response:  # a server, for the example
...     return httpx.Response(200, json=[{"id": 1, "name": "Ada", "role": "admin"}])
>>> with httpx.Client(transport=httpx.MockTransport(api)) as http:
...     typedresp.parse(http.get("https://api.example.com/users"), to=list[User])
[User(id=1, name='Ada')]
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, TypeVar, overload

import httpx

from ._async_response import AsyncAPIResponse
from ._response import APIResponse
from ._status import aread_status_error, is_error_status, read_status_error
from ._targets import TargetKind, target_kind

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

    For example::

        users = typedresp.parse(httpx.get(url), to=list[User])

    Reads the body if it was not read yet (``client.stream(...)`` / ``send(stream=True)``)
    and closes the response. See `APIResponse.parse` for the targets and errors.

    A status outside 200-299 raises the `APIStatusError` subclass a `Client` would
    (`NotFoundError`, ...; a 301 that plain httpx did not follow too), with the body kept
    as ``.body``, unless ``to`` is `httpx.Response`.
    """
    try:
        api_response = APIResponse(
            raw=response, cast_to=to, registry=registry, max_body_bytes=max_body_bytes
        )
        is_error = _is_status_error(response, to)
    except BaseException:
        with contextlib.suppress(RuntimeError):  # an async body cannot be closed from here
            response.close()
        raise
    if is_error:
        raise read_status_error(response, max_body_bytes=max_body_bytes)
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

    For example::

        user = await typedresp.aparse(await client.get(url), to=User)
    """
    try:
        api_response = AsyncAPIResponse(
            raw=response, cast_to=to, registry=registry, max_body_bytes=max_body_bytes
        )
        is_error = _is_status_error(response, to)
    except BaseException:
        with contextlib.suppress(RuntimeError):  # a sync body cannot be closed from here
            await response.aclose()
        raise
    if is_error:
        raise await aread_status_error(response, max_body_bytes=max_body_bytes)
    return await api_response.parse()


def _is_status_error(response: httpx.Response, to: Any) -> bool:
    """Whether ``response`` is to raise its status error rather than be parsed to ``to``.

    Checks ``to`` first: a target that cannot be parsed to is a `TypeError` whatever the
    status.
    """
    return target_kind(to) is not TargetKind.RESPONSE and is_error_status(response.status_code)
