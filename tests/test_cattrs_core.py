"""The registry is a cattrs converter: what cattrs users configure takes effect on parsing.

Each cattrs feature is checked through the response layer (`typedresp.parse`,
`APIResponse.parse`, their async twins, the client over a real socket), not only through
`Registry.structure`.
"""

from __future__ import annotations

import inspect
import linecache
import traceback
from collections.abc import Callable
from typing import Any, Literal, NewType, Optional, Union

import attrs
import cattrs
import httpx
import pytest
from cattrs.gen import make_dict_structure_fn, override
from cattrs.strategies import configure_tagged_union, include_subclasses, use_class_methods
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import typedresp
from typedresp import (
    APIResponse,
    AsyncAPIResponse,
    Client,
    Registry,
    ResponseValidationError,
    Stream,
    _engine,
    configure_converter,
)
from typedresp._cattrs_internals import factories_of
from typedresp._exceptions import ErrorList
from typedresp._nodes import INVALID

from .server import Reply, ServerView
from .test_registry_properties import json_values, typed_values


@attrs.define
class Cat:
    name: str
    lives: int


@attrs.define
class Dog:
    name: str
    good: bool


Pet = Union[Cat, Dog]


@attrs.define
class Member:
    user_name: str
    age: int


@attrs.define
class Team:
    members: list[Member]
    lead: Optional[Member] = None


def json_response(data: Any) -> httpx.Response:
    return httpx.Response(200, json=data, request=httpx.Request("GET", "http://127.0.0.1/x"))


Parse = Callable[[Any, Any, Any], Any]


def parse_sync(data: Any, to: Any, registry: Any) -> Any:
    return typedresp.parse(json_response(data), to=to, registry=registry)


def parse_with_response(data: Any, to: Any, registry: Any) -> Any:
    return APIResponse(raw=json_response(data), cast_to=to, registry=registry).parse()


def parse_async(data: Any, to: Any, registry: Any) -> Any:
    import anyio

    async def run() -> Any:
        response = AsyncAPIResponse(raw=json_response(data), cast_to=to, registry=registry)
        first = await response.parse()
        assert await typedresp.aparse(json_response(data), to=to, registry=registry) == first
        return first

    return anyio.run(run)


PARSERS = [parse_sync, parse_with_response, parse_async]
parsers = pytest.mark.parametrize("parse", PARSERS, ids=["parse", "APIResponse", "async"])


@parsers
def test_a_tagged_union_configured_by_cattrs_is_what_parse_uses(parse: Parse) -> None:
    registry = Registry()
    configure_tagged_union(Pet, registry, tag_name="_type")
    data = {"pets": [{"_type": "Dog", "name": "Rex", "good": True, "lives": 9}]}
    assert parse(data["pets"], list[Pet], registry) == [Dog("Rex", True)]
    with pytest.raises(ResponseValidationError) as caught:
        parse([{"_type": "Cat", "name": "Tom", "lives": "nine"}], list[Pet], registry)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("$[0].lives", "expected int, got 'nine'")
    ]


@parsers
def test_make_dict_structure_fn_overrides_take_effect_with_paths_on_the_wire(
    parse: Parse,
) -> None:
    registry = Registry()
    assert parse({"members": []}, Team, registry) == Team([])  # compiled before the hook
    hook = make_dict_structure_fn(
        Member, registry, user_name=override(rename="userName"), age=override(omit=False)
    )
    registry.register_structure_hook(Member, hook)
    team = parse({"members": [{"userName": "ada", "age": 36}]}, Team, registry)
    assert team == Team([Member("ada", 36)])
    bad = {"members": [{"userName": "ada", "age": 36}, {"userName": 5, "age": "x"}]}
    with pytest.raises(ResponseValidationError) as caught:
        parse(bad, Team, registry)
    error = caught.value
    assert [(e.path, e.message) for e in error.errors] == [
        ("$.members[1].userName", "expected str, got 5"),
        ("$.members[1].age", "expected int, got 'x'"),
    ]
    assert error.body == bad


