"""The HTTP verbs of `Client` and `AsyncClient`: ``get``, ``post``, ``put``, ``patch``,
``delete``, each ``request`` with its method filled in, typed once per client.

The five verbs of a client share one overload set, the ``__call__`` of a callable
protocol (`Verb` for `Client`, `AsyncVerb` for `AsyncClient`), and a `verb` descriptor
binds them to the client. ``get`` is ``Verb[None]``: it takes no body.

Sync and async cannot share the set: their results differ only in a wrapper (``T``
against ``Coroutine[Any, Any, T]``), and Python's type system cannot take a wrapper as a
parameter (it has no higher-kinded types: ``Generic[W]`` with ``W[T]`` in a signature is
no valid type), so `AsyncVerb` repeats the three overloads with coroutine results.
"""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._base_client import Params

__all__ = ["AsyncVerb", "Verb", "verb"]

T = TypeVar("T")
_StreamT = TypeVar("_StreamT")
_BodyT = TypeVar("_BodyT", contravariant=True)
_VerbT = TypeVar("_VerbT")


class Verb(Protocol[_BodyT]):
    """A verb of `Client`: ``client.post(path, body=..., cast_to=T)`` sends the request
    (with retries) and gives the body parsed to ``T``; ``stream=True`` gives a stream.

    For example::

        user = client.post("/users", body=NewUser(name="Ada"), cast_to=User)
        page = client.get("/users", cast_to=Page[User], params={"limit": 10})
    """

    @overload
    def __call__(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: _BodyT = ...,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[False] = False,
        stream_cls: None = None,
    ) -> T: ...
    @overload
    def __call__(
        self,
        path: str,
        *,
        cast_to: Any,
        body: _BodyT = ...,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    @overload
    def __call__(
        self,
        path: str,
        *,
        cast_to: Any,
        body: _BodyT = ...,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any: ...


class AsyncVerb(Protocol[_BodyT]):
    """A verb of `AsyncClient`: the same as `Verb`, awaited.

    For example::

        user = await client.post("/users", body=NewUser(name="Ada"), cast_to=User)
    """

    @overload
    def __call__(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: _BodyT = ...,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[False] = False,
        stream_cls: None = None,
    ) -> Coroutine[Any, Any, T]: ...
    @overload
    def __call__(
        self,
        path: str,
        *,
        cast_to: Any,
        body: _BodyT = ...,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> Coroutine[Any, Any, _StreamT]: ...
    @overload
    def __call__(
        self,
        path: str,
        *,
        cast_to: Any,
        body: _BodyT = ...,
        params: Params = None,
        extra_headers: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Coroutine[Any, Any, Any]: ...


_DOCS = {
    "GET": "``GET path``: the body parsed to ``cast_to``.",
    "POST": "``POST path`` with ``body`` as JSON: the response body parsed to ``cast_to``.",
    "PUT": "``PUT path`` with ``body`` as JSON: the response body parsed to ``cast_to``.",
    "PATCH": "``PATCH path`` with ``body`` as JSON: the response body parsed to ``cast_to``.",
    "DELETE": "``DELETE path`` (``body`` as JSON, rarely needed): the body parsed to ``cast_to``.",
}


class verb(Generic[_VerbT]):
    """The verb ``method`` of a client class: ``client.get(path, ...)`` is
    ``client.request("GET", path, ...)`` (a coroutine on an async client).

    Declared as ``get = verb[Verb[None]]("GET")``: the type argument is what the verb is
    on an instance.
    """

    def __init__(self, method: str) -> None:
        self.method = method
        self.__doc__ = _DOCS[method]
        self._qualname = method.lower()

    def __set_name__(self, owner: type, name: str) -> None:
        self._qualname = f"{owner.__qualname__}.{name}"

    @overload
    def __get__(self, client: None, owner: type) -> Self: ...
    @overload
    def __get__(self, client: object, owner: type | None = None) -> _VerbT: ...
    def __get__(self, client: object, owner: type | None = None) -> Any:
        if client is None:
            return self
        request: Any = getattr(client, "request")  # noqa: B009 -- any client class
        method, qualname = self.method, self._qualname

        def call(
            path: str,
            *,
            cast_to: Any,
            body: Any = None,
            params: Params = None,
            extra_headers: Mapping[str, Any] | None = None,
            stream: bool = False,
            stream_cls: Any = None,
        ) -> Any:
            if body is not None and method == "GET":
                raise TypeError(f"{qualname}() takes no body")
            return request(
                method,
                path,
                cast_to=cast_to,
                body=body,
                params=params,
                extra_headers=extra_headers,
                stream=stream,
                stream_cls=stream_cls,
            )

        call.__name__ = qualname.rpartition(".")[2]
        call.__qualname__, call.__doc__ = qualname, self.__doc__
        return call
