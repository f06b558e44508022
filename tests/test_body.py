"""Body helpers: gzip/deflate decoded in bounded steps, to the bytes httpx decodes."""

from __future__ import annotations

import asyncio
import itertools
import zlib
from collections.abc import Iterator, Sequence

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typedresp._body import (
    DECODE_STEP,
    BoundedDecoder,
    ByteChunker,
    LineSplitter,
    TextChunker,
    aiter_body,
    body_text,
    content_type,
    decode_body,
    is_encoded,
    is_json_media_type,
    iter_body,
    json_bytes,
    quoted_media_type,
    response_content_type,
    text_codec,
)

from .bodies import AsyncTrackedBody, TrackedBody
from .hostile import bomb, gzip_bomb, peak_memory

MIB = 1 << 20


try:
    import brotli
except ImportError:  # pragma: no cover - the test extra installs it
    brotli = None
try:
    import zstandard
except ImportError:  # pragma: no cover - the test extra installs it
    zstandard = None

COMPRESSED = ["gzip", "deflate"] + ["br"] * (brotli is not None)
COMPRESSED += ["zstd"] * (zstandard is not None)
"""Every Content-Encoding httpx decodes on this machine."""


def encode(data: bytes, encoding: str) -> bytes:
    """``data`` compressed as ``encoding``; ``raw-deflate`` is deflate without its zlib
    wrapper, which servers send as ``deflate`` too (and httpx accepts)."""
    if encoding == "identity":
        return data
    if encoding == "br":
        assert brotli is not None
        return bytes(brotli.compress(data))
    if encoding == "zstd":
        assert zstandard is not None
        return bytes(zstandard.ZstdCompressor().compress(data))
    wbits = {"gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS, "raw-deflate": -15}
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits[encoding])
    return compressor.compress(data) + compressor.flush()


def encoded_response(
    data: bytes, encodings: Sequence[str], cuts: Sequence[int] = (), *, asynchronous: bool = False
) -> httpx.Response:
    """A streamed response whose body is ``data`` with ``encodings`` applied in order,
    arriving in raw chunks cut at ``cuts``."""
    for encoding in encodings:
        data = encode(data, encoding)
    bounds = [0, *sorted(cut % (len(data) + 1) for cut in cuts), len(data)]
    chunks = [data[a:b] for a, b in itertools.pairwise(bounds)]
    header = ", ".join("deflate" if e == "raw-deflate" else e for e in encodings)
    stream: httpx.SyncByteStream | httpx.AsyncByteStream = (
        AsyncTrackedBody(chunks) if asynchronous else TrackedBody(chunks)
    )
    headers = [("content-encoding", header)] if header else []
    return httpx.Response(200, headers=headers, stream=stream)


async def collect(response: httpx.Response, chunk_size: int | None) -> list[bytes]:
    return [chunk async for chunk in aiter_body(response, chunk_size)]


def outcome(chunks: Iterator[bytes]) -> list[bytes] | type[Exception]:
    """The chunks, or the class of the error reading them raised."""
    try:
        return list(chunks)
    except httpx.DecodingError as exc:
        return type(exc)


async def async_outcome(response: httpx.Response, chunk_size: int | None) -> object:
    try:
        return await collect(response, chunk_size)
    except httpx.DecodingError as exc:
        return type(exc)


_encodings = st.lists(
    st.sampled_from([*COMPRESSED, "raw-deflate", "identity"]), min_size=1, max_size=3
)
_payloads = st.binary(max_size=3000) | st.builds(
    lambda piece, times: piece * times, st.binary(min_size=1, max_size=20), st.integers(1, 500)
)


@settings(max_examples=300, deadline=None)
@given(
    data=_payloads,
    encodings=_encodings,
    cuts=st.lists(st.integers(0, 10_000), max_size=6),
    chunk_size=st.none() | st.integers(1, 700),
)
def test_iter_body_gives_what_httpx_gives_for_any_encoding_and_chunking(
    data: bytes, encodings: list[str], cuts: list[int], chunk_size: int | None
) -> None:
    ours = outcome(iter_body(encoded_response(data, encodings, cuts), chunk_size))
    theirs = outcome(encoded_response(data, encodings, cuts).iter_bytes(chunk_size))
    if isinstance(theirs, list):
        assert isinstance(ours, list)
        assert b"".join(ours) == data
        if chunk_size is not None:  # else the pieces differ: httpx's can be any size
            assert ours == theirs
    else:
        # httpx guesses raw deflate from the first piece it decodes, even an empty one,
        # so it refuses some raw deflate bodies that arrive cut: fail alike, or decode.
        assert ours == theirs or (isinstance(ours, list) and b"".join(ours) == data)


