"""Generated code: a local variable never takes the name of another one.

`Emitter.local` names a variable ``_{hint}{counter}``: the hint ``x1`` with counter 1 and
the hint ``x`` with counter 11 both give ``_x11``. Since nested classes are built inline and
lists of them by a loop, one generated function holds many more names, and a field whose
name ends in digits (``x1``, ``line2``, ``sha256``) is overwritten by a later variable: the
fast path then returns a wrong object, silently (the detailed pass never runs). Names
that are not ASCII identifiers broke the generated code too, so that every value took the
slow detailed pass.
"""

from __future__ import annotations

from typing import Literal

import attrs

from typedresp import Registry


@attrs.define
class Point:
    x: float
    y: float


@attrs.define
class Chart:
    x1: float
    x2: float
    y1: float
    y2: float
    title: str
    subtitle: str
    unit: str
    points: list[Point]


@attrs.define
class Child:
    a: int
    b: int
    c: int
    d: int
    e: int
    x: str


@attrs.define
class Parent:
    x1: str
    child: Child


@attrs.define
class Flat:
    x1: str
    a: int
    b: int
    c: int
    d: int
    e: int
    f: int
    g: int
    x: str


def test_a_loop_over_inlined_items_keeps_the_parents_fields() -> None:
    data = {
        "x1": 0,
        "x2": 10,
        "y1": 0,
        "y2": 5,
        "title": "t",
        "subtitle": "s",
        "unit": "m",
        "points": [{"x": 1, "y": 2}, {"x": 3, "y": 4}],
    }
    chart = Registry().structure(data, Chart)
    assert chart.x1 == 0.0  # was Point(x=3.0, y=4.0): the loop variable took its name


def test_an_inlined_child_keeps_the_parents_fields() -> None:
    data = {"x1": "parent", "child": {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "x": "child"}}
    parent = Registry().structure(data, Parent)
    assert parent.x1 == "parent"
    assert parent.child.x == "child"


def test_fields_of_one_class_keep_their_values() -> None:
    data = {"x1": "first", "a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "x": "last"}
    flat = Registry().structure(data, Flat)
    assert flat.x1 == "first"
    assert flat.x == "last"


@attrs.define
class Area:
    unit: Literal["m²", "ft²"]
    sizes: dict[str, Literal["m²"]]


def test_names_that_are_not_ascii_identifiers_compile() -> None:
    area = Registry().structure({"unit": "m²", "sizes": {"a": "m²"}}, Area)
    assert (area.unit, area.sizes) == ("m²", {"a": "m²"})
    assert Registry().structure("m²", Literal["m²"]) == "m²"  # its function is named after it
    # Python reads the name "ﬁx" as "fix" (NFKC): a global bound under it must still be found.
    made = attrs.make_class("Eﬃcient", {"ﬁx": attrs.field(type=int)})
    assert Registry().structure({"ﬁx": 1}, made) == made(1)
