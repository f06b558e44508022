"""Tests for typedresp._introspection: unwrapping, classifying, type-variable substitution.

String annotations below are written as strings on purpose: at runtime they are exactly
what ``from __future__ import annotations`` makes of every annotation in a module.
"""

import dataclasses
import enum
import sys
import types
import typing
from typing import Annotated, Any, Generic, Literal, NewType, Optional, TypedDict, TypeVar, Union

import attr
import attrs
import pytest
import typing_extensions
from hypothesis import given, settings
from hypothesis import strategies as st
from typing_extensions import NotRequired, ReadOnly, Required, TypeAliasType

import typedresp
from typedresp import _introspection
from typedresp._fields import field_types, typeddict_required_keys
from typedresp._introspection import (
    NOT_WRAPPED,
    class_of,
    extract_type_arg,
    extract_type_var_from_base,
    get_args,
    get_origin,
    is_attrs_class,
    is_dataclass_type,
    is_enum_class,
    is_literal,
    is_optional,
    is_typeddict,
    is_union,
    literal_values,
    type_var_map,
    union_members,
    unwrap,
    unwrap_once,
)

T = TypeVar("T")
U = TypeVar("U")
R = TypeVar("R")
S = TypeVar("S")
A = TypeVar("A")
B = TypeVar("B")
First = TypeVar("First")
Second = TypeVar("Second")
ChainKey = TypeVar("ChainKey")
ChainValue = TypeVar("ChainValue")
BoolT = TypeVar("BoolT", bound=bool)
LaterT = TypeVar("LaterT", bound="LaterUser")
DefaultT = typing_extensions.TypeVar("DefaultT", default=str)

UserId = NewType("UserId", int)
AdminId = NewType("AdminId", UserId)
Token = typing_extensions.NewType("Token", str)

IntList = TypeAliasType("IntList", list[int])
Pair = TypeAliasType("Pair", tuple[T, T], type_params=(T,))
Swap = TypeAliasType("Swap", dict[B, A], type_params=(A, B))
OptionalUserId = TypeAliasType("OptionalUserId", Optional[UserId])
LabelledIntList = TypeAliasType("LabelledIntList", Annotated[IntList, "label"])
NamedByString = TypeAliasType("NamedByString", "UserId")
DefinedAsItself = TypeAliasType("DefinedAsItself", "DefinedAsItself")
BoolList = TypeAliasType("BoolList", list[BoolT], type_params=(BoolT,))
DefaultList = TypeAliasType("DefaultList", list[DefaultT], type_params=(DefaultT,))

TYPING_QUALIFIERS = [
    getattr(typing, name)
    for name in ("Required", "NotRequired", "ReadOnly")
    if hasattr(typing, name)
]
QUALIFIERS = [Required, NotRequired, ReadOnly] + [
    form for form in TYPING_QUALIFIERS if form not in (Required, NotRequired, ReadOnly)
]
TYPED_DICT_BASES = [
    pytest.param(TypedDict, id="typing.TypedDict"),
    pytest.param(typing_extensions.TypedDict, id="typing_extensions.TypedDict"),
]
requires_312 = pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 695 syntax")


class Color(enum.Enum):
    RED = "red"


@attrs.define
class User:
    name: str


@attrs.define
class Page(Generic[T]):
    items: list[T]
    next: Optional[str]


@attrs.define
class UserPage(Page[User]):
    pass


@attrs.define
class DeeperUserPage(UserPage):
    total: int


@attrs.define
class NestedListPage(Page[list[U]], Generic[U]):
    pass


@attrs.define
class Shadowing(Page[int], Generic[T]):
    """Reuses `T`, the type variable of `Page`, for a different purpose."""

    extra: T


@attrs.define
class Tagged(Generic[T]):
    tag: Annotated[T, "tag"]


@attrs.define
class BoolBox(Generic[BoolT]):
    value: BoolT


@attrs.define
class DefaultBox(Generic[DefaultT]):
    value: DefaultT


@attrs.define
class ForwardBoundBox(Generic[LaterT]):
    value: LaterT


@attrs.define
class QuotedAttrs(Generic[T]):
    item: "T"
    later: "list[LaterUser]"
    maybe: "Optional[LaterUser]"


@dataclasses.dataclass
class QuotedData:
    later: "LaterUser"
    page: "Page[LaterUser]"


@attr.s
class Unannotated:
    typed = attr.ib(type=int)
    untyped = attr.ib()


@dataclasses.dataclass
class DataPage(Generic[T]):
    items: list[T]


@dataclasses.dataclass
class DataUserPage(DataPage[User]):
    pass


class ExtTypedPage(typing_extensions.TypedDict, Generic[T]):
    items: list[T]
    cursor: NotRequired[str]


class ExtIntPage(ExtTypedPage[int]):
    count: int


class ExtDeeperIntPage(ExtIntPage):
    extra: bool


if sys.version_info >= (3, 11):  # typing.TypedDict cannot be generic before 3.11

    class StdTypedPage(TypedDict, Generic[T]):
        items: list[T]

    class StdIntPage(StdTypedPage[int]):
        count: int

    class StdDeeperIntPage(StdIntPage):
        extra: bool


@attrs.define
class LaterUser:
    """Defined after the classes whose string annotations name it."""

    name: str


# Response-like generics for extract_type_var_from_base.
class APIResponse(Generic[R]):
    pass


class AsyncAPIResponse(Generic[R]):
    pass


class MyResponse(APIResponse[bytes]):
    pass