@settings(max_examples=50, deadline=None)
@given(
    data=_payloads,
    encodings=_encodings,
    cuts=st.lists(st.integers(0, 10_000), max_size=6),
    chunk_size=st.none() | st.integers(1, 700),
)
def test_aiter_body_gives_what_iter_body_gives(
    data: bytes, encodings: list[str], cuts: list[int], chunk_size: int | None
) -> None:
    response = encoded_response(data, encodings, cuts, asynchronous=True)
    ours = asyncio.run(async_outcome(response, chunk_size))
    assert ours == outcome(iter_body(encoded_response(data, encodings, cuts), chunk_size))


@pytest.mark.parametrize("header", ["", "identity", "x-unknown", "gzip, x-unknown"])
def test_bodies_the_decoder_does_not_handle_are_left_to_httpx(header: str) -> None:
    response = httpx.Response(200, headers={"content-encoding": header}, stream=TrackedBody([]))
    assert BoundedDecoder.for_response(response) is None


def test_a_body_already_read_is_given_as_httpx_gives_it() -> None:
    response = encoded_response(b"abcdef", ["gzip"])
    assert response.read() == b"abcdef"
    assert list(iter_body(response, 4)) == [b"abcd", b"ef"]


def test_async_a_body_already_read_is_given_as_httpx_gives_it() -> None:
    response = encoded_response(b"abcdef", ["gzip"], asynchronous=True)
    assert asyncio.run(response.aread()) == b"abcdef"
    assert asyncio.run(collect(response, 4)) == [b"abcd", b"ef"]


def test_identity_beside_a_known_encoding_is_still_decoded_in_bounded_steps() -> None:
    response = httpx.Response(200, headers={"content-encoding": "gzip, identity"})
    assert BoundedDecoder.for_response(response) is not None


def test_a_gigabyte_bomb_is_decoded_a_step_at_a_time_in_little_memory() -> None:
    bomb = gzip_bomb(1 << 30, layers=3)
    assert len(bomb) < 1024
    response = httpx.Response(
        200, headers={"content-encoding": "gzip, gzip, gzip"}, stream=TrackedBody([bomb])
    )
    with peak_memory() as peak:
        total = 0
        for piece in itertools.islice(iter_body(response), 64):
            assert len(piece) <= DECODE_STEP
            total += len(piece)
    assert total == 64 * DECODE_STEP
    assert peak[0] < 4 * MIB


@pytest.mark.parametrize(
    ("header", "encoding"),
    [("gzip, gzip, gzip", "gzip")]
    + [(e, e) for e in COMPRESSED if e in ("br", "zstd")]
    + [(f"{e}, gzip", "gzip-in-" + e) for e in COMPRESSED if e in ("br", "zstd")],
)
def test_a_gigabyte_bomb_of_any_encoding_is_decoded_in_bounded_steps(
    header: str, encoding: str
) -> None:
    if encoding.startswith("gzip-in-"):
        inner = encoding.removeprefix("gzip-in-")
        data = encode(bomb(inner, 1 << 28), "gzip")
    else:
        data = bomb(encoding)
    response = httpx.Response(200, headers={"content-encoding": header}, stream=TrackedBody([data]))
    with peak_memory() as peak:
        total = 0
        for piece in itertools.islice(iter_body(response), 64):
            assert len(piece) <= DECODE_STEP
            total += len(piece)
    assert total >= 8 * MIB
    assert peak[0] < 8 * MIB


