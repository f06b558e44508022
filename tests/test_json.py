"""JSON decoding: valid documents decode, bad and hostile ones are validation errors."""

from __future__ import annotations

import importlib.metadata
import os
import platform
from collections.abc import Callable
from typing import Any

import pytest

import typedresp._json
from typedresp import Registry, ResponseValidationError
from typedresp._json import loads_orjson, loads_stdlib

STDLIB_FORCED = os.environ.get("TYPEDRESP_TEST_JSON") == "stdlib"

decoders = [pytest.param(loads_stdlib, id="stdlib")]
if loads_orjson is not None:
    decoders.append(pytest.param(loads_orjson, id="orjson"))


@pytest.fixture(params=decoders)
def loads(request: pytest.FixtureRequest) -> Callable[[bytes], Any]:
    decoder: Callable[[bytes], Any] = request.param
    return decoder


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a": [1, 2.5, "x", null, true]}', {"a": [1, 2.5, "x", None, True]}),
        ('{"é": "\\u00e9"}'.encode(), {"é": "é"}),
        (b'"\\ud83d\\ude00"', "\U0001f600"),
        (b"123456789012345678", 123456789012345678),
    ],
)
def test_valid_documents_decode(loads: Callable[[bytes], Any], data: bytes, expected: Any) -> None:
    assert loads(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"{", id="truncated"),
        pytest.param(b"{'a': 1}", id="single-quotes"),
        pytest.param(b"[NaN]", id="nan"),
        pytest.param(b"[Infinity]", id="infinity"),
        pytest.param(b"[-Infinity]", id="minus-infinity"),
        pytest.param(b'"\\ud800"', id="lone-high-surrogate"),
        pytest.param(b'{"\\udc00": 1}', id="lone-surrogate-key"),
        pytest.param(b'{"a": "\\udc00"}', id="lone-surrogate-object-value"),
        pytest.param(b'["ok", "x\\ud83d"]', id="lone-surrogate-list-item"),
        pytest.param(b'[{"a": ["\\ud83d"]}]', id="lone-surrogate-nested"),
        pytest.param(b"[1e400]", id="float-overflow"),
        pytest.param(b"[-1e400]", id="negative-float-overflow"),
        pytest.param(b'"\xff\xfe"', id="invalid-utf8"),
        pytest.param(b"[" * 10_000 + b"]" * 10_000, id="deep-nesting"),
    ],
)
def test_bad_and_hostile_documents_are_validation_errors(
    loads: Callable[[bytes], Any], data: bytes
) -> None:
    with pytest.raises(ResponseValidationError) as info:
        loads(data)
    (item,) = info.value.errors
    assert item.path == "$"
    assert item.message.startswith("invalid JSON: ")
    assert info.value.body == data.decode("utf-8", errors="replace")


def test_a_leading_byte_order_mark_is_skipped(loads: Callable[[bytes], Any]) -> None:
    assert loads(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


def test_only_one_byte_order_mark_is_skipped(loads: Callable[[bytes], Any]) -> None:
    with pytest.raises(ResponseValidationError):
        loads(b"\xef\xbb\xbf\xef\xbb\xbf1")


def test_a_byte_order_mark_inside_text_is_kept_by_the_stdlib_decoder() -> None:
    assert loads_stdlib('\ufeff["\ufeff"]') == ["\ufeff"]


def test_the_stdlib_decoder_takes_str() -> None:
    assert loads_stdlib('{"a": "\\u00e9"}') == {"a": "é"}


def test_the_stdlib_decoder_takes_integers_of_exactly_4300_digits() -> None:
    assert loads_stdlib(b"9" * 4300) == int("9" * 4300)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[NaN]", "NaN is not valid JSON"),
        (b"[1e400]", "number '1e400' is infinity when parsed as a float"),
        (
            b"-" + b"9" * 30 + b"e400",
            "number '-9999999999999999999' is infinity when parsed as a float",
        ),
        (b"9" * 4301, "integer with 4301 digits is too long"),
        (b"[" * 10_000 + b"]" * 10_000, "nesting too deep"),
        (b'"\xff"', "not valid UTF-8 text (invalid start byte)"),
        (b'["\\udc00"]', "a string holds a lone surrogate"),
    ],
)
def test_the_stdlib_decoder_says_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(ResponseValidationError) as info:
        loads_stdlib(data)
    assert info.value.errors[0].message == f"invalid JSON: {message}"


@pytest.mark.skipif(loads_orjson is None, reason="orjson is not installed")
def test_orjson_errors_say_what_orjson_found() -> None:
    assert loads_orjson is not None
    with pytest.raises(ResponseValidationError) as info:
        loads_orjson(b"[1,]")
    message = "invalid JSON: trailing comma is not allowed: line 1 column 3 (char 2)"
    assert info.value.errors[0].message == message


def test_the_stdlib_decoder_refuses_integers_of_100_000_digits() -> None:
    with pytest.raises(ResponseValidationError, match="too long"):
        loads_stdlib(b"1" * 100_000)


def test_a_huge_integer_never_becomes_an_int_target() -> None:
    registry = Registry()
    with pytest.raises(ResponseValidationError):
        registry.structure(registry.loads(b"9" * 100_000), int)


def test_parse_json_decodes_and_structures() -> None:
    assert Registry().parse_json(b"[1, 2]", list[int]) == [1, 2]
    with pytest.raises(ResponseValidationError) as info:
        Registry().parse_json(b'["1"]', list[int])
    assert info.value.errors[0].path == "$[0]"


@pytest.mark.skipif(
    platform.python_implementation() != "CPython" or STDLIB_FORCED,
    reason="orjson is a dependency on CPython only; this run forces the stdlib decoder",
)
def test_orjson_is_the_default_decoder_on_cpython() -> None:
    assert loads_orjson is not None
    assert typedresp._json.loads is loads_orjson


def test_orjson_is_an_install_requirement_on_cpython() -> None:
    requirements = importlib.metadata.requires("typedresp") or []
    required = [r for r in requirements if r.startswith("orjson") and "extra ==" not in r]
    assert required == ['orjson>=3.9; platform_python_implementation == "CPython"']
    assert 'orjson>=3.9; extra == "fast"' in requirements  # the old extra still resolves


@pytest.mark.skipif(not STDLIB_FORCED, reason="TYPEDRESP_TEST_JSON=stdlib is not set")
def test_the_forced_run_decodes_with_the_standard_library() -> None:
    assert typedresp._json.loads is loads_stdlib
