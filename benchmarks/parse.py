"""The parse comparison: which payloads, which contenders, and the equality check.

A :class:`Case` is one payload with the equivalent target type for every library. A
:class:`Contender` turns a case into a zero-argument callable that does the timed work,
bytes to typed object (or, for the floors, only part of it). Before anything is timed,
:func:`check_results` runs every checked contender once and asserts that its result,
reduced by :func:`to_plain`, equals pydantic's: same classes, same field values, same
Python types down to ``int`` versus ``float`` and enum versus ``str``.

To add a library, append a :class:`Contender`; to add a payload, append to :func:`cases`.
"""

import dataclasses
import datetime
import enum
import functools
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import orjson
import pydantic

from . import models_attrs, models_pydantic, payloads

__all__ = [
    "CONTENDERS",
    "REFERENCE",
    "Case",
    "Contender",
    "cases",
    "check_results",
    "first_difference",
    "to_plain",
]


@dataclasses.dataclass(frozen=True)
class Case:
    """One payload and the equivalent target type for each library."""

    name: str
    data: bytes
    attrs_type: Any
    pydantic_type: type[pydantic.BaseModel]


@dataclasses.dataclass(frozen=True)
class Contender:
    """A way to turn a case's bytes into objects.

    ``prepare(case)`` does the untimed setup (imports, building a registry, decoding for
    the structure-only contender) and returns the callable that is timed. ``checked`` is
    False for the floors, whose results are plain JSON values, not typed objects.
    """

    name: str
    prepare: Callable[[Case], Callable[[], object]]
    checked: bool = True


def cases() -> list[Case]:
    """The payloads of the parse comparison, generated afresh (deterministically)."""
    return [
        Case(
            name="chat_completion",
            data=payloads.chat_completion(),
            attrs_type=models_attrs.ChatCompletion,
            pydantic_type=models_pydantic.ChatCompletion,
        ),
        Case(
            name="list_page_1000",
            data=payloads.list_page(1000),
            attrs_type=models_attrs.Page[models_attrs.Item],
            pydantic_type=models_pydantic.Page[models_pydantic.Item],
        ),
    ]


@functools.cache
def _registry() -> Any:
    # One registry for the whole run, as an SDK holds one; imported late so that the
    # pydantic side can be run and checked on its own.
    from typedresp import Registry

    return Registry()


def _typedresp(case: Case) -> Callable[[], object]:
    registry = _registry()
    structure, loads, target, data = registry.structure, registry.loads, case.attrs_type, case.data
    return lambda: structure(loads(data), target)


def _typedresp_structure(case: Case) -> Callable[[], object]:
    registry = _registry()
    decoded = registry.loads(case.data)
    return functools.partial(registry.structure, decoded, case.attrs_type)


def _pydantic(case: Case) -> Callable[[], object]:
    return functools.partial(case.pydantic_type.model_validate_json, case.data)


def _orjson(case: Case) -> Callable[[], object]:
    return functools.partial(orjson.loads, case.data)


#: The contender every ratio is taken against.
REFERENCE = "pydantic"

CONTENDERS: list[Contender] = [
    Contender("typedresp", _typedresp),
    Contender("typedresp structure", _typedresp_structure),
    Contender(REFERENCE, _pydantic),
    Contender("orjson.loads", _orjson, checked=False),
]


def to_plain(value: Any) -> Any:
    """Reduce a parse result to plain, strictly comparable data.

    attrs instances and pydantic models become dicts of their fields plus the class name
    (generic parameters dropped, so ``Page`` and ``Page[Item]`` agree); every scalar is
    tagged with its exact type, so that ``1 != 1.0``, ``True != 1`` and
    ``Status.ACTIVE != "active"`` here although Python says otherwise.
    """
    cls = type(value)
    if attrs.has(cls):
        fields = {f.name: to_plain(getattr(value, f.name)) for f in attrs.fields(cls)}
        return {"__class__": cls.__name__.partition("[")[0], **fields}
    if isinstance(value, pydantic.BaseModel):
        fields = {name: to_plain(getattr(value, name)) for name in cls.model_fields}
        return {"__class__": cls.__name__.partition("[")[0], **fields}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, tuple):
        return ("tuple", [to_plain(v) for v in value])
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, enum.Enum):
        return (f"enum {cls.__name__}", value.value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return (cls.__name__, value.isoformat())
    return (cls.__name__, value)


def first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    """The path of the first place where two plain values differ, or None if equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() | b.keys():
            if key not in a or key not in b:
                return f"{path}.{key} (missing on one side)"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path} (lengths {len(a)} != {len(b)})"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def check_results(case: Case, contenders: Sequence[Contender] = CONTENDERS) -> None:
    """Run each checked contender once on ``case``; assert all agree with pydantic.

    Raises AssertionError naming the contender and the first differing path.
    """
    expected = to_plain(_pydantic(case)())
    for contender in contenders:
        if not contender.checked or contender.name == REFERENCE:
            continue
        got = to_plain(contender.prepare(case)())
        difference = first_difference(got, expected)
        if difference is not None:
            raise AssertionError(
                f"{case.name}: {contender.name} disagrees with {REFERENCE} at {difference}"
            )
