"""Registry.structure: every type form, strict and tolerant."""

from __future__ import annotations

import collections
import collections.abc
import dataclasses
import enum
import sys
import typing
import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, NewType, Optional, TypeVar, Union

import attrs
import pytest
import typing_extensions

from typedresp import Registry, ResponseValidationError
from typedresp._exceptions import ErrorList
from typedresp._nodes import INVALID

T = TypeVar("T")


@pytest.fixture
def registry() -> Registry:
    return Registry()


@pytest.fixture
def tolerant() -> Registry:
    return Registry(strict=False)


def rejects(registry: Registry, value: Any, tp: Any) -> ResponseValidationError:
    with pytest.raises(ResponseValidationError) as info:
        registry.structure(value, tp)
    return info.value


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@attrs.define
class User:
    id: int
    name: str
    email: Optional[str] = None
    tags: list[str] = attrs.Factory(list)


@attrs.define
class Page(Generic[T]):
    data: list[T]
    has_more: bool = False


# ---------------------------------------------------------------------------- scalars


@pytest.mark.parametrize(
    ("tp", "value"),
    [(int, 5), (int, -(2**70)), (str, "x"), (str, ""), (bool, True), (float, 1.5), (None, None)],
)
def test_scalars_of_their_own_json_class_are_kept(registry: Registry, tp: Any, value: Any) -> None:
    assert registry.structure(value, tp) == value


@pytest.mark.parametrize(
    ("tp", "value"),
    [
        (int, "12"),
        (int, 1.5),
        (int, 1.0),
        (int, True),
        (str, 5),
        (str, None),
        (float, True),
        (float, "1.5"),
        (bool, 1),
        (bool, "true"),
        (None, 0),
        (int, None),
        (list[str], "abc"),
        (dict[str, int], [["a", 1]]),
    ],
)
def test_strict_mode_rejects_values_of_another_json_class(
    registry: Registry, tp: Any, value: Any
) -> None:
    error = rejects(registry, value, tp)
    assert [item.path for item in error.errors] == ["$"]
    assert repr(value)[:20] in error.errors[0].message


def test_json_int_is_accepted_for_float_and_becomes_a_float(registry: Registry) -> None:
    result = registry.structure(3, float)
    assert result == 3.0
    assert type(result) is float


def test_an_int_too_large_for_a_float_is_an_error_not_an_overflow(registry: Registry) -> None:
    error = rejects(registry, 10**400, float)
    assert "too large" in error.errors[0].message


def test_tolerant_mode_still_rejects_wrong_scalar_types(tolerant: Registry) -> None:
    rejects(tolerant, "12", int)
    rejects(tolerant, 5, str)


@pytest.mark.parametrize("tp", [Any, object])
def test_any_and_object_pass_the_decoded_value_through(registry: Registry, tp: Any) -> None:
    value = {"a": [1, None, "x"]}
    assert registry.structure(value, tp) is value


# ---------------------------------------------------------------------------- stdlib values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T12:34:56Z", datetime(2024, 5, 1, 12, 34, 56, tzinfo=timezone.utc)),
        (
            "2024-05-01T12:34:56+02:00",
            datetime(2024, 5, 1, 12, 34, 56, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2024-05-01T12:34:56.250000", datetime(2024, 5, 1, 12, 34, 56, 250000)),
    ],
)
def test_datetimes_come_from_iso_8601_strings(
    registry: Registry, text: str, expected: datetime
) -> None:
    result = registry.structure(text, datetime)
    assert result == expected
    assert result.tzinfo == expected.tzinfo


def test_a_datetime_string_without_offset_stays_naive(registry: Registry) -> None:
    assert registry.structure("2024-05-01T00:00:00", datetime).tzinfo is None


@pytest.mark.parametrize("stamp", [1714566896, 1714566896.0])
def test_numeric_unix_timestamps_become_utc_aware_datetimes(
    registry: Registry, stamp: float
) -> None:
    result = registry.structure(stamp, datetime)
    assert result == datetime(2024, 5, 1, 12, 34, 56, tzinfo=timezone.utc)


def test_a_bool_is_not_a_timestamp(registry: Registry) -> None:
    rejects(registry, True, datetime)


def test_a_bad_datetime_names_the_format_and_the_value(registry: Registry) -> None:
    error = rejects(registry, "yesterday", datetime)
    assert str(error.errors[0]) == "$: expected ISO-8601 datetime, got 'yesterday'"


@pytest.mark.parametrize(
    ("tp", "good", "expected", "bad"),
    [
        (date, "2024-05-01", date(2024, 5, 1), "May 1st"),
        (time, "12:30:00", time(12, 30), "noon"),
        (
            uuid.UUID,
            "12345678-1234-5678-1234-567812345678",
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "not-a-uuid",
        ),
        (Decimal, "12.50", Decimal("12.50"), "twelve"),
        (Decimal, 3, Decimal(3), "NaN"),
    ],
)
def test_stdlib_value_types_parse_their_json_forms_and_reject_others(
    registry: Registry, tp: Any, good: Any, expected: Any, bad: Any
) -> None:
    assert registry.structure(good, tp) == expected
    error = rejects(registry, bad, tp)
    assert repr(bad) in error.errors[0].message


