"""Retries: which failures are retried, how long the client waits, the idempotency key,
``retries_taken``, and that every response given up on is closed. Nothing sleeps: the
policy records the waits it is asked for."""

from __future__ import annotations

import email.utils
import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import httpx
import pytest

from typedresp import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    Client,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    to_raw_response_wrapper,
)

from .bodies import AsyncTrackedBody, TrackedBody
from .clients import Waits, async_client_for, client_for, refused_url
from .server import RecordedRequest, Reply, ServerView


@attrs.define
class Pet:
    id: int
    name: str


REX = {"id": 1, "name": "Rex"}


def failing_then(replies: list[Reply], final: Reply) -> Callable[[RecordedRequest], Reply]:
    """A handler answering ``replies`` in turn, then ``final`` for ever."""
    pending = iter(replies)
    return lambda request: next(pending, final)


# ------------------------------------------------------------------ the policy


def test_backoff_doubles_from_the_initial_delay_up_to_the_maximum() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0, jitter=0)
    assert [policy.delay(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert policy.delay(10_000) == 8.0


def test_jitter_shortens_the_wait_by_up_to_its_fraction() -> None:
    policy = RetryPolicy(initial_delay=1.0, jitter=0.25)
    delays = {policy.delay(0) for _ in range(200)}
    assert all(0.75 <= delay <= 1.0 for delay in delays)
    assert len(delays) > 100  # random, not a constant


def test_jitter_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="jitter"):
        RetryPolicy(jitter=1.5)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "100", "retry-after": "9"}, 0.1),
        ({"retry-after-ms": "soon", "retry-after": "2"}, 2.0),
        ({"retry-after": "-5"}, 0.0),
    ],
)
def test_the_server_decides_the_wait_when_it_says(headers: dict[str, str], expected: float) -> None:
    policy = RetryPolicy(initial_delay=7.0, jitter=0)
    assert policy.delay(0, httpx.Headers(headers)) == pytest.approx(expected)


def test_retry_after_as_an_http_date_is_counted_from_the_clock() -> None:
    waits = Waits(now=1_700_000_000.0)
    policy = waits.policy(jitter=0)
    date = email.utils.formatdate(waits.now + 12, usegmt=True)
    assert policy.delay(0, httpx.Headers({"retry-after": date})) == pytest.approx(12.0)
    past = email.utils.formatdate(waits.now - 30, usegmt=True)
    assert policy.delay(0, httpx.Headers({"retry-after": past})) == 0.0


def test_an_unreadable_retry_after_falls_back_to_backoff() -> None:
    policy = RetryPolicy(initial_delay=0.5, jitter=0)
    for value in ("tomorrow", "", "nan"):
        assert policy.delay(1, httpx.Headers({"retry-after": value})) == 1.0


def test_a_wait_longer_than_the_cap_is_not_retried() -> None:
    policy = RetryPolicy(max_retry_after=60)
    assert policy.should_retry(httpx.Response(429, headers={"retry-after": "60"}))
    assert not policy.should_retry(httpx.Response(429, headers={"retry-after": "61"}))
    assert not policy.should_retry(httpx.Response(503, headers={"retry-after-ms": "1e9"}))


@pytest.mark.parametrize(("status", "retried"), [
    (408, True), (409, True), (429, True), (500, True), (502, True), (503, True), (504, True),
    (400, False), (401, False), (403, False), (404, False), (422, False),
])  # fmt: skip
def test_which_statuses_are_retried(status: int, retried: bool) -> None:
    assert RetryPolicy().should_retry(httpx.Response(status)) is retried


def test_the_server_can_say_whether_to_retry() -> None:
    policy = RetryPolicy()
    assert policy.should_retry(httpx.Response(400, headers={"x-should-retry": "true"}))
    assert not policy.should_retry(httpx.Response(503, headers={"x-should-retry": "false"}))


