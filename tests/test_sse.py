"""The SSE and JSON-lines decoders: WHATWG rules, any chunking, limits, linear work."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typedresp import (
    JSONLinesDecoder,
    ResponseTooLarge,
    ResponseValidationError,
    ServerSentEvent,
    SSEDecoder,
)
from typedresp._sse import DEFAULT_MAX_EVENT_BYTES

Event = ServerSentEvent


def decode(chunks: Iterable[bytes], **kwargs: int | None) -> list[ServerSentEvent]:
    decoder = SSEDecoder(**kwargs)
    return list(decoder.iter_events(chunks))


def one_byte_chunks(body: bytes) -> list[bytes]:
    return [body[i : i + 1] for i in range(len(body))]


# A body that exercises every rule at once, written with "{nl}" for the line ending.
RICH_BODY = (
    ": a comment first{nl}"
    "retry: 1500{nl}"
    "{nl}"
    "data: first{nl}"
    "{nl}"
    "event: update{nl}"
    "id: 7{nl}"
    "data: line one{nl}"
    "data:line two{nl}"
    "data:  two spaces keep one{nl}"
    "unknown: ignored{nl}"
    "data{nl}"
    "{nl}"
    ": keep-alive{nl}"
    'data: {{"text": "h\u00e9llo \u2603 \U0001f600"}}{nl}'
    "{nl}"
    "event: no-data{nl}"
    "id: 8{nl}"
    "{nl}"
    "id: bad\0id{nl}"
    "data: after{nl}"
    "{nl}"
    "data: never dispatched"
)
RICH_EVENTS = [
    Event(data="first"),
    Event(event="update", data="line one\nline two\n two spaces keep one\n", id="7"),
    Event(data='{"text": "h\u00e9llo \u2603 \U0001f600"}', id="7"),
    Event(data="after", id="8"),
]


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"], ids=["LF", "CR", "CRLF"])
def test_every_two_chunk_split_decodes_to_the_same_events(newline: str) -> None:
    body = RICH_BODY.format(nl=newline).encode()
    for i in range(len(body) + 1):
        assert decode([body[:i], body[i:]]) == RICH_EVENTS, f"split at {i}"


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"], ids=["LF", "CR", "CRLF"])
def test_one_byte_chunks_decode_to_the_same_events(newline: str) -> None:
    body = RICH_BODY.format(nl=newline).encode()
    assert decode(one_byte_chunks(body)) == RICH_EVENTS


def test_mixed_line_endings_in_one_body_are_each_a_line_end() -> None:
    body = b"data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r"
    expected = [Event(data="a\nb\nc"), Event(data="d")]
    assert decode([body]) == expected
    assert decode(one_byte_chunks(body)) == expected


def test_cr_at_the_end_of_a_chunk_and_lf_at_the_start_of_the_next_are_one_line_end() -> None:
    # If the LF were taken as a second line end, the blank line would dispatch "a" alone.
    events = decode([b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"])
    assert events == [Event(data="a\nb")]


def test_two_crs_are_two_line_ends_even_across_chunks() -> None:
    assert decode([b"data: a\r", b"\r"]) == [Event(data="a")]


def test_a_leading_byte_order_mark_is_stripped() -> None:
    body = b"\xef\xbb\xbfdata: x\n\n"
    assert decode([body]) == [Event(data="x")]
    assert decode(one_byte_chunks(body)) == [Event(data="x")]


def test_only_one_leading_byte_order_mark_is_stripped() -> None:
    # The second BOM makes the first field name "\ufeffdata", an unknown field.
    body = b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\ndata: y\n\n"
    assert decode([body]) == [Event(data="y")]


def test_a_byte_order_mark_later_in_the_body_is_kept() -> None:
    assert decode([b"data: \xef\xbb\xbfx\n\n"]) == [Event(data="\ufeffx")]


def test_a_body_shorter_than_a_byte_order_mark_that_starts_like_one_is_not_lost() -> None:
    assert decode([b"\xef", b"\xbb", b"\n"]) == []
    assert decode([b"d", b"a", b"ta:1\n\n"]) == [Event(data="1")]


def test_a_line_without_a_colon_is_a_field_with_an_empty_value() -> None:
    assert decode([b"data\ndata\n\n"]) == [Event(data="\n")]


def test_a_single_empty_data_line_dispatches_an_empty_event() -> None:
    assert decode([b"data:\n\n"]) == [Event(data="")]


def test_the_value_keeps_colons_after_the_first() -> None:
    assert decode([b"data: a: b:c\n\n"]) == [Event(data="a: b:c")]


def test_field_names_are_case_sensitive() -> None:
    assert decode([b"Data: x\nEVENT: y\n\ndata: z\n\n"]) == [Event(data="z")]


def test_an_event_without_data_is_not_dispatched_and_its_type_does_not_leak() -> None:
    events = decode([b"event: ping\n\ndata: x\n\n"])
    assert events == [Event(event="message", data="x")]


def test_the_event_type_is_reset_after_each_event() -> None:
    events = decode([b"event: a\ndata: 1\n\ndata: 2\n\n"])
    assert [e.event for e in events] == ["a", "message"]


def test_the_last_event_id_carries_over_to_later_events() -> None:
    decoder = SSEDecoder()
    events = decoder.decode(b"id: 1\ndata: a\n\ndata: b\n\n")
    assert [e.id for e in events] == ["1", "1"]
    assert decoder.last_event_id == "1"


def test_an_empty_id_resets_the_last_event_id() -> None:
    events = decode([b"id: 1\ndata: a\n\nid\ndata: b\n\n"])
    assert [e.id for e in events] == ["1", ""]


def test_an_id_containing_nul_is_ignored() -> None:
    events = decode([b"id: 1\n\nid: 2\x003\ndata: a\n\n"])
    assert events == [Event(data="a", id="1")]


def test_the_last_event_id_is_set_when_an_event_is_dispatched_even_without_data() -> None:
    decoder = SSEDecoder()
    decoder.decode(b"id: 5\n")
    assert decoder.last_event_id == ""
    assert decoder.decode(b"\n") == []
    assert decoder.last_event_id == "5"


@pytest.mark.parametrize(
    "value", ["", "  10", "10 ", "1.5", "-1", "+1", "1_000", "1e3", "\u0661\u0662", "10a"]
)
def test_retry_is_ignored_unless_only_ascii_digits(value: str) -> None:
    decoder = SSEDecoder()
    events = decoder.decode(b"retry: 7\n\n" + f"retry:{value}\ndata: x\n\n".encode())
    assert events == [Event(data="x", retry=None)]
    assert decoder.retry == 7


@pytest.mark.parametrize("digits", [19, 4301, 100_000])
def test_a_retry_too_long_to_be_a_time_is_ignored_not_an_error(digits: int) -> None:
    decoder = SSEDecoder()
    body = b"retry: 7\n\nretry: " + b"9" * digits + b"\ndata: x\n\n"
    assert decoder.decode(body) == [Event(data="x", retry=None)]
    assert decoder.retry == 7


def test_a_retry_of_eighteen_digits_is_kept() -> None:
    decoder = SSEDecoder()
    assert decoder.decode(b"retry: 999999999999999999\ndata: x\n\n")[0].retry == 10**18 - 1


def test_flush_drops_the_id_of_the_event_it_drops() -> None:
    decoder = SSEDecoder()
    assert decoder.decode(b"id: 1\ndata: a\n\nid: 2\ndata: dropped\n") == [Event(data="a", id="1")]
    decoder.flush()
    assert decoder.last_event_id == "1"
    assert decoder.decode(b"data: next\n\n") == [Event(data="next", id="1")]


def test_an_interrupted_body_leaves_nothing_buffered_for_the_next() -> None:
    class Dropped(Exception):
        pass

    def broken() -> Iterable[bytes]:
        yield b"data: a\n\nid: 9\nevent: partial\ndata: half"
        raise Dropped

    decoder = SSEDecoder()
    with pytest.raises(Dropped):
        list(decoder.iter_events(broken()))
    assert decoder.decode(b"\ndata: b\n\n") == [Event(data="b")]
    assert decoder.last_event_id == ""


def test_a_consumer_that_stops_early_leaves_nothing_buffered() -> None:
    decoder = SSEDecoder()
    events = decoder.iter_events([b"data: a\n\ndata: half"])
    assert next(events) == Event(data="a")
    events.close()
    assert decoder.decode(b"\n\n") == []


def test_an_interrupted_json_lines_body_drops_its_partial_line() -> None:
    def broken() -> Iterable[bytes]:
        yield b'{"a": 1}\n{"a": '
        raise RuntimeError("dropped")

    decoder = JSONLinesDecoder()
    with pytest.raises(RuntimeError):
        list(decoder.iter_lines(broken()))
    assert decoder.decode(b'{"b": 2}\n') == [b'{"b": 2}']


def test_retry_sets_the_reconnection_time_and_travels_with_its_event() -> None:
    decoder = SSEDecoder()
    events = decoder.decode(b"retry: 3000\ndata: a\n\ndata: b\n\n")
    assert [e.retry for e in events] == [3000, None]
    assert decoder.retry == 3000


def test_an_unterminated_last_event_is_dropped() -> None:
    decoder = SSEDecoder()
    assert decoder.decode(b"data: a\n\ndata: b\n") == [Event(data="a")]
    assert decoder.flush() == []


def test_flush_forgets_the_unterminated_event() -> None:
    decoder = SSEDecoder()
    decoder.decode(b"event: x\ndata: a")
    decoder.flush()
    assert decoder.decode(b"data: b\n\n") == [Event(data="b")]


def test_invalid_utf8_is_replaced_rather_than_failing() -> None:
    events = decode([b"data: a\xffb\xe2\x82\nevent: \xc3\n\n"])
    assert events == [Event(event="\ufffd", data="a\ufffdb\ufffd")]


def test_invalid_utf8_in_an_id_is_replaced_rather_than_failing() -> None:
    decoder = SSEDecoder()
    events = decoder.decode(b"id: a\xffb\ndata: x\n\n")
    assert events == [Event(data="x", id="a\ufffdb")]
    assert decoder.last_event_id == "a\ufffdb"


def test_no_reconnection_time_is_known_before_a_retry_field() -> None:
    assert SSEDecoder().retry is None


def test_a_reused_decoder_strips_the_byte_order_mark_of_each_body() -> None:
    decoder = SSEDecoder()
    first = list(decoder.iter_events([b"\xef\xbb\xbfdata: 1\n\n"]))
    second = list(decoder.iter_events([b"\xef\xbb", b"\xbfdata: 2\n\n"]))
    assert first + second == [Event(data="1"), Event(data="2")]


def test_a_reused_decoder_forgets_a_cr_that_ended_the_last_body() -> None:
    decoder = SSEDecoder()
    assert list(decoder.iter_events([b"data: 1\r\r"])) == [Event(data="1")]
    assert list(decoder.iter_events([b"\ndata: 2\n\n"])) == [Event(data="2")]


def test_a_utf8_character_split_across_chunks_is_decoded_whole() -> None:
    snowman = "\u2603".encode()
    assert decode([b"data: " + snowman[:1], snowman[1:2], snowman[2:] + b"\n\n"]) == [
        Event(data="\u2603")
    ]


def test_empty_chunks_are_harmless() -> None:
    assert decode([b"", b"data: a\r", b"", b"\n", b"", b"\n", b""]) == [Event(data="a")]


def test_an_empty_chunk_between_cr_and_lf_keeps_them_one_line_end() -> None:
    assert decode([b"data: a\r", b"", b"\ndata: b\n\n"]) == [Event(data="a\nb")]


def test_server_sent_event_json_decodes_the_data() -> None:
    assert Event(data='{"a": [1, 2]}').json() == {"a": [1, 2]}


def test_server_sent_event_json_raises_a_validation_error_for_invalid_json() -> None:
    with pytest.raises(ResponseValidationError) as info:
        Event(data="{nope").json()
    assert info.value.body == "{nope"


def test_aiter_events_decodes_an_async_body() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for chunk in one_byte_chunks(RICH_BODY.format(nl="\r\n").encode()):
            yield chunk

    async def collect() -> list[ServerSentEvent]:
        return [event async for event in SSEDecoder().aiter_events(chunks())]

    assert asyncio.run(collect()) == RICH_EVENTS


# --- limits -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chunks", "what"),
    [
        ([b"data: " + b"x" * 200], "a line"),  # no line end yet
        ([b"data: " + b"x" * 200 + b"\n\n"], "a line"),
        ([b"data: 123456789\n" * 11], "the data of an event"),
    ],
)
def test_too_large_says_what_grew_past_which_limit(chunks: list[bytes], what: str) -> None:
    with pytest.raises(ResponseTooLarge) as info:
        decode(chunks, max_event_bytes=100)
    assert str(info.value) == f"{what} is larger than max_event_bytes=100"
    assert info.value.limit == 100


def test_the_default_limit_is_64_mib() -> None:
    assert DEFAULT_MAX_EVENT_BYTES == 64 * 2**20


def test_a_line_of_exactly_the_limit_is_accepted() -> None:
    line = b"data: " + b"x" * 94
    assert decode([line + b"\n\n"], max_event_bytes=100) == [Event(data="x" * 94)]


def test_a_line_over_the_limit_raises_as_soon_as_the_limit_is_crossed() -> None:
    decoder = SSEDecoder(max_event_bytes=100)
    decoder.decode(b"data: " + b"x" * 90)
    decoder.decode(b"x" * 4)  # 100 bytes so far: not over yet
    with pytest.raises(ResponseTooLarge) as info:
        decoder.decode(b"x")  # no line end has come, yet it raises now
    assert info.value.limit == 100


def test_a_line_over_the_limit_inside_one_chunk_raises() -> None:
    with pytest.raises(ResponseTooLarge):
        decode([b"data: " + b"x" * 200 + b"\n\n"], max_event_bytes=100)


def test_a_long_comment_line_counts_against_the_limit() -> None:
    with pytest.raises(ResponseTooLarge):
        decode([b":" + b"x" * 200], max_event_bytes=100)


def test_the_data_of_one_event_over_the_limit_raises_though_every_line_is_short() -> None:
    body = b"data: 123456789\n" * 11  # data is 11 * 9 + 10 newlines = 109 bytes
    with pytest.raises(ResponseTooLarge):
        decode([body], max_event_bytes=100)


def test_the_data_of_one_event_at_the_limit_is_accepted() -> None:
    body = b"data: 123456789\n" * 10 + b"\n"  # data is 10 * 9 + 9 newlines = 99 bytes
    events = decode([body], max_event_bytes=99)
    assert len(events[0].data) == 99


def test_the_event_limit_starts_again_with_each_event() -> None:
    body = b"data: 123456789\n\n" * 50
    assert len(decode([body], max_event_bytes=20)) == 50


@pytest.mark.parametrize("decoder", [SSEDecoder, JSONLinesDecoder])
def test_a_negative_limit_is_refused(decoder: type[SSEDecoder | JSONLinesDecoder]) -> None:
    with pytest.raises(ValueError, match="max_event_bytes"):
        decoder(max_event_bytes=-1)


def test_no_limit_when_max_event_bytes_is_none() -> None:
    events = decode([b"data: " + b"x" * 100_000 + b"\n\n"], max_event_bytes=None)
    assert len(events[0].data) == 100_000


# --- linear work ----------------------------------------------------------------------
# A decoder that rescans or recopies its buffer per chunk would do ~512 GiB of copying
# for the 64 MiB event below (16 384 chunks); these finish in well under a second when
# the work is linear.


def test_a_64_mib_event_in_4_kib_chunks_decodes() -> None:
    size = 64 * 2**20 - len(b"data: \n\n")  # the whole event is 64 MiB on the wire
    payload = b"x" * size
    body = b"data: " + payload + b"\n\n"
    chunks = [body[i : i + 4096] for i in range(0, len(body), 4096)]
    (event,) = decode(chunks)
    assert len(event.data) == size


def test_10_000_data_lines_in_one_event_decode_in_one_byte_chunks() -> None:
    body = b"".join(b"data: %d\n" % i for i in range(10_000)) + b"\n"
    (event,) = decode(one_byte_chunks(body))
    assert event.data == "\n".join(str(i) for i in range(10_000))


def test_10_000_events_in_one_chunk_decode() -> None:
    body = b"".join(b'data: {"i": %d}\n\n' % i for i in range(10_000))
    events = decode([body])
    assert [e.json()["i"] for e in events] == list(range(10_000))


# --- any chunking of any event sequence (hypothesis) --------------------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"),
    max_size=12,
)
_event = st.fixed_dictionaries(
    {
        "event": st.none() | _text,
        "data": st.lists(_text, min_size=0, max_size=4),
        "id": st.none() | _text,
        "retry": st.none() | st.integers(min_value=0, max_value=10**6),
        "comment": st.none() | _text,
    }
)


def _encode_events(draw: st.DrawFn, events: Sequence[Mapping[str, object]]) -> bytes:
    newline = st.sampled_from(["\n", "\r", "\r\n"])
    lines: list[str] = []
    for spec in events:
        if spec["comment"] is not None:
            lines.append(f":{spec['comment']}")
        if spec["event"] is not None:
            lines.append(f"event: {spec['event']}")
        if spec["id"] is not None:
            lines.append(f"id: {spec['id']}")
        if spec["retry"] is not None:
            lines.append(f"retry: {spec['retry']}")
        assert isinstance(spec["data"], list)
        lines.extend(f"data: {line}" for line in spec["data"])
        lines.append("")
    body = "\ufeff" if draw(st.booleans()) else ""
    for line in lines:
        # An LF right after a CR would merge with it into one CRLF line end.
        ending = draw(
            newline if line or not body.endswith("\r") else st.sampled_from(["\r", "\r\n"])
        )
        body += line + ending
    return body.encode()


def _expected_events(events: Sequence[Mapping[str, object]]) -> list[ServerSentEvent]:
    expected: list[ServerSentEvent] = []
    last_id = ""
    for spec in events:
        event_id = spec["id"]
        if isinstance(event_id, str) and "\0" not in event_id:
            last_id = event_id
        data = spec["data"]
        assert isinstance(data, list)
        if not data:
            continue
        retry = spec["retry"]
        assert retry is None or isinstance(retry, int)
        expected.append(
            Event(
                event=str(spec["event"] or "message"),
                data="\n".join(data),
                id=last_id,
                retry=retry,
            )
        )
    return expected


@st.composite
def _chunked_events(draw: st.DrawFn) -> tuple[list[bytes], list[ServerSentEvent]]:
    events = draw(st.lists(_event, max_size=6))
    body = _encode_events(draw, events)
    cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=12)))
    bounds = [0, *cuts, len(body)]
    chunks = [body[a:b] for a, b in itertools.pairwise(bounds)]
    return chunks, _expected_events(events)


@settings(max_examples=300, deadline=None)
@given(_chunked_events())
def test_any_chunking_of_any_event_sequence_decodes_to_the_events(
    case: tuple[list[bytes], list[ServerSentEvent]],
) -> None:
    chunks, expected = case
    assert decode(chunks) == expected
    assert decode([b"".join(chunks)]) == expected


# --- JSON lines -----------------------------------------------------------------------


def decode_lines(chunks: Iterable[bytes], **kwargs: int | None) -> list[bytes]:
    return list(JSONLinesDecoder(**kwargs).iter_lines(chunks))


JSONL_BODY = '{{"a": 1}}{nl}{nl}  {nl}{{"b": "\u2603"}}{nl}[1,{nl2}2]{nl}'
JSONL_LINES = [b'{"a": 1}', '{"b": "\u2603"}'.encode()]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_every_two_chunk_split_of_json_lines_gives_the_same_lines(newline: str) -> None:
    body = JSONL_BODY.format(nl=newline, nl2=" ").encode()
    expected = [*JSONL_LINES, b"[1, 2]"]
    for i in range(len(body) + 1):
        assert decode_lines([body[:i], body[i:]]) == expected, f"split at {i}"
    assert decode_lines(one_byte_chunks(body)) == expected


def test_a_form_feed_is_no_json_whitespace_so_its_line_is_kept() -> None:
    decoder = JSONLinesDecoder()
    assert decoder.decode(b'\x0c\n\x0b{"a": 1}\x0c\n\x0c') == [b"\x0c", b'\x0b{"a": 1}\x0c']
    assert decoder.flush() == [b"\x0c"]


def test_a_lone_cr_does_not_end_a_json_line() -> None:
    assert decode_lines([b'{"a":\r1}\n']) == [b'{"a":\r1}']


def test_the_last_json_line_without_a_line_ending_is_kept() -> None:
    assert decode_lines([b'{"a": 1}\n{"b":', b" 2}"]) == [b'{"a": 1}', b'{"b": 2}']


def test_blank_last_json_line_is_skipped() -> None:
    assert decode_lines([b'{"a": 1}\n \r']) == [b'{"a": 1}']


def test_a_json_line_over_the_limit_raises_before_its_end_arrives() -> None:
    decoder = JSONLinesDecoder(max_event_bytes=10)
    decoder.decode(b"[1,2,3,4,5")
    with pytest.raises(ResponseTooLarge):
        decoder.decode(b",")


def test_aiter_lines_decodes_an_async_body() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"a": 1}\r'
        yield b'\n{"b"'
        yield b": 2}"

    async def collect() -> list[bytes]:
        return [line async for line in JSONLinesDecoder().aiter_lines(chunks())]

    assert asyncio.run(collect()) == [b'{"a": 1}', b'{"b": 2}']


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.dictionaries(_text, st.integers() | _text, max_size=3), max_size=8),
    st.lists(st.sampled_from(["\n", "\r\n", "\n\n", " \r\n"]), min_size=8, max_size=8),
    st.data(),
)
def test_any_chunking_of_json_lines_gives_the_lines(
    docs: list[dict[str, object]], endings: list[str], data: st.DataObject
) -> None:
    import json

    lines = [json.dumps(doc, ensure_ascii=False) for doc in docs]
    body = "".join(line + ending for line, ending in zip(lines, endings, strict=False)).encode()
    cuts = sorted(data.draw(st.lists(st.integers(0, len(body)), max_size=10)))
    bounds = [0, *cuts, len(body)]
    chunks = [body[a:b] for a, b in itertools.pairwise(bounds)]
    assert [json.loads(line) for line in decode_lines(chunks)] == docs


# --- fuzzing: any bytes, any chunking, any limit ---------------------------------------

# Bytes that look like event streams often enough to reach every rule.
_STREAM_TOKENS = [
    *(b"data", b"data:", b"data: ", b"event:", b"id:", b"retry:", b"retry: 12", b":", b" "),
    *(b"\r", b"\n", b"\r\n", b"\n\n", b"\xef\xbb\xbf", b"\xef", b"\xff", b"\x00", b"x"),
    *(b"{}", b'{"a": 1}', b"[DONE]", b"\xe2\x98", b"\x83"),
]
_stream_bytes = st.lists(st.sampled_from(_STREAM_TOKENS) | st.binary(max_size=8), max_size=40).map(
    b"".join
)


def _outcome(decode_all: Callable[[], list[Any]]) -> list[Any] | type[ResponseTooLarge]:
    """What decoding gave, or `ResponseTooLarge`: any other exception fails the test."""
    try:
        return decode_all()
    except ResponseTooLarge:
        return ResponseTooLarge


def _cut(body: bytes, cuts: list[int]) -> list[bytes]:
    bounds = [0, *sorted(cut % (len(body) + 1) for cut in cuts), len(body)]
    return [body[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=500, deadline=None)
@given(
    body=_stream_bytes,
    cuts=st.lists(st.integers(0, 1000), max_size=8),
    limit=st.none() | st.integers(0, 40),
)
def test_any_bytes_decode_to_events_or_too_large_the_same_in_any_chunking(
    body: bytes, cuts: list[int], limit: int | None
) -> None:
    whole = _outcome(lambda: decode([body], max_event_bytes=limit))
    assert _outcome(lambda: decode(_cut(body, cuts), max_event_bytes=limit)) == whole
    if limit is not None and isinstance(whole, list):
        assert all(len(event.data.encode("utf-8", "surrogatepass")) <= 3 * limit for event in whole)


@settings(max_examples=500, deadline=None)
@given(
    body=_stream_bytes,
    cuts=st.lists(st.integers(0, 1000), max_size=8),
    limit=st.none() | st.integers(0, 40),
)
def test_any_bytes_split_into_json_lines_or_too_large_the_same_in_any_chunking(
    body: bytes, cuts: list[int], limit: int | None
) -> None:
    whole = _outcome(lambda: decode_lines([body], max_event_bytes=limit))
    assert _outcome(lambda: decode_lines(_cut(body, cuts), max_event_bytes=limit)) == whole
    if limit is not None and isinstance(whole, list):
        assert all(len(line) <= limit for line in whole)