def test_decimal_from_a_json_float_keeps_its_shortest_repr(registry: Registry) -> None:
    assert registry.structure(0.1, Decimal) == Decimal("0.1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T12:30:00Z", datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)),
        ("12:30:00Z", time(12, 30, tzinfo=timezone.utc)),
    ],
)
def test_an_upper_case_z_is_utc_on_every_python(
    registry: Registry, text: str, expected: datetime | time
) -> None:
    result = registry.structure(text, type(expected))
    assert result == expected
    assert result.tzinfo == timezone.utc


@pytest.mark.parametrize(("text", "tp"), [("2024-05-01T12:30:00z", datetime), ("12:30:00z", time)])
def test_a_lower_case_z_is_refused_on_every_python(registry: Registry, text: str, tp: Any) -> None:
    # What Python 3.11 and later decide (and DESIGN.md promises only "Z"); 3.10 took it.
    rejects(registry, text, tp)


@pytest.mark.parametrize(
    ("tp", "bad", "message"),
    [
        (date, "May 1st", "expected ISO-8601 date, got 'May 1st'"),
        (time, "noon", "expected ISO-8601 time, got 'noon'"),
        (uuid.UUID, "not-a-uuid", "expected UUID string, got 'not-a-uuid'"),
        (uuid.UUID, 12, "expected UUID string, got 12"),
        (Decimal, "twelve", "expected decimal number, got 'twelve'"),
        (Decimal, [1], "expected decimal number, got [1]"),
    ],
)
def test_a_rejected_stdlib_value_names_what_is_expected(
    registry: Registry, tp: Any, bad: Any, message: str
) -> None:
    assert rejects(registry, bad, tp).errors[0].message == message


@pytest.mark.parametrize("tp", [uuid.UUID, Decimal])
def test_an_optional_late_scalar_takes_null_and_its_string(registry: Registry, tp: Any) -> None:
    text = "12345678-1234-5678-1234-567812345678" if tp is uuid.UUID else "1.5"
    assert registry.structure(None, Optional[tp]) is None
    assert registry.structure(text, Optional[tp]) == tp(text)
    assert registry.structure([text, None], list[Optional[tp]]) == [tp(text), None]


def test_a_date_string_beside_datetime_is_a_date(registry: Registry) -> None:
    assert registry.structure("2024-05-01", Union[datetime, date]) == date(2024, 5, 1)
    assert type(registry.structure("2024-05-01", Union[datetime, date])) is date


def test_a_time_string_beside_str_is_a_time(registry: Registry) -> None:
    assert registry.structure("12:30", Union[str, time]) == time(12, 30)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="3.10 parses no basic-format date")
def test_a_string_both_a_date_and_a_decimal_is_a_date(registry: Registry) -> None:
    assert registry.structure("20240501", Union[Decimal, date]) == date(2024, 5, 1)


def test_a_decimal_refuses_a_float_of_2_to_the_63(registry: Registry) -> None:
    message = rejects(registry, 2.0**63, Decimal).errors[0].message
    expected = "expected decimal number, got 9.223372036854776e+18"
    assert message == f"{expected} (an integer too large to be exact once decoded)"


# ---------------------------------------------------------------------------- enums, Literal


def test_enum_members_come_from_their_values(registry: Registry) -> None:
    assert registry.structure("red", Color) is Color.RED
    assert registry.structure(2, Level) is Level.HIGH


def test_strict_enum_rejects_unknown_values_naming_the_known_ones(registry: Registry) -> None:
    error = rejects(registry, "blue", Color)
    assert error.errors[0].message == "expected one of 'red', 'green', got 'blue'"


def test_an_int_enum_rejects_bools_and_numeric_strings(registry: Registry) -> None:
    rejects(registry, True, Level)
    rejects(registry, "1", Level)


def test_tolerant_enum_keeps_an_unknown_value_equal_to_the_wire_value(
    tolerant: Registry,
) -> None:
    result = tolerant.structure("blue", Color)
    assert result == "blue"
    assert not isinstance(result, Color)
    assert tolerant.structure("red", Color) is Color.RED


def test_tolerant_enum_still_rejects_a_value_of_the_wrong_json_class(tolerant: Registry) -> None:
    rejects(tolerant, 5, Color)


def test_literal_accepts_only_its_values(registry: Registry) -> None:
    tp = Literal["a", "b"]
    assert registry.structure("a", tp) == "a"
    rejects(registry, "c", tp)
    rejects(registry, True, Literal[1])
    assert registry.structure(1, Literal[1]) == 1