class DeeperResponse(MyResponse):
    pass


class DeepestResponse(DeeperResponse):
    pass


class MidResponse(APIResponse[T]):
    pass


class ConcreteMidResponse(MidResponse[int]):
    pass


class RenamedResponse(APIResponse[S]):
    pass


class ListResponse(APIResponse[list[T]]):
    pass


class Mixin:
    pass


class GenericMixin(Generic[U]):
    pass


class MixedResponse(Mixin, GenericMixin[str], APIResponse[float]):
    pass


class AsyncBytesResponse(AsyncAPIResponse[bytes]):
    pass


class TwoParams(Generic[First, Second]):
    pass


class Reordered(TwoParams[B, A], Generic[A, B]):
    pass


class ReorderedIntStr(Reordered[int, str]):
    pass


class ChainBase(Generic[ChainKey]):
    pass


class ChainMid(ChainBase[ChainValue], Generic[ChainValue]):
    pass


class ChainLeaf(ChainMid[bytes]):
    pass


class ChainTip(ChainLeaf):
    pass


# PEP 695 syntax cannot even be parsed before 3.12 (and ruff targets 3.10), so the
# module is kept as source and executed on 3.12+ only.
PEP695_SOURCE = """
import dataclasses
from typing import Annotated, Generic, TypeVar

import attrs

type Pair[T] = tuple[T, T]
type Swap[A, B] = dict[B, A]
type IntList = list[int]
type PairOfInts = Pair[int]
type MaybeInt = int | None
type BoolList[T: bool] = list[T]
type LabelledIntList = Annotated[IntList, "label"]


@attrs.define
class Box[T]:
    item: T
    items: list[T]


@attrs.define
class ListBox[U](Box[list[U]]):
    pass


@attrs.define
class IntListBox(ListBox[int]):
    pass


class TwoParams[A, B]:
    pass


class Flipped[X, Y](TwoParams[Y, X]):
    pass


class FlippedBytesStr(Flipped[bytes, str]):
    pass


@dataclasses.dataclass
class QuotedBox[T]:
    item: "T"
    items: "list[T]"


OldT = TypeVar("OldT")


@attrs.define
class OldStyle(Generic[OldT]):
    value: OldT


@attrs.define
class NewStyle[N](OldStyle[tuple[N, ...]]):
    extra: N
"""


@pytest.fixture(scope="module")
def pep695() -> Any:
    """The PEP 695 types above, as a real module (string annotations need one)."""
    if sys.version_info < (3, 12):
        pytest.skip("PEP 695 syntax needs Python 3.12+")
    module = types.ModuleType("tests._pep695_types")
    sys.modules[module.__name__] = module
    exec(compile(PEP695_SOURCE, "<pep695>", "exec"), module.__dict__)
    yield module
    del sys.modules[module.__name__]


# ------------------------------------------------------------------------------ unwrapping


@pytest.mark.parametrize(
    ("wrapped", "inner"),
    [
        pytest.param(Annotated[int, "meta"], int, id="Annotated"),
        pytest.param(Annotated[UserId, "meta"], UserId, id="Annotated-one-layer-only"),
        pytest.param(Annotated[Annotated[UserId, "a"], "b"], UserId, id="Annotated-nested"),
        pytest.param(UserId, int, id="NewType"),
        pytest.param(AdminId, UserId, id="NewType-of-NewType-one-layer-only"),
        pytest.param(Token, str, id="typing_extensions.NewType"),
        pytest.param(IntList, list[int], id="TypeAliasType"),
        pytest.param(LabelledIntList, Annotated[IntList, "label"], id="alias-one-layer-only"),
        pytest.param(OptionalUserId, Optional[UserId], id="alias-of-optional"),
        pytest.param(NamedByString, UserId, id="alias-with-string-value"),
        pytest.param(Pair[int], tuple[int, int], id="generic-alias"),
        pytest.param(Swap[int, str], dict[str, int], id="generic-alias-reordered-params"),
        pytest.param(Pair[list[str]], tuple[list[str], list[str]], id="generic-alias-nested-arg"),
        pytest.param(BoolList, list[bool], id="unsubscripted-alias-uses-bound"),
        pytest.param(DefaultList, list[str], id="unsubscripted-alias-uses-default"),
        pytest.param(DefaultList[int], list[int], id="alias-argument-beats-default"),
        pytest.param(
            Required[Annotated[int, "m"]], Annotated[int, "m"], id="Required-of-Annotated"
        ),
    ]
    + [pytest.param(form[int], int, id=repr(form)) for form in QUALIFIERS],
)
def test_unwrap_once_peels_exactly_one_wrapper_layer(wrapped: Any, inner: Any) -> None:
    assert unwrap_once(wrapped) == inner


@pytest.mark.parametrize(
    "plain",
    [
        int,
        None,
        Any,
        list[int],
        list[Annotated[int, "meta"]],
        Optional[int],
        int | str,
        Literal["a"],
        Page[User],
        T,
        NewType,
        typing_extensions.NewType,
    ],
    ids=repr,
)
def test_unwrap_once_reports_not_wrapped_for_a_type_that_wraps_nothing(plain: Any) -> None:
    assert unwrap_once(plain) is NOT_WRAPPED


