"""Strict conversions from JSON scalars to the standard library's value types.

Each converter takes the decoded JSON value and returns the typed value, or raises
`ValueError`/`TypeError`; the registry turns that into a path-qualified error using the
converter's ``expected`` description.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, time, timezone
from typing import Any

__all__ = ["SCALAR_CONVERTERS", "ScalarConverter", "scalar_converter"]


class ScalarConverter:
    """How one value type is built from JSON: the function and what it accepts."""

    __slots__ = ("accepts", "convert", "expected", "expected_str", "from_str", "narrow")

    def __init__(
        self,
        convert: Callable[[Any], Any],
        accepts: frozenset[type],
        expected: str,
        from_str: Callable[[str], Any] | None = None,
        *,
        expected_str: str | None = None,
        narrow: bool = False,
    ) -> None:
        self.convert = convert
        self.accepts = accepts
        self.expected = expected
        """What error messages say was expected."""
        self.expected_str = expected if expected_str is None else expected_str
        """The same, for a string that failed to parse."""
        self.from_str = from_str
        """A quicker path for ``str`` values, called directly by generated code."""
        self.narrow = narrow
        """Tried first in a union: it parses strings that a wider type would parse too
        (``"2024-05-01"`` is a ``date``, also to ``datetime.fromisoformat``)."""


def _datetime_from_json(value: Any) -> datetime:
    cls = value.__class__
    if cls is str:
        return _parse_iso_datetime(value)
    if cls is int or cls is float:
        return datetime.fromtimestamp(value, timezone.utc)
    raise TypeError("not a string or a number")


if sys.version_info >= (3, 11):
    _parse_iso_datetime = datetime.fromisoformat
else:

    def _parse_iso_datetime(text: str) -> datetime:
        # As on 3.11 and later: "Z" is UTC, a lower-case "z" is refused.
        if text[-1:] == "Z":
            text = text[:-1] + "+00:00"
        return datetime.fromisoformat(text)


def _date_from_json(value: Any) -> date:
    if value.__class__ is not str:
        raise TypeError("not a string")
    return date.fromisoformat(value)


def _time_from_json(value: Any) -> time:
    if value.__class__ is not str:
        raise TypeError("not a string")
    if sys.version_info < (3, 11) and value[-1:] == "Z":
        value = value[:-1] + "+00:00"
    return time.fromisoformat(value)


def _uuid_converter(uuid_class: type) -> ScalarConverter:
    def uuid_from_json(value: Any) -> Any:
        if value.__class__ is not str:
            raise TypeError("not a string")
        return uuid_class(value)

    return ScalarConverter(uuid_from_json, frozenset({str}), "UUID string", uuid_class)


_INT64_LIMIT = 2.0**63
"""From here on, an integral float may be an integer that lost digits in decoding."""


def _decimal_converter(decimal_class: type) -> ScalarConverter:
    import decimal  # imported already: `decimal_class` is decimal.Decimal

    def decimal_from_json(value: Any) -> decimal.Decimal:
        cls = value.__class__
        if cls is str or cls is int:
            result = decimal.Decimal(value)
        elif cls is float:
            if value.is_integer() and abs(value) >= _INT64_LIMIT:
                # orjson decodes an integer beyond 64 bits as a float: its digits are lost.
                raise ValueError("an integer too large to be exact once decoded")
            result = decimal.Decimal(repr(value))
        else:
            raise TypeError("not a string or a number")
        if not result.is_finite():
            raise decimal.InvalidOperation("not a finite number")
        return result

    return ScalarConverter(decimal_from_json, frozenset({str, int, float}), "decimal number")


SCALAR_CONVERTERS: dict[type, ScalarConverter] = {
    datetime: ScalarConverter(
        _datetime_from_json,
        frozenset({str, int, float}),
        "ISO-8601 string or unix seconds",
        _parse_iso_datetime,
        expected_str="ISO-8601 datetime",
    ),
    date: ScalarConverter(
        _date_from_json, frozenset({str}), "ISO-8601 date", date.fromisoformat, narrow=True
    ),
    time: ScalarConverter(_time_from_json, frozenset({str}), "ISO-8601 time", narrow=True),
}
"""The built-in converters, by target type (`uuid.UUID` and `decimal.Decimal` join on
first use)."""

_LATE_CONVERTERS: dict[tuple[str, str], Callable[[type], ScalarConverter]] = {
    ("uuid", "UUID"): _uuid_converter,
    ("decimal", "Decimal"): _decimal_converter,
}


def scalar_converter(tp: Any) -> ScalarConverter | None:
    """The converter for a standard-library value type, or None.

    `uuid` and `decimal` are not imported for this (each would lengthen every cold start):
    a program whose types mention `uuid.UUID` or `decimal.Decimal` has imported
    it already.
    """
    if type(tp) is not type:  # each is a plain class; an alias or union is none of them
        return None
    converter = SCALAR_CONVERTERS.get(tp)
    if converter is None:
        for (module_name, name), make in _LATE_CONVERTERS.items():
            module = sys.modules.get(module_name)
            if module is not None and tp is getattr(module, name):
                converter = SCALAR_CONVERTERS[tp] = make(tp)
                break
    return converter