def test_nested_literals_flatten(registry: Registry) -> None:
    tp = Literal[Literal["a"], "b"]  # noqa: RUF041 - the nesting is what is tested
    assert registry.structure("a", tp) == "a"
    assert registry.structure("b", tp) == "b"


def test_a_literal_of_an_enum_member_gives_the_member(registry: Registry) -> None:
    assert registry.structure("red", Literal[Color.RED]) is Color.RED


def test_tolerant_literal_keeps_unknown_values(tolerant: Registry) -> None:
    assert tolerant.structure("c", Literal["a", "b"]) == "c"


# ---------------------------------------------------------------------------- containers


@pytest.mark.parametrize(
    ("tp", "value", "expected"),
    [
        (list[int], [1, 2], [1, 2]),
        (typing.List[int], [1], [1]),  # noqa: UP006
        (collections.abc.Sequence[str], ["a"], ["a"]),
        (tuple[int, ...], [1, 2], (1, 2)),
        (tuple[int, str], [1, "a"], (1, "a")),
        (set[int], [1, 2, 2], {1, 2}),
        (frozenset[str], ["a"], frozenset({"a"})),
        (dict[str, int], {"a": 1}, {"a": 1}),
        (collections.abc.Mapping[str, float], {"a": 1}, {"a": 1.0}),
        (dict[int, str], {"1": "a", "-2": "b"}, {1: "a", -2: "b"}),
        (dict[Color, int], {"red": 1}, {Color.RED: 1}),
        (list, [1, "a", None], [1, "a", None]),
        (dict, {"a": [1]}, {"a": [1]}),
        (tuple, [1, "a"], (1, "a")),
    ],
)
def test_containers_are_built_from_json_arrays_and_objects(
    registry: Registry, tp: Any, value: Any, expected: Any
) -> None:
    result = registry.structure(value, tp)
    assert result == expected
    assert type(result) is type(expected)


def test_a_fixed_tuple_rejects_the_wrong_length(registry: Registry) -> None:
    error = rejects(registry, [1, "a", 3], tuple[int, str])
    assert error.errors[0].message == "expected an array of 2 items, got 3"


def test_int_dict_keys_must_be_plain_integers(registry: Registry) -> None:
    error = rejects(registry, {"1_0": "a"}, dict[int, str])
    assert error.errors[0].path == "$['1_0']"


def test_a_set_of_unhashable_items_is_an_error(registry: Registry) -> None:
    error = rejects(registry, [[1]], set[Any])
    assert "cannot build" in error.errors[0].message


# ---------------------------------------------------------------------------- classes


def test_attrs_class_with_defaults_and_factories(registry: Registry) -> None:
    user = registry.structure({"id": 1, "name": "Ada"}, User)
    assert user == User(id=1, name="Ada", email=None, tags=[])
    other = registry.structure({"id": 2, "name": "Bo"}, User)
    assert other.tags is not user.tags


def test_extra_keys_are_ignored_in_both_modes(registry: Registry, tolerant: Registry) -> None:
    value = {"id": 1, "name": "Ada", "added_later": {"x": 1}}
    assert registry.structure(value, User) == User(1, "Ada")
    assert tolerant.structure(value, User) == User(1, "Ada")


def test_json_null_is_not_accepted_for_a_field_with_a_default(registry: Registry) -> None:
    error = rejects(registry, {"id": 1, "name": "Ada", "tags": None}, User)
    assert error.errors[0].path == "$.tags"


def test_attrs_aliases_and_json_key_metadata_name_the_json_keys(registry: Registry) -> None:
    @attrs.define
    class Event:
        type_: str = attrs.field(alias="type")
        content_type: str = attrs.field(metadata={"json_key": "content-type"})
        _secret: int = 0

    event = registry.structure({"type": "t", "content-type": "json", "secret": 3}, Event)
    assert (event.type_, event.content_type, event._secret) == ("t", "json", 3)
    error = rejects(registry, {"type": "t", "content-type": 5}, Event)
    assert error.errors[0].path == "$['content-type']"


def test_kw_only_fields_and_defaults_that_need_self(registry: Registry) -> None:
    @attrs.define(kw_only=True)
    class Box:
        width: int
        height: int = attrs.field(default=attrs.Factory(lambda self: self.width, takes_self=True))
        label: str = "box"

    assert registry.structure({"width": 3}, Box) == Box(width=3, height=3, label="box")
    assert registry.structure({"width": 3, "height": 5}, Box).height == 5


def test_attrs_validators_run_and_their_errors_are_reported(registry: Registry) -> None:
    @attrs.define
    class Positive:
        n: int = attrs.field(validator=attrs.validators.gt(0))

    assert registry.structure({"n": 1}, Positive).n == 1
    error = rejects(registry, {"n": -1}, Positive)
    assert error.errors[0].path == "$"
    assert "ValueError" in error.errors[0].message
    assert error.__cause__ is error.errors[0].exception