@pytest.mark.parametrize(
    ("wrapped", "inner"),
    [
        pytest.param(AdminId, int, id="NewType-chain"),
        pytest.param(Annotated[AdminId, "meta"], int, id="Annotated-of-NewType-chain"),
        pytest.param(LabelledIntList, list[int], id="alias-of-Annotated-of-alias"),
        pytest.param(Annotated[Pair[UserId], "meta"], tuple[UserId, UserId], id="alias-args-kept"),
        pytest.param(
            Required[Annotated[OptionalUserId, "meta"]], Optional[UserId], id="qualifier-chain"
        ),
        pytest.param(NamedByString, int, id="string-alias-of-NewType"),
        pytest.param(int, int, id="plain-type"),
    ],
)
def test_unwrap_peels_every_wrapper_layer_and_stops_at_the_first_real_type(
    wrapped: Any, inner: Any
) -> None:
    assert unwrap(wrapped) == inner


def test_unwrap_raises_type_error_for_an_alias_defined_as_itself() -> None:
    with pytest.raises(TypeError, match="does not unwrap"):
        unwrap(DefinedAsItself)


@requires_312
@pytest.mark.parametrize(
    ("alias_name", "args", "inner"),
    [
        ("IntList", (), list[int]),
        ("Pair", (int,), tuple[int, int]),
        ("Swap", (int, str), dict[str, int]),
        ("BoolList", (), list[bool]),
        ("MaybeInt", (), int | None),
    ],
)
def test_unwrap_once_peels_type_statement_aliases(
    pep695: Any, alias_name: str, args: tuple[Any, ...], inner: Any
) -> None:
    alias = getattr(pep695, alias_name)
    assert unwrap_once(alias[args] if args else alias) == inner


@requires_312
def test_unwrap_follows_type_statement_aliases_through_other_aliases(pep695: Any) -> None:
    assert unwrap(pep695.PairOfInts) == tuple[int, int]
    assert unwrap(pep695.LabelledIntList) == list[int]


# ------------------------------------------------------------------------ origin and args

UNION_FORMS = [
    pytest.param(Union[int, str], id="Union"),
    pytest.param(Optional[int], id="Optional"),
    pytest.param(int | str, id="pipe"),
    pytest.param(int | None, id="pipe-None"),
    pytest.param(Union[int, str | None], id="Union-of-pipe"),
    pytest.param(list[T] | None, id="pipe-with-generic"),
]


@pytest.mark.parametrize("form", UNION_FORMS)
def test_get_origin_reports_typing_union_for_every_union_spelling(form: Any) -> None:
    assert get_origin(form) is Union


def test_get_origin_keeps_annotated_instead_of_stripping_it() -> None:
    assert get_origin(Annotated[int, "meta"]) is Annotated


@pytest.mark.parametrize(
    ("generic", "origin"),
    [
        (list[int], list),
        (typing.List[int], list),  # noqa: UP006 - the old spelling is the point
        (dict[str, int], dict),
        (Page[User], Page),
    ],
    ids=repr,
)
def test_get_origin_gives_the_class_of_a_parametrised_generic(generic: Any, origin: Any) -> None:
    assert get_origin(generic) is origin


@pytest.mark.parametrize("plain", [int, Page, T], ids=repr)
def test_get_origin_of_an_unsubscripted_type_is_none(plain: Any) -> None:
    assert get_origin(plain) is None


def test_get_args_keeps_annotated_metadata() -> None:
    assert get_args(Annotated[int, "a", "b"]) == (int, "a", "b")


def test_get_args_lists_the_members_of_a_pipe_union() -> None:
    assert get_args(int | str) == (int, str)


# ------------------------------------------------------------------------------ unions


@pytest.mark.parametrize("form", UNION_FORMS)
def test_is_union_recognises_every_union_spelling(form: Any) -> None:
    assert is_union(form)


@pytest.mark.parametrize(
    "form",
    [
        int,
        Union,
        list[int | str],
        Literal[1, 2],
        Annotated[int | str, "meta"],
        TypeAliasType("IntOrStr", int | str),
    ],
    ids=repr,
)
def test_is_union_is_false_for_anything_but_the_union_form_itself(form: Any) -> None:
    assert not is_union(form)


@pytest.mark.parametrize(
    ("form", "members"),
    [
        (Union[int, Union[str, bytes]], (int, str, bytes)),
        (int | (str | None), (int, str, type(None))),
        (Optional[Union[int, str]], (int, str, type(None))),
        (Union[int, str, int], (int, str)),
        (Union[str, int], (str, int)),
    ],
    ids=repr,
)
def test_union_members_are_flattened_in_order_without_duplicates(
    form: Any, members: tuple[Any, ...]
) -> None:
    assert union_members(form) == members


def test_union_members_keep_wrapped_members_wrapped() -> None:
    form = Union[UserId, Annotated[str, "meta"], OptionalUserId]
    assert union_members(form) == (UserId, Annotated[str, "meta"], OptionalUserId)


def test_union_members_reject_a_type_that_is_not_a_union() -> None:
    with pytest.raises(TypeError, match="not a union"):
        union_members(int)


@pytest.mark.parametrize(
    "form",
    [
        Optional[int],
        Union[int, None],
        int | None,
        None | int,
        Annotated[Optional[int], "meta"],
        Annotated[int | None, "meta"],
        OptionalUserId,
        TypeAliasType("MaybeInt", int | None),
        Required[Optional[int]],
        Union[int, Annotated[None, "meta"]],
        Union[str, Annotated[Optional[int], "meta"]],
        Union[int, Literal[None]],
    ],
    ids=repr,
)
def test_is_optional_finds_none_in_a_union_through_any_wrapper(form: Any) -> None:
    assert is_optional(form)


