"""Static types of pagination, checked by mypy --strict and pyright (strict).

Not a pytest module: it is only ever type-checked. Each ``assert_type`` must hold exactly
in both checkers.
"""
# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from typing import Any, Optional

import attrs
from typing_extensions import assert_type

from typedresp import (
    APIResponse,
    AsyncAPIResource,
    AsyncAPIResponse,
    AsyncClient,
    AsyncPage,
    AsyncPaginator,
    BasePage,
    Client,
    CursorRule,
    LinkHeaderRule,
    NextPage,
    PageRule,
    SyncAPIResource,
    SyncPage,
    async_to_raw_response_wrapper,
    to_raw_response_wrapper,
)


@attrs.define
class Pet:
    id: int


def next_token(page: BasePage[Any]) -> Optional[NextPage]:
    token = page.body.get("next")
    return NextPage(params={"token": token}) if token else None


class Pets(SyncAPIResource):
    def list(self, *, extra_headers: Optional[dict[str, str]] = None) -> SyncPage[Pet]:
        return self._client.get_pages(
            "/pets", item=Pet, rule=CursorRule(), extra_headers=extra_headers
        )


class AsyncPets(AsyncAPIResource):
    def list(self, *, extra_headers: Optional[dict[str, str]] = None) -> AsyncPaginator[Pet]:
        return self._client.get_pages(
            "/pets", item=Pet, rule=LinkHeaderRule(), extra_headers=extra_headers
        )


def sync_pages(client: Client) -> None:
    rule: PageRule = next_token
    page = client.get_pages("/pets", item=Pet, rule=rule)
    assert_type(page, SyncPage[Pet])
    assert_type(page.items, list[Pet])
    assert_type(page.response, APIResponse[Any])
    assert_type(page.response.request_id, Optional[str])
    assert_type(page.has_next_page(), bool)
    assert_type(page.get_next_page(), SyncPage[Pet])
    for pet in page:
        assert_type(pet, Pet)
    for each in page.iter_pages():
        assert_type(each, SyncPage[Pet])
    raw = to_raw_response_wrapper(Pets(client).list)()
    assert_type(raw, APIResponse[SyncPage[Pet]])
    assert_type(raw.parse(), SyncPage[Pet])
    wrong: SyncPage[int] = client.get_pages("/pets", item=Pet, rule=rule)  # type: ignore[arg-type]
    del wrong


async def async_pages(client: AsyncClient) -> None:
    paginator = client.get_pages("/pets", item=Pet, rule=CursorRule())
    assert_type(paginator, AsyncPaginator[Pet])
    async for pet in paginator:
        assert_type(pet, Pet)
    page = await paginator
    assert_type(page, AsyncPage[Pet])
    assert_type(page.items, list[Pet])
    assert_type(page.response, AsyncAPIResponse[Any])
    assert_type(await page.get_next_page(), AsyncPage[Pet])
    async for each in page.iter_pages():
        assert_type(each, AsyncPage[Pet])
    async for item in page:
        assert_type(item, Pet)
    raw = await async_to_raw_response_wrapper(AsyncPets(client).list)()
    assert_type(raw, AsyncAPIResponse[AsyncPage[Pet]])
    assert_type(await raw.parse(), AsyncPage[Pet])