def test_dataclasses_with_defaults_and_kw_only(registry: Registry) -> None:
    @dataclasses.dataclass
    class Point:
        x: float
        y: float = dataclasses.field(default=0.0, metadata={"json_key": "y-coord"})
        tags: list[str] = dataclasses.field(default_factory=list)
        label: str = dataclasses.field(default="p", kw_only=True)

    assert registry.structure({"x": 1}, Point) == Point(1.0, 0.0, [], label="p")
    assert registry.structure({"x": 1, "label": "q", "y-coord": 2}, Point) == Point(1, 2, label="q")


@dataclasses.dataclass
class Temperature:
    celsius: float = dataclasses.field(init=False)
    fahrenheit: dataclasses.InitVar[float]
    scale: typing.ClassVar[str] = "C"
    place: str = "here"
    precision: dataclasses.InitVar[int] = 1

    def __post_init__(self, fahrenheit: float, precision: int) -> None:
        self.celsius = round((fahrenheit - 32) * 5 / 9, precision)


def test_dataclass_init_vars_are_read_from_json_and_passed_to_init(registry: Registry) -> None:
    assert registry.structure({"fahrenheit": 212}, Temperature) == Temperature(212.0)
    hot = registry.structure({"fahrenheit": 100, "precision": 3, "place": "x"}, Temperature)
    assert (hot.celsius, hot.place) == (37.778, "x")
    assert rejects(registry, {"place": "x"}, Temperature).errors[0].path == "$.fahrenheit"
    error = rejects(registry, {"fahrenheit": 1, "precision": "3"}, Temperature)
    assert error.errors[0].path == "$.precision"
    assert registry.structure({"fahrenheit": 50, "scale": "K"}, Temperature).celsius == 10.0


def test_typeddicts_keep_only_declared_keys(registry: Registry) -> None:
    class Movie(typing_extensions.TypedDict):
        title: str
        year: typing_extensions.NotRequired[int]

    assert registry.structure({"title": "x", "extra": 1}, Movie) == {"title": "x"}
    assert registry.structure({"title": "x", "year": 1999}, Movie) == {"title": "x", "year": 1999}
    error = rejects(registry, {"year": "1999"}, Movie)
    assert sorted(item.path for item in error.errors) == ["$.title", "$.year"]


def test_generic_attrs_classes_substitute_their_parameters(registry: Registry) -> None:
    page = registry.structure({"data": [{"id": 1, "name": "a"}], "has_more": True}, Page[User])
    assert page == Page(data=[User(1, "a")], has_more=True)
    numbers = registry.structure({"data": [1, 2]}, Page[int])
    assert numbers.data == [1, 2]
    rejects(registry, {"data": ["1"]}, Page[int])


def test_concrete_subclasses_of_generic_classes(registry: Registry) -> None:
    @attrs.define
    class UserPage(Page[User]):
        total: int = 0

    page = registry.structure({"data": [{"id": 1, "name": "a"}], "total": 1}, UserPage)
    assert page.data == [User(1, "a")]


def test_recursive_classes(registry: Registry) -> None:
    tree = registry.structure(
        {"name": "root", "children": [{"name": "a", "children": [{"name": "b"}]}]}, Tree
    )
    assert tree.children[0].children[0] == Tree("b", [])
    error = rejects(registry, {"name": "r", "children": [{"name": "a", "children": [{}]}]}, Tree)
    assert error.errors[0].path == "$.children[0].children[0].name"


@attrs.define
class Tree:
    name: str
    children: list[Tree] = attrs.Factory(list)


@attrs.define
class Num:
    type: Literal["num"]
    value: int


@attrs.define
class Add:
    type: Literal["add"]
    left: Expr
    right: Expr


Expr = Union[Num, Add]


def test_a_recursive_tagged_union_dispatches_to_finished_functions(registry: Registry) -> None:
    from typedresp._codegen import Forward

    one, two = {"type": "num", "value": 1}, {"type": "num", "value": 2}
    value = {"type": "add", "left": one, "right": {"type": "add", "left": two, "right": one}}
    expr = registry.structure(value, Expr)
    assert expr == Add("add", Num("num", 1), Add("add", Num("num", 2), Num("num", 1)))
    # Every generated function and table reachable from the compiled union: none still
    # holds the placeholder that stood for a function while it was being built.
    seen: list[Any] = []
    todo: list[Any] = [registry._engine.dispatched.fast[Expr]]
    while todo:
        item = todo.pop()
        if any(item is s for s in seen):
            continue
        seen.append(item)
        if isinstance(item, dict):
            todo.extend(item.values())
        elif "typedresp generated" in getattr(getattr(item, "__code__", None), "co_filename", ""):
            todo.extend(v for k, v in item.__globals__.items() if k.startswith("__"))
    assert any(isinstance(item, dict) and "add" in item for item in seen)
    assert not [item for item in seen if isinstance(item, Forward)]
    error = rejects(registry, {**value, "right": {"type": "add", "left": two, "right": {}}}, Expr)
    assert error.errors[0].path == "$.right.right.type"


