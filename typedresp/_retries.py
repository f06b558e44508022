"""When and how long a client waits before it sends a request again."""

from __future__ import annotations

import datetime
import email.utils
import math
import random
import time
from collections.abc import Awaitable, Callable
from typing import Final

import attrs
import httpx

__all__ = ["RetryPolicy"]

_RETRY_STATUSES: Final = frozenset({408, 409, 429})


async def _anyio_sleep(seconds: float) -> None:
    """`anyio.sleep`, with anyio imported on the first wait rather than at import."""
    import anyio

    await anyio.sleep(seconds)


def _check_jitter(policy: RetryPolicy, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"jitter must be between 0 and 1, got {value}")


@attrs.frozen
class RetryPolicy:
    """How a `Client` / `AsyncClient` retries: which responses, and how long it waits.

    A failed attempt is retried (up to the client's ``max_retries``) when the connection
    failed or timed out, or the status is 408, 409, 429 or 5xx. The server may decide with
    the non-standard ``x-should-retry: true|false`` header.

    The wait before retry number ``n`` (counted from 0) is what the server asked for in
    ``retry-after-ms`` (milliseconds) or ``Retry-After`` (seconds, or an HTTP date), when
    that is at most ``max_retry_after`` seconds; a server asking for longer is not retried
    at all, so the caller gets the error at once rather than after a pointless wait.
    Otherwise it is ``initial_delay * 2**n``, capped at ``max_delay``, less a random
    ``jitter`` fraction (0.25: between 0 and 25 % less) so that clients do not retry in step.

    ``decide`` is the one hook for an API's own rules: called with each error response,
    it returns None to leave the decision to the rules above, False not to retry, True to
    retry after the usual wait, or a number of seconds to wait before retrying (more than
    ``max_retry_after``: not retried). The client's ``max_retries`` still bounds it:

    >>> def github(response: httpx.Response) -> float | None:
    ...     if response.status_code == 403 and response.headers.get("x-ratelimit-remaining") == "0":
    ...         return float(response.headers["x-ratelimit-reset"]) - time.time()
    ...     return None
    >>> def stripe(response: httpx.Response) -> bool | None:
    ...     verdict = response.headers.get("stripe-should-retry")
    ...     return None if verdict is None else verdict == "true"
    >>> from typedresp import Client
    >>> client = Client("https://api.github.com", retry_policy=RetryPolicy(decide=github))
    >>> client.close()

    ``sleep``, ``async_sleep`` and ``clock`` are how the client waits and what it reads
    the time from (for HTTP dates); tests replace them to run without waiting:

    >>> waits = []
    >>> policy = RetryPolicy(sleep=waits.append, jitter=0)
    >>> policy.delay(2)
    2.0
    """

    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = attrs.field(default=0.25, validator=_check_jitter)
    max_retry_after: float = 60.0
    sleep: Callable[[float], object] = time.sleep
    async_sleep: Callable[[float], Awaitable[object]] = _anyio_sleep
    clock: Callable[[], float] = time.time
    decide: Callable[[httpx.Response], bool | float | None] | None = None

    def status_delay(self, response: httpx.Response, retries_taken: int) -> float | None:
        """Seconds to wait before retrying the error ``response`` (retry number
        ``retries_taken``, from 0), or None when it is not retried."""
        verdict = None if self.decide is None else self.decide(response)
        if verdict is None:
            retried = self.should_retry(response)
            return self.delay(retries_taken, response.headers) if retried else None
        if verdict is True:
            return self.delay(retries_taken, response.headers)
        if verdict is False or math.isnan(verdict) or verdict > self.max_retry_after:
            return None
        return max(float(verdict), 0.0)

    def should_retry(self, response: httpx.Response) -> bool:
        """Whether an error response is worth another attempt by the default rules (asked
        when ``decide`` leaves the decision to them)."""
        retry_after = self.retry_after(response.headers)
        if retry_after is not None and retry_after > self.max_retry_after:
            return False
        verdict = response.headers.get("x-should-retry")
        if verdict == "true":
            return True
        if verdict == "false":
            return False
        status = response.status_code
        return status in _RETRY_STATUSES or 500 <= status <= 599

    def delay(self, retries_taken: int, headers: httpx.Headers | None = None) -> float:
        """Seconds to wait before retry number ``retries_taken`` (0 for the first retry)."""
        retry_after = self.retry_after(headers) if headers is not None else None
        if retry_after is not None and retry_after <= self.max_retry_after:
            return max(retry_after, 0.0)
        backoff = min(self.initial_delay * 2.0 ** min(retries_taken, 60), self.max_delay)
        return max(backoff * (1.0 - self.jitter * random.random()), 0.0)

    def retry_after(self, headers: httpx.Headers) -> float | None:
        """The wait the server asked for, in seconds (negative for a date in the past), or
        None: ``retry-after-ms`` first, then ``Retry-After`` as seconds or an HTTP date."""
        for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
            value = headers.get(name)
            if value is None:
                continue
            try:
                seconds = float(value) / scale
            except ValueError:
                continue
            if math.isnan(seconds):
                continue
            return seconds
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:  # "-0000": UTC, but no zone known
            when = when.replace(tzinfo=datetime.timezone.utc)
        return when.timestamp() - self.clock()
