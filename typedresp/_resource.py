"""Resource bases for SDKs: `with_raw_response` and `with_streaming_response` for free.

An SDK groups its API methods in resource classes. Each method passes ``extra_headers``
on to the client; the views then wrap every public method, with no code per method::

    class Users(SyncAPIResource):
        def retrieve(self, user_id: str, *, extra_headers: Headers | None = None) -> User:
            return self._client.get(f"/users/{user_id}", cast_to=User, extra_headers=extra_headers)
    users = Users(client)
    users.retrieve("u_1")                                   # User
    users.with_raw_response.retrieve("u_1").headers         # APIResponse[User]
    with users.with_streaming_response.retrieve("u_1") as response:  # body not read yet
        ...

Methods whose body is a file can ask for the binary response classes with
`response_classes`. For exact static types per method, subclass a view and assign the
wrapped methods yourself (see `RawResponseView`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ._async_response import AsyncAPIResponse
from ._context import AsyncResponseContextManager, ResponseContextManager
from ._response import APIResponse, BaseAPIResponse
from ._wrappers import (
    async_to_custom_raw_response_wrapper,
    async_to_custom_streamed_response_wrapper,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_custom_raw_response_wrapper,
    to_custom_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)

if TYPE_CHECKING:
    from ._async_client import AsyncClient
    from ._client import Client

__all__ = [
    "AsyncAPIResource",
    "AsyncRawResponseView",
    "AsyncStreamingResponseView",
    "RawResponseView",
    "StreamingResponseView",
    "SyncAPIResource",
    "response_classes",
]

_F = TypeVar("_F", bound=Callable[..., Any])
_RESPONSE_CLASSES: Final = "__typedresp_response_classes__"


def response_classes(
    *,
    raw: type[BaseAPIResponse[Any]] | None = None,
    streamed: type[BaseAPIResponse[Any]] | None = None,
) -> Callable[[_F], _F]:
    """Choose the response classes the views build for one API method.

    For example::

        class Files(SyncAPIResource):
            @response_classes(raw=BinaryAPIResponse, streamed=StreamedBinaryAPIResponse)
            def content(self, file_id: str, *, extra_headers: Headers | None = None) -> bytes:
                return self._client.get(f"/files/{file_id}/content", cast_to=bytes,
                                        extra_headers=extra_headers)
        with files.with_streaming_response.content("f_1") as response:
            response.stream_to_file("f_1.bin")

    The method itself is unchanged.
    """

    def mark(func: _F) -> _F:
        setattr(func, _RESPONSE_CLASSES, (raw, streamed))
        return func

    return mark


class _View:
    """Wraps the public API methods of a resource, on first access, with ``_wrap``."""

    def __init__(self, resource: object) -> None:
        self._resource = resource
        self._method_names = _api_method_names(type(resource))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {type(self._resource).__name__}>"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        method = self._api_method(name)
        raw_cls, streamed_cls = getattr(method, _RESPONSE_CLASSES, (None, None))
        wrapped = self._wrap(method, raw_cls, streamed_cls)
        setattr(self, name, wrapped)  # the next access skips __getattr__
        return wrapped

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self._method_names})

    def _api_method(self, name: str) -> Callable[..., Any]:
        if name not in self._method_names:
            resource_name = type(self._resource).__name__
            if inspect.isfunction(inspect.getattr_static(type(self._resource), name, None)):
                raise AttributeError(
                    f"{resource_name}.{name} takes no extra_headers, so the views cannot "
                    f"wrap it: call it on the resource itself"
                )
            raise AttributeError(
                f"{type(self._resource).__name__} has no API method {name!r} "
                f"(views wrap its public methods: {', '.join(self._method_names)})"
            )
        method: Callable[..., Any] = getattr(self._resource, name)
        return method

    def _wrap(self, method: Callable[..., Any], raw_cls: Any, streamed_cls: Any) -> Any:
        raise NotImplementedError


def _api_method_names(resource_cls: type) -> tuple[str, ...]:
    """The public methods a resource class defines (not those of the resource bases) that
    take ``extra_headers``: only those can be asked for their response."""
    bases = (SyncAPIResource, AsyncAPIResource)
    names: list[str] = []
    for name in dir(resource_cls):
        if name.startswith("_") or any(hasattr(base, name) for base in bases):
            continue
        attribute = inspect.getattr_static(resource_cls, name)
        if inspect.isfunction(attribute) and _takes_extra_headers(attribute):
            names.append(name)
    return tuple(names)


def _takes_extra_headers(func: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):  # no signature to read: let the call decide
        return True
    return any(
        (p.name == "extra_headers" and p.kind is not p.POSITIONAL_ONLY) or p.kind is p.VAR_KEYWORD
        for p in parameters
    )


class RawResponseView(_View):
    """``resource.with_raw_response``: each API method returns its `APIResponse`.

    The body is read and the connection released before the call returns, except for a
    method that streams (``stream=True``): its response is returned unread, to be parsed
    (its stream iterated) or closed. ``parse()`` gives what the method would have returned.
    For exact types per method, subclass it and override ``with_raw_response`` in your
    resource::

        class UsersWithRawResponse(RawResponseView):
            def __init__(self, users: Users) -> None:
                super().__init__(users)
                self.retrieve = to_raw_response_wrapper(users.retrieve)
    """

    def __getattr__(self, name: str) -> Callable[..., APIResponse[Any]]:
        wrapped: Callable[..., APIResponse[Any]] = super().__getattr__(name)
        return wrapped

    def _wrap(self, method: Callable[..., Any], raw_cls: Any, streamed_cls: Any) -> Any:
        if raw_cls is None:
            return to_raw_response_wrapper(method)
        return to_custom_raw_response_wrapper(method, raw_cls)


class StreamingResponseView(_View):
    """``resource.with_streaming_response``: each API method returns a
    `ResponseContextManager`: the request is sent when the ``with`` block is entered, the
    body is read as you ask for it, and the response is closed when the block is left."""

    def __getattr__(self, name: str) -> Callable[..., ResponseContextManager[APIResponse[Any]]]:
        wrapped: Callable[..., ResponseContextManager[APIResponse[Any]]] = super().__getattr__(name)
        return wrapped

    def _wrap(self, method: Callable[..., Any], raw_cls: Any, streamed_cls: Any) -> Any:
        if streamed_cls is None:
            return to_streamed_response_wrapper(method)
        return to_custom_streamed_response_wrapper(method, streamed_cls)


class AsyncRawResponseView(_View):
    """``resource.with_raw_response`` of an async resource: awaiting a method gives its
    `AsyncAPIResponse`, body read (unless the method streams: see `RawResponseView`)."""

    def __getattr__(self, name: str) -> Callable[..., Awaitable[AsyncAPIResponse[Any]]]:
        wrapped: Callable[..., Awaitable[AsyncAPIResponse[Any]]] = super().__getattr__(name)
        return wrapped

    def _wrap(self, method: Callable[..., Any], raw_cls: Any, streamed_cls: Any) -> Any:
        if raw_cls is None:
            return async_to_raw_response_wrapper(method)
        return async_to_custom_raw_response_wrapper(method, raw_cls)


class AsyncStreamingResponseView(_View):
    """``resource.with_streaming_response`` of an async resource: each method returns an
    `AsyncResponseContextManager`, used with ``async with``."""

    def __getattr__(
        self, name: str
    ) -> Callable[..., AsyncResponseContextManager[AsyncAPIResponse[Any]]]:
        wrapped: Callable[..., AsyncResponseContextManager[AsyncAPIResponse[Any]]] = (
            super().__getattr__(name)
        )
        return wrapped

    def _wrap(self, method: Callable[..., Any], raw_cls: Any, streamed_cls: Any) -> Any:
        if streamed_cls is None:
            return async_to_streamed_response_wrapper(method)
        return async_to_custom_streamed_response_wrapper(method, streamed_cls)


class SyncAPIResource:
    """The base of an SDK's resource classes, built as ``Resource(client)``.

    The client is ``self._client``. Every public method (one that passes
    ``extra_headers`` on to the client) is available through `with_raw_response` and
    `with_streaming_response`.
    """

    _client: Client

    def __init__(self, client: Client) -> None:
        self._client = client

    @functools.cached_property
    def with_raw_response(self) -> RawResponseView:
        """This resource's API methods, returning the `APIResponse` instead of the body."""
        return RawResponseView(self)

    @functools.cached_property
    def with_streaming_response(self) -> StreamingResponseView:
        """This resource's API methods, returning a context manager over the unread
        response (use ``with``)."""
        return StreamingResponseView(self)


class AsyncAPIResource:
    """The base of an async SDK's resource classes, built as ``Resource(async_client)``."""

    _client: AsyncClient

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    @functools.cached_property
    def with_raw_response(self) -> AsyncRawResponseView:
        """This resource's API methods, returning the `AsyncAPIResponse` when awaited."""
        return AsyncRawResponseView(self)

    @functools.cached_property
    def with_streaming_response(self) -> AsyncStreamingResponseView:
        """This resource's API methods, returning an async context manager over the
        unread response (use ``async with``)."""
        return AsyncStreamingResponseView(self)