@attrs.define
class Husband:
    name: str
    wife: Optional[Wife] = None


@attrs.define
class Wife:
    name: str
    husband: Optional[Husband] = None


def test_mutually_recursive_classes_nest_beyond_any_inlining(registry: Registry) -> None:
    value: dict[str, Any] = {"name": "h0"}
    for level in range(1, 12):
        value = {"name": f"{'hw'[level % 2]}{level}", "husband" if level % 2 else "wife": value}
    wife = registry.structure(value, Wife)
    for level in range(11, 0, -1):
        assert wife.name == f"{'hw'[level % 2]}{level}"
        wife = wife.husband if level % 2 else wife.wife  # type: ignore[assignment]
    assert wife == Husband("h0")
    value["husband"]["wife"]["husband"]["wife"]["name"] = 7
    error = rejects(registry, value, Wife)
    assert error.errors[0].path == "$.husband.wife.husband.wife.name"


@attrs.define
class Level0:
    n: int


@attrs.define
class Level1:
    inner: Level0


@attrs.define
class Level2:
    inner: Level1
    again: Optional[Level1] = None


@attrs.define
class Level3:
    inner: Level2


@attrs.define
class Level4:
    inner: Level3
    others: list[Level3] = attrs.Factory(list)


@attrs.define
class Wide:
    a0: int
    a1: int
    a2: int
    a3: int
    a4: int
    a5: int
    a6: int
    a7: int
    a8: int
    a9: int
    a10: int
    a11: int
    a12: int
    a13: int
    a14: int
    a15: int
    a16: int
    a17: int


@attrs.define
class Holder:
    deep: Level4
    wide: Wide


def test_nested_classes_deeper_than_one_function_builds_are_built_and_checked(
    registry: Registry,
) -> None:
    def nest(n: object) -> dict[str, Any]:
        level2 = {"inner": {"inner": {"n": n}}, "again": {"inner": {"n": 2}}}
        return {"inner": {"inner": level2}}

    wide = {f"a{i}": i for i in range(18)}
    deep = {**nest(1), "others": [nest(3)["inner"]]}
    holder = registry.structure({"deep": deep, "wide": wide}, Holder)
    assert holder.deep.inner.inner.inner.inner.n == 1
    assert holder.deep.inner.inner.again == Level1(Level0(2))
    assert holder.deep.others[0].inner.inner.inner.n == 3
    assert holder.wide == Wide(*range(18))
    error = rejects(registry, {"deep": nest("1"), "wide": wide}, Holder)
    assert error.errors[0].path == "$.deep.inner.inner.inner.inner.n"
    error = rejects(registry, {"deep": nest(1), "wide": {**wide, "a17": None}}, Holder)
    assert error.errors[0].path == "$.wide.a17"


# ---------------------------------------------------------------------------- wrappers


UserId = NewType("UserId", int)


def test_annotated_newtype_and_aliases_are_unwrapped(registry: Registry) -> None:
    Ids = typing_extensions.TypeAliasType("Ids", list[UserId])
    assert registry.structure([1, 2], Ids) == [1, 2]
    assert registry.structure(3, Annotated[UserId, "meta"]) == 3
    rejects(registry, "3", Annotated[UserId, "meta"])


# ---------------------------------------------------------------------------- unions


def test_optional_accepts_null_and_the_inner_type(registry: Registry) -> None:
    assert registry.structure(None, Optional[int]) is None
    assert registry.structure(3, int | None) == 3
    rejects(registry, "3", Optional[int])


def test_scalar_unions_keep_the_json_class(registry: Registry) -> None:
    assert registry.structure(5, Union[int, str]) == 5
    assert registry.structure("5", Union[int, str]) == "5"
    assert type(registry.structure(5, Union[float, int])) is int
    assert type(registry.structure(5, Union[float, str])) is float


def test_literals_in_a_union_are_tried_before_the_wider_type(registry: Registry) -> None:
    tp = Union[str, Color]
    assert registry.structure("red", tp) is Color.RED
    assert registry.structure("blue", tp) == "blue"


def test_union_of_datetime_and_str_falls_back_to_the_str(registry: Registry) -> None:
    tp = Union[datetime, str]
    assert isinstance(registry.structure("2024-01-01T00:00:00", tp), datetime)
    assert registry.structure("soon", tp) == "soon"


def test_a_union_mismatch_names_the_union(registry: Registry) -> None:
    error = rejects(registry, [1], Union[int, str])
    assert error.errors[0].message == "expected int | str, got [1]"


@attrs.define
class TextPart:
    type: Literal["text"]
    text: str