@pytest.mark.parametrize(
    "form",
    [
        int,
        type(None),
        Union[int, str],
        Annotated[int, "meta"],
        list[Optional[int]],
        Literal["a"],
        UserId,
    ],
    ids=repr,
)
def test_is_optional_is_false_without_a_union_that_accepts_none(form: Any) -> None:
    assert not is_optional(form)


# ---------------------------------------------------------------------------- literals


@pytest.mark.parametrize(
    "form",
    [typing.Literal["a"], typing_extensions.Literal["a"], Literal[1, "a", None]],
    ids=repr,
)
def test_is_literal_recognises_typing_and_typing_extensions_literals(form: Any) -> None:
    assert is_literal(form)


@pytest.mark.parametrize(
    "form", [Literal, typing_extensions.Literal, str, Annotated[Literal["a"], "meta"]], ids=repr
)
def test_is_literal_is_false_for_a_bare_literal_and_non_literals(form: Any) -> None:
    assert not is_literal(form)


def test_literal_values_flatten_nested_literals_in_order() -> None:
    form = Literal["a", Literal["b", typing_extensions.Literal["c"]], "d"]  # noqa: RUF041
    assert literal_values(form) == ("a", "b", "c", "d")


def test_literal_values_keep_equal_values_of_different_types() -> None:
    values = literal_values(Literal[1, True])
    assert values == (1, True)
    assert [type(value) for value in values] == [int, bool]


def test_literal_values_keep_enum_members() -> None:
    assert literal_values(Literal[Color.RED, "red"]) == (Color.RED, "red")


def test_literal_values_reject_a_type_that_is_not_a_literal() -> None:
    with pytest.raises(TypeError, match="not a Literal"):
        literal_values(str)


# ----------------------------------------------------------------------------- classes


def test_is_enum_class_is_true_for_an_enum_class() -> None:
    assert is_enum_class(Color)


@pytest.mark.parametrize("form", [Color.RED, int, list[int], Literal[Color.RED]], ids=repr)
def test_is_enum_class_is_false_for_members_other_classes_and_generic_aliases(form: Any) -> None:
    assert not is_enum_class(form)


@pytest.mark.parametrize("form", [User, Page, Page[User], UserPage, Page[T]], ids=repr)
def test_is_attrs_class_is_true_for_plain_and_parametrised_attrs_classes(form: Any) -> None:
    assert is_attrs_class(form)


@pytest.mark.parametrize(
    "form", [User(name="x"), DataPage, int, list[int], Annotated[User, "meta"]], ids=repr
)
def test_is_attrs_class_is_false_for_instances_and_other_types(form: Any) -> None:
    assert not is_attrs_class(form)


@pytest.mark.parametrize("form", [QuotedData, DataPage, DataPage[User], DataUserPage], ids=repr)
def test_is_dataclass_type_is_true_for_plain_and_parametrised_dataclasses(form: Any) -> None:
    assert is_dataclass_type(form)


@pytest.mark.parametrize("form", [DataPage[User](items=[]), User, list[int]], ids=repr)
def test_is_dataclass_type_is_false_for_instances_and_other_types(form: Any) -> None:
    assert not is_dataclass_type(form)


def test_is_typeddict_is_true_for_typing_and_typing_extensions_typeddicts() -> None:
    class Std(TypedDict):
        a: int

    class Ext(typing_extensions.TypedDict):
        a: int

    assert is_typeddict(Std)
    assert is_typeddict(Ext)


@pytest.mark.parametrize("form", [ExtTypedPage[int], ExtIntPage], ids=repr)
def test_is_typeddict_is_true_for_parametrised_and_derived_generic_typeddicts(form: Any) -> None:
    assert is_typeddict(form)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="typing.TypedDict generic from 3.11")
def test_is_typeddict_is_true_for_a_parametrised_typing_typeddict() -> None:
    assert is_typeddict(StdTypedPage[int])


@pytest.mark.parametrize("form", [dict, dict[str, int], {}, User, TypedDict], ids=repr)
def test_is_typeddict_is_false_for_dicts_instances_and_other_classes(form: Any) -> None:
    assert not is_typeddict(form)


@pytest.mark.parametrize(
    ("form", "cls"),
    [(Page[User], Page), (Page, Page), (list[int], list), (ExtTypedPage[int], ExtTypedPage)],
    ids=repr,
)
def test_class_of_gives_the_class_behind_a_type(form: Any, cls: type) -> None:
    assert class_of(form) is cls


@pytest.mark.parametrize(
    "form", [Union[int, str], Annotated[Page[User], "meta"], Literal["a"], T, UserId], ids=repr
)
def test_class_of_rejects_types_that_are_not_classes(form: Any) -> None:
    with pytest.raises(TypeError, match="not a class"):
        class_of(form)


# -------------------------------------------------------------------------- field types


@pytest.mark.parametrize("form", [Page[User], UserPage], ids=repr)
def test_field_types_substitute_the_type_argument_of_a_generic_attrs_class(form: Any) -> None:
    assert field_types(form) == {"items": list[User], "next": Optional[str]}


def test_field_types_substitute_through_a_plain_subclass_of_a_concrete_subclass() -> None:
    assert field_types(DeeperUserPage) == {
        "items": list[User],
        "next": Optional[str],
        "total": int,
    }


def test_field_types_substitute_a_renamed_and_wrapped_type_variable() -> None:
    assert field_types(NestedListPage[int])["items"] == list[list[int]]


def test_field_types_keep_apart_one_type_variable_used_by_two_classes() -> None:
    assert field_types(Shadowing[str]) == {"items": list[int], "next": Optional[str], "extra": str}