def test_a_missing_field_in_a_cattrs_made_hook_is_field_required() -> None:
    registry = Registry()
    registry.register_structure_hook(
        Member, make_dict_structure_fn(Member, registry, user_name=override(rename="userName"))
    )
    with pytest.raises(ResponseValidationError) as caught:
        registry.structure({"members": [{"age": 1}]}, Team)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("$.members[0].userName", "field required")
    ]


@attrs.define
class Doubled:
    value: int

    @classmethod
    def from_json(cls, data: int) -> Doubled:
        return cls(data * 2)


@parsers
def test_use_class_methods_is_what_parse_uses(parse: Parse) -> None:
    registry = Registry()
    use_class_methods(registry, "from_json")
    assert parse([1, 2], list[Doubled], registry) == [Doubled(2), Doubled(4)]


@attrs.define
class Animal:
    name: str


@attrs.define
class Bird(Animal):
    wingspan: float


@parsers
def test_include_subclasses_is_what_parse_uses(parse: Parse) -> None:
    registry = Registry()
    include_subclasses(Animal, registry)
    animals = parse([{"name": "a"}, {"name": "b", "wingspan": 2}], list[Animal], registry)
    assert animals == [Animal("a"), Bird("b", 2.0)]
    assert type(animals[1].wingspan) is float