@attrs.define
class ImagePart:
    type: Literal["image", "image_url"]
    url: str


Part = Union[TextPart, ImagePart]


def test_class_unions_are_discriminated_by_a_literal_field(registry: Registry) -> None:
    parts = registry.structure(
        [{"type": "text", "text": "hi"}, {"type": "image_url", "url": "u"}], list[Part]
    )
    assert parts == [TextPart("text", "hi"), ImagePart("image_url", "u")]


def test_errors_inside_the_chosen_variant_have_its_paths(registry: Registry) -> None:
    error = rejects(registry, [{"type": "text", "text": 5}], list[Part])
    assert [str(item) for item in error.errors] == ["$[0].text: expected str, got 5"]


def test_an_unknown_tag_is_an_error_in_strict_mode(registry: Registry) -> None:
    error = rejects(registry, {"type": "audio", "data": "x"}, Part)
    assert error.errors[0].path == "$.type"
    assert "'text'" in error.errors[0].message
    assert "'audio'" in error.errors[0].message


def test_tolerant_mode_keeps_an_unknown_variant_as_it_came(tolerant: Registry) -> None:
    value = {"type": "audio", "data": "x"}
    assert tolerant.structure(value, Part) == value
    rejects(tolerant, {"type": 5}, Part)
    rejects(tolerant, {"type": "text"}, Part)


def test_class_unions_without_a_tag_use_a_required_key_of_their_own(registry: Registry) -> None:
    @attrs.define
    class Card:
        number: str

    @attrs.define
    class Bank:
        iban: str

    @attrs.define
    class Cash:
        note: str = ""

    tp = Union[Card, Bank, Cash]
    assert registry.structure({"iban": "DE1"}, tp) == Bank("DE1")
    assert registry.structure({"number": "4"}, tp) == Card("4")
    assert registry.structure({}, tp) == Cash()


def test_ambiguous_unions_are_rejected_when_compiled(registry: Registry) -> None:
    @attrs.define
    class A:
        x: int

    @attrs.define
    class B:
        x: int

    with pytest.raises(TypeError, match="ambiguous union"):
        registry.structure({"x": 1}, Union[A, B])
    with pytest.raises(TypeError, match="ambiguous union"):
        registry.structure([1], Union[list[int], list[str]])


def test_unsupported_types_are_rejected_when_compiled(registry: Registry) -> None:
    class Plain:
        def __init__(self, a: int) -> None:
            self.a = a

    with pytest.raises(TypeError, match="cannot structure"):
        registry.structure({"a": 1}, Plain)
    with pytest.raises(TypeError, match="raw body"):
        registry.structure("x", bytes)


def test_json_null_for_a_non_optional_target_raises(registry: Registry) -> None:
    rejects(registry, None, User)
    rejects(registry, None, list[int])


def test_classes_whose_init_does_more_than_store_still_run_it(registry: Registry) -> None:
    @attrs.define
    class WithPostInit:
        a: int
        doubled: int = attrs.field(init=False, default=0)

        def __attrs_post_init__(self) -> None:
            self.doubled = self.a * 2

    @attrs.frozen(cache_hash=True)
    class Frozen:
        a: int

    @attrs.define
    class Converted:
        a: int = attrs.field(converter=abs)

    @attrs.define
    class Hidden:
        a: int
        seen: list[int] = attrs.field(init=False, factory=list)

    assert registry.structure({"a": 2}, WithPostInit).doubled == 4
    frozen = registry.structure({"a": 2}, Frozen)
    assert hash(frozen) == hash(Frozen(2))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        frozen.a = 3  # type: ignore[misc]
    assert registry.structure({"a": -2}, Converted).a == 2
    assert registry.structure({"a": 1}, Hidden).seen == []


def test_plain_classes_equal_what_their_init_builds(registry: Registry) -> None:
    @attrs.define
    class Base:
        a: int
        b: str = "b"

    @attrs.define
    class Child(Base):
        c: list[int] = attrs.Factory(list)

    child = registry.structure({"a": 1, "c": [2]}, Child)
    assert child == Child(1, "b", [2])
    assert type(child) is Child
    assert repr(child) == repr(Child(1, "b", [2]))


# ---------------------------------------------------------------------------- review findings


def test_a_class_with_an_optional_any_field(registry: Registry) -> None:
    @attrs.define
    class Event:
        id: int
        metadata: Any = None

    @dataclasses.dataclass
    class Note:
        extra: Optional[Any] = None

    assert registry.structure({"id": 1}, Event) == Event(1, None)
    assert registry.structure({"id": 1, "metadata": [1]}, Event).metadata == [1]
    assert registry.structure({}, Note) == Note()