def test_field_types_keep_annotated_metadata_around_a_substituted_type() -> None:
    assert field_types(Tagged[int]) == {"tag": Annotated[int, "tag"]}


@pytest.mark.parametrize(
    ("form", "value_type"),
    [
        pytest.param(Page, list[Any], id="unbound-becomes-Any"),
        pytest.param(BoolBox, bool, id="unbound-becomes-bound"),
        pytest.param(ForwardBoundBox, LaterUser, id="unbound-becomes-string-bound"),
        pytest.param(DefaultBox, str, id="unbound-becomes-default"),
        pytest.param(DefaultBox[int], int, id="argument-beats-default"),
    ],
)
def test_field_types_replace_an_unbound_type_variable_by_default_then_bound_then_any(
    form: Any, value_type: Any
) -> None:
    assert next(iter(field_types(form).values())) == value_type


def test_field_types_resolve_string_annotations_and_forward_references_of_attrs_classes() -> None:
    assert field_types(QuotedAttrs[int]) == {
        "item": int,
        "later": list[LaterUser],
        "maybe": Optional[LaterUser],
    }


def test_field_types_resolve_string_annotations_and_forward_references_of_dataclasses() -> None:
    assert field_types(QuotedData) == {"later": LaterUser, "page": Page[LaterUser]}


def test_field_types_leave_the_class_unmodified() -> None:
    field_types(QuotedAttrs[int])
    assert attrs.fields(QuotedAttrs).later.type == "list[LaterUser]"


def test_field_types_use_the_declared_type_of_an_unannotated_attrs_field() -> None:
    assert field_types(Unannotated) == {"typed": int, "untyped": Any}


@pytest.mark.parametrize("form", [DataPage[User], DataUserPage], ids=repr)
def test_field_types_substitute_the_type_argument_of_a_generic_dataclass(form: Any) -> None:
    assert field_types(form) == {"items": list[User]}


def test_field_types_of_a_typeddict_keep_required_and_not_required() -> None:
    assert field_types(ExtTypedPage[int]) == {"items": list[int], "cursor": NotRequired[str]}


@pytest.mark.parametrize("form", [ExtIntPage, ExtDeeperIntPage], ids=repr)
def test_field_types_substitute_through_subclasses_of_a_generic_typeddict(form: Any) -> None:
    types_ = field_types(form)
    assert types_["items"] == list[int]
    assert types_["count"] is int


@pytest.mark.skipif(sys.version_info < (3, 11), reason="typing.TypedDict generic from 3.11")
@pytest.mark.parametrize("form", ["StdTypedPage[int]", "StdIntPage"])
def test_field_types_substitute_the_argument_of_a_generic_typing_typeddict(form: str) -> None:
    assert field_types(eval(form))["items"] == list[int]


@pytest.mark.skipif(
    sys.version_info < (3, 12),
    reason="3.10 and 3.11 drop __orig_bases__ of a non-generic typing.TypedDict subclass",
)
def test_field_types_substitute_through_a_plain_subclass_of_a_typing_typeddict() -> None:
    assert field_types(StdDeeperIntPage)["items"] == list[int]


@pytest.mark.parametrize("form", [int, dict[str, int], Union[User, None], Color], ids=repr)
def test_field_types_reject_types_without_fields(form: Any) -> None:
    with pytest.raises(TypeError):
        field_types(form)


@requires_312
def test_field_types_substitute_pep_695_type_parameters(pep695: Any) -> None:
    assert field_types(pep695.Box[int]) == {"item": int, "items": list[int]}
    assert field_types(pep695.IntListBox) == {"item": list[int], "items": list[list[int]]}


@requires_312
def test_field_types_resolve_string_annotations_naming_pep_695_type_parameters(
    pep695: Any,
) -> None:
    assert field_types(pep695.QuotedBox[int]) == {"item": int, "items": list[int]}


@requires_312
def test_field_types_substitute_through_a_pep_695_subclass_of_a_classic_generic(
    pep695: Any,
) -> None:
    assert field_types(pep695.NewStyle[str]) == {"value": tuple[str, ...], "extra": str}


# ---------------------------------------------------------------- TypedDict required keys


@pytest.mark.parametrize("base", TYPED_DICT_BASES)
def test_required_keys_of_a_total_typeddict_are_all_keys(base: Any) -> None:
    class Movie(base):
        title: str
        year: int

    assert typeddict_required_keys(Movie) == {"title", "year"}


@pytest.mark.parametrize("base", TYPED_DICT_BASES)
def test_required_keys_of_a_non_total_typeddict_are_none(base: Any) -> None:
    class Movie(base, total=False):
        title: str
        year: int

    assert typeddict_required_keys(Movie) == frozenset()


@pytest.mark.parametrize("base", TYPED_DICT_BASES)
def test_required_keys_include_a_required_key_of_a_non_total_typeddict(base: Any) -> None:
    class Movie(base, total=False):
        title: Required[str]
        year: int

    assert typeddict_required_keys(Movie) == {"title"}


@pytest.mark.parametrize("base", TYPED_DICT_BASES)
def test_required_keys_exclude_a_not_required_key_of_a_total_typeddict(base: Any) -> None:
    class Movie(base):
        title: str
        year: NotRequired[int]

    assert typeddict_required_keys(Movie) == {"title"}


