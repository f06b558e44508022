"""Properties of Registry.structure over random types and values, and under threads."""

from __future__ import annotations

import dataclasses
import enum
import threading
from collections.abc import Callable
from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import Annotated, Any, Literal, NewType, Optional, TypedDict, Union
from uuid import UUID

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typedresp import Registry, ResponseValidationError


class Shade(enum.Enum):
    LIGHT = "light"
    DARK = "dark"


@attrs.define
class Point:
    x: int
    y: float
    label: Optional[str] = None


@attrs.define
class Shape:
    kind: Literal["shape"]
    points: list[Point]
    shade: Shade
    seen: datetime


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)

timestamps = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.just(timezone.utc)
)

LEAVES: list[tuple[Any, st.SearchStrategy[Any]]] = [
    (int, st.integers()),
    (str, st.text(max_size=8)),
    (float, st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(2**53), 2**53)),
    (bool, st.booleans()),
    (type(None), st.none()),
    (Any, json_values),
    (datetime, timestamps.map(datetime.isoformat) | st.integers(0, 2**32)),
    (Literal["a", "b"], st.sampled_from(["a", "b"])),
    (Shade, st.sampled_from(["light", "dark"])),
    (Union[int, str], st.integers() | st.text(max_size=4)),
    (Point, st.fixed_dictionaries({"x": st.integers(), "y": st.floats(-10, 10)})),
    (
        Shape,
        st.fixed_dictionaries(
            {
                "kind": st.just("shape"),
                "points": st.lists(st.fixed_dictionaries({"x": st.integers(), "y": st.just(1)})),
                "shade": st.sampled_from(["light", "dark"]),
                "seen": st.just("2024-01-01T00:00:00Z"),
            }
        ),
    ),
]


def _extend(
    children: st.SearchStrategy[tuple[Any, st.SearchStrategy[Any]]],
) -> st.SearchStrategy[tuple[Any, st.SearchStrategy[Any]]]:
    return st.one_of(
        children.map(lambda c: (list[c[0]], st.lists(c[1], max_size=3))),
        children.map(
            lambda c: (dict[str, c[0]], st.dictionaries(st.text(max_size=4), c[1], max_size=3))
        ),
        children.map(lambda c: (Optional[c[0]], st.none() | c[1])),
        children.map(lambda c: (tuple[c[0], int], st.tuples(c[1], st.integers()).map(list))),
    )


typed_values = st.recursive(st.sampled_from(LEAVES), _extend, max_leaves=3)


def conforms(value: Any, tp: Any) -> bool:
    """Whether ``value`` is an instance of the (supported subset of) type ``tp``."""
    if tp is Any:
        return True
    if tp in (int, str, bool, float, type(None)):
        return type(value) is tp
    if tp is datetime:
        return isinstance(value, datetime)
    if getattr(tp, "__origin__", None) is Literal:
        return value in tp.__args__
    if tp == Union[int, str]:
        return type(value) in (int, str)
    if isinstance(tp, type) and attrs.has(tp):
        attrs.resolve_types(tp)
        return isinstance(value, tp) and all(
            conforms(getattr(value, a.name), a.type) for a in attrs.fields(tp)
        )
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return isinstance(value, tp)
    origin, args = getattr(tp, "__origin__", None), getattr(tp, "__args__", ())
    if origin is list:
        return type(value) is list and all(conforms(item, args[0]) for item in value)
    if origin is dict:
        return type(value) is dict and all(
            type(k) is str and conforms(v, args[1]) for k, v in value.items()
        )
    if origin is tuple:
        return type(value) is tuple and all(
            conforms(v, a) for v, a in zip(value, args, strict=False)
        )
    if origin is Union:
        return any(conforms(value, arg) for arg in args)
    raise AssertionError(f"no conformance rule for {tp!r}")


registry = Registry()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(typed=typed_values, data=st.data())
def test_any_json_value_gives_an_instance_of_the_type_or_a_validation_error(
    typed: tuple[Any, st.SearchStrategy[Any]], data: st.DataObject
) -> None:
    tp = typed[0]
    value = data.draw(json_values | typed[1])
    try:
        result = registry.structure(value, tp)
    except ResponseValidationError as error:
        assert error.errors
        assert all(item.path.startswith("$") for item in error.errors)
    else:
        assert conforms(result, tp)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(typed=typed_values, data=st.data())
def test_a_value_made_for_the_type_always_structures(
    typed: tuple[Any, st.SearchStrategy[Any]], data: st.DataObject
) -> None:
    tp, values = typed
    result = registry.structure(data.draw(values), tp)
    assert conforms(result, tp)


