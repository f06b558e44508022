"""Typed SSE events per second: typedresp's `Stream`, the openai SDK's `Stream`, httpx-sse.

Part of ``python -m benchmarks`` (section ``sse``); also runs on its own from the
repository root::

    python -m benchmarks.bench_sse            # about half a minute
    python -m benchmarks.bench_sse --quick    # a few seconds

The body is 5 000 ``chat.completion.chunk`` events and ``data: [DONE]``, as the OpenAI
API streams a chat completion, served by a mock transport (httpx's for typedresp and
httpx-sse, httpx2's for the openai SDK, which is built on it) in two ways: one event per
chunk, as a server flushing every token sends it, and 64 KiB chunks, as a fast connection
delivers it. Each contender reads the whole stream:

* ``typedresp``: ``Stream(cast_to=ChatCompletionChunk, response=r)`` with attrs models
  mirroring openai's (strict: every field is checked);
* ``openai``: ``openai.Stream`` with openai's own pydantic ``ChatCompletionChunk``, as the
  SDK runs by default (``construct_type``: objects are built without validation);
* ``openai strict``: the same with ``_strict_response_validation=True`` (validated, the
  like-for-like comparison for typedresp's strict parse);
* ``httpx-sse raw``: ``httpx_sse.EventSource(r).iter_sse()``, raw events with their data
  as text, not decoded: what splitting the stream alone costs on the same response.

The contenders' results are compared first (every event's id, role, content, finish
reason and usage must agree; httpx-sse's event data must equal what typedresp decodes),
then timed interleaved in one process (see ``timing.py``). The decoders alone (bytes to
raw events, no response) are timed too.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections.abc import Callable, Iterator
from typing import Any, Literal, Optional

import attrs
import httpx

import typedresp
from typedresp import SSEDecoder, Stream

from .timing import measure_interleaved, paired_ratio

EVENTS = 5_000
URL = "http://bench.invalid/v1/chat/completions"


# -- attrs models mirroring openai.types.chat.ChatCompletionChunk -------------------------


@attrs.define
class ChoiceDeltaFunctionCall:
    arguments: Optional[str] = None
    name: Optional[str] = None


@attrs.define
class ChoiceDeltaToolCallFunction:
    arguments: Optional[str] = None
    name: Optional[str] = None


@attrs.define
class ChoiceDeltaToolCall:
    index: int
    id: Optional[str] = None
    function: Optional[ChoiceDeltaToolCallFunction] = None
    type: Optional[Literal["function"]] = None


@attrs.define
class ChoiceDelta:
    content: Optional[str] = None
    function_call: Optional[ChoiceDeltaFunctionCall] = None
    refusal: Optional[str] = None
    role: Optional[Literal["developer", "system", "user", "assistant", "tool"]] = None
    tool_calls: Optional[list[ChoiceDeltaToolCall]] = None


@attrs.define
class Choice:
    delta: ChoiceDelta
    index: int
    finish_reason: Optional[
        Literal["stop", "length", "tool_calls", "content_filter", "function_call"]
    ] = None
    logprobs: Optional[dict[str, Any]] = None


@attrs.define
class CompletionUsage:
    completion_tokens: int
    prompt_tokens: int
    total_tokens: int


@attrs.define
class ChatCompletionChunk:
    id: str
    choices: list[Choice]
    created: int
    model: str
    object: Literal["chat.completion.chunk"]
    obfuscation: Optional[str] = None
    service_tier: Optional[Literal["auto", "default", "flex", "scale", "priority", "fast"]] = None
    system_fingerprint: Optional[str] = None
    usage: Optional[CompletionUsage] = None


# -- the body ----------------------------------------------------------------------------

_WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "while"]
_WORDS += ["streaming", "typed", "events"]


def build_events(count: int = EVENTS) -> list[bytes]:
    """``count`` SSE events of an OpenAI chat completion stream, then ``[DONE]``."""
    events = []
    for i in range(count):
        delta: dict[str, Any] = {"content": " " + _WORDS[i % len(_WORDS)]}
        finish = None
        if i == 0:
            delta = {"role": "assistant", "content": "", "refusal": None}
        elif i == count - 1:
            delta, finish = {}, "stop"
        chunk = {
            "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
            "object": "chat.completion.chunk",
            "created": 1741570283,
            "model": "gpt-4o-2024-08-06",
            "service_tier": "default",
            "system_fingerprint": "fp_f9f4fb6dbf",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            "usage": (
                {"prompt_tokens": 12, "completion_tokens": count, "total_tokens": count + 12}
                if finish
                else None
            ),
            "obfuscation": "aXk9",
        }
        events.append(b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    return events


def rechunk(events: list[bytes], size: int) -> list[bytes]:
    body = b"".join(events)
    return [body[i : i + size] for i in range(0, len(body), size)]


# -- contenders --------------------------------------------------------------------------


class _Chunks(httpx.SyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._chunks)


def typedresp_reader(chunks: list[bytes]) -> Callable[[], list[Any]]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=_Chunks(chunks)
        )

    client = httpx.Client(transport=httpx.MockTransport(handler))
    registry = typedresp.Registry()

    def read() -> list[Any]:
        response = client.send(client.build_request("POST", URL), stream=True)
        return list(Stream(cast_to=ChatCompletionChunk, response=response, registry=registry))

    return read


def openai_reader(chunks: list[bytes], *, strict: bool) -> Callable[[], list[Any]]:
    import httpx2
    import openai
    from openai.types.chat import ChatCompletionChunk as OpenAIChunk

    class Chunks(httpx2.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            return iter(chunks)

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, stream=Chunks())

    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    client = openai.OpenAI(
        api_key="sk-bench",
        base_url="http://bench.invalid/v1",
        http_client=http,
        _strict_response_validation=strict,
    )

    def read() -> list[Any]:
        response = http.send(http.build_request("POST", URL), stream=True)
        return list(openai.Stream(cast_to=OpenAIChunk, response=response, client=client))

    return read


def typedresp_decoder(chunks: list[bytes]) -> Callable[[], list[Any]]:
    def read() -> list[Any]:
        return list(SSEDecoder().iter_events(chunks))

    return read


def openai_decoder(chunks: list[bytes]) -> Callable[[], list[Any]]:
    from openai._streaming import SSEDecoder as OpenAIDecoder

    def read() -> list[Any]:
        return list(OpenAIDecoder().iter_bytes(iter(chunks)))

    return read


def summary(items: list[Any]) -> list[tuple[Any, ...]]:
    """What both sides must agree on, event by event."""
    out = []
    for item in items:
        choice = item.choices[0]
        usage = item.usage and (item.usage.prompt_tokens, item.usage.total_tokens)
        out.append(
            (
                item.id,
                item.model,
                choice.delta.role,
                choice.delta.content,
                choice.finish_reason,
                usage,
            )
        )
    return out


def httpx_sse_reader(chunks: list[bytes]) -> Callable[[], list[Any]]:
    import httpx_sse

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=_Chunks(chunks)
        )

    client = httpx.Client(transport=httpx.MockTransport(handler))

    def read() -> list[Any]:
        with client.stream("POST", URL) as response:
            return list(httpx_sse.EventSource(response).iter_sse())

    return read


# -- the run -----------------------------------------------------------------------------

#: The contender the others are compared with, in each group.
REFERENCES = {"typed": "openai", "decoder": "openai decoder"}


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def run(*, events: int = EVENTS, rounds: int = 8, sample_time: float = 0.2) -> list[dict[str, Any]]:
    """Check, then time every contender on both bodies; one row per (body, contender).

    Needs the openai SDK (the reference); httpx-sse is left out when it is not installed.
    """
    body = build_events(events)
    size = sum(map(len, body))
    rows: list[dict[str, Any]] = []
    for label, chunks in (
        ("one event per chunk", body),
        ("64 KiB chunks", rechunk(body, 65536)),
    ):
        readers = {
            "typedresp": typedresp_reader(chunks),
            "openai": openai_reader(chunks, strict=False),
            "openai strict": openai_reader(chunks, strict=True),
        }
        expected = summary(readers["openai"]())
        for name, read in readers.items():
            got = summary(read())
            if got != expected or len(got) != events:
                raise AssertionError(f"{name} disagrees with openai on the {label} body")
        decoders = {
            "typedresp decoder": typedresp_decoder(chunks),
            "openai decoder": openai_decoder(chunks),
        }
        expected_data = [e.data for e in decoders["typedresp decoder"]()]
        for name, read in decoders.items():
            if [e.data for e in read()] != expected_data:
                raise AssertionError(f"{name} decodes the {label} body differently")
        groups = {"typed": list(readers), "decoder": list(decoders)}
        if _has("httpx_sse"):
            readers["httpx-sse raw"] = httpx_sse_reader(chunks)
            if [e.data for e in readers["httpx-sse raw"]()] != expected_data:
                raise AssertionError(f"httpx-sse decodes the {label} body differently")
            groups["typed"].append("httpx-sse raw")

        results = measure_interleaved(
            {**readers, **decoders}, rounds=rounds, sample_time=sample_time
        )
        for group, names in groups.items():
            reference = results[REFERENCES[group]]
            for name in names:
                measurement = results[name]
                # How many times faster than the reference: its time over this one's.
                speedup = paired_ratio(reference, measurement)
                rows.append(
                    {
                        "body": label,
                        "chunks": len(chunks),
                        "group": group,
                        "contender": name,
                        "events": events,
                        "body_bytes": size,
                        "median_s": measurement.median,
                        "min_s": measurement.min,
                        "max_s": measurement.max,
                        "events_per_s": events / measurement.median,
                        "mb_per_s": size / measurement.median / 1e6,
                        "speedup_vs_reference": speedup.median,
                        "reference": REFERENCES[group],
                        "samples_s": measurement.samples,
                    }
                )
    return rows


def format_rows(rows: list[dict[str, Any]]) -> str:
    """The SSE table: events/s, time per stream and speed-up over openai's default."""
    from .report import format_table

    header = ("body", "contender", "events/s", "ms/stream", "min-max ms", "MB/s", "speed-up")
    lines = [
        (
            row["body"],
            row["contender"],
            f"{row['events_per_s']:,.0f}",
            f"{row['median_s'] * 1e3:,.1f}",
            f"{row['min_s'] * 1e3:,.1f}-{row['max_s'] * 1e3:,.1f}",
            f"{row['mb_per_s']:,.1f}",
            f"{row['speedup_vs_reference']:.2f}x vs {row['reference']}",
        )
        for row in rows
    ]
    return format_table(header, lines, left=(0, 1, 6))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few short rounds")
    parser.add_argument("--rounds", type=int, help="timed rounds (default 6, quick 2)")
    args = parser.parse_args(argv)
    rows = run(
        events=1000 if args.quick else EVENTS,
        rounds=args.rounds or (2 if args.quick else 6),
        sample_time=0.02 if args.quick else 0.15,
    )
    print(format_rows(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