@pytest.mark.parametrize("base", TYPED_DICT_BASES)
def test_required_keys_honour_qualifiers_in_string_annotations(base: Any) -> None:
    class Total(base):
        title: "str"
        year: "NotRequired[int]"

    class Partial(base, total=False):
        title: "Required[str]"
        year: "int"

    assert typeddict_required_keys(Total) == {"title"}
    assert typeddict_required_keys(Partial) == {"title"}


@pytest.mark.parametrize("base", TYPED_DICT_BASES)
def test_required_keys_see_qualifiers_inside_read_only_and_annotated(base: Any) -> None:
    class Movie(base, total=False):
        title: ReadOnly[Required[str]]
        year: Annotated[Required[int], "meta"]
        rating: int

    class Review(base):
        text: Annotated[NotRequired[str], "meta"]
        score: ReadOnly[int]

    assert typeddict_required_keys(Movie) == {"title", "year"}
    assert typeddict_required_keys(Review) == {"score"}


@pytest.mark.parametrize("base", TYPED_DICT_BASES)
def test_required_keys_follow_the_totality_of_the_class_declaring_each_key(base: Any) -> None:
    class Total(base):
        a: int

    class PartialChild(Total, total=False):
        b: int
        c: Required[int]

    class Partial(base, total=False):
        x: int

    class TotalChild(Partial):
        y: int
        z: NotRequired[int]

    assert typeddict_required_keys(PartialChild) == {"a", "c"}
    assert typeddict_required_keys(TotalChild) == {"y"}


def test_required_keys_of_a_parametrised_generic_typeddict() -> None:
    assert typeddict_required_keys(ExtTypedPage[int]) == {"items"}
    assert typeddict_required_keys(ExtDeeperIntPage) == {"items", "count", "extra"}


@pytest.mark.parametrize("form", [dict, Page, dict[str, int]], ids=repr)
def test_required_keys_reject_a_type_that_is_not_a_typeddict(form: Any) -> None:
    with pytest.raises(TypeError):
        typeddict_required_keys(form)


# ------------------------------------------------------------------------ type_var_map


def test_type_var_map_maps_the_parameters_of_a_parametrised_class() -> None:
    assert type_var_map(Page[User]) == {T: User}


def test_type_var_map_follows_a_chain_of_concrete_subclasses() -> None:
    assert type_var_map(ChainTip) == {ChainKey: bytes, ChainValue: bytes}


def test_type_var_map_maps_the_type_variables_of_mixins_listed_first() -> None:
    assert type_var_map(MixedResponse) == {U: str, R: float}


def test_type_var_map_follows_a_subclass_that_reorders_its_type_variables() -> None:
    assert type_var_map(Reordered[int, str]) == {A: int, B: str, First: str, Second: int}


def test_type_var_map_omits_type_variables_left_unbound() -> None:
    assert type_var_map(Page) == {}
    assert type_var_map(MidResponse) == {}


def test_type_var_map_keeps_partially_bound_arguments() -> None:
    assert type_var_map(ListResponse) == {R: list[T]}


def test_type_var_map_lets_the_most_derived_class_win_for_a_shared_type_variable() -> None:
    assert type_var_map(Shadowing[str]) == {T: str}


def test_type_var_map_follows_subclasses_of_a_generic_typeddict() -> None:
    assert type_var_map(ExtDeeperIntPage) == {T: int}


@requires_312
def test_type_var_map_follows_pep_695_generics(pep695: Any) -> None:
    (box_param,) = pep695.Box.__type_params__
    (list_box_param,) = pep695.ListBox.__type_params__
    assert type_var_map(pep695.IntListBox) == {box_param: list[int], list_box_param: int}


def test_type_var_map_rejects_a_type_that_is_not_a_class() -> None:
    with pytest.raises(TypeError, match="not a class"):
        type_var_map(Union[int, str])


# -------------------------------------------------------------------- extract_type_arg


@pytest.mark.parametrize(
    ("form", "index", "arg"),
    [(dict[str, int], 1, int), (dict[str, int], 0, str), (APIResponse[bytes], 0, bytes)],
    ids=repr,
)
def test_extract_type_arg_gives_the_argument_at_the_index(form: Any, index: int, arg: Any) -> None:
    assert extract_type_arg(form, index) is arg


@pytest.mark.parametrize(("form", "index"), [(list[int], 1), (int, 0), (APIResponse, 0)], ids=repr)
def test_extract_type_arg_raises_type_error_naming_a_missing_index(form: Any, index: int) -> None:
    with pytest.raises(TypeError, match=f"type argument at index {index}"):
        extract_type_arg(form, index)


# ---------------------------------------------------------- extract_type_var_from_base


@pytest.mark.parametrize(
    ("form", "arg"),
    [
        pytest.param(APIResponse[bytes], bytes, id="parametrised-base"),
        pytest.param(APIResponse[list[User]], list[User], id="parametrised-base-generic-arg"),
        pytest.param(MyResponse, bytes, id="depth-1"),
        pytest.param(DeeperResponse, bytes, id="depth-2"),
        pytest.param(DeepestResponse, bytes, id="depth-3"),
        pytest.param(MidResponse[int], int, id="generic-subclass-parametrised-later"),
        pytest.param(ConcreteMidResponse, int, id="concrete-subclass-of-generic-subclass"),
        pytest.param(RenamedResponse[bool], bool, id="renamed-type-variable"),
        pytest.param(ListResponse[User], list[User], id="type-variable-inside-argument"),
        pytest.param(MixedResponse, float, id="mixins-listed-first"),
    ],
)
def test_extract_type_var_from_base_resolves_the_argument_at_any_depth(form: Any, arg: Any) -> None:
    assert extract_type_var_from_base(form, generic_bases=(APIResponse,), index=0) == arg