@parsers
def test_a_two_argument_factory_gets_the_registry(parse: Parse) -> None:
    registry = Registry()
    seen: list[Any] = []

    def factory(tp: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
        seen.append(converter)
        as_int = converter.get_structure_hook(int)
        return lambda value, _: tp(as_int(value["n"], int) * 10)

    registry.register_structure_hook_factory(lambda tp: tp is Doubled, factory)
    assert parse({"n": 4}, Doubled, registry) == Doubled(40)
    assert seen
    assert all(converter is registry for converter in seen)
    with pytest.raises(ResponseValidationError, match=r"\$: expected int, got '4'"):
        parse({"n": "4"}, Doubled, registry)


def test_a_hook_registered_later_wins_for_a_nested_type_compiled_before() -> None:
    registry = Registry()
    assert registry.structure({"members": [{"user_name": "a", "age": 1}]}, Team).members
    registry.register_structure_hook(Member, lambda value, _: Member(value, 0))
    assert registry.structure({"members": ["b"]}, Team) == Team([Member("b", 0)])
    registry.register_structure_hook_factory(
        lambda tp: tp is Member, lambda tp: lambda value, _: Member(value.upper(), 1)
    )
    # A class hook (cattrs' singledispatch) still comes before any factory: cattrs' order.
    assert registry.structure({"members": ["b"]}, Team) == Team([Member("b", 0)])
    registry.register_structure_hook_factory(
        lambda tp: tp == list[Member], lambda tp: lambda value, _: [Member("list", 2)]
    )
    assert registry.structure({"members": ["b"]}, Team) == Team([Member("list", 2)])


def test_the_hook_cattrs_hands_out_can_be_wrapped_and_registered_for_the_same_type() -> None:
    registry = Registry()
    plain = registry.get_structure_hook(Member)

    def lower_names(value: Any, tp: Any) -> Member:
        member: Member = plain({**value, "user_name": value["user_name"].lower()}, tp)
        return member

    registry.register_structure_hook(Member, lower_names)
    assert registry.structure([{"user_name": "ADA", "age": 1}], list[Member]) == [Member("ada", 1)]
    with pytest.raises(ResponseValidationError, match=r"\$\[0\]\.age: expected int"):
        registry.structure([{"user_name": "ADA", "age": "1"}], list[Member])


def test_a_hook_on_a_union_wins_over_typedresps_own() -> None:
    registry = Registry()
    assert registry.structure({"name": "x", "lives": 1}, Pet) == Cat("x", 1)
    registry.register_structure_hook(Pet, lambda value, _: Dog(value, True))
    assert registry.structure(["y"], list[Pet]) == [Dog("y", True)]


def test_the_bare_and_the_typed_decorator_forms_register_hooks() -> None:
    registry = Registry()

    @registry.register_structure_hook
    def member_from_text(value: Any, _: Any) -> Member:
        name, age = value.split(":")
        return Member(name, int(age))

    @registry.register_structure_hook(list[int])
    def ints_from_text(value: Any, _: Any) -> list[int]:
        return [int(part) for part in value.split(",")]

    assert registry.structure(["a:1"], list[Member]) == [Member("a", 1)]
    assert registry.structure({"x": "1,2"}, dict[str, list[int]]) == {"x": [1, 2]}
    assert registry.structure([[1]], list[list[float]]) == [[1.0]]  # only exactly list[int]


def test_copy_keeps_the_hooks_and_the_strictness_and_then_goes_its_own_way() -> None:
    tolerant = Registry(strict=False)
    configure_tagged_union(Pet, tolerant, tag_name="_type")
    tolerant.register_structure_hook(Member, lambda value, _: Member(value, 0))
    copy = tolerant.copy()
    assert isinstance(copy, Registry)
    assert copy.strict is False
    assert tolerant.copy(strict=True).strict is True
    assert copy.structure("x", Literal["a"]) == "x"  # tolerant: the unknown value is kept
    assert copy.structure("m", Member) == Member("m", 0)
    assert copy.structure({"_type": "Cat", "name": "c", "lives": 1}, Pet) == Cat("c", 1)
    with pytest.raises(ResponseValidationError, match="expected int"):
        copy.structure("12", int)
    copy.register_structure_hook(Member, lambda value, _: Member(value, 7))
    assert copy.structure("m", Member) == Member("m", 7)
    assert tolerant.structure("m", Member) == Member("m", 0)


def test_a_plain_cattrs_converter_gives_cattrs_semantics_and_json_paths() -> None:
    converter = cattrs.Converter()
    assert typedresp.parse(json_response({"members": []}), to=Team, registry=converter)
    bad = {"members": [{"user_name": "a", "age": 1}, {"user_name": "b", "age": "old"}]}
    response = json_response(bad)
    with pytest.raises(ResponseValidationError) as caught:
        typedresp.parse(response, to=Team, registry=converter)
    error = caught.value
    assert [e.path for e in error.errors] == ["$.members[1].age"]
    assert "ValueError" in error.errors[0].message
    assert error.body == bad
    assert error.response is response
    assert response.is_closed
    assert isinstance(error.__cause__, cattrs.ClassValidationError)


def test_a_plain_converter_names_the_wire_keys_of_its_aliases_and_renames() -> None:
    @attrs.define
    class Aliased:
        kind: str = attrs.field(alias="type")
        count: int = 0

    converter = cattrs.Converter(use_alias=True)
    converter.register_structure_hook(
        Aliased, make_dict_structure_fn(Aliased, converter, count=override(rename="n"))
    )
    with pytest.raises(ResponseValidationError) as caught:
        typedresp.parse(
            json_response([{"type": 1, "n": "x"}]), to=list[Aliased], registry=converter
        )
    assert [e.path for e in caught.value.errors] == ["$[0].n"]


def test_a_plain_converter_streams_typed_events() -> None:
    body = b'data: {"user_name": "a", "age": 1}\n\ndata: {"user_name": "b", "age": "x"}\n\n'
    raw = httpx.Response(
        200,
        content=body,
        headers={"content-type": "text/event-stream"},
        request=httpx.Request("GET", "http://127.0.0.1/events"),
    )
    stream = Stream[Member](cast_to=Member, response=raw, registry=cattrs.Converter())
    events = iter(stream)
    assert next(events) == Member("a", 1)
    with pytest.raises(ResponseValidationError) as caught:
        next(events)
    assert [e.path for e in caught.value.errors] == ["$.age"]
    assert raw.is_closed


def test_a_client_takes_any_converter_over_a_real_socket(http_server: ServerView) -> None:
    converter = configure_converter(cattrs.Converter())
    http_server.route("/team", Reply.json({"members": [{"user_name": "a", "age": "1"}]}))
    with (
        Client(http_server.url, registry=converter, max_retries=0) as client,
        pytest.raises(ResponseValidationError) as caught,
    ):
        client.get("/team", cast_to=Team)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("$.members[0].age", "expected int, got '1'")
    ]


