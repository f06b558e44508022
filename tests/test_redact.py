"""Secrets stay home: credential headers are dropped on a redirect to another origin (two
real servers on 127.0.0.1, different ports), and no message, repr or log line typedresp
writes shows a URL's password, a secret-looking query value or a credential header."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import attrs
import httpx
import pytest

from typedresp import (
    APIConnectionError,
    AsyncClient,
    Client,
    NotFoundError,
    to_raw_response_wrapper,
)
from typedresp._redact import redact

from .clients import Waits, refused_url
from .server import Reply, ServerView


@attrs.define
class Pet:
    id: int
    name: str


CREDENTIALS = {
    "Authorization": "Bearer sk-live-1",
    "Proxy-Authorization": "Basic cHJveHk6cHc=",
    "X-Api-Key": "xak-2",
    "Api-Key": "ak-3",
    "Cookie": "session=c-4",
    "X-Tenant-Secret": "ts-5",
}
SECRET_VALUES = list(CREDENTIALS.values())


@pytest.fixture
def following() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, follow_redirects=True) as http:
        yield http


# --------------------------------------------------------------------- redirects


def test_a_redirect_to_another_origin_drops_every_credential_header(
    http_server: ServerView, other_origin: ServerView, following: httpx.Client
) -> None:
    http_server.route("/pet", Reply(302, headers={"Location": other_origin.url + "/pet"}))
    other_origin.route("/pet", Reply.json({"id": 1, "name": "Rex"}))
    client = Client(
        http_server.url,
        http_client=following,
        headers={**CREDENTIALS, "X-Harmless": "kept"},
        sensitive_headers=["X-Tenant-Secret"],
    )
    assert client.get("/pet", cast_to=Pet) == Pet(1, "Rex")
    first, landed = http_server.requests[0].headers, other_origin.requests[0].headers
    assert {name.lower() for name in CREDENTIALS} <= set(first)
    assert not {name.lower() for name in CREDENTIALS} & set(landed)
    assert landed["x-harmless"] == "kept"


@pytest.mark.anyio
async def test_async_a_redirect_to_another_origin_drops_every_credential_header(
    http_server: ServerView, other_origin: ServerView
) -> None:
    http_server.route("/pet", Reply(307, headers={"Location": other_origin.url + "/pet"}))
    other_origin.route("/pet", Reply.json({"id": 1, "name": "Rex"}))
    async with httpx.AsyncClient(trust_env=False, follow_redirects=True) as http:
        client = AsyncClient(
            http_server.url,
            http_client=http,
            headers=CREDENTIALS,
            sensitive_headers=["x-tenant-secret"],
        )
        assert await client.post("/pet", body={"name": "Rex"}, cast_to=Pet) == Pet(1, "Rex")
    landed = other_origin.requests[0]
    assert landed.method == "POST"
    assert landed.body == b'{"name":"Rex"}'
    assert not {name.lower() for name in CREDENTIALS} & set(landed.headers)


def test_a_redirect_within_the_origin_keeps_the_credentials(
    http_server: ServerView, following: httpx.Client
) -> None:
    http_server.route("/old", Reply(301, headers={"Location": http_server.prefix + "/new"}))
    http_server.route("/new", Reply.json({"id": 1, "name": "Rex"}))
    client = Client(http_server.url, http_client=following, headers={"X-Api-Key": "xak-2"})
    response = to_raw_response_wrapper(client.get)("/old", cast_to=Pet)
    assert response.parse() == Pet(1, "Rex")
    assert [hop.status_code for hop in response.http_response.history] == [301]
    assert http_server.requests[1].path == "/new"
    assert http_server.requests[1].headers["x-api-key"] == "xak-2"


def test_a_hop_back_to_the_first_origin_does_not_get_the_credentials_back(
    http_server: ServerView, other_origin: ServerView, following: httpx.Client
) -> None:
    http_server.route("/a", Reply(302, headers={"Location": other_origin.url + "/b"}))
    other_origin.route("/b", Reply(302, headers={"Location": http_server.url + "/c"}))
    http_server.route("/c", Reply.json({"id": 1, "name": "Rex"}))
    client = Client(http_server.url, http_client=following, headers={"X-Api-Key": "xak-2"})
    assert client.get("/a", cast_to=Pet) == Pet(1, "Rex")
    assert "x-api-key" not in http_server.requests[1].headers


def test_a_redirect_loop_still_ends_without_retries(
    http_server: ServerView, following: httpx.Client
) -> None:
    http_server.route("/loop", Reply(302, headers={"Location": http_server.prefix + "/loop"}))
    client = Client(http_server.url, http_client=following, retry_policy=Waits().policy())
    with pytest.raises(APIConnectionError, match="redirects"):
        client.get("/loop", cast_to=Pet)
    assert len(http_server.requests) == following.max_redirects + 1


# ------------------------------------------------------------------------ masking


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://me:pw@h/x", "http://***@h/x"),
        ("GET https://tok@h/x failed", "GET https://***@h/x failed"),
        ("h/x?api_key=a1&limit=5", "h/x?api_key=***&limit=5"),
        ("h/x?limit=5&key=a1#top", "h/x?limit=5&key=***#top"),
        ("h/x?token=a&access_token=b&secret=c&password=d&sig=e", None),
        ("h/x?client_secret=a&X-Amz-Signature=b&refresh_token=c", None),
        ("h/x?monkey=1&keys=2&limit=3", "h/x?monkey=1&keys=2&limit=3"),
        ("an email a@b.c and a=b", "an email a@b.c and a=b"),
        ("GET h/x?api_key=a1: not found", "GET h/x?api_key=***: not found"),
        ("h/x?token=a:b:c&limit=5", "h/x?token=***&limit=5"),
        ("h/x?token=a1:", "h/x?token=***:"),
    ],
)
def test_redact_masks_userinfo_and_secret_looking_query_values(
    text: str, expected: str | None
) -> None:
    masked = redact(text)
    if expected is None:
        assert all(part.endswith("=***") for part in masked.split("?")[1].split("&"))
    else:
        assert masked == expected


BASE_PASSWORD, BASE_KEY, PARAM_TOKEN = "hunter2pw", "s3cr3tkey", "t0kenvalue"


def secret_base_url(url: str) -> str:
    return url.replace("http://", f"http://ada:{BASE_PASSWORD}@") + f"?api_key={BASE_KEY}"


def assert_no_secret(text: str) -> None:
    for secret in (BASE_PASSWORD, BASE_KEY, PARAM_TOKEN, *SECRET_VALUES):
        assert secret not in text


def test_a_status_error_shows_no_secret_of_the_url(http_server: ServerView) -> None:
    http_server.route("/pet", Reply(404, body=b"gone"))
    with httpx.Client(trust_env=False) as http:
        client = Client(secret_base_url(http_server.url), http_client=http)
        with pytest.raises(NotFoundError) as info:
            client.get("/pet", cast_to=Pet, params={"token": PARAM_TOKEN})
    assert http_server.requests[0].query == f"api_key={BASE_KEY}&token={PARAM_TOKEN}"
    assert_no_secret(str(info.value))
    assert_no_secret(repr(info.value))
    assert "api_key=***" in str(info.value)


def test_a_connection_error_shows_no_secret_of_the_url() -> None:
    client = Client(secret_base_url(refused_url()), max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        client.get("/pet", cast_to=Pet)
    assert_no_secret(str(info.value))
    assert_no_secret(repr(info.value))


def test_the_repr_of_a_client_and_its_headers_shows_no_secret() -> None:
    client = Client(
        secret_base_url("http://127.0.0.1:1"),
        headers={**CREDENTIALS, "Accept": "application/json"},
        sensitive_headers=["X-Tenant-Secret"],
    )
    assert_no_secret(repr(client))
    assert_no_secret(repr(client.headers))
    assert_no_secret(str(client.headers))
    assert "'Accept': 'application/json'" in repr(client.headers)
    assert client.headers["X-Api-Key"] == "xak-2"  # the values themselves are kept
    call = client._call(  # pyright: ignore[reportPrivateUsage]
        "GET",
        "/pet",
        cast_to=Pet,
        params={"token": PARAM_TOKEN},
        body=None,
        extra_headers=None,
        stream=False,
        stream_cls=None,
    )
    assert_no_secret(repr(call))


def test_the_retry_log_shows_no_secret(
    http_server: ServerView, caplog: pytest.LogCaptureFixture
) -> None:
    http_server.route("/pet", Reply(503, body=b"busy"))
    caplog.set_level(logging.INFO, logger="typedresp")
    with httpx.Client(trust_env=False) as http:
        client = Client(
            secret_base_url(http_server.url),
            http_client=http,
            retry_policy=Waits().policy(),
            max_retries=2,
        )
        with pytest.raises(Exception, match="503"):
            client.get("/pet", cast_to=Pet, params={"token": PARAM_TOKEN})
    lines = [record.getMessage() for record in caplog.records if record.name == "typedresp"]
    assert len(lines) == 2
    for line in lines:
        assert_no_secret(line)
        assert "***@" in line