@pytest.mark.parametrize("form", [Reordered[int, str], ReorderedIntStr], ids=repr)
def test_extract_type_var_from_base_follows_reordered_type_variables_not_positions(
    form: Any,
) -> None:
    assert extract_type_var_from_base(form, generic_bases=(TwoParams,), index=0) is str
    assert extract_type_var_from_base(form, generic_bases=(TwoParams,), index=1) is int


def test_extract_type_var_from_base_finds_whichever_generic_base_the_type_derives_from() -> None:
    bases = (APIResponse, AsyncAPIResponse)
    assert extract_type_var_from_base(AsyncBytesResponse, generic_bases=bases, index=0) is bytes


@pytest.mark.parametrize(
    "form", [APIResponse, APIResponse[T], MidResponse, RenamedResponse, MidResponse[S]], ids=repr
)
def test_extract_type_var_from_base_raises_type_error_for_an_unbound_type_variable(
    form: Any,
) -> None:
    with pytest.raises(TypeError, match="unbound type variable"):
        extract_type_var_from_base(form, generic_bases=(APIResponse,), index=0)


@pytest.mark.parametrize("form", [User, int, AsyncBytesResponse, Page[User]], ids=repr)
def test_extract_type_var_from_base_raises_type_error_for_an_unrelated_class(form: Any) -> None:
    with pytest.raises(TypeError, match="not a subclass of any of them"):
        extract_type_var_from_base(form, generic_bases=(APIResponse,), index=0)


@pytest.mark.parametrize("form", [Union[int, str], Annotated[MyResponse, "meta"]], ids=repr)
def test_extract_type_var_from_base_raises_type_error_for_a_type_that_is_not_a_class(
    form: Any,
) -> None:
    with pytest.raises(TypeError, match="not a class"):
        extract_type_var_from_base(form, generic_bases=(APIResponse,), index=0)


def test_extract_type_var_from_base_raises_type_error_for_a_missing_index() -> None:
    with pytest.raises(TypeError, match="only 1 type arguments"):
        extract_type_var_from_base(MyResponse, generic_bases=(APIResponse,), index=1)


def test_extract_type_var_from_base_default_message_names_the_type_and_the_bases() -> None:
    with pytest.raises(TypeError) as info:
        extract_type_var_from_base(MidResponse, generic_bases=(APIResponse,), index=0)
    assert "argument 0 of APIResponse" in str(info.value)
    assert "MidResponse" in str(info.value)


def test_extract_type_var_from_base_raises_the_given_failure_message_verbatim() -> None:
    message = "Expected a subclass of APIResponse[T] with T bound"
    with pytest.raises(TypeError) as info:
        extract_type_var_from_base(
            MidResponse, generic_bases=(APIResponse,), index=0, failure_message=message
        )
    assert str(info.value) == message


@requires_312
@pytest.mark.parametrize(("index", "arg"), [(0, str), (1, bytes)])
@pytest.mark.parametrize("name", ["FlippedBytesStr", "Flipped[bytes, str]"])
def test_extract_type_var_from_base_follows_pep_695_generics(
    pep695: Any, name: str, index: int, arg: Any
) -> None:
    form = eval(name, vars(pep695))
    assert extract_type_var_from_base(form, generic_bases=(pep695.TwoParams,), index=index) is arg


# ------------------------------------------------------------ generated subclass chains

CONCRETE_TYPES = (int, str, bytes, float, bool)


@st.composite
def subclass_chains(draw: st.DrawFn) -> tuple[Any, type, list[Any]]:
    """A generic base, a random chain of subclasses ending in `tp`, and what each param became.

    Each generic level renames all type variables, passes them on in a random order and
    lists its own in another random order; the chain is then bound either by subscripting
    its last class or by a concrete subclass, optionally followed by plain subclasses.
    """
    n_params = draw(st.integers(1, 3))
    depth = draw(st.integers(1, 5))
    base_params = [TypeVar(f"P{i}") for i in range(n_params)]
    base = types.new_class("Base", (Generic[tuple(base_params)],))
    # meaning[param] = index of the base parameter that `param` stands for
    meaning = {param: i for i, param in enumerate(base_params)}
    cls, cls_params = base, base_params
    for level in range(depth - 1):
        fresh = [TypeVar(f"L{level}_{i}") for i in range(n_params)]
        passed = draw(st.permutations(fresh))
        own_order = draw(st.permutations(fresh))
        for param, given_to in zip(passed, cls_params, strict=True):
            meaning[param] = meaning[given_to]
        bases: tuple[Any, ...] = (cls[tuple(passed)], Generic[tuple(own_order)])
        if draw(st.booleans()):
            bases = (types.new_class(f"Mixin{level}"), *bases)
        cls, cls_params = types.new_class(f"Level{level}", bases), own_order
    concrete = draw(st.permutations(CONCRETE_TYPES[:n_params]))
    bound: list[Any] = [None] * n_params
    for param, value in zip(cls_params, concrete, strict=True):
        bound[meaning[param]] = value
    tp: Any = cls[tuple(concrete)]
    if draw(st.booleans()):
        tp = types.new_class("Concrete", (tp,))
        for extra in range(draw(st.integers(0, 2))):
            tp = types.new_class(f"Plain{extra}", (tp,))
    return tp, base, bound


