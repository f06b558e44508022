"""Request ids: ``x-request-id`` then ``request-id`` by default; a client or a response
class names its API's headers (GitHub's ``X-GitHub-Request-Id``)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from typedresp import (
    APIResponse,
    AsyncClient,
    Client,
    LinkHeaderRule,
    NotFoundError,
    to_custom_raw_response_wrapper,
    to_raw_response_wrapper,
)

from .server import Reply, ServerView

GITHUB = {"X-GitHub-Request-Id": "CAFE:1234", "x-request-id": "proxy-1"}


class GitHubResponse(APIResponse[Any]):
    request_id_headers = ("x-github-request-id",)


def test_the_default_headers_are_x_request_id_then_request_id() -> None:
    request = httpx.Request("GET", "https://api.test/")
    both = httpx.Response(200, headers={"request-id": "b", "x-request-id": "a"}, request=request)
    second = httpx.Response(200, headers={"request-id": "b"}, request=request)
    assert APIResponse(raw=both, cast_to=bytes).request_id == "a"
    assert APIResponse(raw=second, cast_to=bytes).request_id == "b"
    assert APIResponse(raw=second, cast_to=bytes, request_id_headers=["x-other"]).request_id is None


def test_a_client_names_its_request_id_headers(http_server: ServerView) -> None:
    http_server.route("/user", Reply.json({}, headers=GITHUB))
    http_server.route("/missing", Reply.json({"message": "Not Found"}, status=404, headers=GITHUB))
    with httpx.Client(trust_env=False) as http:
        client = Client(
            http_server.url, http_client=http, request_id_headers=["X-GitHub-Request-Id"]
        )
        response = to_raw_response_wrapper(client.get)("/user", cast_to=dict)
        assert response.request_id == "CAFE:1234"
        with pytest.raises(NotFoundError) as info:
            client.get("/missing", cast_to=dict)
    assert info.value.request_id == "CAFE:1234"


def test_a_response_class_names_its_request_id_headers(http_server: ServerView) -> None:
    http_server.route("/user", Reply.json({}, headers=GITHUB))
    with httpx.Client(trust_env=False) as http:
        client = Client(http_server.url, http_client=http)
        response = to_custom_raw_response_wrapper(client.get, GitHubResponse)("/user", cast_to=dict)
        assert response.request_id == "CAFE:1234"
        assert to_raw_response_wrapper(client.get)("/user", cast_to=dict).request_id == "proxy-1"


@pytest.mark.anyio
async def test_the_async_client_names_them_too(http_server: ServerView) -> None:
    http_server.route("/missing", Reply.json({}, status=404, headers=GITHUB))
    async with httpx.AsyncClient(trust_env=False) as http:
        client = AsyncClient(
            http_server.url, http_client=http, request_id_headers=("x-github-request-id",)
        )
        with pytest.raises(NotFoundError) as info:
            await client.get("/missing", cast_to=dict)
    assert info.value.request_id == "CAFE:1234"


def test_pages_read_the_request_id_the_client_names(http_server: ServerView) -> None:
    http_server.route("/repos", Reply.json([{"id": 1}], headers=GITHUB))
    with httpx.Client(trust_env=False) as http:
        client = Client(
            http_server.url, http_client=http, request_id_headers=["x-github-request-id"]
        )
        page = client.get_pages("/repos", item=dict, rule=LinkHeaderRule(), items_key=None)
        assert page.response.request_id == "CAFE:1234"
        raw = to_raw_response_wrapper(client.get_pages)(
            "/repos", item=dict, rule=LinkHeaderRule(), items_key=None
        )
        assert raw.request_id == "CAFE:1234"
        assert raw.parse().response.request_id == "CAFE:1234"