@pytest.mark.parametrize(
    ("tp", "value", "expected"),
    [
        (collections.deque[int], [1, 2], collections.deque([1, 2])),
        (collections.OrderedDict[str, int], {"a": 1}, collections.OrderedDict(a=1)),
        (collections.Counter[str], {"a": 2}, collections.Counter(a=2)),
    ],
)
def test_more_containers_are_built_and_checked_strictly(
    registry: Registry, tp: Any, value: Any, expected: Any
) -> None:
    result = registry.structure(value, tp)
    assert result == expected
    assert type(result) is type(expected)
    bad = ["12"] if isinstance(value, list) else {"a": "12"}
    error = rejects(registry, bad, tp)
    assert error.errors[0].message == "expected int, got '12'"


def test_the_hooks_cattrs_hands_out_for_scalars_are_strict(registry: Registry) -> None:
    assert registry.get_structure_hook(float)(3, float) == 3.0
    for value, tp in [("12", int), (1.5, int), (True, int), (5, str), (1, bool)]:
        with pytest.raises(ResponseValidationError, match=f"expected {tp.__name__}"):
            registry.get_structure_hook(tp)(value, tp)


@pytest.mark.parametrize(
    ("value", "tp"),
    [
        (1, Literal[1, True]),
        (True, Literal[1, True]),
        (0, Literal[0, False]),
        (1.0, Literal[1, 1.0]),
    ],
)
def test_literal_values_equal_across_classes_stay_apart(
    registry: Registry, value: Any, tp: Any
) -> None:
    result = registry.structure(value, tp)
    assert result == value
    assert type(result) is type(value)


def test_a_number_in_a_union_with_a_parsed_type_keeps_its_class(registry: Registry) -> None:
    assert type(registry.structure(5, Union[int, datetime])) is int
    assert registry.structure(5, Union[float, datetime]) == 5.0
    assert type(registry.structure(5, Union[int, Decimal])) is int
    assert isinstance(registry.structure(1.5, Union[int, datetime]), datetime)


Json = typing_extensions.TypeAliasType(
    "Json", "dict[str, Json] | list[Json] | str | int | float | bool | None"
)


def test_a_recursive_type_alias(registry: Registry) -> None:
    value = {"a": [1, {"b": None, "c": [True, "x", 1.5]}]}
    assert registry.structure(value, Json) == value
    error = rejects(registry, {"a": [1, {"b": {1, 2}}]}, Json)
    assert error.errors[0].path == "$['a'][1]['b']"


def test_a_failed_compile_keeps_what_compiled_before() -> None:
    registry = Registry()
    asked: list[Any] = []
    registry.register_structure_hook_factory(lambda tp: bool(asked.append(tp)), lambda tp: tp)
    registry.structure({"id": 1, "name": "a"}, User)
    with pytest.raises(TypeError):
        registry.structure("x", bytes)
    asked.clear()
    registry.structure({"id": 1, "name": "a"}, User)
    assert asked == []


def test_tolerant_mode_keeps_an_object_matching_no_keyed_variant(tolerant: Registry) -> None:
    @attrs.define
    class Text:
        text: str

    @attrs.define
    class Link:
        url: str

    assert tolerant.structure({"audio": "x"}, Union[Text, Link]) == {"audio": "x"}
    rejects(Registry(), {"audio": "x"}, Union[Text, Link])


def test_classes_built_without_init_keep_cached_hashes_and_custom_new(registry: Registry) -> None:
    @attrs.define(slots=False, unsafe_hash=True, cache_hash=True)
    class Hashed:
        a: int

    class Tagged:
        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            instance = super().__new__(cls)
            instance.tag = "made"  # type: ignore[attr-defined]
            return instance

    @attrs.define(slots=False)
    class Child(Tagged):
        a: int

    assert hash(registry.structure({"a": 1}, Hashed)) == hash(Hashed(1))
    assert registry.structure({"a": 1}, Child).tag == "made"  # type: ignore[attr-defined]


def test_an_unresolvable_annotation_is_a_type_error(registry: Registry) -> None:
    @attrs.define
    class Broken:
        a: NotDefinedAnywhere  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(TypeError, match="cannot compile"):
        registry.structure({"a": 1}, Broken)


def test_int_valued_enum_and_literal_keys_come_from_json_strings(registry: Registry) -> None:
    assert registry.structure({"2": "high"}, dict[Level, str]) == {Level.HIGH: "high"}
    assert registry.structure({"404": "gone"}, dict[Literal[200, 404], str]) == {404: "gone"}
    error = rejects(registry, {"500": "x"}, dict[Literal[200, 404], str])
    assert error.errors[0].path == "$['500']"


def test_type_objects_made_afresh_each_call_are_not_all_kept(registry: Registry) -> None:
    for _ in range(3000):
        assert registry.structure([1], list[int]) == [1]  # a new list[int] object each time
    assert len(registry._engine.dispatched.by_id) <= 1024
    first = Annotated[int, {"unhashable": "metadata"}]
    assert registry.structure(1, first) == 1
    assert registry.structure(2, first) == 2  # found by identity, though it cannot be hashed