def test_sixteen_threads_parse_while_another_registers_hooks() -> None:
    shared = Registry()
    payload = {"kind": "shape", "points": [{"x": 1, "y": 2}] * 20, "shade": "dark", "seen": 0}
    allowed_x = {1, 100, 200}
    failures: list[BaseException] = []
    stop = threading.Event()

    def parse() -> None:
        try:
            while not stop.is_set():
                shape = shared.structure(payload, Shape)
                assert {p.x for p in shape.points} <= allowed_x
                assert len({p.x for p in shape.points}) == 1
        except BaseException as exc:
            failures.append(exc)

    def register() -> None:
        try:
            for round_ in range(200):
                factor = 100 if round_ % 2 else 200
                shared.register_structure_hook(int, lambda v, _, f=factor: v * f)
        except BaseException as exc:
            failures.append(exc)

    parsers = [threading.Thread(target=parse) for _ in range(16)]
    registrar = threading.Thread(target=register)
    for thread in parsers:
        thread.start()
    registrar.start()
    registrar.join(timeout=60)
    stop.set()
    for thread in parsers:
        thread.join(timeout=60)
    assert not failures, failures[:3]
    assert shared.structure(payload, Shape).points[0].x == 100  # the last hook (round 199) won


@pytest.mark.parametrize("tp", [Shape, list[Point]])
def test_many_threads_compiling_the_same_type_agree(tp: Any) -> None:
    shared = Registry()
    value = (
        [{"x": 1, "y": 2}]
        if tp != Shape
        else {"kind": "shape", "points": [], "shade": "light", "seen": 1}
    )
    results: list[Any] = []
    barrier = threading.Barrier(16)

    def run() -> None:
        barrier.wait()
        results.append(shared.structure(value, tp))

    threads = [threading.Thread(target=run) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 16
    assert all(result == results[0] for result in results)


# --- fuzzing: any value, any target kind, nothing but ResponseValidationError ----------


class Count(enum.IntEnum):
    ONE = 1
    TWO = 2


@attrs.define
class Cat:
    type: Literal["cat"]
    lives: int


@attrs.define
class Dog:
    type: Literal["dog"]
    tricks: list[str] = attrs.Factory(list)


@attrs.frozen
class Positive:
    value: float = attrs.field(validator=attrs.validators.gt(0))


@dataclasses.dataclass
class Visit:
    when: datetime
    note: Optional[str] = None


class Totals(TypedDict, total=False):
    count: int
    visits: list[Visit]


@attrs.define
class Folder:
    children: list[Folder]
    title: str = attrs.field(alias="Title")


PetId = NewType("PetId", int)

FUZZ_TARGETS: list[Any] = [
    int, float, str, bool, None, Any, object, datetime, date, time, UUID, Decimal, Count, Shade,
    Literal[1, "1", True, None], Cat, Union[Cat, Dog], Positive, Visit, Totals, Folder, PetId,
    Annotated[int, "meta"], list[int], dict[str, int], dict[int, str], set[int], frozenset[str],
    tuple[int, str], tuple[int, ...], tuple[()], Optional[Cat], Union[int, datetime, str],
    Union[Count, str], Union[list[int], dict[str, int], None], dict[str, list[Optional[Folder]]],
]  # fmt: skip


class Hostile:
    """A value no JSON decoder makes, whose every dunder fails."""

    def __repr__(self) -> str:
        raise RuntimeError("repr")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __hash__(self) -> int:
        raise RuntimeError("hash")

    def __iter__(self) -> Any:
        raise RuntimeError("iter")


class TextSubclass(str):
    pass


def _nested(depth: int, make: Callable[[Any], Any]) -> Any:
    value: Any = []
    for _ in range(depth):
        value = make(value)
    return value


# Built lazily: hypothesis shows the strategy, and a 5000-digit int cannot be shown.
HOSTILE_VALUES: list[Callable[[], Any]] = [
    lambda: 10**5000,
    lambda: -(10**5000),
    lambda: float("inf"),
    lambda: float("nan"),
    lambda: 2**64,
    lambda: b"bytes",
    lambda: (1, 2),
    lambda: {1, 2},
    lambda: {1: 2},
    lambda: "\ud800",
    lambda: "1e999999",
    object,
    Hostile,
    lambda: TextSubclass("cat"),
    lambda: [Hostile()],
    lambda: {"type": Hostile(), "lives": 1},
    lambda: {"type": "cat", "lives": Hostile()},
    lambda: _nested(3000, lambda inner: [inner]),
    lambda: _nested(600, lambda inner: {"children": [inner], "Title": "t"}),
]

fuzz_values = st.recursive(
    json_values
    | st.floats()
    | st.sampled_from(["cat", "dog", "1", "2024-01-01", "12:00:00", "2024-01-01T00:00:00Z"])
    | st.sampled_from(range(len(HOSTILE_VALUES))).map(lambda i: HOSTILE_VALUES[i]()),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["type", "lives", "tricks", "value", "when", "count", "Title", "-3"])
            | st.text(max_size=4),
            children,
            max_size=4,
        )
    ),
    max_leaves=15,
)

fuzz_registries = [Registry(), Registry(strict=False)]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tp=st.sampled_from(FUZZ_TARGETS), value=fuzz_values, tolerant=st.booleans())
def test_any_value_for_any_target_kind_gives_a_result_or_a_validation_error(
    tp: Any, value: Any, tolerant: bool
) -> None:
    try:
        fuzz_registries[tolerant].structure(value, tp)
    except ResponseValidationError as error:
        assert error.errors
        assert str(error)  # showing it never fails either
