"""Typed error bodies: a client's (or one call's) ``error_model`` gives `APIStatusError`
a structured ``.error`` and the model's message; a body that does not fit never replaces
the status error."""

from __future__ import annotations

from typing import Any

import attrs
import httpx
import pytest

from typedresp import (
    APIStatusError,
    AsyncClient,
    BadRequestError,
    Client,
    CursorRule,
    InternalServerError,
    NotFoundError,
)
from typedresp.testing import MockRouter

from .server import Reply, ServerView


@attrs.frozen
class Detail:
    type: str
    message: str


@attrs.frozen
class ErrorBody:
    """OpenAI's and Stripe's shape: ``{"error": {"type": ..., "message": ...}}``."""

    error: Detail

    @property
    def message(self) -> str:
        return self.error.message


@attrs.frozen
class GitHubError:
    message: str
    documentation_url: str


@attrs.frozen
class Silent:
    """A model without a message."""

    code: int


NOT_FOUND = {"error": {"type": "not_found", "message": "no pet with id 404"}}


@pytest.fixture
def client(http_server: ServerView) -> Any:
    with httpx.Client(trust_env=False) as http:
        yield Client(http_server.url, http_client=http, error_model=ErrorBody, max_retries=0)


def test_an_error_body_that_fits_the_model_is_structured(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/pets/404", Reply.json(NOT_FOUND, status=404))
    with pytest.raises(NotFoundError) as info:
        client.get("/pets/404", cast_to=dict)
    error = info.value
    assert error.error == ErrorBody(Detail("not_found", "no pet with id 404"))
    assert error.body == NOT_FOUND  # as without a model
    assert error.status_code == 404
    assert str(error) == f"404 Not Found for GET {http_server.url}/pets/404: no pet with id 404"
    assert error.message == str(error)


def test_a_body_that_does_not_fit_keeps_the_status_error(
    http_server: ServerView, client: Client
) -> None:
    body = {"detail": "Not Found"}  # another shape, e.g. from a proxy
    http_server.route("/pets/404", Reply.json(body, status=404))
    with pytest.raises(NotFoundError) as info:
        client.get("/pets/404", cast_to=dict)
    assert info.value.error is None
    assert info.value.body == body
    assert str(info.value).endswith("/pets/404: {'detail': 'Not Found'}")
    assert info.value.__cause__ is None


@pytest.mark.parametrize(
    "reply",
    [
        Reply(502, body=b"<html>Bad Gateway</html>", headers={"Content-Type": "text/html"}),
        Reply(502),  # no body at all
        Reply.json({"error": {"type": 5, "message": None}}, status=502),  # wrong types
    ],
)
def test_a_non_json_empty_or_wrong_body_leaves_error_none(
    http_server: ServerView, client: Client, reply: Reply
) -> None:
    http_server.route("/boom", reply)
    with pytest.raises(InternalServerError) as info:
        client.get("/boom", cast_to=dict)
    assert info.value.error is None
    assert info.value.status_code == 502


def test_one_call_names_its_own_model(http_server: ServerView, client: Client) -> None:
    body = {"message": "Bad credentials", "documentation_url": "https://docs.example/auth"}
    http_server.route("/user", Reply.json(body, status=400))
    with pytest.raises(BadRequestError) as info:
        client.request("GET", "/user", cast_to=dict, error_model=GitHubError)
    assert info.value.error == GitHubError("Bad credentials", "https://docs.example/auth")
    assert str(info.value).endswith("/user: Bad credentials")


def test_a_model_without_a_message_keeps_the_message(http_server: ServerView) -> None:
    http_server.route("/x", Reply.json({"code": 7, "message": "from the body"}, status=400))
    with httpx.Client(trust_env=False) as http:
        client = Client(http_server.url, http_client=http, error_model=Silent)
        with pytest.raises(BadRequestError) as info:
            client.get("/x", cast_to=dict)
    assert info.value.error == Silent(7)
    assert str(info.value).endswith("/x: from the body")


def test_without_a_model_error_is_none(http_server: ServerView) -> None:
    http_server.route("/pets/404", Reply.json(NOT_FOUND, status=404))
    with httpx.Client(trust_env=False) as http:
        client = Client(http_server.url, http_client=http)
        with pytest.raises(NotFoundError) as info:
            client.get("/pets/404", cast_to=dict)
    assert info.value.error is None
    assert str(info.value).endswith(": no pet with id 404")


class NotAModel:
    """No hook can build it: a mistake in the SDK, found on its error path."""

    def __init__(self, anything: object) -> None:
        self.anything = anything


def test_a_model_that_cannot_be_built_still_gives_the_status_error() -> None:
    router = MockRouter()
    router.get("/x", httpx.Response(409, json={"a": 1}))
    http = httpx.Client(transport=router.transport)
    client = Client("https://api.test", http_client=http, error_model=NotAModel, max_retries=0)
    with pytest.raises(APIStatusError) as info:
        client.get("/x", cast_to=dict)
    assert info.value.status_code == 409
    assert info.value.error is None


def test_streamed_and_raw_calls_get_the_model_too(http_server: ServerView, client: Client) -> None:
    http_server.route("/pets/404", Reply.json(NOT_FOUND, status=404))
    with pytest.raises(NotFoundError) as info:
        client.get("/pets/404", cast_to=dict, extra_headers={"X-Typedresp-Raw-Response": "stream"})
    assert info.value.error == ErrorBody(Detail("not_found", "no pet with id 404"))


def test_pages_use_the_call_model_on_every_page() -> None:
    router = MockRouter()
    router.get(
        "/v1/pets",
        [
            httpx.Response(200, json={"data": [{"id": 1}], "has_more": True}),
            httpx.Response(404, json={"message": "cursor expired", "documentation_url": "d"}),
        ],
    )
    http = httpx.Client(transport=router.transport)
    client = Client("https://api.test/v1", http_client=http, error_model=ErrorBody)
    pages = client.get_pages("/pets", item=dict, rule=CursorRule(), error_model=GitHubError)
    with pytest.raises(NotFoundError, match=r"cursor expired$") as info:
        list(pages)
    assert info.value.error == GitHubError("cursor expired", "d")


@pytest.mark.anyio
async def test_the_async_client_structures_error_bodies(http_server: ServerView) -> None:
    http_server.route("/pets/404", Reply.json(NOT_FOUND, status=404))
    http_server.route("/user", Reply.json({"message": "m", "documentation_url": "u"}, status=404))
    async with httpx.AsyncClient(trust_env=False) as http:
        client = AsyncClient(http_server.url, http_client=http, error_model=ErrorBody)
        with pytest.raises(NotFoundError) as info:
            await client.get("/pets/404", cast_to=dict)
        assert info.value.error == ErrorBody(Detail("not_found", "no pet with id 404"))
        with pytest.raises(NotFoundError) as other:
            await client.request("GET", "/user", cast_to=dict, error_model=GitHubError)
        assert other.value.error == GitHubError("m", "u")
        assert str(other.value).endswith("/user: m")


def test_the_model_message_follows_a_masked_url(http_server: ServerView) -> None:
    http_server.route("/pets/404", Reply.json(NOT_FOUND, status=404))
    base_url = http_server.url.replace("http://", "http://ada:pw-123@") + "?api_key=k-456"
    with httpx.Client(trust_env=False) as http:
        client = Client(base_url, http_client=http, error_model=ErrorBody, max_retries=0)
        with pytest.raises(NotFoundError) as info:
            client.get("/pets/404", cast_to=dict)
    masked = http_server.url.replace("http://", "http://***@") + "/pets/404?api_key=***"
    assert str(info.value) == f"404 Not Found for GET {masked}: no pet with id 404"
    assert info.value.error == ErrorBody(Detail("not_found", "no pet with id 404"))


def test_the_model_message_is_masked_too() -> None:
    leaked = "retry at https://api.test/v1/pets?api_key=k-456"
    router = MockRouter()
    router.get("/x", httpx.Response(400, json={"error": {"type": "bad", "message": leaked}}))
    http = httpx.Client(transport=router.transport)
    client = Client("https://api.test", http_client=http, error_model=ErrorBody, max_retries=0)
    with pytest.raises(BadRequestError) as info:
        client.get("/x", cast_to=dict)
    assert str(info.value).endswith(": retry at https://api.test/v1/pets?api_key=***")
    assert "k-456" not in repr(info.value)
    assert info.value.error is not None
    assert info.value.error.message == leaked  # the structured body is the server's


def test_the_model_message_keeps_a_redirect_note_whatever_its_location() -> None:
    location = "https://other.test/a b: c"  # a Location is whatever the server sent
    body = {"error": {"type": "moved", "message": "see other"}}
    router = MockRouter()
    router.get("/x", httpx.Response(302, json=body, headers={"Location": location}))
    http = httpx.Client(transport=router.transport)  # follows no redirect
    client = Client("https://api.test", http_client=http, error_model=ErrorBody, max_retries=0)
    with pytest.raises(APIStatusError) as info:
        client.get("/x", cast_to=dict)
    assert str(info.value) == (
        f"302 Found for GET https://api.test/x (a redirect to {location} that was not"
        " followed): see other"
    )