@pytest.mark.parametrize("encoding", COMPRESSED)
def test_a_few_bytes_that_decode_to_megabytes_decode_exactly_in_bounded_pieces(
    encoding: str,
) -> None:
    data = bytes(3 * MIB) + b"end"
    pieces = list(iter_body(encoded_response(data, [encoding])))
    assert b"".join(pieces) == data
    assert max(map(len, pieces)) <= DECODE_STEP


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize("encoding", [*COMPRESSED, "gzip-in-gzip"])
def test_a_truncated_compressed_body_is_a_decoding_error_not_a_short_body(
    encoding: str, asynchronous: bool
) -> None:
    data = bytes(range(256)) * 400
    layers = ["gzip", "gzip"] if encoding == "gzip-in-gzip" else [encoding]
    full = encoded_response(data, layers)
    assert b"".join(iter_body(full)) == data
    raw = b"".join(encoded_response(data, layers).iter_raw())
    cut = raw[: len(raw) // 2]
    header = ", ".join(layers)
    message = f"^the {layers[0]} data ended early: the body is truncated$"
    if asynchronous:
        response = httpx.Response(
            200, headers={"content-encoding": header}, stream=AsyncTrackedBody([cut])
        )
        with pytest.raises(httpx.DecodingError, match=message):
            asyncio.run(collect(response, None))
    else:
        response = httpx.Response(
            200, headers={"content-encoding": header}, stream=TrackedBody([cut])
        )
        with pytest.raises(httpx.DecodingError, match=message):
            list(iter_body(response))


@pytest.mark.parametrize("encoding", COMPRESSED)
def test_an_empty_compressed_body_is_an_empty_body(encoding: str) -> None:
    response = httpx.Response(200, headers={"content-encoding": encoding}, stream=TrackedBody([]))
    assert list(iter_body(response)) == []


@pytest.mark.skipif(zstandard is None, reason="zstandard is not installed")
def test_zstd_frames_one_after_another_are_one_body() -> None:
    assert zstandard is not None
    compressor = zstandard.ZstdCompressor()
    frames = b"".join(compressor.compress(b"%d," % i * 50) for i in range(100))
    body = TrackedBody([frames])
    response = httpx.Response(200, headers={"content-encoding": "zstd"}, stream=body)
    assert b"".join(iter_body(response)) == b"".join(b"%d," % i * 50 for i in range(100))


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize("header", [*COMPRESSED, "gzip, gzip"])
def test_a_corrupt_encoding_raises_httpx_decoding_error(header: str, asynchronous: bool) -> None:
    chunks = [b"not compressed at all"]
    if asynchronous:
        response = httpx.Response(
            200, headers={"content-encoding": header}, stream=AsyncTrackedBody(chunks)
        )
        with pytest.raises(httpx.DecodingError):
            asyncio.run(collect(response, None))
    else:
        response = httpx.Response(
            200, headers={"content-encoding": header}, stream=TrackedBody(chunks)
        )
        with pytest.raises(httpx.DecodingError):
            list(iter_body(response))


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("gzip", "incorrect header check"),
        ("deflate", "invalid block type"),
        ("br", "brotli: decoder failed"),
        ("zstd", "Unknown frame descriptor"),
    ],
)
def test_a_corrupt_encoding_says_what_the_decompressor_found(header: str, reason: str) -> None:
    if header not in COMPRESSED:
        pytest.skip(f"{header} is not installed")
    response = httpx.Response(
        200, headers={"content-encoding": header}, stream=TrackedBody([b"not compressed"])
    )
    with pytest.raises(httpx.DecodingError, match=reason):
        list(iter_body(response))