def test_configure_converter_keeps_the_hooks_registered_before() -> None:
    converter = cattrs.Converter()
    converter.register_structure_hook(Member, lambda value, _: Member(value, 0))
    converter.register_structure_hook_factory(
        lambda tp: tp is Doubled, lambda tp: lambda value, _: Doubled(value * 3)
    )
    configure_converter(converter)
    assert converter.structure({"members": ["a"]}, Team) == Team([Member("a", 0)])
    assert converter.structure([1], list[Doubled]) == [Doubled(3)]
    with pytest.raises(ResponseValidationError, match="expected int"):
        converter.structure(["1"], list[int])  # strict now: cattrs' own would give [1]
    converter.register_structure_hook(Member, lambda value, _: Member(value, 5))
    assert converter.structure({"members": ["b"]}, Team) == Team([Member("b", 5)])
    with pytest.raises(ValueError, match="configured by typedresp already"):
        configure_converter(converter)


def test_configure_converter_can_be_tolerant() -> None:
    converter = configure_converter(cattrs.Converter(), strict=False)
    assert converter.structure("new", Literal["old"]) == "new"


def test_generated_code_is_in_linecache_for_tracebacks_and_getsource() -> None:
    registry = Registry()
    registry.structure({"members": []}, Team)
    function = registry._engine.dispatched.fast[Team]
    filename = function.__code__.co_filename
    assert filename.startswith(f"<typedresp generated structure {__name__}.Team")
    assert "def structure_Team(o):" in inspect.getsource(function)
    try:
        function({"members": [{"user_name": "a"}]})
    except KeyError as exc:
        frames = traceback.extract_tb(exc.__traceback__)
    else:
        raise AssertionError("the fast function accepted a member without its age")
    generated = [frame for frame in frames if frame.filename == filename]
    assert generated
    assert "age" in (generated[-1].line or "")
    assert linecache.getline(filename, 1).startswith("def structure_Team")


def test_the_cattrs_internals_typedresp_relies_on_are_there() -> None:
    """Fails loudly when a cattrs release moves what `typedresp._cattrs_internals` reads."""
    converter = cattrs.Converter()
    converter.register_structure_hook_factory(
        lambda tp: tp is Doubled, lambda tp: lambda value, _: "user's"
    )
    before = list(factories_of(converter))
    configure_converter(converter)
    after = factories_of(converter)
    assert after[0] is before[0]  # the user's factory stays in front of typedresp's
    assert len(after) == len(before) + 1
    assert converter.structure(1, Doubled) == "user's"
    assert converter.copy().structure(1, Doubled) == "user's"
    registry = Registry()
    registry.structure([1], list[int])
    assert registry._engine.dispatched.fast
    registry.register_structure_hook_func(lambda tp: False, lambda value, _: value)
    assert not registry._engine.dispatched.fast  # told of the registration


def detailed(registry: Registry, value: Any, tp: Any) -> Any:
    errors = ErrorList()
    result = registry._engine._node_for(tp, False).check(value, "$", errors)
    return ResponseValidationError if errors or result is INVALID else result


def outcome(structure: Callable[[Any, Any], Any], value: Any, tp: Any) -> Any:
    try:
        return structure(value, tp)
    except ResponseValidationError:
        return ResponseValidationError


differential = {
    strict: (Registry(strict=strict), configure_converter(cattrs.Converter(), strict=strict))
    for strict in (True, False)
}


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(typed=typed_values, data=st.data(), strict=st.booleans())
def test_a_registry_a_configured_converter_and_the_detailed_pass_agree(
    typed: tuple[Any, st.SearchStrategy[Any]], data: st.DataObject, strict: bool
) -> None:
    """Over random types and values, strict and tolerant: the registry's fast path (which
    `tests/conftest.py` fails if the detailed pass had to rescue it), a configured cattrs
    converter and the detailed pass alone give the same result or all refuse."""
    registry, converter = differential[strict]
    tp = typed[0]
    value = data.draw(json_values | typed[1])
    expected = outcome(registry.structure, value, tp)
    assert outcome(converter.structure, value, tp) == expected
    assert detailed(registry, value, tp) == expected


