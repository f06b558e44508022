"""Pagination: typed pages of a list endpoint, walked page after page as the loop goes.

An SDK method returns the first page; iterating it gives every item, fetching the next
page only when the items of this one are used up::

    class Pets(SyncAPIResource):
        def list(self, *, limit: int = 20, extra_headers: Headers = None) -> SyncPage[Pet]:
            return self._client.get_pages("/pets", item=Pet, rule=CursorRule(),
                                          params={"limit": limit}, extra_headers=extra_headers)
    for pet in client.pets.list():          # every pet, page after page
        ...
    page = client.pets.list()
    page.items, page.response.request_id, page.has_next_page()

A *rule* reads a page and says how to ask for the next one (`NextPage`), or that there is
none (``None``). Four are built in, for the shapes real APIs use: `CursorRule` (OpenAI's
``after``, Stripe's ``starting_after``, a ``next_cursor`` field), `PageNumberRule` and
`OffsetRule` (``?page=3``, ``?offset=40``), and `LinkHeaderRule` (RFC 8288 ``Link:
<...>; rel="next"``, as GitHub sends). Any function from a page to a `NextPage` is one::

    def next_token(page: BasePage[Any]) -> NextPage | None:
        token = page.body.get("nextPageToken")
        return NextPage(params={"pageToken": token}) if token else None

Two guards keep a walk finite and safe: a next URL on another origin than the page's
(scheme, host, port) is not followed, and a rule asking again for a page already fetched
in this walk stops it; both raise `PaginationError`. Each page's body is read whole before
the page is returned, so leaving a loop early leaves no response open.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeGuard, TypeVar

import attrs
import httpx

from ._async_response import AsyncAPIResponse
from ._controls import RAW_RESPONSE_HEADER, split_control_entries
from ._engine import structurer
from ._exceptions import ResponseValidationError, TypedRespError, ValidationErrorItem
from ._nodes import field_path, got
from ._page_rules import (
    PageRule,
)
from ._response import APIResponse, BaseAPIResponse

if TYPE_CHECKING:
    from ._async_client import AsyncClient
    from ._client import Client

__all__ = [
    "AsyncPage",
    "AsyncPaginator",
    "BasePage",
    "PaginationError",
    "SyncPage",
    "first_async_page",
    "first_sync_page",
]

T = TypeVar("T")
_ResponseT = TypeVar("_ResponseT", bound=BaseAPIResponse[Any])


class PaginationError(TypedRespError):
    """A walk over pages stopped: the next link points to another origin, the rule asked
    for a page already fetched (it would loop), or there is no next page to get.

    ``page`` is the page whose next page was refused.
    """

    def __init__(self, message: str, *, page: BasePage[Any]) -> None:
        super().__init__(message)
        self.page = page


def _is_object(value: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict)


def _is_list(value: object) -> TypeGuard[list[Any]]:
    return isinstance(value, list)


# ---------------------------------------------------------------------- pages


@attrs.frozen
class _Walk(Generic[T]):
    """What every page of one walk shares: how to fetch a page and how to read it."""

    client: Any
    item_list: Any  # list[item], built once
    rule: PageRule
    items_key: str | None
    headers: Mapping[str, Any]
    error_model: Any

    def request_args(self) -> dict[str, Any]:
        """What `Client.request` takes to fetch a page: its response, body read."""
        return {
            "cast_to": object,
            "extra_headers": {**self.headers, RAW_RESPONSE_HEADER: "raw"},
            "error_model": self.error_model,
        }


class BasePage(Generic[T]):
    """One page of a list, what `SyncPage` and `AsyncPage` share.

    ``items`` are this page's items, typed; ``raw_items`` the same as decoded JSON;
    ``body`` the whole decoded body; ``response`` the response it came in (headers,
    ``request_id``); ``url`` the URL it was fetched from (its query included).
    """

    items: list[T]
    raw_items: list[Any]
    body: Any
    url: httpx.URL

    @property
    def response(self) -> BaseAPIResponse[Any]:
        """The response this page came in: ``headers``, ``request_id``, ``status_code``."""
        return self._response

    def __init__(
        self,
        walk: _Walk[T],
        response: BaseAPIResponse[Any],
        body: Any,
        seen: tuple[str, ...] = (),
    ) -> None:
        self._walk = walk
        self._response = response
        self.body = body
        self.url = response.http_request.url
        self.raw_items = _raw_items(body, walk.items_key, response)
        self.items = _structure_items(self.raw_items, walk, response, body)
        self._seen = (*seen, str(self.url))  # this walk's URLs up to this page, in order

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self.items)} items>"

    def has_next_page(self) -> bool:
        """Whether the rule names a next page (checked against the guards)."""
        return self._next_url() is not None

    def next_page_url(self) -> httpx.URL | None:
        """The URL the next page will be fetched from, or None on the last page."""
        return self._next_url()

    def _next_url(self) -> httpx.URL | None:
        next_page = self._walk.rule(self)
        if next_page is None:
            return None
        url = self.url
        if next_page.url is not None:
            url = url.join(next_page.url)
            if _origin(url) != _origin(self.url):
                raise PaginationError(
                    f"The next page is on another origin ({_origin_text(url)}, this page is on "
                    f"{_origin_text(self.url)}): not followed.",
                    page=self,
                )
        for name, value in (next_page.params or {}).items():
            url = url.copy_remove_param(name) if value is None else url.copy_set_param(name, value)
        if str(url) in self._seen:
            number = self._seen.index(str(url)) + 1
            raise PaginationError(
                f"The pagination rule asked for page {number} of this walk again, after page "
                f"{len(self._seen)}: stopped rather than loop.",
                page=self,
            )
        return url

    def _no_next_page(self) -> PaginationError:
        return PaginationError(
            "This is the last page: check has_next_page() before get_next_page().", page=self
        )


class SyncPage(BasePage[T]):
    """A page of a list from a `Client`; iterating it gives every item from here on.

    For example::

        for pet in page: ...                    # this page's items, then the next pages'
        for p in page.iter_pages(): ...         # this page, then the next ones
        page.has_next_page(), page.get_next_page()
    """

    _response: APIResponse[Any]

    def __init__(
        self,
        walk: _Walk[T],
        response: APIResponse[Any],
        body: Any,
        seen: tuple[str, ...] = (),
    ) -> None:
        super().__init__(walk, response, body, seen)

    @property
    def response(self) -> APIResponse[Any]:
        """The response this page came in: ``headers``, ``request_id``, ``status_code``."""
        return self._response

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """This page, then each next one, fetched when the loop asks for it."""
        page: SyncPage[T] | None = self
        while page is not None:
            yield page
            url = page._next_url()
            page = None if url is None else page._fetch(url)

    def get_next_page(self) -> SyncPage[T]:
        """Fetch the next page; `PaginationError` when this is the last one."""
        url = self._next_url()
        if url is None:
            raise self._no_next_page()
        return self._fetch(url)

    def _fetch(self, url: httpx.URL) -> SyncPage[T]:
        walk = self._walk
        client: Client = walk.client
        response: APIResponse[Any] = client.request("GET", str(url), **walk.request_args())
        return SyncPage(walk, response, response.parse(to=object), self._seen)


class AsyncPage(BasePage[T]):
    """A page of a list from an `AsyncClient`: ``async for item in page`` gives every item
    from here on; ``iter_pages()`` and ``await get_next_page()`` as in `SyncPage`."""

    _response: AsyncAPIResponse[Any]

    def __init__(
        self,
        walk: _Walk[T],
        response: AsyncAPIResponse[Any],
        body: Any,
        seen: tuple[str, ...] = (),
    ) -> None:
        super().__init__(walk, response, body, seen)

    @property
    def response(self) -> AsyncAPIResponse[Any]:
        """The response this page came in: ``headers``, ``request_id``, ``status_code``."""
        return self._response

    def __aiter__(self) -> _AsyncItems[T]:
        return _AsyncItems(self)

    def iter_pages(self) -> _AsyncPages[T]:
        """This page, then each next one (``async for``), fetched when the loop asks."""
        return _AsyncPages(self)

    async def get_next_page(self) -> AsyncPage[T]:
        """Fetch the next page; `PaginationError` when this is the last one."""
        url = self._next_url()
        if url is None:
            raise self._no_next_page()
        return await self._fetch(url)

    async def _fetch(self, url: httpx.URL) -> AsyncPage[T]:
        walk = self._walk
        client: AsyncClient = walk.client
        response: AsyncAPIResponse[Any] = await client.request(
            "GET", str(url), **walk.request_args()
        )
        return AsyncPage(walk, response, await response.parse(to=object), self._seen)


class _AsyncPages(Generic[T]):
    """The pages from one on. A class, not an async generator: a loop left early leaves
    nothing for the event loop to finalise."""

    def __init__(self, page: AsyncPage[T]) -> None:
        self._page: AsyncPage[T] | None = page
        self._started = False

    def __aiter__(self) -> _AsyncPages[T]:
        return self

    async def __anext__(self) -> AsyncPage[T]:
        page = self._page
        if page is None:
            raise StopAsyncIteration
        if self._started:
            url = page._next_url()  # pyright: ignore[reportPrivateUsage]
            if url is None:
                self._page = None
                raise StopAsyncIteration
            page = self._page = await page._fetch(url)  # pyright: ignore[reportPrivateUsage]
        self._started = True
        return page


class _AsyncItems(Generic[T]):
    """Every item from one page on, fetching the next page when these run out."""

    def __init__(
        self,
        page: AsyncPage[T] | None,
        fetch_first: Callable[[], Awaitable[AsyncPage[T]]] | None = None,
    ) -> None:
        self._page = page
        self._fetch_first = fetch_first
        self._index = 0

    def __aiter__(self) -> _AsyncItems[T]:
        return self

    async def __anext__(self) -> T:
        page = self._page
        if page is None:
            if self._fetch_first is None:
                raise StopAsyncIteration
            fetch_first, self._fetch_first = self._fetch_first, None
            page = self._page = await fetch_first()
        while self._index >= len(page.items):
            url = page._next_url()  # pyright: ignore[reportPrivateUsage]
            if url is None:
                self._page = None
                raise StopAsyncIteration
            page = self._page = await page._fetch(url)  # pyright: ignore[reportPrivateUsage]
            self._index = 0
        item = page.items[self._index]
        self._index += 1
        return item


class AsyncPaginator(Generic[T]):
    """What `AsyncClient.get_pages` returns: ``await`` it for the first `AsyncPage`, or
    ``async for`` over it for every item (the first page is fetched by the loop).

    For example::

        page = await client.get_pages("/pets", item=Pet, rule=CursorRule())
        async for pet in client.get_pages("/pets", item=Pet, rule=CursorRule()):
            ...
    """

    def __init__(self, fetch_first: Callable[[], Awaitable[Any]]) -> None:
        self._fetch_first = fetch_first

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._fetch_first().__await__()

    def __aiter__(self) -> _AsyncItems[T]:
        return _AsyncItems(None, self._fetch_first)


# ------------------------------------------------------------------ first pages


def first_sync_page(
    client: Client,
    path: str,
    *,
    item: Any,
    rule: PageRule,
    items_key: str | None,
    params: Mapping[str, Any] | None,
    extra_headers: Mapping[str, Any] | None,
    error_model: Any,
) -> Any:
    """The first page of ``path`` (see `Client.get_pages`); under the raw and streamed
    views, the `APIResponse` whose ``parse()`` gives it."""
    walk, mode = _walk(client, item, rule, items_key, extra_headers, error_model)
    response: APIResponse[Any] = client.request(
        "GET",
        path,
        cast_to=object,
        params=params,
        extra_headers={**(extra_headers or {}), RAW_RESPONSE_HEADER: mode or "raw"},
        error_model=error_model,
    )
    if mode is None:
        return SyncPage(walk, response, response.parse(to=object))
    return _page_response(
        client, response, lambda page_response, body: SyncPage(walk, page_response, body)
    )


def first_async_page(
    client: AsyncClient,
    path: str,
    *,
    item: Any,
    rule: PageRule,
    items_key: str | None,
    params: Mapping[str, Any] | None,
    extra_headers: Mapping[str, Any] | None,
    error_model: Any,
) -> AsyncPaginator[Any]:
    """The async twin of `first_sync_page`, sent when awaited or iterated."""
    walk, mode = _walk(client, item, rule, items_key, extra_headers, error_model)

    async def fetch_first() -> Any:
        response: AsyncAPIResponse[Any] = await client.request(
            "GET",
            path,
            cast_to=object,
            params=params,
            extra_headers={**(extra_headers or {}), RAW_RESPONSE_HEADER: mode or "raw"},
            error_model=error_model,
        )
        if mode is None:
            return AsyncPage(walk, response, await response.parse(to=object))
        return _page_response(
            client, response, lambda page_response, body: AsyncPage(walk, page_response, body)
        )

    return AsyncPaginator(fetch_first)


def _walk(
    client: Client | AsyncClient,
    item: Any,
    rule: PageRule,
    items_key: str | None,
    extra_headers: Mapping[str, Any] | None,
    error_model: Any,
) -> tuple[_Walk[Any], str | None]:
    controls, headers = split_control_entries(extra_headers)
    if not callable(rule):
        raise TypeError(f"rule must be a page rule (CursorRule(), ...), got {rule!r}")
    walk: _Walk[Any] = _Walk(client, list[item], rule, items_key, headers, error_model)
    return walk, controls.mode


def _page_response(
    client: Client | AsyncClient, response: _ResponseT, make_page: Callable[[Any, Any], Any]
) -> _ResponseT:
    """A response over the same httpx response whose ``parse()`` gives the page: what
    the raw and streamed views return."""

    def to_page(body: Any) -> Any:
        return make_page(page_response, body)

    page_response = type(response)(
        raw=response.http_response,
        cast_to=object,
        registry=client.registry,
        retries_taken=response.retries_taken,
        max_body_bytes=client.max_body_bytes,
        request_id_headers=client.request_id_headers,
        post_parser=to_page,
    )
    return page_response


def _raw_items(body: Any, items_key: str | None, response: BaseAPIResponse[Any]) -> list[Any]:
    """The JSON list of a page's items: ``body[items_key]``, or the body itself."""
    path, value = "$", body
    if items_key is not None:
        if not _is_object(body):
            raise _invalid(path, got(f"an object with a {items_key!r} list", body), body, response)
        path, value = field_path(path, items_key), body.get(items_key)
    if not _is_list(value):
        raise _invalid(path, got("a list of items", value), body, response)
    return value


def _structure_items(
    raw_items: list[Any], walk: _Walk[T], response: BaseAPIResponse[Any], body: Any
) -> list[T]:
    try:
        items: list[T] = structurer(walk.client.registry, walk.item_list)(raw_items)
    except ResponseValidationError as error:
        prefix = "$" if walk.items_key is None else field_path("$", walk.items_key)
        errors = [
            ValidationErrorItem(prefix + entry.path[1:], entry.message, entry.exception)
            for entry in error.errors
        ]
        raise ResponseValidationError(
            errors, body=body, response=response.http_response, target=walk.item_list
        ) from error
    return items


def _invalid(
    path: str, message: str, body: Any, response: BaseAPIResponse[Any]
) -> ResponseValidationError:
    return ResponseValidationError(
        [ValidationErrorItem(path, message)], body=body, response=response.http_response
    )


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default_port


def _origin_text(url: httpx.URL) -> str:
    scheme, host, port = _origin(url)
    return f"{scheme}://{host}:{port}"