_HEADER_VALUE = st.sampled_from(
    [
        "application/json",
        "Application/JSON; charset=UTF-8",
        "text/plain; charset=latin-1",
        'application/problem+json; Charset="utf-16"',
        "",
        " ; charset=",
        "text/html; q=1; charset=utf-8",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    content_types=st.lists(_HEADER_VALUE, max_size=3),
    others=st.lists(
        st.sampled_from(["x-request-id", "content-length", "Content-Typo"]), max_size=3
    ),
    spelling=st.sampled_from(["content-type", "Content-Type", "CONTENT-TYPE"]),
)
def test_response_content_type_reads_the_header_as_headers_get_does(
    content_types: list[str], others: list[str], spelling: str
) -> None:
    headers = [(name, "1") for name in others] + [(spelling, value) for value in content_types]
    response = httpx.Response(200, headers=headers, content=b"{}")
    expected = content_type(response.headers.get("content-type"))
    assert response_content_type(response) == expected


def test_a_non_ascii_content_type_is_decoded_as_each_response_decodes_its_headers() -> None:
    value = (b"content-type", b"text/\xc3\xa9")
    as_utf8 = httpx.Response(200, headers=[value])
    as_latin1 = httpx.Response(200, headers=[value, (b"x-other", b"\xff")])  # not UTF-8
    assert response_content_type(as_utf8) == ("text/é", None)
    assert response_content_type(as_latin1) == ("text/ã©", None)


def test_response_content_type_falls_back_to_headers_get() -> None:
    class ElsewhereHeaders(httpx.Headers):
        """Headers that keep their entries differently from httpx 0.28 and 0.29."""

        @property
        def _list(self) -> list[tuple[bytes, bytes, bytes]]:  # type: ignore[override]
            raise AttributeError("_list")

        @_list.setter
        def _list(self, entries: list[tuple[bytes, bytes, bytes]]) -> None:
            pass

        def get(self, key: str, default: object = None) -> object:
            return "text/csv; charset=ascii" if key.lower() == "content-type" else default

    response = httpx.Response(200, content=b"a,b")
    response.headers = ElsewhereHeaders()
    assert response_content_type(response) == ("text/csv", "ascii")


# ------------------------------------------------------- media types, charsets, text pieces


@pytest.mark.parametrize(
    ("header", "encoded"),
    [
        (None, False),
        ("identity", False),
        (" Identity ", False),
        ("", False),
        ("gzip", True),
        ("x-custom", True),
    ],
)
def test_a_body_is_encoded_unless_its_encoding_is_identity_or_none(
    header: str | None, encoded: bool
) -> None:
    headers = {} if header is None else {"content-encoding": header}
    assert is_encoded(httpx.Response(200, headers=headers)) is encoded


@pytest.mark.parametrize(
    ("media_type", "quoted"),
    [
        (None, "None"),
        ("application/json", "'application/json'"),
        ("x" * 100, repr("x" * 100)),
        ("x" * 101, repr("x" * 100) + "... (101 characters)"),
    ],
)
def test_a_media_type_is_quoted_and_cut_at_100_characters(
    media_type: str | None, quoted: str
) -> None:
    assert quoted_media_type(media_type) == quoted


@pytest.mark.parametrize(
    ("media_type", "is_json"),
    [
        ("application/json", True),
        ("application/problem+json", True),
        ("application/jsonl", False),
        ("text/json-ish", False),
        ("application/x-ndjson", False),
    ],
)
def test_json_media_types_are_application_json_and_plus_json(
    media_type: str, is_json: bool
) -> None:
    assert is_json_media_type(media_type) is is_json


@pytest.mark.parametrize(
    ("content", "charset", "text"),
    [
        ("é".encode(), None, "é"),
        ("é".encode("latin-1"), "latin-1", "é"),
        (b"\xff", "utf-8", "\ufffd"),
        ('{"a": "é"}'.encode("utf-16-le"), "utf-16", '{"a": "é"}'),
        ('{"a": "é"}'.encode("utf-16-be"), "utf-16", '{"a": "é"}'),
        ('{"a": 1}'.encode("utf-16"), "utf-16", '{"a": 1}'),
        ('{"a": 1}'.encode("utf-32-be"), "utf-32", '{"a": 1}'),
        (b'{"a": 1}', "utf-16", '{"a": 1}'),  # no NUL, no BOM: UTF-8 after all
        (b'{"a": 1}', "utf-32", '{"a": 1}'),
        (b'"abc\x00"', "utf-16", '"abc\x00"'),  # a NUL only after the first four bytes
        (b"\x00{\x00", "utf-16", "{\ufffd"),  # an odd byte is replaced, not a failure
        (b"abc", "no-such-charset", "abc"),
        (b"YWJj", "base64", "YWJj"),  # no text encoding: not decoded as one
    ],
)
def test_decode_body_reads_the_charset_the_body_can_be_in(
    content: bytes, charset: str | None, text: str
) -> None:
    assert decode_body(content, charset) == text


def test_body_text_follows_the_declared_charset() -> None:
    response = httpx.Response(
        200, headers={"content-type": "text/plain; charset=latin-1"}, content="é".encode("latin-1")
    )
    assert body_text(response) == "é"


def test_body_text_reads_utf8_when_a_utf16_label_cannot_be_right() -> None:
    content = '{"a": "é"}'.encode()
    response = httpx.Response(
        200, headers={"content-type": "application/json; charset=utf-16"}, content=content
    )
    assert body_text(response) == '{"a": "é"}'


def test_body_text_without_a_charset_uses_the_default_encoding_as_httpx_does() -> None:
    response = httpx.Response(200, content="é".encode("latin-1"), default_encoding="latin-1")
    assert body_text(response) == "é"


def test_body_text_without_a_charset_is_httpx_text() -> None:
    response = httpx.Response(200, headers={"content-type": "text/plain"}, content="é".encode())
    assert body_text(response) == "é" == response.text


@pytest.mark.parametrize(
    ("content", "charset", "expected"),
    [
        (b'\xef\xbb\xbf{"a": 1}', None, b'{"a": 1}'),
        (b'\xef\xbb\xbf{"a": 1}', "utf-8", b'{"a": 1}'),
        (b'{"a": 1}', None, b'{"a": 1}'),
        ('{"a": "é"}'.encode("latin-1"), "latin-1", '{"a": "é"}'.encode()),
        ('\ufeff{"a": 1}'.encode("utf-16-le"), "utf-16", b'{"a": 1}'),
    ],
)
def test_json_bytes_are_utf8_without_a_byte_order_mark(
    content: bytes, charset: str | None, expected: bytes
) -> None:
    assert json_bytes(httpx.Response(200), content, charset) == expected


def test_json_bytes_keep_a_lone_surrogate_for_the_decoder_to_refuse() -> None:
    # UTF-7 can spell a lone surrogate; it must reach the JSON decoder, not crash here.
    assert json_bytes(httpx.Response(200), b'"+2AA-"', "utf-7") == b'"\xed\xa0\x80"'


def test_byte_chunker_without_a_size_passes_pieces_but_no_empty_one() -> None:
    chunker = ByteChunker(None)
    assert chunker.feed(b"abc") == [b"abc"]
    assert chunker.feed(b"") == []


@pytest.mark.parametrize(
    ("charset", "codec"),
    [(None, None), ("UTF-8", None), ("ascii", None), ("Latin-1", "iso8859-1"), ("rot13", None)],
)
def test_text_codec_is_none_for_utf8_and_what_is_no_text_encoding(
    charset: str | None, codec: str | None
) -> None:
    assert text_codec(charset) == codec


@pytest.mark.parametrize("size", [None, 1, 3, 4])
def test_text_chunker_cuts_text_into_pieces_of_exactly_size(size: int | None) -> None:
    chunker = TextChunker(size)
    pieces = [p for text in ["ab", "", "cdefg", "h"] for p in chunker.feed(text)]
    pieces += chunker.flush()
    assert "".join(pieces) == "abcdefgh"
    if size is None:
        assert pieces == ["ab", "cdefg", "h"]
    else:
        assert all(len(piece) == size for piece in pieces[:-1])
        assert 0 < len(pieces[-1]) <= size
    assert list(chunker.flush()) == []


def test_line_splitter_gives_splitlines_for_every_cut_into_three_pieces() -> None:
    text = "ab\r\ncd\ref\n\ngh\x0bi\u2028jk\r"
    for a, b in itertools.combinations_with_replacement(range(len(text) + 1), 2):
        splitter = LineSplitter()
        lines = [line for piece in (text[:a], text[a:b], text[b:]) for line in splitter.feed(piece)]
        assert lines + splitter.flush() == text.splitlines(), (a, b)
        assert splitter.feed("re") == []
        assert splitter.feed("used\n") == ["reused"]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", max_size=30),
    cuts=st.lists(st.integers(0, 30), max_size=5),
)
def test_line_splitter_splits_pieces_as_splitlines_splits_the_whole(
    text: str, cuts: list[int]
) -> None:
    splitter = LineSplitter()
    bounds = [0, *sorted(cuts), len(text)]
    lines = [line for a, b in itertools.pairwise(bounds) for line in splitter.feed(text[a:b])]
    assert lines + splitter.flush() == text.splitlines()
    assert splitter.flush() == []
