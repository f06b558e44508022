"""Pagination: every item of every page, for the cursor, page-number, offset and Link
header shapes, sync and async, over real sockets and through `typedresp.testing`; a loop
left early leaves no response open; the same-origin and repeated-page guards; the raw and
streamed views."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional

import attrs
import httpx
import pytest

from typedresp import (
    AsyncAPIResource,
    AsyncAPIResponse,
    AsyncClient,
    AsyncPage,
    BasePage,
    Client,
    CursorRule,
    LinkHeaderRule,
    NextPage,
    NotFoundError,
    OffsetRule,
    PageNumberRule,
    PageRule,
    PaginationError,
    ResponseValidationError,
    SyncAPIResource,
    SyncPage,
)
from typedresp.testing import MockRouter, PageServer

from .server import RecordedRequest, Reply, ServerView


@attrs.frozen
class Pet:
    id: int
    name: str


PETS = [
    {"id": n, "name": name} for n, name in enumerate(["Rex", "Tom", "Polly", "Nibbles", "Luna"], 1)
]
NAMES = ["Rex", "Tom", "Polly", "Nibbles", "Luna"]

SHAPES: dict[str, tuple[PageServer, PageRule, Optional[str], dict[str, Any], list[str]]] = {
    "cursor": (
        PageServer(PETS, style="cursor"),
        CursorRule(),
        "data",
        {"limit": 2},
        ["limit=2", "limit=2&after=2", "limit=2&after=4"],
    ),
    "page": (
        PageServer(PETS, style="page"),
        PageNumberRule(size_param="per_page"),
        "data",
        {"per_page": 2},
        ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"],
    ),
    "offset": (
        PageServer(PETS, style="offset"),
        OffsetRule(),
        "data",
        {"limit": 2},
        ["limit=2", "limit=2&offset=2", "limit=2&offset=4"],
    ),
    "link": (
        PageServer(PETS, style="link"),
        LinkHeaderRule(),
        None,
        {"per_page": 2},
        ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"],
    ),
}


def serve(http_server: ServerView, path: str, pages: PageServer) -> None:
    """Serve ``pages`` at ``path`` of the real server, each answer with a request id."""

    def handler(request: RecordedRequest) -> Reply:
        url = http_server.url + request.path + ("?" + request.query if request.query else "")
        answer = pages(httpx.Request(request.method, url))
        number = len(http_server.requests)
        headers = [*answer.headers.multi_items(), ("x-request-id", f"req_{number}")]
        return Reply(answer.status_code, body=answer.read(), headers=headers)

    http_server.route(path, handler)


def mock_client(router: MockRouter, base_url: str = "https://api.test/v1") -> Client:
    return Client(base_url, http_client=httpx.Client(transport=router.transport))


@pytest.fixture
def client(http_server: ServerView) -> Iterator[Client]:
    # One connection: a response left open would make the next request wait, then fail.
    http = httpx.Client(limits=httpx.Limits(max_connections=1), timeout=5, trust_env=False)
    with http, Client(http_server.url, http_client=http) as client:
        yield client


@pytest.fixture
async def async_client(http_server: ServerView) -> Any:
    http = httpx.AsyncClient(limits=httpx.Limits(max_connections=1), timeout=5, trust_env=False)
    async with http, AsyncClient(http_server.url, http_client=http) as client:
        yield client


@pytest.mark.parametrize("shape", SHAPES)
def test_iterating_the_first_page_gives_every_item_of_every_page(
    http_server: ServerView, client: Client, shape: str
) -> None:
    pages, rule, items_key, params, queries = SHAPES[shape]
    serve(http_server, "/pets", pages)
    first = client.get_pages("/pets", item=Pet, rule=rule, items_key=items_key, params=params)
    assert [pet.name for pet in first] == NAMES
    assert all(isinstance(pet, Pet) for pet in first.items)
    assert [request.query for request in http_server.requests] == queries


@pytest.mark.anyio
@pytest.mark.parametrize("shape", SHAPES)
async def test_async_for_gives_every_item_of_every_page(
    http_server: ServerView, async_client: AsyncClient, shape: str
) -> None:
    pages, rule, items_key, params, queries = SHAPES[shape]
    serve(http_server, "/pets", pages)
    paginator = async_client.get_pages(
        "/pets", item=Pet, rule=rule, items_key=items_key, params=params
    )
    assert [pet.name async for pet in paginator] == NAMES
    assert [request.query for request in http_server.requests] == queries
    first = await paginator
    assert [len(page.items) async for page in first.iter_pages()] == [2, 2, 1]


@pytest.mark.parametrize("shape", SHAPES)
def test_the_pages_and_their_responses_are_reachable(
    http_server: ServerView, client: Client, shape: str
) -> None:
    pages, rule, items_key, params, _ = SHAPES[shape]
    serve(http_server, "/pets", pages)
    first = client.get_pages("/pets", item=Pet, rule=rule, items_key=items_key, params=params)
    assert first.items == [Pet(1, "Rex"), Pet(2, "Tom")]
    assert first.response.request_id == "req_1"
    assert first.response.status_code == 200
    assert first.has_next_page()
    second = first.get_next_page()
    assert second.items == [Pet(3, "Polly"), Pet(4, "Nibbles")]
    assert second.response.request_id == "req_2"
    assert [page.items[0].name for page in first.iter_pages()] == ["Rex", "Polly", "Luna"]
    last = second.get_next_page()
    assert not last.has_next_page()
    assert last.next_page_url() is None
    with pytest.raises(PaginationError, match="last page") as info:
        last.get_next_page()
    assert info.value.page is last
    assert [pet.name for pet in second] == NAMES[2:]  # a page iterates from itself on


def test_a_page_is_fetched_only_when_the_loop_needs_it(
    http_server: ServerView, client: Client
) -> None:
    serve(http_server, "/pets", PageServer(PETS, style="cursor"))
    seen = []
    for pet in client.get_pages("/pets", item=Pet, rule=CursorRule(), params={"limit": 2}):
        seen.append((pet.name, len(http_server.requests)))
    assert seen == [("Rex", 1), ("Tom", 1), ("Polly", 2), ("Nibbles", 2), ("Luna", 3)]


def test_leaving_the_loop_early_leaves_no_response_open(
    http_server: ServerView, client: Client
) -> None:
    serve(http_server, "/pets", PageServer(PETS, style="link"))
    first = client.get_pages("/pets", item=Pet, rule=LinkHeaderRule(), items_key=None)
    for pet in first:
        if pet.name == "Polly":
            break
    assert len(http_server.requests) == 2
    assert first.response.is_closed
    # The pool has one connection: it is free, the next call does not wait for it.
    assert [pet.name for pet in client.get_pages("/pets", item=Pet, rule=LinkHeaderRule(),
                                                 items_key=None)] == NAMES  # fmt: skip


@pytest.mark.anyio
async def test_leaving_an_async_loop_early_leaves_no_response_open(
    http_server: ServerView, async_client: AsyncClient
) -> None:
    serve(http_server, "/pets", PageServer(PETS, style="cursor"))
    first = await async_client.get_pages("/pets", item=Pet, rule=CursorRule())
    async for pet in first:
        if pet.name == "Polly":
            break
    async for page in first.iter_pages():
        assert page is first
        break
    assert len(http_server.requests) == 2
    assert first.response.is_closed
    names = [pet.name async for pet in async_client.get_pages("/pets", item=Pet, rule=CursorRule())]
    assert names == NAMES


def test_a_next_link_to_another_origin_is_not_followed(
    http_server: ServerView, local_server: Any, client: Client
) -> None:
    # The same host on another port is another origin (and a real server: the guard, not
    # a failing connection, is what stops it).
    other = httpx.URL(local_server.base_url).copy_with(port=1)
    link = f'<{other}/t/pets?page=2>; rel="next"'
    http_server.route("/pets", Reply.json([PETS[0]], headers={"Link": link}))
    first = client.get_pages("/pets", item=Pet, rule=LinkHeaderRule(), items_key=None)
    with pytest.raises(PaginationError, match=r"another origin \(http://127\.0\.0\.1:1,") as info:
        list(first)
    assert info.value.page is first
    with pytest.raises(PaginationError):
        first.has_next_page()
    assert len(http_server.requests) == 1


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/v1/pets?page=2",  # another host
        "http://api.test/v1/pets?page=2",  # a downgrade to http
        "https://api.test:8443/v1/pets?page=2",  # another port
        "//evil.example/v1/pets?page=2",  # scheme-relative
    ],
)
def test_the_origin_guard_compares_scheme_host_and_port(link: str) -> None:
    router = MockRouter()
    route = router.get(
        "/v1/pets", httpx.Response(200, json=[PETS[0]], headers={"Link": f'<{link}>; rel="next"'})
    )
    with mock_client(router) as client:
        first = client.get_pages("/pets", item=Pet, rule=LinkHeaderRule(), items_key=None)
        with pytest.raises(PaginationError, match="another origin"):
            first.get_next_page()
    assert len(route.calls) == 1
    assert len(router.calls) == 1


def test_a_relative_next_link_on_the_same_origin_is_followed() -> None:
    router = MockRouter()
    router.get(
        "/v1/pets",
        httpx.Response(200, json=[PETS[0]], headers={"Link": '</v1/more?page=2>; rel="next"'}),
    )
    router.get("/v1/more", httpx.Response(200, json=[PETS[1]]))
    with mock_client(router) as client:
        pets = list(client.get_pages("/pets", item=Pet, rule=LinkHeaderRule(), items_key=None))
    assert [pet.name for pet in pets] == ["Rex", "Tom"]
    assert str(router.calls[1].request.url) == "https://api.test/v1/more?page=2"


def test_a_rule_that_asks_for_a_page_twice_stops_with_an_error(
    http_server: ServerView, client: Client
) -> None:
    # A buggy server: the same page, "more" (the tenth time "no more": without the guard
    # the loop would end there, not raise).
    def handler(request: RecordedRequest) -> Reply:
        more = len(http_server.requests) < 10
        return Reply.json({"object": "list", "data": PETS[:2], "has_more": more})

    http_server.route("/pets", handler)
    with pytest.raises(PaginationError, match="page 2 of this walk again, after page 2") as info:
        list(client.get_pages("/pets", item=Pet, rule=CursorRule()))
    assert [request.query for request in http_server.requests] == ["", "after=2"]
    assert info.value.page.url.params["after"] == "2"


@pytest.mark.anyio
async def test_the_guards_hold_for_async_pages_too() -> None:
    router = MockRouter()
    same = httpx.Response(200, json={"data": PETS[:1], "has_more": True})
    router.get("/v1/pets", [same, same, same])  # a fourth call would fail the test
    http = httpx.AsyncClient(transport=router.transport)
    async with AsyncClient("https://api.test/v1", http_client=http) as client:
        with pytest.raises(PaginationError, match="page 2 of this walk again"):
            [pet async for pet in client.get_pages("/pets", item=Pet, rule=CursorRule())]
    assert len(router.calls) == 2


def test_a_custom_rule_is_a_few_lines() -> None:
    def next_token(page: BasePage[Any]) -> NextPage | None:
        token = page.body.get("nextPageToken")
        return NextPage(params={"pageToken": token}) if token else None

    router = MockRouter()
    router.get(
        "/v1/pets",
        [
            httpx.Response(200, json={"pets": PETS[:3], "nextPageToken": "t1"}),
            httpx.Response(200, json={"pets": PETS[3:], "nextPageToken": ""}),
        ],
    )
    with mock_client(router) as client:
        pets = client.get_pages(
            "/pets", item=Pet, rule=next_token, items_key="pets", params={"q": "x"}
        )
        assert [pet.name for pet in pets] == NAMES
    assert [str(call.request.url.params) for call in router.calls] == ["q=x", "q=x&pageToken=t1"]


def test_a_none_param_removes_it_and_a_cursor_field_is_read_from_the_body() -> None:
    router = MockRouter()
    router.get(
        "/v1/events",
        [
            httpx.Response(200, json={"data": PETS[:2], "next_cursor": "c2"}),
            httpx.Response(200, json={"data": PETS[2:], "next_cursor": None}),
        ],
    )
    rule = CursorRule(param="cursor", next_cursor="next_cursor", has_more=None)

    def without_since(page: BasePage[Any]) -> NextPage | None:
        found = rule(page)
        return None if found is None else NextPage(params={**(found.params or {}), "since": None})

    with mock_client(router) as client:
        names = [
            pet.name
            for pet in client.get_pages(
                "/events", item=Pet, rule=without_since, params={"since": 5}
            )
        ]
    assert names == NAMES
    assert [str(call.request.url.params) for call in router.calls] == ["since=5", "cursor=c2"]


class Pets(SyncAPIResource):
    def list(self, *, limit: int = 2, extra_headers: Any = None) -> SyncPage[Pet]:
        return self._client.get_pages(
            "/pets",
            item=Pet,
            rule=CursorRule(),
            params={"limit": limit},
            extra_headers=extra_headers,
        )


class AsyncPets(AsyncAPIResource):
    def list(self, *, limit: int = 2, extra_headers: Any = None) -> Any:
        return self._client.get_pages(
            "/pets",
            item=Pet,
            rule=CursorRule(),
            params={"limit": limit},
            extra_headers=extra_headers,
        )


def test_with_raw_response_gives_the_first_response_whose_parse_is_the_page(
    http_server: ServerView, client: Client
) -> None:
    serve(http_server, "/pets", PageServer(PETS, style="cursor"))
    pets = Pets(client)
    response = pets.with_raw_response.list(extra_headers={"X-Trace": "t1"})
    assert response.request_id == "req_1"
    assert response.is_closed  # the body was read
    page = response.parse()
    assert isinstance(page, SyncPage)
    assert page.response.request_id == "req_1"
    assert [pet.name for pet in page] == NAMES
    # The next pages carry the call's headers, not the view's control entries.
    assert [request.headers.get("x-trace") for request in http_server.requests] == ["t1"] * 3
    assert all(
        not name.startswith("x-typedresp") for r in http_server.requests for name in r.headers
    )


def test_with_streaming_response_sends_on_entry_and_parses_to_the_page(
    http_server: ServerView, client: Client
) -> None:
    serve(http_server, "/pets", PageServer(PETS, style="cursor"))
    with Pets(client).with_streaming_response.list() as response:
        assert not response.is_closed
        assert [pet.name for pet in response.parse()] == NAMES
    assert response.is_closed


@pytest.mark.anyio
async def test_async_views_give_the_response_whose_parse_is_the_page(
    http_server: ServerView, async_client: AsyncClient
) -> None:
    serve(http_server, "/pets", PageServer(PETS, style="cursor"))
    pets = AsyncPets(async_client)
    response = await pets.with_raw_response.list()
    assert isinstance(response, AsyncAPIResponse)
    page = await response.parse()
    assert isinstance(page, AsyncPage)
    assert [pet.name async for pet in page] == NAMES
    async with pets.with_streaming_response.list() as streamed:
        page = await streamed.parse()
        assert [pet.name for pet in page.items] == ["Rex", "Tom"]


def test_an_item_that_does_not_fit_names_its_path_in_the_body(
    http_server: ServerView, client: Client
) -> None:
    bad = [PETS[0], {"id": 2, "name": None}]
    http_server.route("/pets", Reply.json({"data": bad, "has_more": False}))
    with pytest.raises(ResponseValidationError) as info:
        client.get_pages("/pets", item=Pet, rule=CursorRule())
    assert [entry.path for entry in info.value.errors] == ["$.data[1].name"]
    assert info.value.body == {"data": bad, "has_more": False}
    assert info.value.response is not None


@pytest.mark.parametrize(
    ("body", "items_key", "path"),
    [({"items": []}, "data", "$.data"), ([], "data", "$"), ({"data": []}, None, "$")],
)
def test_a_body_without_the_items_list_is_a_validation_error(
    body: Any, items_key: Optional[str], path: str
) -> None:
    router = MockRouter()
    router.get("/pets", httpx.Response(200, json=body))
    with (
        mock_client(router, "https://api.test") as client,
        pytest.raises(ResponseValidationError) as info,
    ):
        client.get_pages("/pets", item=Pet, rule=CursorRule(), items_key=items_key)
    assert [entry.path for entry in info.value.errors] == [path]


def test_an_error_status_on_a_next_page_raises_from_the_loop(
    http_server: ServerView, client: Client
) -> None:
    def handler(request: RecordedRequest) -> Reply:
        if "after" in request.query:
            return Reply.json({"error": {"message": "gone"}}, status=404)
        return Reply.json({"data": PETS[:2], "has_more": True})

    http_server.route("/pets", handler)
    seen: list[str] = []
    with pytest.raises(NotFoundError, match="gone"):
        seen.extend(pet.name for pet in client.get_pages("/pets", item=Pet, rule=CursorRule()))
    assert seen == ["Rex", "Tom"]
    assert client.get_pages("/pets", item=Pet, rule=CursorRule()).items[0].name == "Rex"


def test_a_rule_that_is_not_callable_is_refused_before_sending() -> None:
    router = MockRouter()
    with (
        mock_client(router, "https://api.test") as client,
        pytest.raises(TypeError, match="rule must be a page rule"),
    ):
        client.get_pages("/pets", item=Pet, rule="cursor")  # type: ignore[arg-type]
    assert router.calls == []
