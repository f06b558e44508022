"""Helpers for client tests: a retry policy that records its waits instead of sleeping,
clients on the test server, and an address nothing listens on."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator

import attrs
import httpx

from typedresp import AsyncClient, Client, RetryPolicy

__all__ = [
    "Waits",
    "async_client_for",
    "client_for",
    "refused_url",
    "unused_port",
]


@attrs.define
class Waits:
    """Records the waits a client asked for; ``policy`` uses it instead of sleeping."""

    seconds: list[float] = attrs.Factory(list)
    now: float = 1_700_000_000.0

    def sleep(self, seconds: float) -> None:
        self.seconds.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.seconds.append(seconds)

    def clock(self) -> float:
        return self.now

    def policy(self, **options: float) -> RetryPolicy:
        return RetryPolicy(
            sleep=self.sleep, async_sleep=self.async_sleep, clock=self.clock, **options
        )


def client_for(url: str, **options: object) -> Iterator[Client]:
    """A `Client` on ``url`` whose retries do not sleep (unless a policy is given)."""
    options.setdefault("retry_policy", Waits().policy())
    with (
        httpx.Client(trust_env=False) as http,
        Client(url, http_client=http, **options) as client,  # type: ignore[arg-type]
    ):
        yield client


async def async_client_for(url: str, **options: object) -> AsyncIterator[AsyncClient]:
    """The async twin of `client_for`."""
    options.setdefault("retry_policy", Waits().policy())
    async with (
        httpx.AsyncClient(trust_env=False) as http,
        AsyncClient(url, http_client=http, **options) as client,  # type: ignore[arg-type]
    ):
        yield client


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (it was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def refused_url() -> str:
    return f"http://127.0.0.1:{unused_port()}"