class Flaky:
    """Structured by a hook that fails on its first call only."""


@attrs.define
class HoldsFlaky:
    flaky: Flaky


@pytest.mark.detailed_pass_may_rescue
def test_a_value_only_the_detailed_pass_accepts_is_told_to_the_switch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []

    def fails_once(value: object, _: object) -> Flaky:
        calls.append(value)
        if len(calls) == 1:
            raise ValueError("first call")
        return Flaky()

    rescued: list[tuple[object, object, Exception]] = []
    monkeypatch.setattr(_engine, "detailed_rescue", lambda *args: rescued.append(args))
    registry = Registry()
    registry.register_structure_hook(Flaky, fails_once)
    result = registry.structure({"flaky": 1}, HoldsFlaky)
    assert isinstance(result.flaky, Flaky)  # the detailed result, as without the switch
    [(value, tp, fast_error)] = rescued
    assert (value, tp) == ({"flaky": 1}, HoldsFlaky)
    assert isinstance(fast_error, ValueError)
    assert str(fast_error) == "first call"


def test_a_value_both_paths_accept_or_refuse_is_not_told_to_the_switch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rescued: list[object] = []
    monkeypatch.setattr(_engine, "detailed_rescue", lambda *args: rescued.append(args))
    registry = Registry()
    assert registry.structure({"user_name": "Ada", "age": 36}, Member) == Member("Ada", 36)
    with pytest.raises(ResponseValidationError):
        registry.structure({"user_name": "Ada", "age": "36"}, Member)
    assert rescued == []


@pytest.mark.parametrize("tp", [str, int, float, bytes, Member, list[int], Optional[Member]])
def test_has_hook_is_true_exactly_when_a_hook_of_ones_own_handles_the_type(tp: Any) -> None:
    registry = Registry()
    assert not registry.has_hook(tp)
    registry.register_structure_hook(tp, lambda value, _: value)
    assert registry.has_hook(tp)
    assert registry.copy().has_hook(tp)


def test_has_hook_sees_a_hook_on_what_a_newtype_stands_for() -> None:
    UserName = NewType("UserName", str)
    registry = Registry()
    assert not registry.has_hook(UserName)
    registry.register_structure_hook(str, lambda value, _: str(value))
    assert registry.has_hook(UserName)


def test_typedresps_factory_claims_every_kind_of_type_the_planner_plans() -> None:
    """`plans_itself` (what the factory claims) and `Planner._plan` (what it plans) list
    the same kinds of type twice: a kind missing from the first would silently go to
    cattrs' lax hooks."""
    import collections
    import dataclasses
    import datetime
    import decimal
    import enum
    import uuid
    from typing import Annotated, NewType, TypedDict, TypeVar

    from typedresp._planner import plans_itself

    class Shade(enum.Enum):
        DARK = "dark"

    @dataclasses.dataclass
    class Point:
        x: int

    class Movie(TypedDict):
        title: str

    claimed = [
        Any, object, None, type(None), TypeVar("T"), str, int, float, bool, bytes,
        datetime.datetime, datetime.date, datetime.time, uuid.UUID, decimal.Decimal,
        Literal["a"], Shade, Optional[int], Union[int, str], Member, Point, Movie,
        list[int], tuple[int, ...], tuple[int, str], set[int], frozenset[int],
        collections.deque[int], dict[str, int], collections.Counter[str],
        Annotated[int, "meta"], NewType("UserId", str),
    ]  # fmt: skip
    assert [tp for tp in claimed if not plans_itself(tp)] == []
    assert not plans_itself(Plain := type("Plain", (), {}))
    assert Registry().has_hook(Plain) is False  # no hook: a TypeError when structured