@settings(max_examples=200, deadline=None)
@given(subclass_chains())
def test_extract_type_var_from_base_resolves_generated_subclass_chains(
    chain: tuple[Any, type, list[Any]],
) -> None:
    tp, base, bound = chain
    for index, value in enumerate(bound):
        assert extract_type_var_from_base(tp, generic_bases=(base,), index=index) is value


# ------------------------------------------- fuzzing: anything gives a type or TypeError

_FUZZ_PARAMS = [TypeVar(f"F{i}") for i in range(4)]
_FUZZ_ARGS: list[Any] = [*_FUZZ_PARAMS, int, str, list[int], Optional[str], Any]
_Ts = typing_extensions.TypeVarTuple("_Ts")
_P = typing_extensions.ParamSpec("_P")


class _Variadic(Generic[typing_extensions.Unpack[_Ts]]): ...


class _Callback(Generic[_P]): ...


class _BrokenOrigBases(APIResponse[int]): ...


_BrokenOrigBases.__orig_bases__ = ("not a base", None, APIResponse[str])  # type: ignore[assignment]

_NOT_GENERIC_FORMS: list[Any] = [
    None, 1, "APIResponse", T, _P, _Ts, Any, Union[int, str], Literal[1], list, list[int],
    dict[str, int], typing.List[int], typing.Generic, Generic[T], type[int], tuple[()],  # noqa: UP006
    typing.Callable[[int], str], _Variadic, _Variadic[int, str], _Callback, _Callback[[int]],
    _BrokenOrigBases, Annotated[MyResponse, "meta"], APIResponse[T], MidResponse[S],
]  # fmt: skip


@st.composite
def generic_hierarchies(draw: st.DrawFn) -> list[type]:
    """Up to five classes, each generic in some type variables and deriving from earlier
    ones given random arguments (type variables or concrete types); impossible
    combinations (which Python refuses to create) are left out."""
    classes: list[type] = []
    for n in range(draw(st.integers(1, 5))):
        params = draw(st.lists(st.sampled_from(_FUZZ_PARAMS), unique=True, max_size=3))
        bases: list[Any] = []
        parents = (
            draw(st.lists(st.sampled_from(classes), unique=True, max_size=2)) if classes else []
        )
        for parent in parents:
            arity = len(getattr(parent, "__parameters__", ()))
            args = draw(st.lists(st.sampled_from(_FUZZ_ARGS), min_size=arity, max_size=arity))
            try:
                bases.append(parent[tuple(args)] if arity else parent)
            except TypeError:
                continue
        if params and draw(st.booleans()):
            bases.append(Generic[tuple(params)])
        try:
            classes.append(types.new_class(f"Fuzz{n}", tuple(bases)))
        except TypeError:  # e.g. a type variable missing from Generic[...], or no MRO
            continue
    return classes


@st.composite
def extraction_cases(draw: st.DrawFn) -> tuple[Any, tuple[type, ...], int]:
    classes = draw(generic_hierarchies())
    candidates: list[type] = [*classes, APIResponse, AsyncAPIResponse, int, object]
    form: Any
    if not classes or draw(st.integers(0, 4)) == 0:
        form = draw(st.sampled_from(_NOT_GENERIC_FORMS))
    else:
        form = draw(st.sampled_from(classes))
        arity = len(getattr(form, "__parameters__", ()))
        if arity and draw(st.booleans()):
            args = draw(st.lists(st.sampled_from(_FUZZ_ARGS), min_size=arity, max_size=arity))
            form = form[tuple(args)]
    origin = typing.get_origin(form) or form
    ancestors = [c for c in getattr(origin, "__mro__", ()) if c in classes]
    bases = st.sampled_from(candidates)
    if ancestors:
        bases = st.sampled_from(ancestors) | bases
    generic_bases = tuple(draw(st.lists(bases, min_size=1, max_size=3)))
    index = draw(st.integers(0, 2) | st.integers(-4, 4) | st.integers())
    return form, generic_bases, index


@settings(max_examples=500, deadline=None)
@given(extraction_cases())
def test_extract_type_var_from_base_gives_a_bound_argument_or_raises_type_error(
    case: tuple[Any, tuple[type, ...], int],
) -> None:
    form, generic_bases, index = case
    try:
        value = extract_type_var_from_base(form, generic_bases=generic_bases, index=index)
    except TypeError:
        return
    assert not isinstance(value, TypeVar)


# ---------------------------------------------------------------------------- exports


def test_module_exports_exactly_the_lead_facing_names() -> None:
    assert set(_introspection.__all__) == {
        "NOT_WRAPPED",
        "describe",
        "class_of",
        "extract_type_arg",
        "extract_type_var_from_base",
        "get_args",
        "get_origin",
        "is_attrs_class",
        "is_dataclass_type",
        "is_enum_class",
        "is_literal",
        "is_optional",
        "is_typeddict",
        "is_union",
        "literal_values",
        "type_var_map",
        "union_members",
        "unwrap",
        "unwrap_once",
    }


def test_extract_helpers_are_importable_from_the_package() -> None:
    assert typedresp.extract_type_arg is extract_type_arg
    assert typedresp.extract_type_var_from_base is extract_type_var_from_base


def test_a_name_quoted_inside_a_builtin_generic_is_resolved() -> None:
    from tests.forward_models import Node

    hints = field_types(Node)
    assert hints["children"] == list[Node]
    assert hints["index"] == dict[str, Node]
    assert hints["parent"] == Optional[list[Node]]
    assert hints["kind"] == Literal["Node", "leaf"]  # a Literal's strings are values