def test_jitter_of_one_is_allowed_and_waits_between_nothing_and_the_backoff() -> None:
    policy = RetryPolicy(initial_delay=1.0, jitter=1.0)
    delays = {policy.delay(0) for _ in range(200)}
    assert all(0.0 <= delay <= 1.0 for delay in delays)
    assert min(delays) < 0.25  # the whole range, not the default quarter


def test_a_huge_retry_count_neither_overflows_nor_grows_past_two_to_the_60() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=float("inf"), jitter=0)
    assert policy.delay(60) == 2.0**60
    assert policy.delay(10_000) == 2.0**60


def test_a_retry_after_equal_to_the_cap_is_waited_for() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_retry_after=30, jitter=0)
    assert policy.delay(0, httpx.Headers({"retry-after": "30"})) == 30.0


def test_a_nan_retry_after_ms_leaves_a_valid_retry_after_in_charge() -> None:
    policy = RetryPolicy(initial_delay=7.0, jitter=0)
    headers = httpx.Headers({"retry-after-ms": "nan", "retry-after": "3"})
    assert policy.delay(0, headers) == 3.0


@pytest.fixture
def new_york_host() -> Iterator[None]:
    """The process runs in New York time (UTC-5 in winter), as a user's laptop may."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "America/New_York")
        time.tzset()
        try:
            yield
        finally:
            patch.undo()
            time.tzset()


@pytest.mark.usefixtures("new_york_host")
@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Tue, 14 Nov 2023 22:13:32 GMT", 12.0),
        ("Tue, 14 Nov 2023 22:13:32 -0000", 12.0),  # UTC, RFC 5322 says; no zone is known
        ("Wed, 15 Nov 2023 00:13:32 +0200", 12.0),
        ("Tue, 14 Nov 2023 17:13:32 -0500", 12.0),
    ],
)
def test_a_retry_after_date_is_read_in_its_own_zone_on_any_host(date: str, expected: float) -> None:
    assert time.localtime(0).tm_hour == 19  # the host is not on UTC
    waits = Waits(now=1_700_000_000.0)  # Tue, 14 Nov 2023 22:13:20 GMT
    assert waits.policy().delay(0, httpx.Headers({"retry-after": date})) == expected


@pytest.mark.parametrize(("status", "retried"), [(599, True), (600, False), (499, False)])
def test_the_5xx_range_ends_at_599(status: int, retried: bool) -> None:
    assert RetryPolicy().should_retry(httpx.Response(status)) is retried


@pytest.mark.anyio
async def test_the_default_async_sleep_really_waits() -> None:
    started = time.monotonic()
    await RetryPolicy().async_sleep(0.05)
    assert time.monotonic() - started >= 0.05


# ---------------------------------------------------- over a real server


def test_a_503_is_retried_with_the_wait_the_server_asked_for(http_server: ServerView) -> None:
    busy = Reply(503, body=b"busy", headers={"retry-after-ms": "20"})
    http_server.route("/pets/1", failing_then([busy, busy], Reply.json(REX)))
    waits = Waits()
    for client in client_for(http_server.url, retry_policy=waits.policy()):
        response = to_raw_response_wrapper(client.post)("/pets/1", cast_to=Pet)
    assert response.parse() == Pet(1, "Rex")
    assert response.retries_taken == 2
    assert waits.seconds == [0.02, 0.02]
    assert len(http_server.requests) == 3


def test_every_attempt_of_one_call_carries_the_same_idempotency_key(
    http_server: ServerView,
) -> None:
    busy = Reply(503)
    http_server.route("/pets", failing_then([busy, busy, busy], Reply.json(REX)))
    for client in client_for(http_server.url, max_retries=3):
        client.post("/pets", body={"name": "Rex"}, cast_to=Pet)
        client.post("/pets", body={"name": "Rex"}, cast_to=Pet)
    keys = [request.headers["idempotency-key"] for request in http_server.requests]
    assert len(keys) == 5
    assert len(set(keys[:4])) == 1
    assert keys[4] != keys[0]
    assert all(request.body == b'{"name":"Rex"}' for request in http_server.requests)


def test_retries_stop_at_max_retries_and_raise_the_last_error(http_server: ServerView) -> None:
    http_server.route("/x", Reply.json({"error": {"message": "down"}}, status=502))
    waits = Waits()
    for client in client_for(http_server.url, max_retries=3, retry_policy=waits.policy(jitter=0)):
        with pytest.raises(InternalServerError) as info:
            client.get("/x", cast_to=Pet)
    assert len(http_server.requests) == 4
    assert waits.seconds == [0.5, 1.0, 2.0]
    assert info.value.status_code == 502
    assert info.value.body == {"error": {"message": "down"}}


def test_max_retries_zero_sends_once(http_server: ServerView) -> None:
    http_server.route("/x", Reply(503))
    for client in client_for(http_server.url, max_retries=0):
        with pytest.raises(InternalServerError):
            client.get("/x", cast_to=Pet)
    assert len(http_server.requests) == 1


def test_a_client_error_is_not_retried(http_server: ServerView) -> None:
    http_server.route("/x", Reply(404))
    for client in client_for(http_server.url, max_retries=5):
        with pytest.raises(NotFoundError):
            client.get("/x", cast_to=Pet)
    assert len(http_server.requests) == 1


def test_a_429_asking_for_too_long_a_wait_raises_at_once(http_server: ServerView) -> None:
    http_server.route("/x", Reply(429, headers={"retry-after": "3600"}))
    waits = Waits()
    for client in client_for(http_server.url, retry_policy=waits.policy()):
        with pytest.raises(RateLimitError) as info:
            client.get("/x", cast_to=Pet)
    assert len(http_server.requests) == 1
    assert waits.seconds == []
    assert info.value.response.headers["retry-after"] == "3600"


def test_a_refused_connection_is_retried_then_raised() -> None:
    waits = Waits()
    for client in client_for(refused_url(), max_retries=2, retry_policy=waits.policy(jitter=0)):
        with pytest.raises(APIConnectionError):
            client.get("/x", cast_to=Pet)
    assert waits.seconds == [0.5, 1.0]


def test_a_timeout_is_retried(http_server: ServerView) -> None:
    http_server.route("/slow", Reply(body=[b"{}"], delay=0.5))
    for client in client_for(http_server.url, timeout=0.05, max_retries=1):
        with pytest.raises(APITimeoutError):
            client.get("/slow", cast_to=Any)
    assert len(http_server.requests) == 2


def test_a_connection_dropped_mid_body_is_retried(http_server: ServerView) -> None:
    dropped = Reply.json(REX, drop_after=5, content_length=200)
    http_server.route("/pets/1", failing_then([dropped], Reply.json(REX)))
    for client in client_for(http_server.url):
        assert client.get("/pets/1", cast_to=Pet) == Pet(1, "Rex")
    assert len(http_server.requests) == 2


def test_a_redirect_loop_raises_api_connection_error_and_is_not_retried() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(302, headers={"location": "/loop"})

    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    client = Client("http://127.0.0.1", http_client=http, retry_policy=Waits().policy())
    with pytest.raises(APIConnectionError, match="redirects") as info:
        client.get("/loop", cast_to=Pet)
    assert isinstance(info.value.__cause__, httpx.TooManyRedirects)
    assert len(sent) == http.max_redirects + 1


@pytest.mark.anyio
async def test_async_a_redirect_loop_raises_api_connection_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "/loop"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), follow_redirects=True)
    client = AsyncClient("http://127.0.0.1", http_client=http, retry_policy=Waits().policy())
    with pytest.raises(APIConnectionError, match="redirects"):
        await client.get("/loop", cast_to=Pet)


def test_an_unsupported_scheme_is_not_retried() -> None:
    waits = Waits()
    with httpx.Client(trust_env=False) as http:
        client = Client("ftp://127.0.0.1", http_client=http, retry_policy=waits.policy())
        with pytest.raises(APIConnectionError) as info:
            client.get("/x", cast_to=Pet)
    assert isinstance(info.value.__cause__, httpx.UnsupportedProtocol)
    assert waits.seconds == []


@pytest.mark.parametrize("is_async", [False, True])
@pytest.mark.anyio
async def test_a_body_that_cannot_be_decoded_is_not_retried(is_async: bool) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body_cls = AsyncTrackedBody if is_async else TrackedBody
        return httpx.Response(
            200, headers={"content-encoding": "gzip"}, stream=body_cls([b"not gzip"])
        )

    waits = Waits()
    transport = httpx.MockTransport(handler)
    if is_async:
        async with httpx.AsyncClient(transport=transport) as ahttp:
            aclient = AsyncClient(
                "http://127.0.0.1", http_client=ahttp, retry_policy=waits.policy()
            )
            with pytest.raises(APIConnectionError, match="could not be decoded"):
                await aclient.get("/x", cast_to=Pet)
    else:
        with httpx.Client(transport=transport) as http:
            client = Client("http://127.0.0.1", http_client=http, retry_policy=waits.policy())
            with pytest.raises(APIConnectionError, match="could not be decoded"):
                client.get("/x", cast_to=Pet)
    assert len(sent) == 1
    assert waits.seconds == []


@pytest.mark.parametrize("is_async", [False, True])
@pytest.mark.anyio
async def test_a_request_httpx_refuses_to_send_raises_api_connection_error_once(
    http_server: ServerView, is_async: bool
) -> None:
    # httpcore lets h11's own LocalProtocolError through while the body is sent.
    http_server.route("/pets", Reply.json(REX))
    waits = Waits()
    wrong_length = {"Content-Length": "1000"}
    if is_async:
        async for aclient in async_client_for(http_server.url, retry_policy=waits.policy()):
            with pytest.raises(APIConnectionError, match="Content-Length") as info:
                await aclient.post("/pets", cast_to=Pet, body=REX, extra_headers=wrong_length)
    else:
        for client in client_for(http_server.url, retry_policy=waits.policy()):
            with pytest.raises(APIConnectionError, match="Content-Length") as info:
                client.post("/pets", cast_to=Pet, body=REX, extra_headers=wrong_length)
    assert isinstance(info.value.__cause__, httpx.LocalProtocolError)
    assert waits.seconds == []


def test_a_stream_is_not_retried_once_it_has_started(http_server: ServerView) -> None:
    # The body of a stream is read by the caller, after the call has returned.
    dropped = Reply(
        body=[b'data: {"id": 1, "name": "Rex"}\n\n', b"data: {"],
        headers={"Content-Type": "text/event-stream"},
        drop_after=40,
    )
    http_server.route("/events", dropped)
    for client in client_for(http_server.url):
        stream = client.get("/events", cast_to=Pet, stream=True)
        with pytest.raises(APIConnectionError):
            list(stream)
    assert len(http_server.requests) == 1


# ------------------------------------------ every response given up on is closed


class Script:
    """A MockTransport handler answering ``statuses`` in turn with tracked bodies."""

    def __init__(self, statuses: list[int], *, is_async: bool = False) -> None:
        self._statuses: Iterator[int] = itertools.chain(statuses, itertools.repeat(200))
        self.is_async = is_async
        self.bodies: list[Any] = []
        self.keys: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.keys.append(request.headers.get("idempotency-key"))
        body_cls = AsyncTrackedBody if self.is_async else TrackedBody
        body = body_cls([b'{"id": 1, "name": "Rex"}'])
        self.bodies.append(body)
        return httpx.Response(next(self._statuses), stream=body)


def test_every_retried_response_is_closed_and_none_is_read() -> None:
    script = Script([500, 503, 429])
    http = httpx.Client(transport=httpx.MockTransport(script))
    client = Client(
        "http://127.0.0.1", http_client=http, max_retries=3, retry_policy=Waits().policy()
    )
    response = to_raw_response_wrapper(client.post)("/pets", cast_to=Pet)
    assert response.retries_taken == 3
    assert [body.closed for body in script.bodies] == [True, True, True, True]
    assert [body.served for body in script.bodies[:3]] == [0, 0, 0]
    assert len(set(script.keys)) == 1


def test_the_last_failed_response_is_read_for_the_error_and_closed() -> None:
    script = Script([503, 503])
    http = httpx.Client(transport=httpx.MockTransport(script))
    client = Client(
        "http://127.0.0.1", http_client=http, max_retries=1, retry_policy=Waits().policy()
    )
    with pytest.raises(InternalServerError) as info:
        client.get("/pets", cast_to=Pet)
    assert all(body.closed for body in script.bodies)
    assert info.value.body == REX


class Undecided(RetryPolicy):
    """A policy whose decision raises."""

    def should_retry(self, response: httpx.Response) -> bool:
        raise LookupError("no decision")


def test_a_retry_decision_that_raises_closes_the_response() -> None:
    script = Script([503])
    http = httpx.Client(transport=httpx.MockTransport(script))
    client = Client("http://127.0.0.1", http_client=http, retry_policy=Undecided())
    with pytest.raises(LookupError):
        client.get("/pets", cast_to=Pet)
    assert [body.closed for body in script.bodies] == [True]


def test_a_clock_that_raises_closes_the_response() -> None:
    def clock() -> float:
        raise LookupError("no time")

    def handler(request: httpx.Request) -> httpx.Response:
        body = TrackedBody([b"{}"])
        bodies.append(body)
        return httpx.Response(
            503, headers={"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, stream=body
        )

    bodies: list[TrackedBody] = []
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = Client("http://127.0.0.1", http_client=http, retry_policy=RetryPolicy(clock=clock))
    with pytest.raises(LookupError):
        client.get("/pets", cast_to=Pet)
    assert [body.closed for body in bodies] == [True]


@pytest.mark.anyio
async def test_async_a_retry_decision_that_raises_closes_the_response() -> None:
    script = Script([503], is_async=True)
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    client = AsyncClient("http://127.0.0.1", http_client=http, retry_policy=Undecided())
    with pytest.raises(LookupError):
        await client.get("/pets", cast_to=Pet)
    assert [body.closed for body in script.bodies] == [True]


# ---------------------------------------------------------------------- async


@pytest.mark.anyio
async def test_async_retries_wait_through_async_sleep_and_reuse_the_key() -> None:
    script = Script([503, 409], is_async=True)
    waits = Waits()
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    client = AsyncClient("http://127.0.0.1", http_client=http, retry_policy=waits.policy(jitter=0))
    assert await client.post("/pets", cast_to=Pet) == Pet(1, "Rex")
    assert waits.seconds == [0.5, 1.0]
    assert len(set(script.keys)) == 1
    assert all(body.closed for body in script.bodies)


@pytest.mark.anyio
async def test_async_retries_stop_at_max_retries(http_server: ServerView) -> None:
    http_server.route("/x", Reply(500, headers={"retry-after": "0"}))
    async for client in async_client_for(http_server.url, max_retries=2):
        with pytest.raises(InternalServerError):
            await client.get("/x", cast_to=Pet)
    assert len(http_server.requests) == 3


@pytest.mark.anyio
async def test_async_a_refused_connection_is_retried() -> None:
    waits = Waits()
    async for client in async_client_for(refused_url(), retry_policy=waits.policy()):
        with pytest.raises(APIConnectionError):
            await client.get("/x", cast_to=Pet)
    assert len(waits.seconds) == 2


def test_retries_are_logged(http_server: ServerView, caplog: pytest.LogCaptureFixture) -> None:
    http_server.route(
        "/x", failing_then([Reply(503, headers={"retry-after-ms": "5"})], Reply.json(REX))
    )
    caplog.set_level("INFO", logger="typedresp")
    for client in client_for(http_server.url):
        client.get("/x", cast_to=Pet)
    (record,) = caplog.records
    assert "in 0.005 s" in record.getMessage()
    assert "503 Service Unavailable" in record.getMessage()