def test_a_hook_registered_later_applies_to_a_generic_alias_compiled_before(
    registry: Registry,
) -> None:
    target = Page[User]
    data = {"data": [{"id": 1, "name": "a"}]}
    assert registry.structure(data, target).data == [User(1, "a")]
    registry.register_structure_hook(User, lambda value, _: User(0, value["name"].upper()))
    assert registry.structure(data, target).data == [User(0, "A")]


# Issue 12, items 4 and 10-14: strict semantics that do not depend on luck.


def test_an_error_keeps_a_thousand_entries_and_counts_them_all(registry: Registry) -> None:
    error = rejects(registry, ["x"] * 5000, list[int])
    assert len(error.errors) == 1000
    assert error.error_count == 5000
    text = str(error)
    assert text.startswith("5000 validation errors for list[int]")
    assert text.endswith("... and 4980 more")
    assert error.errors[-1].path == "$[999]"


@pytest.mark.parametrize(
    ("tp", "value"),
    [
        (Literal[False, 2], 0),
        (Literal[True, 2], 1),
        (Literal[0, "a"], False),
        (Literal[1, "a"], True),
    ],
)
def test_strict_never_mixes_bool_and_int_in_literals(
    registry: Registry, tp: Any, value: Any
) -> None:
    rejects(registry, value, tp)
    errors = ErrorList()
    assert registry._engine._node_for(tp, False).check(value, "$", errors) is INVALID


class Switch(enum.Enum):
    OFF = 0
    ON = True


def test_strict_never_mixes_bool_and_int_in_enums(registry: Registry) -> None:
    assert registry.structure(True, Switch) is Switch.ON
    assert registry.structure(0, Switch) is Switch.OFF
    rejects(registry, 1, Switch)
    rejects(registry, False, Switch)


@pytest.mark.parametrize("first", [Union[datetime, date], Union[date, datetime]])
def test_a_unions_result_does_not_depend_on_member_order_or_what_compiled_first(
    first: Any,
) -> None:
    registry = Registry()
    registry.structure("2024-05-01", first)
    for tp in (Union[datetime, date], Union[date, datetime], Optional[Union[datetime, date]]):
        assert type(registry.structure("2024-05-01", tp)) is date
        assert registry.structure("2024-05-01T10:00:00", tp) == datetime(2024, 5, 1, 10)


def test_tolerance_only_differs_from_strictness_where_strict_raises(
    registry: Registry, tolerant: Registry
) -> None:
    tp = Optional[Union[date, Literal["b"]]]
    for value in ("2024-05-01", "b", None):
        assert tolerant.structure(value, tp) == registry.structure(value, tp)
    assert type(tolerant.structure("2024-05-01", tp)) is date
    assert tolerant.structure("new", tp) == "new"
    rejects(registry, "new", tp)
    rejects(tolerant, 5, tp)  # a wrong type still raises


class Role(enum.Enum):
    USER = "user"
    ADMIN = "admin"

    @classmethod
    def _missing_(cls, value: object) -> Role | None:
        if isinstance(value, str):
            return cls.__members__.get(value.upper())
        return None


def test_an_enums_missing_is_asked_as_enum_value_does(
    registry: Registry, tolerant: Registry
) -> None:
    assert registry.structure(["User", "user"], list[Role]) == [Role.USER, Role.USER]
    error = rejects(registry, ["nobody"], list[Role])
    assert error.errors[0].path == "$[0]"
    assert tolerant.structure("nobody", Role) == "nobody"
    assert tolerant.structure("ADMIN", Role) is Role.ADMIN
    rejects(registry, 1, Role)


@pytest.mark.parametrize("value", [True, 1_700_000_000_000, [1]])
def test_a_rejected_datetime_that_is_no_string_says_what_is_accepted(
    registry: Registry, value: Any
) -> None:
    error = rejects(registry, value, datetime)
    assert error.errors[0].message.startswith("expected ISO-8601 string or unix seconds, got")


def test_a_datetime_string_that_does_not_parse_names_the_format(registry: Registry) -> None:
    error = rejects(registry, {"at": "yesterday"}, dict[str, datetime])
    assert str(error.errors[0]) == "$['at']: expected ISO-8601 datetime, got 'yesterday'"


def test_a_decimal_never_takes_an_integer_that_lost_digits_in_decoding(
    registry: Registry,
) -> None:
    rejected = rejects(registry, float(2**70), Decimal)  # what orjson makes of 2**70
    assert "too large to be exact" in rejected.errors[0].message
    assert registry.structure(2**70, Decimal) == Decimal(2**70)  # the stdlib keeps it an int
    assert registry.structure(1.5, Decimal) == Decimal("1.5")
    assert registry.structure(float(2**52), Decimal) == Decimal(2**52)
