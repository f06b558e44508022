"""Status errors over real sockets: every status outside 200-299 is an `APIStatusError`,
the status wins over a body that cannot be read, answers that break HTTP are not retried,
and `typedresp.parse` raises what the client raises."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Iterator

import attrs
import httpx
import pytest

import typedresp
from typedresp import (
    APIConnectionError,
    APIStatusError,
    AsyncClient,
    Client,
    InternalServerError,
    NotFoundError,
)
from typedresp._exceptions import status_error_class

from .clients import async_client_for, client_for
from .server import Reply, ServerView


@attrs.define
class Pet:
    id: int
    name: str


@pytest.fixture
def client(http_server: ServerView) -> Iterator[Client]:
    yield from client_for(http_server.url)


@pytest.fixture
async def aclient(http_server: ServerView) -> AsyncIterator[AsyncClient]:
    async for client in async_client_for(http_server.url):
        yield client


CORRUPT_GZIP = Reply(404, body=b"this is not gzip at all", headers={"Content-Encoding": "gzip"})
BROKEN_OFF = Reply(
    404,
    body=b'{"error": "gone", "detail": "' + b"x" * 100,
    headers={"Content-Type": "application/json"},
    content_length=10_000,
    drop_after=130,
)


# ------------------------------------------------------- the status wins over the body


def test_a_404_whose_gzip_body_is_corrupt_raises_not_found(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/pet", CORRUPT_GZIP)
    with pytest.raises(NotFoundError) as info:
        client.get("/pet", cast_to=Pet)
    assert info.value.body is None
    assert isinstance(info.value.__cause__, APIConnectionError)
    assert "could not be read" in str(info.value)
    assert info.value.response.is_closed
    assert len(http_server.requests) == 1


@pytest.mark.anyio
async def test_async_a_404_whose_gzip_body_is_corrupt_raises_not_found(
    http_server: ServerView, aclient: AsyncClient
) -> None:
    http_server.route("/pet", CORRUPT_GZIP)
    with pytest.raises(NotFoundError) as info:
        await aclient.get("/pet", cast_to=Pet)
    assert info.value.body is None
    assert isinstance(info.value.__cause__, APIConnectionError)
    assert info.value.response.is_closed


def test_an_error_body_that_breaks_off_keeps_the_text_that_was_read(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/pet", BROKEN_OFF)
    with pytest.raises(NotFoundError) as info:
        client.get("/pet", cast_to=Pet)
    assert info.value.body == '{"error": "gone", "detail": "' + "x" * 100
    assert isinstance(info.value.__cause__, APIConnectionError)


@pytest.mark.anyio
async def test_async_an_error_body_that_breaks_off_keeps_the_text_that_was_read(
    http_server: ServerView, aclient: AsyncClient
) -> None:
    http_server.route("/pet", BROKEN_OFF)
    with pytest.raises(NotFoundError) as info:
        await aclient.get("/pet", cast_to=Pet)
    assert info.value.body == '{"error": "gone", "detail": "' + "x" * 100


# ------------------------------------------------------ statuses outside 200-299


def test_a_status_of_600_or_more_is_a_status_error_and_not_retried(
    http_server: ServerView, client: Client
) -> None:
    raw = b"HTTP/1.1 600 Beyond\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
    http_server.route("/pet", Reply(raw=raw))
    with pytest.raises(APIStatusError) as info:
        client.get("/pet", cast_to=Pet)
    assert type(info.value) is APIStatusError
    assert info.value.status_code == 600
    assert len(http_server.requests) == 1


def test_a_302_without_location_says_so(http_server: ServerView, client: Client) -> None:
    http_server.route("/pet", Reply(302, body=b"moved, somewhere"))
    with pytest.raises(APIStatusError) as info:
        client.get("/pet", cast_to=Pet)
    assert info.value.status_code == 302
    assert "a redirect without a Location header" in str(info.value)
    assert "JSON" not in str(info.value)
    assert info.value.body == "moved, somewhere"


def test_a_redirect_the_http_client_does_not_follow_is_a_status_error(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/old", Reply(301, headers={"Location": "/new"}))
    with pytest.raises(APIStatusError, match="a redirect to /new that was not followed"):
        client.get("/old", cast_to=Pet)


@pytest.mark.parametrize("status", [301, 400, 401, 403, 404, 409, 422, 429, 500, 503, 600])
def test_the_client_and_typedresp_parse_raise_the_same_class_for_a_status(
    http_server: ServerView, status: int
) -> None:
    headers = {"Location": "/elsewhere"} if status == 301 else {}
    http_server.route("/pet", Reply(status, body=b"no", headers=headers))
    for client in client_for(http_server.url, max_retries=0):
        with pytest.raises(APIStatusError) as from_client:
            client.get("/pet", cast_to=Pet)
    with httpx.Client(trust_env=False) as http, pytest.raises(APIStatusError) as from_parse:
        typedresp.parse(http.get(http_server.url + "/pet"), to=Pet)
    assert type(from_client.value) is type(from_parse.value) is status_error_class(status)
    assert from_parse.value.body == "no"
    assert (status_error_class(status) is InternalServerError) == (500 <= status <= 599)


# ------------------------------------------------ answers that break HTTP are not retried

BROKEN_ANSWERS = {
    "bad Content-Length": b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}",
    "two Content-Lengths": (
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x"
    ),
    "status 2000": b"HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}",
    "unexpected 101": (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n"
    ),
    "invalid Location": b"HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n",
}


@pytest.mark.parametrize("raw", BROKEN_ANSWERS.values(), ids=BROKEN_ANSWERS.keys())
def test_an_answer_that_breaks_http_is_not_retried(http_server: ServerView, raw: bytes) -> None:
    http_server.route("/pet", Reply(raw=raw))
    with httpx.Client(trust_env=False, follow_redirects=True) as http:
        client = Client(http_server.url, http_client=http, max_retries=2)
        with pytest.raises(APIConnectionError):
            client.get("/pet", cast_to=Pet)
    assert len(http_server.requests) == 1


@pytest.mark.anyio
@pytest.mark.parametrize("raw", BROKEN_ANSWERS.values(), ids=BROKEN_ANSWERS.keys())
async def test_async_an_answer_that_breaks_http_is_not_retried(
    http_server: ServerView, raw: bytes
) -> None:
    http_server.route("/pet", Reply(raw=raw))
    async with httpx.AsyncClient(trust_env=False, follow_redirects=True) as http:
        client = AsyncClient(http_server.url, http_client=http, max_retries=2)
        with pytest.raises(APIConnectionError):
            await client.get("/pet", cast_to=Pet)
    assert len(http_server.requests) == 1


def test_a_server_that_hangs_up_without_answering_is_still_retried(
    http_server: ServerView, client: Client
) -> None:
    http_server.route("/pet", Reply(raw=b""))
    with pytest.raises(APIConnectionError, match="disconnected"):
        client.get("/pet", cast_to=Pet)
    assert len(http_server.requests) == 3


# ------------------------------------------------------------------ typedresp.parse


def test_parse_raises_the_status_error_with_the_body_and_closes(http_server: ServerView) -> None:
    http_server.route("/pet", Reply.json({"error": {"message": "no such pet"}}, status=404))
    with httpx.Client(trust_env=False) as http:
        response = http.send(http.build_request("GET", http_server.url + "/pet"), stream=True)
        with pytest.raises(NotFoundError, match="no such pet") as info:
            typedresp.parse(response, to=Pet)
    assert info.value.body == {"error": {"message": "no such pet"}}
    assert response.is_closed


def test_parse_raises_for_a_redirect_plain_httpx_did_not_follow(http_server: ServerView) -> None:
    http_server.route("/old", Reply(301, headers={"Location": "/new"}))
    with httpx.Client(trust_env=False) as http, pytest.raises(APIStatusError) as info:
        typedresp.parse(http.get(http_server.url + "/old"), to=Pet)
    assert info.value.status_code == 301


def test_parse_to_httpx_response_gives_an_error_response_as_it_is(
    http_server: ServerView,
) -> None:
    http_server.route("/pet", Reply(404, body=b"no"))
    with httpx.Client(trust_env=False) as http:
        response = typedresp.parse(http.get(http_server.url + "/pet"), to=httpx.Response)
    assert response.status_code == 404


def test_parse_of_a_response_built_by_hand_names_no_request() -> None:
    with pytest.raises(NotFoundError) as info:
        typedresp.parse(httpx.Response(404, json={"message": "gone"}), to=Pet)
    assert str(info.value) == "404 Not Found: gone"


def test_parse_checks_the_target_before_the_status() -> None:
    class MyResponse(httpx.Response):
        pass

    with pytest.raises(TypeError, match=r"only httpx\.Response itself"):
        typedresp.parse(httpx.Response(404), to=MyResponse)


@pytest.mark.anyio
async def test_aparse_raises_the_status_error_with_the_body_and_closes(
    http_server: ServerView,
) -> None:
    http_server.route("/pet", Reply(503, body=b"down"))
    async with httpx.AsyncClient(trust_env=False) as http:
        response = await http.send(http.build_request("GET", http_server.url + "/pet"), stream=True)
        with pytest.raises(InternalServerError) as info:
            await typedresp.aparse(response, to=Pet)
    assert info.value.body == "down"
    assert response.is_closed


def test_parse_keeps_an_error_body_over_the_limit_cut_short(http_server: ServerView) -> None:
    http_server.route(
        "/pet",
        Reply(
            404,
            body=gzip.compress(b"e" * 1_000_000),
            gzip=False,
            headers={"Content-Encoding": "gzip"},
        ),
    )
    with httpx.Client(trust_env=False) as http:
        response = http.send(http.build_request("GET", http_server.url + "/pet"), stream=True)
        with pytest.raises(NotFoundError) as info:
            typedresp.parse(response, to=Pet, max_body_bytes=1000)
    assert info.value.body == "e" * 1000
    assert response.is_closed
