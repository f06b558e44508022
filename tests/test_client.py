"""Client / AsyncClient over a real HTTP server: requests on the wire, typed results,
typed errors for every status class, connection failures, limits and lifecycle."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import AsyncIterator
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
    AsyncBinaryAPIResponse,
    AsyncClient,
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
    UnprocessableEntityError,
)
from typedresp._controls import RAW_RESPONSE_HEADER, RESPONSE_CLASS_HEADER

from .clients import refused_url
from .server import CountingBody, Reply, ServerView
from .test_imports import run_fresh
from .twins import Twin


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
async def client(http_server: ServerView, twin: Twin) -> AsyncIterator[Any]:
    """A `Client` or an `AsyncClient` on the test server: each test runs with both."""
    async with twin.client(http_server.url) as client:
        yield client


def sse(*events: dict[str, Any]) -> list[bytes]:
    return [f"data: {json.dumps(event)}\n\n".encode() for event in events] + [b"data: [DONE]\n\n"]


# ------------------------------------------------------------------- requests


@pytest.mark.anyio
async def test_get_parses_the_body_to_cast_to(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    assert await twin(client.get("/pets/1", cast_to=Pet)) == Pet(1, "Rex")


@pytest.mark.anyio
async def test_a_list_of_a_generic_type_is_parsed_and_checked(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/pets", Reply.json([REX, {"id": "2", "name": "Tom"}]))
    with pytest.raises(ResponseValidationError) as info:
        await twin(client.get("/pets", cast_to=list[Pet]))
    assert [item.path for item in info.value.errors] == ["$[1].id"]
    assert info.value.response is not None
    assert info.value.response.is_closed


@pytest.mark.anyio
async def test_paths_are_joined_to_the_base_url_path(local_server: Any, twin: Twin) -> None:
    view = local_server.view()
    view.route("/api/v2/pets/1", Reply.json(REX))
    try:
        for base in (view.url + "/api/v2", view.url + "/api/v2/"):
            async with twin.client(base) as client:
                assert await twin(client.get("pets/1", cast_to=Pet)) == Pet(1, "Rex")
                assert await twin(client.get("/pets/1", cast_to=Pet)) == Pet(1, "Rex")
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


@pytest.mark.anyio
async def test_a_base_url_query_reaches_the_server_with_the_params(
    http_server: ServerView, twin: Twin
) -> None:
    http_server.route("/api/pets", Reply.json([]))
    async with twin.client(http_server.url + "/api?key=k") as client:
        await twin(client.get("/pets", cast_to=list[Pet], params={"limit": 2}))
    (request,) = http_server.requests
    assert request.path == "/api/pets"
    assert request.query == "key=k&limit=2"


@pytest.mark.anyio
async def test_params_default_headers_and_extra_headers_reach_the_server(
    http_server: ServerView, twin: Twin
) -> None:
    http_server.route("/pets", Reply.json([]))
    async with twin.client(http_server.url, headers={"Authorization": "Bearer k"}) as client:
        await twin(
            client.get(
                "/pets",
                cast_to=list[Pet],
                params={"limit": 2, "tag": "good"},
                extra_headers={"X-A": "1"},
            )
        )
    (request,) = http_server.requests
    assert request.query == "limit=2&tag=good"
    assert request.headers["authorization"] == "Bearer k"
    assert request.headers["x-a"] == "1"


@pytest.mark.anyio
async def test_extra_headers_override_default_headers(http_server: ServerView, twin: Twin) -> None:
    http_server.route("/pets", Reply.json([]))
    async with twin.client(http_server.url, headers={"X-Tenant": "a"}) as client:
        await twin(client.get("/pets", cast_to=list[Pet], extra_headers={"X-Tenant": "b"}))
    assert http_server.requests[0].headers["x-tenant"] == "b"


@pytest.mark.anyio
async def test_an_extra_header_differing_only_in_case_replaces_the_default(twin: Twin) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    http = twin.http_client_cls(transport=httpx.MockTransport(handler))
    client = twin.Client("http://127.0.0.1", http_client=http, headers={"X-Tenant": "a"})
    await twin(client.get("/pets", cast_to=list[Pet], extra_headers={"x-tenant": "b"}))
    await twin(http.aclose() if twin.is_async else http.close())
    assert sent[0].headers.get_list("x-tenant") == ["b"]


@pytest.mark.anyio
async def test_an_attrs_body_is_sent_as_json_with_its_wire_keys(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/pets", Reply.json(REX, status=201))
    new_pet = NewPet("Rex", type="dog", owner_email="a@b.c")
    created = await twin(client.post("/pets", body=new_pet, cast_to=Pet))
    assert created == Pet(1, "Rex")
    (request,) = http_server.requests
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {"name": "Rex", "type": "dog", "owner-email": "a@b.c"}


@pytest.mark.anyio
async def test_a_dict_body_is_sent_as_it_is(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    body = {"name": "Rex", "nested": {"a": [1, 2]}, "none": None}
    await twin(client.patch("/pets/1", body=body, cast_to=Pet))
    assert json.loads(http_server.requests[0].body) == body


@pytest.mark.anyio
async def test_a_list_of_dataclasses_is_unstructured(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/notes", Reply.json(None))
    await twin(client.put("/notes", body=[Note("a"), Note("b")], cast_to=None))
    assert json.loads(http_server.requests[0].body) == [{"text": "a"}, {"text": "b"}]


@attrs.define
class Visit:
    at: datetime.datetime
    on: datetime.date
    start: datetime.time
    vet: uuid.UUID
    fee: decimal.Decimal


@pytest.mark.anyio
async def test_dates_uuids_and_decimals_in_a_body_are_sent_as_text(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/visits", Reply.json(None))
    at = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    visit = Visit(at, at.date(), at.time(), uuid.UUID(int=1), decimal.Decimal("12.50"))
    await twin(client.post("/visits", body=(visit,), cast_to=None))
    assert json.loads(http_server.requests[0].body) == [
        {
            "at": "2024-05-06T07:08:09+00:00",
            "on": "2024-05-06",
            "start": "07:08:09",
            "vet": "00000000-0000-0000-0000-000000000001",
            "fee": "12.50",
        }
    ]


@pytest.mark.anyio
async def test_no_body_sends_no_content(http_server: ServerView, client: Any, twin: Twin) -> None:
    http_server.route("/pets/1", Reply(204))
    assert await twin(client.delete("/pets/1", cast_to=None)) is None
    (request,) = http_server.requests
    assert request.method == "DELETE"
    assert request.body == b""
    assert "content-type" not in request.headers


@pytest.mark.anyio
async def test_non_get_requests_carry_an_idempotency_key_and_get_does_not(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    await twin(client.get("/pets/1", cast_to=Pet))
    await twin(client.post("/pets/1", cast_to=Pet))
    await twin(client.post("/pets/1", cast_to=Pet))
    await twin(client.post("/pets/1", cast_to=Pet, extra_headers={"idempotency-key": "mine"}))
    keys = [request.headers.get("idempotency-key") for request in http_server.requests]
    assert keys[0] is None
    assert keys[1]
    assert keys[2]
    assert keys[1] != keys[2]
    assert keys[3] == "mine"


@pytest.mark.anyio
async def test_head_and_options_carry_no_idempotency_key_as_documented(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/pets", Reply(204))
    for method in ("HEAD", "OPTIONS", "DELETE"):
        await twin(client.request(method, "/pets", cast_to=None))
    keys = [request.headers.get("idempotency-key") for request in http_server.requests]
    assert keys[:2] == [None, None]
    assert keys[2]
    assert "other than GET, HEAD and OPTIONS" in " ".join((Client.__doc__ or "").split())


@pytest.mark.anyio
async def test_control_entries_given_directly_are_not_sent(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    headers = {RAW_RESPONSE_HEADER.lower(): "raw", RESPONSE_CLASS_HEADER: twin.APIResponse}
    response = await twin(client.get("/pets/1", cast_to=Pet, extra_headers=headers))
    assert type(response) is twin.APIResponse
    assert not any(name.startswith("x-typedresp") for name in http_server.requests[0].headers)


@pytest.mark.parametrize("name", [RAW_RESPONSE_HEADER, RESPONSE_CLASS_HEADER.lower()])
def test_a_control_entry_as_a_default_header_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        Client("http://127.0.0.1", headers={name: "raw"})
    with pytest.raises(ValueError, match=name):
        AsyncClient("http://127.0.0.1", headers={name: "raw"})


@pytest.mark.anyio
async def test_a_response_class_of_the_wrong_flavour_is_refused_before_sending(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    wrong = APIResponse if twin.is_async else AsyncAPIResponse
    with pytest.raises(TypeError, match=f"{wrong.__name__} is not one"):
        await twin(client.get("/x", cast_to=bytes, extra_headers={RESPONSE_CLASS_HEADER: wrong}))
    assert http_server.requests == []


@pytest.mark.anyio
async def test_a_non_string_header_value_is_a_type_error(client: Any, twin: Twin) -> None:
    with pytest.raises(TypeError, match="X-Count"):
        await twin(client.get("/x", cast_to=bytes, extra_headers={"X-Count": 3}))


@pytest.mark.anyio
async def test_get_takes_no_body_and_sends_nothing(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    with pytest.raises(TypeError, match=rf"{twin.Client.__name__}\.get\(\) takes no body"):
        await twin(client.get("/pets/1", cast_to=Pet, body={"id": 1}))
    with pytest.raises(TypeError, match="error_model"):
        await twin(client.post("/pets/1", cast_to=Pet, error_model=Pet))
    assert http_server.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
async def test_each_verb_is_request_with_its_method_and_keeps_its_name(
    http_server: ServerView, client: Any, twin: Twin, method: str
) -> None:
    http_server.route("/pets/1", Reply.json(REX))
    bound = getattr(client, method)
    assert await twin(bound("/pets/1", cast_to=Pet)) == Pet(1, "Rex")
    assert [request.method for request in http_server.requests] == [method.upper()]
    name = twin.Client.__name__
    assert (bound.__name__, bound.__qualname__) == (method, f"{name}.{method}")
    assert bound.__doc__ == getattr(twin.Client, method).__doc__
    assert f"``{method.upper()} path``" in (bound.__doc__ or "")
    assert getattr(AsyncClient, method).__doc__ == getattr(Client, method).__doc__


# ------------------------------------------------------------------- streams


@pytest.mark.anyio
async def test_stream_true_gives_a_stream_of_cast_to(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/events", Reply(body=sse({"type": "bark", "loud": True}), headers=SSE))
    stream = await twin(client.get("/events", cast_to=PetEvent, stream=True))
    assert type(stream) is twin.Stream
    assert await twin.items(stream) == [Bark("bark", loud=True)]
    assert stream.response.is_closed


@pytest.mark.anyio
async def test_a_stream_class_given_is_used(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    class PetStream(twin.Stream[PetEvent]):
        pass

    body = sse({"type": "wag", "times": 3}, {"type": "bark", "loud": False})
    http_server.route("/events", Reply(body=body, headers=SSE))
    stream = await twin(client.get("/events", cast_to=PetEvent, stream=True, stream_cls=PetStream))
    assert isinstance(stream, PetStream)
    assert await twin.items(stream) == [Wag("wag", 3), Bark("bark", loud=False)]


@pytest.mark.anyio
async def test_a_stream_class_without_stream_true_is_a_mistake(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    with pytest.raises(TypeError, match="stream=True"):
        await twin(client.get("/events", cast_to=PetEvent, stream_cls=twin.Stream[PetEvent]))
    assert http_server.requests == []


@pytest.mark.anyio
async def test_a_stream_is_returned_before_the_body_has_arrived(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    body = CountingBody(b'data: {"type": "wag", "times": 1}\n\n', times=None)
    http_server.route("/events", Reply(body=body, headers=SSE))
    stream = await twin(client.get("/events", cast_to=PetEvent, stream=True))
    async with twin.entered(stream):
        first = await twin.next(stream)
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


@pytest.mark.anyio
@pytest.mark.parametrize(("status", "error_cls"), STATUS_ERRORS)
async def test_each_error_status_raises_its_error_class(
    http_server: ServerView, twin: Twin, status: int, error_cls: type[APIStatusError]
) -> None:
    body = {"error": {"message": "nope", "code": status}}
    http_server.route("/x", Reply.json(body, status=status, headers={"x-request-id": "req_9"}))
    async with twin.client(http_server.url, max_retries=0) as client:
        with pytest.raises(APIStatusError) as info:
            await twin(client.get("/x", cast_to=Pet))
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


@pytest.mark.anyio
async def test_a_text_error_body_is_kept_as_text(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/x", Reply(404, body=b"no such thing", headers={"request-id": "r1"}))
    with pytest.raises(NotFoundError) as info:
        await twin(client.get("/x", cast_to=Pet))
    assert info.value.body == "no such thing"
    assert info.value.request_id == "r1"


@pytest.mark.anyio
async def test_an_empty_error_body_is_none(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/x", Reply(401))
    with pytest.raises(AuthenticationError) as info:
        await twin(client.get("/x", cast_to=Pet))
    assert info.value.body is None
    assert str(info.value) == f"401 Unauthorized for GET {http_server.url}/x"


@pytest.mark.anyio
async def test_error_statuses_raise_for_raw_responses_too(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/x", Reply.json({"error": "gone"}, status=404))
    with pytest.raises(NotFoundError):
        await twin(client.get("/x", cast_to=Pet, extra_headers={RAW_RESPONSE_HEADER: "raw"}))


def test_a_status_error_can_be_built_from_a_response_without_a_request() -> None:
    response = httpx.Response(503, headers={"request-id": "r2"})
    error = InternalServerError("down", response=response, body=None)
    assert error.request is None
    assert error.request_id == "r2"
    assert error.status_code == 503


@pytest.mark.anyio
async def test_a_refused_connection_raises_api_connection_error(twin: Twin) -> None:
    url = refused_url()
    async with twin.client(url, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as info:
            await twin(client.get("/x", cast_to=Pet))
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.request is not None
    assert str(info.value.request.url) == url + "/x"
    assert isinstance(info.value.__cause__, httpx.ConnectError)


@pytest.mark.anyio
async def test_a_slow_server_raises_api_timeout_error(http_server: ServerView, twin: Twin) -> None:
    http_server.route("/slow", Reply(body=[b"{}"], delay=1.0))
    async with twin.client(http_server.url, timeout=0.05, max_retries=0) as client:
        with pytest.raises(APITimeoutError) as info:
            await twin(client.get("/slow", cast_to=Any))
    assert isinstance(info.value.__cause__, httpx.TimeoutException)


@pytest.mark.anyio
async def test_the_timeout_of_a_given_http_client_is_kept(
    http_server: ServerView, twin: Twin
) -> None:
    async with twin.entered(twin.http_client_cls(timeout=3.5, trust_env=False)) as http:
        assert twin.Client(http_server.url, http_client=http).timeout == httpx.Timeout(3.5)
        given = twin.Client(http_server.url, http_client=http, timeout=1)
        assert given.timeout == httpx.Timeout(1)
    owned = twin.Client(http_server.url)
    assert owned.timeout == httpx.Timeout(60, connect=5)
    assert owned.http_client.timeout == httpx.Timeout(60, connect=5)
    await twin(owned.aclose() if twin.is_async else owned.close())


@pytest.mark.anyio
async def test_max_body_bytes_stops_a_large_body(http_server: ServerView, twin: Twin) -> None:
    body = CountingBody(b"x" * 1024, times=None)
    http_server.route("/big", Reply(body=body, headers={"Content-Type": "application/json"}))
    async with twin.client(http_server.url, max_body_bytes=10_000) as client:
        with pytest.raises(ResponseTooLarge) as info:
            await twin(client.get("/big", cast_to=Any))
    assert info.value.limit == 10_000
    assert info.value.response is not None
    assert info.value.response.is_closed
    assert len(http_server.requests) == 1  # not retried


@pytest.mark.anyio
async def test_an_error_body_over_max_body_bytes_raises_the_status_error_cut_short(
    http_server: ServerView, twin: Twin
) -> None:
    body = CountingBody(b"x" * 1024, times=None)
    http_server.route("/big", Reply(400, body=body))
    async with twin.client(http_server.url, max_body_bytes=2000) as client:
        with pytest.raises(BadRequestError) as info:
            await twin(client.get("/big", cast_to=Any))
    assert info.value.body == "x" * 2000
    assert isinstance(info.value.__cause__, ResponseTooLarge)
    assert info.value.response.is_closed


@pytest.mark.anyio
async def test_a_json_error_body_over_max_body_bytes_is_kept_as_the_text_read(
    http_server: ServerView, twin: Twin
) -> None:
    http_server.route("/big", Reply(404, body=b'{"error": "gone"}'))
    async with twin.client(http_server.url, max_body_bytes=5) as client:
        with pytest.raises(NotFoundError) as info:
            await twin(client.get("/big", cast_to=Any))
    assert info.value.body == '{"err'
    assert isinstance(info.value.__cause__, ResponseTooLarge)


@pytest.mark.anyio
async def test_a_custom_registry_is_used(http_server: ServerView, twin: Twin) -> None:
    registry = Registry()
    registry.register_structure_hook(Pet, lambda value, _: Pet(0, value.upper()))
    http_server.route("/pet", Reply.json("rex"))
    async with twin.client(http_server.url, registry=registry) as client:
        assert await twin(client.get("/pet", cast_to=Pet)) == Pet(0, "REX")


@pytest.mark.anyio
async def test_a_raw_response_has_its_body_read_and_connection_released(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/pets/1", Reply.json(REX, headers={"x-request-id": "req_1"}))
    raw = {RAW_RESPONSE_HEADER: "raw"}
    response = await twin(client.get("/pets/1", cast_to=Pet, extra_headers=raw))
    assert type(response) is twin.APIResponse
    assert response.is_closed
    assert response.request_id == "req_1"
    assert response.retries_taken == 0
    assert await twin(response.parse()) == Pet(1, "Rex")


@pytest.mark.anyio
async def test_a_custom_response_class_gets_its_own_type_argument(
    http_server: ServerView, client: Any, twin: Twin
) -> None:
    http_server.route("/file", Reply(body=b"\x00\x01", headers={"Content-Type": "image/png"}))
    binary = AsyncBinaryAPIResponse if twin.is_async else BinaryAPIResponse
    response = await twin(
        client.get(
            "/file",
            cast_to=Pet,
            extra_headers={RAW_RESPONSE_HEADER: "raw", RESPONSE_CLASS_HEADER: binary},
        )
    )
    assert isinstance(response, binary)
    assert await twin(response.parse()) == b"\x00\x01"


# ------------------------------------------------------------------ lifecycle


@pytest.mark.anyio
async def test_close_closes_an_owned_http_client_only(http_server: ServerView, twin: Twin) -> None:
    owned = twin.Client(http_server.url)
    async with twin.entered(owned):
        assert not owned.is_closed
    assert owned.is_closed
    async with twin.entered(twin.http_client_cls(trust_env=False)) as http:
        async with twin.entered(twin.Client(http_server.url, http_client=http)) as borrowing:
            pass
        assert not borrowing.is_closed
        assert not http.is_closed


@pytest.mark.anyio
async def test_invalid_options_are_refused(twin: Twin) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        twin.Client("http://127.0.0.1", max_retries=-1)
    with pytest.raises(ValueError, match="max_body_bytes"):
        twin.Client("http://127.0.0.1", max_body_bytes=-1)
    with pytest.raises(ValueError, match="total_timeout"):
        twin.Client("http://127.0.0.1", total_timeout=0)
    with pytest.raises(TypeError, match="sensitive_headers"):
        twin.Client("http://127.0.0.1", sensitive_headers="X-Secret")
    other = httpx.Client if twin.is_async else httpx.AsyncClient
    expected = "AsyncClient" if twin.is_async else "Client"
    async with twin.entered(other()) as wrong:
        with pytest.raises(TypeError, match=rf"must be an httpx\.{expected}, got"):
            twin.Client("http://127.0.0.1", http_client=wrong)


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


# ------------------------------------------------------------------ layering


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
