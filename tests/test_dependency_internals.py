"""The private parts of httpx and attrs typedresp relies on are still what it expects.

Each test fails loudly when a new release of the dependency changes one of them, so the
fast path that reads it is re-checked (ARCHITECTURE.md lists each place and why it is
kept). The cattrs internals are pinned in ``tests/test_cattrs_core.py``.
"""

from __future__ import annotations

import attrs
import httpx

from typedresp._object_nodes import plain_attrs_class


def test_httpx_headers_keep_raw_key_lowercased_key_and_value_triples() -> None:
    headers = httpx.Headers([("Content-Type", "application/json"), ("X-A", "1")])
    assert headers._list == [  # read by typedresp._body.response_content_type
        (b"Content-Type", b"content-type", b"application/json"),
        (b"X-A", b"x-a", b"1"),
    ]


def test_a_body_stored_in_an_httpx_responses_content_is_its_content_and_text() -> None:
    response = httpx.Response(
        200,
        headers={"content-type": "text/plain; charset=utf-8"},
        stream=httpx.ByteStream(b"never streamed"),
    )
    response._content = b"read in bounded steps"  # written by typedresp._response.read
    assert response.content == b"read in bounded steps"
    assert response.text == "read in bounded steps"
    assert response.read() == b"read in bounded steps"  # not streamed again


@attrs.define
class Plain:
    a: int
    b: str = "x"


@attrs.frozen
class Frozen:
    a: int


@attrs.define
class Validated:
    a: int = attrs.field(validator=attrs.validators.instance_of(int))


def test_attrs_marks_its_generated_init_and_plain_classes_are_told_apart() -> None:
    assert "attrs generated" in Plain.__init__.__code__.co_filename
    assert plain_attrs_class(Plain)
    assert not plain_attrs_class(Frozen)
    assert not plain_attrs_class(Validated)
