"""Where typedresp's end-to-end parse spends its time: ``python -m benchmarks --breakdown``.

Times, interleaved, each step of ``APIResponse(raw=response, cast_to=T).parse()`` on a
received response, on every payload, with pydantic beside it:

- ``end to end``: the whole call, as the parse section times it;
- ``APIResponse(...)``: wrapping the response;
- ``registry.loads`` (orjson) and ``registry.structure`` (the compiled structure
  functions): the engine's two steps, timed alone;
- ``response layer``: what is left, end to end minus the three above (the target's kind,
  the content type, reading and closing, remembering the result);
- ``httpx.Response(...)``: for scale, what building the response object costs httpx
  (headers, the byte stream, reading it) before any parser sees it: the transport's
  share, the same whoever parses, and not part of ``end to end``.

The collector is off here, so that the steps add up; the parse section, with the
collector on, is the figure of record.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable

from . import parse
from .report import format_table

__all__ = ["breakdown", "format_breakdown"]


def _call_timer(func: Callable[[], object], loops: int) -> Callable[[], float]:
    def sample() -> float:
        started = time.perf_counter()
        for _ in range(loops):
            func()
        return (time.perf_counter() - started) / loops

    return sample


def breakdown(case: parse.Case, *, rounds: int = 21, seed: int = 0) -> dict[str, float]:
    """Median seconds per call of each step on ``case``."""
    import httpx

    import typedresp
    from typedresp import APIResponse

    registry = typedresp.default_registry
    request = httpx.Request("GET", parse.URL)
    data, target = case.data, case.attrs_type

    def raw() -> httpx.Response:
        return httpx.Response(200, content=data, headers=parse.JSON_HEADERS, request=request)

    received = raw()
    APIResponse(raw=received, cast_to=target).parse()  # compile
    decoded = registry.loads(data)
    loops = max(1, min(2000, 2_000_000 // max(len(data), 1)))
    steps = {
        "httpx.Response(...)": _call_timer(raw, loops),
        "APIResponse(...)": _call_timer(lambda: APIResponse(raw=received, cast_to=target), loops),
        "registry.loads": _call_timer(lambda: registry.loads(data), loops),
        "registry.structure": _call_timer(lambda: registry.structure(decoded, target), loops),
        "end to end": _call_timer(lambda: APIResponse(raw=received, cast_to=target).parse(), loops),
        "pydantic": _call_timer(lambda: case.pydantic_type.model_validate_json(data), loops),
    }
    samples: dict[str, list[float]] = {name: [] for name in steps}
    rng = random.Random(seed)
    order = list(steps)
    enabled = gc.isenabled()
    gc.disable()
    try:
        for round_index in range(rounds + 1):
            rng.shuffle(order)
            for name in order:
                seconds = steps[name]()
                if round_index:
                    samples[name].append(seconds)
    finally:
        if enabled:
            gc.enable()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    medians["response layer"] = (
        medians["end to end"]
        - medians["APIResponse(...)"]
        - medians["registry.loads"]
        - medians["registry.structure"]
    )
    return medians


_ORDER = (
    "end to end",
    "APIResponse(...)",
    "registry.loads",
    "registry.structure",
    "response layer",
    "pydantic",
    "httpx.Response(...)",
)


def format_breakdown(results: dict[str, dict[str, float]]) -> str:
    """One row per step, one column per payload: µs and share of the end-to-end time."""
    names = list(results)
    lines = []
    for step in _ORDER:
        cells = [("  " if step in _INNER else "") + step]
        for name in names:
            seconds = results[name][step]
            share = seconds / results[name]["end to end"]
            cells.append(f"{seconds * 1e6:,.1f} µs {share:4.0%}")
        lines.append(cells)
    return format_table(("step", *names), lines, left=(0,))


_INNER = {"APIResponse(...)", "registry.loads", "registry.structure", "response layer"}
