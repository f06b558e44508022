"""Pagination rules: how to ask for the page after this one, for the shapes real APIs use.

A rule reads a page (`typedresp.BasePage`) and returns the `NextPage` to fetch, or None
when the page is the last. Any function of that shape is one; `typedresp._pagination`
walks the pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

import attrs
import httpx

if TYPE_CHECKING:
    from ._pagination import BasePage

__all__ = [
    "CursorRule",
    "LinkHeaderRule",
    "NextPage",
    "OffsetRule",
    "PageNumberRule",
    "PageRule",
]


@attrs.frozen
class NextPage:
    """How to ask for the next page: ``params`` merged into this page's query (a ``None``
    value removes that parameter), or ``url``, a link to follow (resolved against this
    page's URL; only on the same origin), or both (``params`` merged into the link)."""

    params: Mapping[str, Any] | None = None
    url: str | httpx.URL | None = None


class PageRule(Protocol):
    """A pagination rule: reads a page, returns the `NextPage` to fetch, or None when this
    page is the last. Any function of that shape is one."""

    def __call__(self, page: BasePage[Any], /) -> NextPage | None: ...


# ---------------------------------------------------------------------- the rules


@attrs.frozen
class CursorRule:
    """Cursor pagination: the next page is asked for with ``?{param}=<cursor>``.

    The cursor is the body's ``next_cursor`` field when one is named, else the
    ``item_field`` of the last item (``id``: OpenAI's ``after``, Stripe's
    ``starting_after``). A body whose ``has_more`` field is false, a missing or empty
    cursor, and an empty page end the list.

    >>> CursorRule()                                   # OpenAI: ?after=<last id>
    CursorRule(param='after', next_cursor=None, item_field='id', has_more='has_more')
    >>> CursorRule(param="starting_after")             # Stripe
    CursorRule(param='starting_after', next_cursor=None, item_field='id', has_more='has_more')
    >>> CursorRule(param="cursor", next_cursor="next_cursor", has_more=None)
    CursorRule(param='cursor', next_cursor='next_cursor', item_field='id', has_more=None)
    """

    param: str = "after"
    next_cursor: str | None = None
    item_field: str = "id"
    has_more: str | None = "has_more"

    def __call__(self, page: BasePage[Any]) -> NextPage | None:
        body = page.body
        if self.has_more is not None and _is_object(body) and body.get(self.has_more) is False:
            return None
        if self.next_cursor is not None:
            cursor = body.get(self.next_cursor) if _is_object(body) else None
        else:
            last = page.raw_items[-1] if page.raw_items else None
            cursor = last.get(self.item_field) if _is_object(last) else None
        if cursor is None or cursor == "":
            return None
        return NextPage(params={self.param: cursor})


@attrs.frozen
class PageNumberRule:
    """Numbered pages: ``?{param}=2``, then 3, ... (the first page is ``first``).

    An empty page ends the list; so does a page with fewer items than its ``size_param``
    query parameter asked for (``per_page``, ``limit``), when one is named.

    >>> PageNumberRule(size_param="per_page")
    PageNumberRule(param='page', first=1, size_param='per_page')
    """

    param: str = "page"
    first: int = 1
    size_param: str | None = None

    def __call__(self, page: BasePage[Any]) -> NextPage | None:
        if _is_last(page, self.size_param):
            return None
        current = _int_param(page.url, self.param)
        return NextPage(params={self.param: (self.first if current is None else current) + 1})


@attrs.frozen
class OffsetRule:
    """Offsets: ``?{param}=<items so far>``; ends as `PageNumberRule` does.

    >>> OffsetRule(param="offset", size_param="limit")
    OffsetRule(param='offset', size_param='limit')
    """

    param: str = "offset"
    size_param: str | None = "limit"

    def __call__(self, page: BasePage[Any]) -> NextPage | None:
        if _is_last(page, self.size_param):
            return None
        offset = _int_param(page.url, self.param) or 0
        return NextPage(params={self.param: offset + len(page.raw_items)})


@attrs.frozen
class LinkHeaderRule:
    """RFC 8288 links: follow the ``Link: <url>; rel="next"`` header (GitHub, GitLab);
    no such link ends the list."""

    rel: str = "next"

    def __call__(self, page: BasePage[Any]) -> NextPage | None:
        link = page.response.http_response.links.get(self.rel)
        url = None if link is None else link.get("url")
        return NextPage(url=url) if url else None


def _is_last(page: BasePage[Any], size_param: str | None) -> bool:
    if not page.raw_items:
        return True
    size = None if size_param is None else _int_param(page.url, size_param)
    return size is not None and len(page.raw_items) < size


def _int_param(url: httpx.URL, name: str) -> int | None:
    value = url.params.get(name)
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _is_object(value: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict)
