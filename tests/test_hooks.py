"""Structure hooks and hook factories: the three forms, precedence, late registration."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, NewType, Optional

import attrs
import cattrs
import pytest
import typing_extensions

import typedresp
from typedresp import Registry, ResponseValidationError


@attrs.frozen
class Money:
    cents: int


@attrs.define
class Invoice:
    total: Money
    tip: Optional[Money] = None


def money_hook(value: Any, tp: Any) -> Money:
    if not isinstance(value, str) or not value.startswith("$"):
        raise ValueError(f"not an amount: {value!r}")
    return Money(round(Decimal(value[1:]) * 100))


def test_hook_registered_with_type_and_function() -> None:
    registry = Registry()
    registry.register_structure_hook(Money, money_hook)
    assert registry.structure({"total": "$1.50"}, Invoice) == Invoice(Money(150))


def test_hook_registered_as_a_decorator_with_the_type() -> None:
    registry = Registry()

    @registry.register_structure_hook(Money)
    def from_cents(value: Any, tp: Any) -> Money:
        return Money(value)

    assert from_cents(3, Money) == Money(3)
    assert registry.structure({"total": 250}, Invoice).total == Money(250)


def test_bare_decorator_takes_the_type_from_the_return_annotation() -> None:
    registry = Registry()

    @registry.register_structure_hook
    def from_cents(value: Any, tp: Any) -> Money:
        return Money(value * 2)

    assert registry.structure(4, Money) == Money(8)


def test_bare_decorator_without_return_annotation_is_refused() -> None:
    registry = Registry()

    def no_annotation(value, tp):  # type: ignore[no-untyped-def]
        return value

    with pytest.raises(TypeError, match="return annotation"):
        registry.register_structure_hook(no_annotation)


def test_hooks_receive_the_value_and_the_type() -> None:
    registry = Registry()
    seen = []

    def hook(value: Any, tp: Any) -> Money:
        seen.append((value, tp))
        return Money(1)

    registry.register_structure_hook(Money, hook)
    registry.structure({"total": 5}, Invoice)
    assert seen == [(5, Money)]


def test_a_hook_registered_after_compiling_applies_to_classes_compiled_before() -> None:
    registry = Registry()

    @attrs.define
    class Price:
        amount: Decimal

    assert registry.structure({"amount": "1.5"}, Price).amount == Decimal("1.5")
    registry.register_structure_hook(Decimal, lambda value, _: Decimal(value) * 100)
    assert registry.structure({"amount": "1.5"}, Price).amount == Decimal("150.0")
    assert registry.structure(["2"], list[Decimal]) == [Decimal("200")]


def test_an_exception_in_a_hook_becomes_an_error_at_its_path() -> None:
    registry = Registry()
    registry.register_structure_hook(Money, money_hook)
    with pytest.raises(ResponseValidationError) as info:
        registry.structure({"total": "$1", "tip": "lots"}, Invoice)
    (item,) = info.value.errors
    assert item.path == "$.tip"
    assert "ValueError: not an amount: 'lots'" in item.message
    assert isinstance(item.exception, ValueError)
    assert info.value.__cause__ is item.exception


def test_validation_errors_raised_by_a_nested_structure_call_keep_their_paths() -> None:
    registry = Registry()

    def envelope(value: Any, tp: Any) -> Money:
        return Money(registry.structure(value["data"], dict[str, int])["cents"])

    registry.register_structure_hook(Money, envelope)
    with pytest.raises(ResponseValidationError) as info:
        registry.structure({"total": {"data": {"cents": "x"}}}, Invoice)
    assert info.value.errors[0].path == "$.total['cents']"


UserId = NewType("UserId", str)
Upper = Annotated[str, "upper"]
Celsius = typing_extensions.TypeAliasType("Celsius", float)


@pytest.mark.parametrize(
    ("wrapper", "value", "expected"),
    [(UserId, "u1", "user:u1"), (Upper, "abc", "ABC"), (Celsius, 20, 293.15)],
)
def test_a_hook_on_exactly_a_wrapper_wins_over_unwrapping(
    wrapper: Any, value: Any, expected: Any
) -> None:
    hooks = {
        UserId: lambda v, _: f"user:{v}",
        Upper: lambda v, _: v.upper(),
        Celsius: lambda v, _: v + 273.15,
    }
    registry = Registry()
    registry.register_structure_hook(wrapper, hooks[wrapper])
    assert registry.structure(value, wrapper) == expected
    assert registry.structure([value], list[wrapper]) == [expected]
    assert registry.structure(value, str if wrapper is not Celsius else float) == value


def test_a_hook_on_the_wrapped_type_applies_through_the_wrapper() -> None:
    registry = Registry()
    registry.register_structure_hook(str, lambda v, _: str(v))
    assert registry.structure(5, UserId) == "5"


def test_factory_with_one_parameter_is_called_once_per_type() -> None:
    registry = Registry()
    made = []

    def factory(tp: Any) -> Any:
        made.append(tp)
        return lambda value, _: tp(value * 10)

    registry.register_structure_hook_factory(lambda tp: tp is Money, factory)
    assert registry.structure({"total": 1, "tip": 2}, Invoice) == Invoice(Money(10), Money(20))
    registry.structure({"total": 1}, Invoice)
    assert made == [Money]


def test_factory_with_two_parameters_receives_the_registry() -> None:
    registry = Registry()

    @registry.register_structure_hook_factory(lambda tp: tp is Money)
    def factory(tp: Any, reg: Registry) -> Any:
        assert reg is registry
        return lambda value, _: Money(reg.structure(value, int))

    assert registry.structure({"total": 3}, Invoice).total == Money(3)
    with pytest.raises(ResponseValidationError):
        registry.structure({"total": "3"}, Invoice)


def test_newer_factories_are_asked_first_and_exact_hooks_beat_factories() -> None:
    registry = Registry()
    registry.register_structure_hook_factory(lambda tp: tp is Money, lambda tp: lambda v, _: "old")
    registry.register_structure_hook_factory(lambda tp: tp is Money, lambda tp: lambda v, _: "new")
    assert registry.structure(1, Money) == "new"
    registry.register_structure_hook(Money, lambda v, _: "exact")
    assert registry.structure(1, Money) == "exact"


def test_after_the_first_parse_no_type_resolution_happens_again() -> None:
    registry = Registry()
    asked: list[Any] = []

    def predicate(tp: Any) -> bool:
        asked.append(tp)
        return False

    registry.register_structure_hook_factory(predicate, lambda tp: lambda v, _: v)
    registry.structure({"total": {"cents": 1}}, Invoice)
    assert asked
    asked.clear()
    for _ in range(3):
        registry.structure({"total": {"cents": 1}}, Invoice)
    assert asked == []


def test_module_level_registration_acts_on_the_default_registry() -> None:
    class Token(str):
        pass

    typedresp.register_structure_hook(Token, lambda v, _: Token(v[::-1]))
    assert typedresp.default_registry.structure("abc", Token) == "cba"

    class Flag:
        pass

    typedresp.register_structure_hook_factory(lambda tp: tp is Flag, lambda tp: lambda v, _: v)
    assert typedresp.default_registry.structure(1, Flag) == 1


def test_types_without_a_plan_use_the_cattrs_hooks_registered_on_the_registry() -> None:
    registry = Registry()

    class Opaque:
        def __init__(self, raw: Any) -> None:
            self.raw = raw

    with pytest.raises(TypeError, match="register a structure hook"):
        registry.structure("x", Opaque)
    cattrs.Converter.register_structure_hook(registry, Opaque, lambda v, _: Opaque(v))
    assert registry.structure("x", Opaque).raw == "x"


def test_unstructure_writes_the_wire_keys_back() -> None:
    @attrs.define
    class Query:
        type_: str = attrs.field(alias="type")
        since: str = attrs.field(metadata={"json_key": "from"})
        content_type: str = attrs.field(metadata={"json_key": "content-type"}, default="json")
        limit: Optional[int] = None

    registry = Registry()
    data = registry.unstructure(Query(type="user", since="2024"))
    assert data == {"type": "user", "from": "2024", "content-type": "json", "limit": None}
    assert registry.structure(data, Query) == Query(type="user", since="2024")


def test_registered_hooks_are_what_cattrs_get_structure_hook_gives() -> None:
    registry = Registry()
    registry.register_structure_hook(Money, money_hook)
    registry.register_structure_hook_factory(lambda tp: tp is Invoice, lambda tp: lambda v, _: v)
    assert registry.get_structure_hook(Money) is money_hook
    assert registry.get_structure_hook(Invoice)("raw", Invoice) == "raw"
    assert registry.structure("raw", Invoice) == "raw"


def test_unstructure_gives_json_ready_dates_uuids_and_decimals() -> None:
    import datetime
    import decimal
    import uuid

    moment = datetime.datetime(2024, 5, 6, 7, 8, 9)
    data = Registry().unstructure(
        [moment, moment.date(), moment.time(), uuid.UUID(int=2), decimal.Decimal("0.1")]
    )
    assert data == [
        "2024-05-06T07:08:09",
        "2024-05-06",
        "07:08:09",
        "00000000-0000-0000-0000-000000000002",
        "0.1",
    ]
