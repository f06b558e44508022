"""typedresp._http_errors: httpx's errors mapped to typedresp's by one context manager."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from typedresp import APIConnectionError, APITimeoutError
from typedresp._http_errors import map_httpx_errors, sending


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


def _reset_as_connection_error(exc: Exception) -> Exception | None:
    if isinstance(exc, httpx.ReadError):
        return APIConnectionError(f"broke: {exc}", request=None)
    return None


@pytest.mark.anyio
async def test_it_maps_errors_raised_around_a_yield_of_an_async_generator() -> None:
    """How a body reader uses it: the error surfaces where the consumer iterates, and
    closing the generator early (GeneratorExit) passes through untouched."""
    closed: list[bool] = []

    async def chunks(fail: bool) -> AsyncIterator[bytes]:
        try:
            with map_httpx_errors(_reset_as_connection_error):
                yield b"a"
                if fail:
                    raise httpx.ReadError("reset")
                yield b"b"
        finally:
            closed.append(True)

    with pytest.raises(APIConnectionError, match="broke: reset") as info:
        _ = [chunk async for chunk in chunks(fail=True)]
    assert isinstance(info.value.__cause__, httpx.ReadError)
    early = chunks(fail=False)
    assert await early.__anext__() == b"a"
    await early.aclose()
    assert closed == [True, True]
