"""`RetryPolicy(decide=...)`: the one hook for an API's own retry rules (GitHub's rate
limit reset, Stripe's ``Stripe-Should-Retry``); the default rules stay as documented."""

from __future__ import annotations

from typing import Optional, Union

import attrs
import httpx
import pytest

from typedresp import (
    AsyncClient,
    BadRequestError,
    Client,
    InternalServerError,
    PermissionDeniedError,
    RetryPolicy,
)
from typedresp.testing import MockRouter

from .clients import Waits
from .server import RecordedRequest, Reply, ServerView

NOW = 1_700_000_000.0


def github(response: httpx.Response) -> Optional[float]:
    """Retry a 403 with ``x-ratelimit-remaining: 0`` when the limit resets."""
    if response.status_code == 403 and response.headers.get("x-ratelimit-remaining") == "0":
        return float(response.headers["x-ratelimit-reset"]) - NOW
    return None


def stripe(response: httpx.Response) -> Optional[bool]:
    verdict = response.headers.get("stripe-should-retry")
    return None if verdict is None else verdict == "true"


def policy(waits: Waits, decide: object) -> RetryPolicy:
    return attrs.evolve(waits.policy(jitter=0), decide=decide)


def test_github_rate_limit_is_retried_after_its_reset_time(http_server: ServerView) -> None:
    calls = []

    def handler(request: RecordedRequest) -> Reply:
        calls.append(request)
        if len(calls) == 1:
            headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 7)}
            return Reply.json({"message": "API rate limit exceeded"}, status=403, headers=headers)
        return Reply.json({"login": "octocat"})

    http_server.route("/user", handler)
    waits = Waits(now=NOW)
    with httpx.Client(trust_env=False) as http:
        client = Client(http_server.url, http_client=http, retry_policy=policy(waits, github))
        assert client.get("/user", cast_to=dict) == {"login": "octocat"}
    assert waits.seconds == [7.0]
    assert len(calls) == 2


def test_a_forbidden_without_the_rate_limit_is_not_retried(http_server: ServerView) -> None:
    http_server.route("/repo", Reply.json({"message": "no"}, status=403))
    waits = Waits(now=NOW)
    with httpx.Client(trust_env=False) as http:
        client = Client(http_server.url, http_client=http, retry_policy=policy(waits, github))
        with pytest.raises(PermissionDeniedError):
            client.get("/repo", cast_to=dict)
    assert waits.seconds == []
    assert len(http_server.requests) == 1


def test_a_reset_further_than_max_retry_after_is_not_waited_for() -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 3600)}
    router = MockRouter()
    route = router.get("/user", httpx.Response(403, json={}, headers=headers))
    waits = Waits(now=NOW)
    client = Client(
        "https://api.test",
        http_client=httpx.Client(transport=router.transport),
        retry_policy=policy(waits, github),
    )
    with pytest.raises(PermissionDeniedError):
        client.get("/user", cast_to=dict)
    assert len(route.calls) == 1
    assert waits.seconds == []


@pytest.mark.parametrize(
    ("status", "header", "attempts"),
    [
        (503, "false", 1),  # Stripe says no: not retried, though 503 is by default
        (400, "true", 3),  # Stripe says yes: retried, though 400 is not by default
        (500, None, 3),  # no verdict: the default rules retry a 500
        (400, None, 1),  # ... and not a 400
    ],
)
def test_stripe_should_retry_decides_and_none_leaves_the_default(
    status: int, header: Optional[str], attempts: int
) -> None:
    headers = {} if header is None else {"Stripe-Should-Retry": header}
    router = MockRouter()
    route = router.post("/v1/charges", httpx.Response(status, json={}, headers=headers))
    waits = Waits()
    client = Client(
        "https://api.test",
        http_client=httpx.Client(transport=router.transport),
        retry_policy=policy(waits, stripe),
        max_retries=2,
    )
    with pytest.raises((BadRequestError, InternalServerError)):
        client.post("/v1/charges", cast_to=dict, body={"amount": 1})
    assert len(route.calls) == attempts
    assert waits.seconds == [0.5, 1.0][: attempts - 1]  # the usual backoff
    keys = {call.request.headers["idempotency-key"] for call in route.calls}
    assert len(keys) == 1


def test_x_should_retry_is_still_honoured_when_decide_has_no_verdict() -> None:
    router = MockRouter()
    route = router.get("/x", httpx.Response(500, headers={"x-should-retry": "false"}))
    client = Client(
        "https://api.test",
        http_client=httpx.Client(transport=router.transport),
        retry_policy=policy(Waits(), stripe),
    )
    with pytest.raises(InternalServerError):
        client.get("/x", cast_to=dict)
    assert len(route.calls) == 1


@pytest.mark.parametrize(("verdict", "retried"), [(True, True), (False, False), (2.5, True)])
def test_should_retry_and_status_delay_follow_the_verdict(
    verdict: Union[bool, float], retried: bool
) -> None:
    policy = RetryPolicy(decide=lambda response: verdict, jitter=0)
    response = httpx.Response(418)
    assert policy.status_delay(response, 0) == (
        None if not retried else 2.5 if verdict == 2.5 else 0.5
    )
    assert policy.should_retry(response) is False  # the default rules, decide aside


@pytest.mark.anyio
async def test_the_async_client_asks_decide_too() -> None:
    router = MockRouter()
    route = router.get("/x", [httpx.Response(400, headers={"Stripe-Should-Retry": "true"}),
                               httpx.Response(200, json={"ok": True})])  # fmt: skip
    waits = Waits()
    http = httpx.AsyncClient(transport=router.transport)
    async with http, AsyncClient("https://api.test", http_client=http,
                                 retry_policy=policy(waits, stripe)) as client:  # fmt: skip
        assert await client.get("/x", cast_to=dict) == {"ok": True}
    assert len(route.calls) == 2
    assert waits.seconds == [0.5]


def test_a_true_verdict_waits_what_the_server_asked_for() -> None:
    policy = RetryPolicy(decide=lambda response: True, jitter=0)
    assert policy.status_delay(httpx.Response(418, headers={"retry-after": "3"}), 0) == 3.0


@pytest.mark.parametrize(("verdict", "expected"), [(0.25, 0.25), (-4.0, 0.0), (60.0, 60.0)])
def test_a_verdict_in_seconds_is_the_wait_from_zero_up_to_the_cap(
    verdict: float, expected: float
) -> None:
    policy = RetryPolicy(decide=lambda response: verdict, max_retry_after=60)
    assert policy.status_delay(httpx.Response(418), 0) == expected
