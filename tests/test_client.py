"""Client / AsyncClient over a real HTTP server: requests on the wire, typed results,
typed errors for every status class, connection failures, limits and lifecycle."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Optional, Union

import anyio
import attrs
import httpx
import pytest

from typedresp import (
    APIConnectionError,
    APIResponse,
    APIStatusError,
    APITimeoutError,
    AsyncAPIResponse,
    AsyncClient,
    AsyncStream,
    AuthenticationError,
    BadRequestError,
    BinaryAPIResponse,
    Client,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Registry,
    ResponseTooLarge,
    ResponseValidationError,
    Stream,
    UnprocessableEntityError,
)
from typedresp._controls import RAW_RESPONSE_HEADER, RESPONSE_CLASS_HEADER
from typedresp._http_errors import map_httpx_errors, sending

from .clients import async_client_for, client_for, refused_url
from .server import CountingBody, Reply, ServerView
from .test_imports import run_fresh


@attrs.define
class Pet:
    id: int
    name: str


@attrs.define
class NewPet:
    name: str
    kind: str = attrs.field(alias="type")
    owner_email: Optional[str] = attrs.field(default=None, metadata={"json_key": "owner-email"})


@dataclass
class Note:
    text: str


@attrs.frozen
class Bark:
    type: Literal["bark"]
    loud: bool


@attrs.frozen
class Wag:
    type: Literal["wag"]
    times: int


PetEvent = Union[Bark, Wag]
SSE = {"Content-Type": "text/event-stream"}
REX = {"id": 1, "name": "Rex"}


@pytest.fixture
def client(http_server: ServerView) -> Iterator[Client]:
    yield from client_for(http_server.url)


@pytest.fixture
async def aclient(http_server: ServerView) -> AsyncIterator[AsyncClient]:
    async for client in async_client_for(http_server.url):
        yield client


def sse(*events: dict[str, Any]) -> list[bytes]:
    return [f"data: {json.dumps(event)}\n\n".encode() for event in events] + [b"data: [DONE]\n\n"]


# ------------------------------------------------------------------- requests


def test_get_parses_the_body_to_cast_to(http_server: ServerView, client: Client) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    assert client.get("/pets/1", cast_to=Pet) == Pet(1, "Rex")


def test_a_list_of_a_generic_type_is_parsed_and_checked(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/pets", Reply.json([REX, {"id": "2", "name": "Tom"}]))
    with pytest.raises(ResponseValidationError) as info:
        client.get("/pets", cast_to=list[Pet])
    assert [item.path for item in info.value.errors] == ["$[1].id"]
    assert info.value.response is not None
    assert info.value.response.is_closed


def test_paths_are_joined_to_the_base_url_path(local_server: Any) -> None:
    view = local_server.view()
    view.route("/api/v2/pets/1", Reply.json(REX))
    try:
        for base in (view.url + "/api/v2", view.url + "/api/v2/"):
            for client in client_for(base):
                assert client.get("pets/1", cast_to=Pet) == Pet(1, "Rex")
                assert client.get("/pets/1", cast_to=Pet) == Pet(1, "Rex")
        assert {request.path for request in view.requests} == {"/api/v2/pets/1"}
    finally:
        view.close()


def test_a_base_url_query_is_kept_and_an_absolute_url_is_recognised_in_any_case() -> None:
    client = Client("http://127.0.0.1/api/?key=k")
    assert client._url("/pets/a b?x=1") == httpx.URL("http://127.0.0.1/api/pets/a%20b?key=k&x=1")
    assert client._url("pets") == httpx.URL("http://127.0.0.1/api/pets?key=k")
    assert client._url("HTTPS://other.example/x") == httpx.URL("https://other.example/x")
    assert client._url("item:1") == httpx.URL("http://127.0.0.1/api/item:1?key=k")
    assert Client("http://127.0.0.1")._url("pets") == httpx.URL("http://127.0.0.1/pets")


def test_a_base_url_query_reaches_the_server_with_the_params(http_server: ServerView) -> None:
    http_server.route("/api/pets", Reply.json([]))
    for client in client_for(http_server.url + "/api?key=k"):
        client.get("/pets", cast_to=list[Pet], params={"limit": 2})
    (request,) = http_server.requests
    assert request.path == "/api/pets"
    assert request.query == "key=k&limit=2"


def test_params_default_headers_and_extra_headers_reach_the_server(
    http_server: ServerView,
) -> None:
    http_server.route("/pets", Reply.json([]))
    for client in client_for(http_server.url, headers={"Authorization": "Bearer k"}):
        client.get(
            "/pets",
            cast_to=list[Pet],
            params={"limit": 2, "tag": "good"},
            extra_headers={"X-A": "1"},
        )
    (request,) = http_server.requests
    assert request.query == "limit=2&tag=good"
    assert request.headers["authorization"] == "Bearer k"
    assert request.headers["x-a"] == "1"


def test_extra_headers_override_default_headers(http_server: ServerView) -> None:
    http_server.route("/pets", Reply.json([]))
    for client in client_for(http_server.url, headers={"X-Tenant": "a"}):
        client.get("/pets", cast_to=list[Pet], extra_headers={"X-Tenant": "b"})
    assert http_server.requests[0].headers["x-tenant"] == "b"


def test_an_extra_header_differing_only_in_case_replaces_the_default() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        client = Client("http://127.0.0.1", http_client=http, headers={"X-Tenant": "a"})
        client.get("/pets", cast_to=list[Pet], extra_headers={"x-tenant": "b"})
    assert sent[0].headers.get_list("x-tenant") == ["b"]


def test_an_attrs_body_is_sent_as_json_with_its_wire_keys(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/pets", Reply.json(REX, status=201))
    created = client.post("/pets", body=NewPet("Rex", type="dog", owner_email="a@b.c"), cast_to=Pet)
    assert created == Pet(1, "Rex")
    (request,) = http_server.requests
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {"name": "Rex", "type": "dog", "owner-email": "a@b.c"}


def test_a_dict_body_is_sent_as_it_is(http_server: ServerView, client: Client) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    body = {"name": "Rex", "nested": {"a": [1, 2]}, "none": None}
    client.patch("/pets/1", body=body, cast_to=Pet)
    assert json.loads(http_server.requests[0].body) == body


def test_a_list_of_dataclasses_is_unstructured(http_server: ServerView, client: Client) -> None:
    http_server.route("/notes", Reply.json(None))
    client.put("/notes", body=[Note("a"), Note("b")], cast_to=None)
    assert json.loads(http_server.requests[0].body) == [{"text": "a"}, {"text": "b"}]


@attrs.define
class Visit:
    at: datetime.datetime
    on: datetime.date
    start: datetime.time
    vet: uuid.UUID
    fee: decimal.Decimal


def test_dates_uuids_and_decimals_in_a_body_are_sent_as_text(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/visits", Reply.json(None))
    at = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    visit = Visit(at, at.date(), at.time(), uuid.UUID(int=1), decimal.Decimal("12.50"))
    client.post("/visits", body=(visit,), cast_to=None)
    assert json.loads(http_server.requests[0].body) == [
        {
            "at": "2024-05-06T07:08:09+00:00",
            "on": "2024-05-06",
            "start": "07:08:09",
            "vet": "00000000-0000-0000-0000-000000000001",
            "fee": "12.50",
        }
    ]


def test_no_body_sends_no_content(http_server: ServerView, client: Client) -> None:
    http_server.route("/pets/1", Reply(204))
    assert client.delete("/pets/1", cast_to=None) is None
    (request,) = http_server.requests
    assert request.method == "DELETE"
    assert request.body == b""
    assert "content-type" not in request.headers


def test_non_get_requests_carry_an_idempotency_key_and_get_does_not(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    client.get("/pets/1", cast_to=Pet)
    client.post("/pets/1", cast_to=Pet)
    client.post("/pets/1", cast_to=Pet)
    client.post("/pets/1", cast_to=Pet, extra_headers={"idempotency-key": "mine"})
    keys = [request.headers.get("idempotency-key") for request in http_server.requests]
    assert keys[0] is None
    assert keys[1]
    assert keys[2]
    assert keys[1] != keys[2]
    assert keys[3] == "mine"


def test_head_and_options_carry_no_idempotency_key_as_documented(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/pets", Reply(204))
    for method in ("HEAD", "OPTIONS", "DELETE"):
        client.request(method, "/pets", cast_to=None)
    keys = [request.headers.get("idempotency-key") for request in http_server.requests]
    assert keys[:2] == [None, None]
    assert keys[2]
    assert "other than GET, HEAD and OPTIONS" in " ".join((Client.__doc__ or "").split())


def test_control_entries_given_directly_are_not_sent(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    response = client.get(
        "/pets/1",
        cast_to=Pet,
        extra_headers={RAW_RESPONSE_HEADER.lower(): "raw", RESPONSE_CLASS_HEADER: APIResponse},
    )
    assert isinstance(response, APIResponse)
    assert not any(name.startswith("x-typedresp") for name in http_server.requests[0].headers)


@pytest.mark.parametrize("name", [RAW_RESPONSE_HEADER, RESPONSE_CLASS_HEADER.lower()])
def test_a_control_entry_as_a_default_header_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        Client("http://127.0.0.1", headers={name: "raw"})
    with pytest.raises(ValueError, match=name):
        AsyncClient("http://127.0.0.1", headers={name: "raw"})


def test_a_response_class_of_the_wrong_flavour_is_refused_before_sending(
    http_server: ServerView, client: Client
) -> None:
    with pytest.raises(TypeError, match="AsyncAPIResponse"):
        client.get("/x", cast_to=bytes, extra_headers={RESPONSE_CLASS_HEADER: AsyncAPIResponse})
    assert http_server.requests == []


def test_a_non_string_header_value_is_a_type_error(client: Client) -> None:
    with pytest.raises(TypeError, match="X-Count"):
        client.get("/x", cast_to=bytes, extra_headers={"X-Count": 3})


# ------------------------------------------------------------------- streams


def test_stream_true_gives_a_stream_of_cast_to(http_server: ServerView, client: Client) -> None:
    http_server.route("/events", Reply(body=sse({"type": "bark", "loud": True}), headers=SSE))
    stream = client.get("/events", cast_to=PetEvent, stream=True)
    assert type(stream) is Stream
    assert list(stream) == [Bark("bark", loud=True)]
    assert stream.response.is_closed


def test_a_stream_class_given_is_used(http_server: ServerView, client: Client) -> None:
    class PetStream(Stream[PetEvent]):
        pass

    body = sse({"type": "wag", "times": 3}, {"type": "bark", "loud": False})
    http_server.route("/events", Reply(body=body, headers=SSE))
    stream = client.get("/events", cast_to=PetEvent, stream=True, stream_cls=PetStream)
    assert isinstance(stream, PetStream)
    assert list(stream) == [Wag("wag", 3), Bark("bark", loud=False)]


def test_a_stream_class_without_stream_true_is_a_mistake(
    http_server: ServerView, client: Client
) -> None:
    with pytest.raises(TypeError, match="stream=True"):
        client.get("/events", cast_to=PetEvent, stream_cls=Stream[PetEvent])
    assert http_server.requests == []


def test_a_stream_is_returned_before_the_body_has_arrived(
    http_server: ServerView, client: Client
) -> None:
    body = CountingBody(b'data: {"type": "wag", "times": 1}\n\n', times=None)
    http_server.route("/events", Reply(body=body, headers=SSE))
    with client.get("/events", cast_to=PetEvent, stream=True) as stream:
        first = next(iter(stream))
    assert first == Wag("wag", 1)
    assert stream.response.is_closed


# ------------------------------------------------------------------- errors

STATUS_ERRORS = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (503, InternalServerError),
    (418, APIStatusError),
]


@pytest.mark.parametrize(("status", "error_cls"), STATUS_ERRORS)
def test_each_error_status_raises_its_error_class(
    http_server: ServerView, status: int, error_cls: type[APIStatusError]
) -> None:
    body = {"error": {"message": "nope", "code": status}}
    http_server.route("/x", Reply.json(body, status=status, headers={"x-request-id": "req_9"}))
    for client in client_for(http_server.url, max_retries=0):
        with pytest.raises(APIStatusError) as info:
            client.get("/x", cast_to=Pet)
    error = info.value
    assert type(error) is error_cls
    assert error.status_code == status
    assert error.body == body
    assert error.request_id == "req_9"
    assert error.response.is_closed
    assert error.request is not None
    assert error.request.url.path.endswith("/x")
    assert "nope" in str(error)
    assert str(status) in str(error)


def test_a_text_error_body_is_kept_as_text(http_server: ServerView, client: Client) -> None:
    http_server.route("/x", Reply(404, body=b"no such thing", headers={"request-id": "r1"}))
    with pytest.raises(NotFoundError) as info:
        client.get("/x", cast_to=Pet)
    assert info.value.body == "no such thing"
    assert info.value.request_id == "r1"


def test_an_empty_error_body_is_none(http_server: ServerView, client: Client) -> None:
    http_server.route("/x", Reply(401))
    with pytest.raises(AuthenticationError) as info:
        client.get("/x", cast_to=Pet)
    assert info.value.body is None
    assert str(info.value) == f"401 Unauthorized for GET {http_server.url}/x"


def test_error_statuses_raise_for_raw_responses_too(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/x", Reply.json({"error": "gone"}, status=404))
    with pytest.raises(NotFoundError):
        client.get("/x", cast_to=Pet, extra_headers={RAW_RESPONSE_HEADER: "raw"})


def test_a_status_error_can_be_built_from_a_response_without_a_request() -> None:
    response = httpx.Response(503, headers={"request-id": "r2"})
    error = InternalServerError("down", response=response, body=None)
    assert error.request is None
    assert error.request_id == "r2"
    assert error.status_code == 503


def test_a_refused_connection_raises_api_connection_error() -> None:
    url = refused_url()
    for client in client_for(url, max_retries=0):
        with pytest.raises(APIConnectionError) as info:
            client.get("/x", cast_to=Pet)
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.request is not None
    assert str(info.value.request.url) == url + "/x"
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_a_slow_server_raises_api_timeout_error(http_server: ServerView) -> None:
    http_server.route("/slow", Reply(body=[b"{}"], delay=1.0))
    for client in client_for(http_server.url, timeout=0.05, max_retries=0):
        with pytest.raises(APITimeoutError):
            client.get("/slow", cast_to=Any)


def test_the_timeout_of_a_given_http_client_is_kept(http_server: ServerView) -> None:
    with httpx.Client(timeout=3.5, trust_env=False) as http:
        assert Client(http_server.url, http_client=http).timeout == httpx.Timeout(3.5)
        assert Client(http_server.url, http_client=http, timeout=1).timeout == httpx.Timeout(1)
    assert Client(http_server.url).timeout == httpx.Timeout(60, connect=5)


def test_max_body_bytes_stops_a_large_body(http_server: ServerView) -> None:
    body = CountingBody(b"x" * 1024, times=None)
    http_server.route("/big", Reply(body=body, headers={"Content-Type": "application/json"}))
    for client in client_for(http_server.url, max_body_bytes=10_000):
        with pytest.raises(ResponseTooLarge) as info:
            client.get("/big", cast_to=Any)
    assert info.value.limit == 10_000
    assert info.value.response is not None
    assert info.value.response.is_closed
    assert len(http_server.requests) == 1  # not retried


def test_an_error_body_over_max_body_bytes_raises_the_status_error_cut_short(
    http_server: ServerView,
) -> None:
    body = CountingBody(b"x" * 1024, times=None)
    http_server.route("/big", Reply(400, body=body))
    for client in client_for(http_server.url, max_body_bytes=2000):
        with pytest.raises(BadRequestError) as info:
            client.get("/big", cast_to=Any)
    assert info.value.body == "x" * 2000
    assert isinstance(info.value.__cause__, ResponseTooLarge)
    assert info.value.response.is_closed


@pytest.mark.anyio
async def test_async_an_error_body_over_max_body_bytes_raises_the_status_error(
    http_server: ServerView,
) -> None:
    http_server.route("/big", Reply(404, body=b'{"error": "gone"}'))
    async for client in async_client_for(http_server.url, max_body_bytes=5):
        with pytest.raises(NotFoundError) as info:
            await client.get("/big", cast_to=Any)
    assert info.value.body == '{"err'
    assert isinstance(info.value.__cause__, ResponseTooLarge)


def test_a_custom_registry_is_used(http_server: ServerView) -> None:
    registry = Registry()
    registry.register_structure_hook(Pet, lambda value, _: Pet(0, value.upper()))
    http_server.route("/pet", Reply.json("rex"))
    for client in client_for(http_server.url, registry=registry):
        assert client.get("/pet", cast_to=Pet) == Pet(0, "REX")


def test_a_raw_response_has_its_body_read_and_connection_released(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/pets/1", Reply.json(REX, headers={"x-request-id": "req_1"}))
    response = client.get("/pets/1", cast_to=Pet, extra_headers={RAW_RESPONSE_HEADER: "raw"})
    assert isinstance(response, APIResponse)
    assert response.is_closed
    assert response.request_id == "req_1"
    assert response.retries_taken == 0
    assert response.parse() == Pet(1, "Rex")


def test_a_custom_response_class_gets_its_own_type_argument(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/file", Reply(body=b"\x00\x01", headers={"Content-Type": "image/png"}))
    response = client.get(
        "/file",
        cast_to=Pet,
        extra_headers={RAW_RESPONSE_HEADER: "raw", RESPONSE_CLASS_HEADER: BinaryAPIResponse},
    )
    assert isinstance(response, BinaryAPIResponse)
    assert response.parse() == b"\x00\x01"


# ------------------------------------------------------------------ lifecycle


def test_close_closes_an_owned_http_client_only(http_server: ServerView) -> None:
    owned = Client(http_server.url)
    with owned:
        assert not owned.is_closed
    assert owned.is_closed
    with httpx.Client(trust_env=False) as http:
        with Client(http_server.url, http_client=http) as borrowing:
            pass
        assert not borrowing.is_closed
        assert not http.is_closed


def test_invalid_options_are_refused() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        Client("http://127.0.0.1", max_retries=-1)
    with pytest.raises(ValueError, match="max_body_bytes"):
        Client("http://127.0.0.1", max_body_bytes=-1)
    with pytest.raises(TypeError, match=r"httpx\.Client"):
        Client("http://127.0.0.1", http_client=httpx.AsyncClient())  # type: ignore[arg-type]


# ---------------------------------------------------------------------- async


@pytest.mark.anyio
async def test_async_get_and_post(http_server: ServerView, aclient: AsyncClient) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    assert await aclient.get("/pets/1", cast_to=Pet) == Pet(1, "Rex")
    assert await aclient.post("/pets/1", body=NewPet("Rex", type="dog"), cast_to=Pet) == Pet(
        1, "Rex"
    )
    assert json.loads(http_server.requests[1].body) == {
        "name": "Rex",
        "type": "dog",
        "owner-email": None,
    }
    assert "idempotency-key" in http_server.requests[1].headers


@pytest.mark.anyio
async def test_async_stream_true_gives_an_async_stream(
    http_server: ServerView, aclient: AsyncClient
) -> None:
    http_server.route("/events", Reply(body=sse({"type": "wag", "times": 2}), headers=SSE))
    stream = await aclient.get("/events", cast_to=PetEvent, stream=True)
    assert type(stream) is AsyncStream
    assert [event async for event in stream] == [Wag("wag", 2)]
    assert stream.response.is_closed


@pytest.mark.anyio
@pytest.mark.parametrize(("status", "error_cls"), STATUS_ERRORS[::3])
async def test_async_error_statuses_raise_their_error_class(
    http_server: ServerView, status: int, error_cls: type[APIStatusError]
) -> None:
    http_server.route("/x", Reply.json({"error": {"message": "no"}}, status=status))
    async for client in async_client_for(http_server.url, max_retries=0):
        with pytest.raises(APIStatusError) as info:
            await client.get("/x", cast_to=Pet)
    assert type(info.value) is error_cls
    assert info.value.body == {"error": {"message": "no"}}
    assert info.value.response.is_closed


@pytest.mark.anyio
async def test_async_refused_connection_and_timeout(http_server: ServerView) -> None:
    async for client in async_client_for(refused_url(), max_retries=0):
        with pytest.raises(APIConnectionError):
            await client.get("/x", cast_to=Pet)
    http_server.route("/slow", Reply(body=[b"{}"], delay=1.0))
    async for client in async_client_for(http_server.url, timeout=0.05, max_retries=0):
        with pytest.raises(APITimeoutError):
            await client.get("/slow", cast_to=Any)


@pytest.mark.anyio
async def test_a_cancelled_async_call_leaves_no_response_open(http_server: ServerView) -> None:
    body = CountingBody(b"x" * 1024, times=None)
    http_server.route("/endless", Reply(body=body, headers={"Content-Type": "application/json"}))
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(trust_env=False, limits=limits) as http:
        client = AsyncClient(http_server.url, http_client=http, timeout=2.0)
        with anyio.move_on_after(0.1):
            await client.get("/endless", cast_to=Any)
        # With one connection in the pool, a leaked one would make this wait and time out.
        http_server.route("/pets/1", Reply.json(REX))
        with anyio.fail_after(1.5):
            assert await client.get("/pets/1", cast_to=Pet) == Pet(1, "Rex")


@pytest.mark.anyio
async def test_async_close_closes_an_owned_http_client_only(http_server: ServerView) -> None:
    async with AsyncClient(http_server.url) as owned:
        assert not owned.is_closed
    assert owned.is_closed
    async with httpx.AsyncClient(trust_env=False) as http:
        async with AsyncClient(http_server.url, http_client=http):
            pass
        assert not http.is_closed


@pytest.mark.anyio
async def test_async_raw_control_entry_gives_the_async_response(
    http_server: ServerView, aclient: AsyncClient
) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    response = await aclient.get("/pets/1", cast_to=Pet, extra_headers={RAW_RESPONSE_HEADER: "raw"})
    assert isinstance(response, AsyncAPIResponse)
    assert response.is_closed
    assert await response.parse() == Pet(1, "Rex")


def test_the_client_core_does_not_import_the_wrappers() -> None:
    """The control entries live below both layers: the client core never needs the wrappers."""
    loaded = run_fresh(
        """
        import typedresp._client, typedresp._async_client, typedresp._pagination
        print(json.dumps(sorted(name for name in sys.modules if name.startswith("typedresp."))))
        """
    )
    assert "typedresp._controls" in loaded
    assert "typedresp._wrappers" not in loaded


def test_sending_maps_httpx_errors_to_typed_ones_chained_to_the_httpx_error() -> None:
    request = httpx.Request("GET", "http://127.0.0.1/x")
    cause = httpx.ReadTimeout("slow", request=request)
    with (
        pytest.raises(APITimeoutError, match="Request timed out: slow") as caught,
        sending(request),
    ):
        raise cause
    assert caught.value.__cause__ is cause
    assert caught.value.request is request
    with pytest.raises(APIConnectionError) as refused, sending(request):
        raise httpx.ConnectError("refused", request=request)
    assert type(refused.value) is APIConnectionError
    assert isinstance(refused.value.__cause__, httpx.ConnectError)


def test_sending_lets_other_errors_and_cancellations_through() -> None:
    request = httpx.Request("GET", "http://127.0.0.1/x")
    with pytest.raises(KeyError), sending(request):
        raise KeyError("a bug, not the network")
    with pytest.raises(KeyboardInterrupt), sending(request):
        raise KeyboardInterrupt


def test_a_translation_that_chains_its_own_cause_keeps_it() -> None:
    original, inner = ValueError("outer"), OSError("inner")

    def translate(exc: Exception) -> Exception | None:
        error = APIConnectionError("mapped", request=None)
        error.__cause__ = inner
        return error if exc is original else None

    with pytest.raises(APIConnectionError) as caught, map_httpx_errors(translate):
        raise original
    assert caught.value.__cause__ is inner
    assert caught.value.__context__ is original


def test_get_takes_no_body_and_sends_nothing(http_server: ServerView, client: Client) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    with pytest.raises(TypeError, match=r"Client\.get\(\) takes no body"):
        client.get("/pets/1", cast_to=Pet, body={"id": 1})
    with pytest.raises(TypeError, match="error_model"):
        client.post("/pets/1", cast_to=Pet, error_model=Pet)  # type: ignore[call-overload]
    assert http_server.requests == []


@pytest.mark.anyio
async def test_async_get_takes_no_body(http_server: ServerView, aclient: AsyncClient) -> None:
    with pytest.raises(TypeError, match=r"AsyncClient\.get\(\) takes no body"):
        await aclient.get("/pets/1", cast_to=Pet, body={"id": 1})  # type: ignore[call-overload]
    assert http_server.requests == []


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_each_verb_is_request_with_its_method_and_keeps_its_name(
    http_server: ServerView, client: Client, method: str
) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    bound = getattr(client, method)
    assert bound("/pets/1", cast_to=Pet) == Pet(1, "Rex")
    assert [request.method for request in http_server.requests] == [method.upper()]
    assert (bound.__name__, bound.__qualname__) == (method, f"Client.{method}")
    assert bound.__doc__ == getattr(Client, method).__doc__
    assert f"``{method.upper()} path``" in (bound.__doc__ or "")
    assert getattr(AsyncClient, method).__doc__ == bound.__doc__
