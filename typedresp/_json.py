"""JSON decoding that turns every bad or hostile document into a `ResponseValidationError`.

orjson is used when it is installed (a dependency on CPython); the standard library otherwise.
Both reject what is valid-looking but hostile: NaN and Infinity literals, numbers that
overflow a float (``1e400``), lone surrogates, integers too long to convert cheaply and
nesting deep enough to exhaust the stack.

Duplicate keys in an object are not an error: the last one wins, as in both decoders
(RFC 8259 leaves it to the parser; rejecting them would cost every object a check).

One difference remains: orjson decodes an integer beyond 64 bits as a float, the standard
library as an int. A strict ``int`` field then rejects it with a validation error (it is
never silently rounded into an int); ``Any`` and ``float`` targets get the float. Finding
such integers before decoding would cost more than orjson's whole decode.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from typing import Any, cast

from ._exceptions import ResponseValidationError, ValidationErrorItem

__all__ = ["decode_text", "loads"]


MAX_INT_DIGITS = 4300  # Python's own default for int <-> str conversions (PEP 651 era).

_INFINITY = float("inf")
# A pattern, compiled (and cached by `re`) on first use: with orjson it is never needed.
_LONE_SURROGATE_ESCAPE = r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}"


def decode_text(data: bytes | bytearray | memoryview | str) -> str:
    """The body as text, with invalid UTF-8 replaced: what an error keeps as its ``body``."""
    if isinstance(data, str):
        return data
    return bytes(data).decode("utf-8", errors="replace")


def _invalid(data: bytes | bytearray | memoryview | str, reason: str) -> ResponseValidationError:
    return ResponseValidationError(
        [ValidationErrorItem("$", f"invalid JSON: {reason}")], body=decode_text(data)
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse_float(text: str) -> float:
    value = float(text)
    if value == _INFINITY or value == -_INFINITY:
        raise ValueError(f"number {text[:20]!r} is infinity when parsed as a float")
    return value


def _parse_int(digits: str) -> int:
    if len(digits) > MAX_INT_DIGITS:
        raise ValueError(f"integer with {len(digits)} digits is too long")
    return int(digits)


def _check_strings(value: Any) -> None:
    """Raise if any string in a decoded document holds a lone surrogate (iteratively)."""
    pending: list[object] = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            item.encode("utf-8")
        elif isinstance(item, dict):
            for key, child in cast("dict[str, object]", item).items():
                key.encode("utf-8")
                pending.append(child)
        elif isinstance(item, list):
            pending.extend(cast("list[object]", item))


def loads_stdlib(data: bytes | bytearray | memoryview | str) -> Any:
    """Decode with the standard library, as strictly as orjson does."""
    try:
        text = data if isinstance(data, str) else bytes(data).decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        value = json.loads(
            text, parse_constant=_reject_constant, parse_float=_parse_float, parse_int=_parse_int
        )
        if re.search(_LONE_SURROGATE_ESCAPE, text):
            _check_strings(value)
    except RecursionError:
        raise _invalid(data, "nesting too deep") from None
    except UnicodeDecodeError as exc:
        raise _invalid(data, f"not valid UTF-8 text ({exc.reason})") from None
    except UnicodeEncodeError:
        raise _invalid(data, "a string holds a lone surrogate") from None
    except ValueError as exc:
        raise _invalid(data, str(exc)) from None
    return value


def _make_orjson_loads() -> Callable[[bytes | bytearray | memoryview | str], Any] | None:
    try:
        import orjson
    except ImportError:
        return None
    orjson_loads = orjson.loads
    decode_error = orjson.JSONDecodeError

    def loads_orjson(data: bytes | bytearray | memoryview | str) -> Any:
        """Decode with orjson (which already rejects NaN, lone surrogates, deep nesting)."""
        if data[:3] == codecs.BOM_UTF8:
            data = data[3:]
        try:
            return orjson_loads(data)
        except decode_error as exc:
            raise _invalid(data, str(exc)) from None

    return loads_orjson


loads_orjson = _make_orjson_loads()

loads: Callable[[bytes | bytearray | memoryview | str], Any] = loads_orjson or loads_stdlib
"""Decode a JSON document, raising `ResponseValidationError` (path ``$``) when it is bad.

>>> loads(b'{"id": 1}')
{'id': 1}
"""
