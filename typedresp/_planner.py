"""Turn a type into the `Node` that structures it: the registry's compile step.

At every layer of a type the converter's dispatch is asked first (cattrs' order: class
hooks, exact types, then predicates and factories, newest first): a hook that is not
typedresp's own is called as it is. Where typedresp's own hook is chosen, wrappers
(``Annotated``, aliases, ``NewType``) are peeled and the built-in plans apply, inlined
into the generated code of whatever contains them.
"""

from __future__ import annotations

import collections
import collections.abc
import contextlib
import enum
from collections.abc import Callable
from functools import partial
from typing import Any, TypeAlias, TypeVar

import attrs

from . import _introspection as ti  # pyright: ignore[reportPrivateUsage] - a sibling module
from ._fields import field_types, typeddict_required_keys
from ._hook_errors import KeyOf
from ._introspection import describe
from ._nodes import (
    AnyNode,
    ChoiceNode,
    ConvertNode,
    DelegateNode,
    Description,
    DictNode,
    ExactNode,
    FloatNode,
    HookNode,
    ListNode,
    Node,
    OptionalNode,
    TupleNode,
)
from ._object_nodes import ClassNode, FieldPlan, TypedDictNode, UnionNode, plain_attrs_class
from ._scalars import ScalarConverter, scalar_converter

__all__ = ["JSON_KEY", "Hook", "HookFactory", "Planner", "plans_itself"]

JSON_KEY = "json_key"
"""Field metadata naming the JSON key when it cannot be an attrs alias (``content-type``,
``from``): ``attrs.field(metadata={"json_key": "content-type"})``, also for dataclasses."""

Hook: TypeAlias = Callable[[Any, Any], Any]
HookFactory: TypeAlias = Callable[[Any], Hook]
Dispatch: TypeAlias = Callable[[Any], "Hook | None"]
"""The converter's choice for a type: a hook to call, or None where typedresp's own is
chosen (then the type is planned here)."""

_NONE_TYPE = type(None)
_JSON_CLASSES = (dict, list, str, int, float, bool, _NONE_TYPE)

_LIST_ORIGINS: dict[Any, type] = {
    list: list,
    collections.abc.Sequence: list,
    collections.abc.MutableSequence: list,
    collections.abc.Iterable: list,
    collections.abc.Collection: list,
    set: set,
    collections.abc.MutableSet: set,
    frozenset: frozenset,
    collections.abc.Set: frozenset,
    collections.deque: collections.deque,
}
_DICT_ORIGINS: dict[Any, type] = {
    dict: dict,
    collections.abc.Mapping: dict,
    collections.abc.MutableMapping: dict,
    collections.OrderedDict: collections.OrderedDict,
    collections.Counter: collections.Counter,
}


def plans_itself(tp: Any) -> bool:
    """Whether `Planner` has a built-in plan for ``tp``: what typedresp's hook factory
    claims in a converter's dispatch. Other types are left to the converter (cattrs' own
    hooks, or the user's)."""
    if ti.unwrap_once(tp) is not ti.NOT_WRAPPED:
        return True
    if tp is Any or tp is object or tp is None or tp is _NONE_TYPE or isinstance(tp, TypeVar):
        return True
    if tp in _JSON_CLASSES or tp is bytes or tp is bytearray or scalar_converter(tp) is not None:
        return True
    if ti.is_literal(tp) or ti.is_enum_class(tp) or ti.is_union(tp):
        return True
    if ti.is_attrs_class(tp) or ti.is_dataclass_type(tp) or ti.is_typeddict(tp):
        return True
    origin = ti.get_origin(tp) or tp
    return origin in _LIST_ORIGINS or origin in _DICT_ORIGINS or origin is tuple


def _named(tp: Any) -> Callable[[], str]:
    """`describe` of ``tp``, put off until a message needs it."""
    return partial(describe, tp)


def _int_key(key: str) -> int:
    digits = key[1:] if key[:1] == "-" else key
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 4300:
        raise ValueError("not an integer")
    return int(key)


_INT_KEY = ScalarConverter(_int_key, frozenset({str}), "integer key")


class Planner:
    """Plans types against one snapshot of the registry's hooks; memoises every plan.

    A planner is thrown away whenever a hook is registered, so nothing compiled before a
    registration survives it.
    """

    def __init__(self, *, strict: bool, dispatch: Dispatch, key_of: KeyOf | None = None) -> None:
        self._strict = strict
        self._dispatch = dispatch
        self._key_of = key_of
        self._memo: dict[Any, Node] = {}
        self._hooked: dict[Any, Node] = {}

    def plan(self, tp: Any) -> Node:
        """The node for whatever the converter's dispatch picks for ``tp``: the hook it
        gives, or typedresp's own plan (`plan_own`). Raises TypeError when ``tp`` cannot
        come from JSON."""
        hook = self._dispatch(tp)
        if hook is None:
            return self.plan_own(tp)
        node = self._hooked.get(tp)
        if node is None or node.hook is not hook:  # type: ignore[attr-defined]
            node = self._hooked[tp] = HookNode(hook, tp, _named(tp), self._key_of)
        return node

    def plan_own(self, tp: Any) -> Node:
        """typedresp's own plan for ``tp``, whatever is registered on ``tp`` itself (the
        types inside it are planned with `plan`)."""
        try:
            node = self._memo[tp]
        except KeyError:
            hashable = True
        except TypeError:  # an unhashable type form, e.g. Annotated with a dict in it
            hashable = False
        else:
            if isinstance(node, DelegateNode) and node.target is None:
                node.referenced = True
            return node
        node = self._plan(tp)
        if hashable:
            self._memo[tp] = node
        return node

    def _plan(self, tp: Any) -> Node:
        inner = ti.unwrap_once(tp)
        if inner is not ti.NOT_WRAPPED:
            return self._plan_wrapper(tp, inner)
        if tp is Any or tp is object:
            return AnyNode("Any")
        if isinstance(tp, TypeVar):
            return self.plan(tp.__bound__) if tp.__bound__ is not None else AnyNode("Any")
        if tp is None or tp is _NONE_TYPE:
            return ExactNode(_NONE_TYPE, "null")
        if tp is str or tp is int or tp is bool:
            return ExactNode(tp, tp.__name__)
        if tp is float:
            return FloatNode("float")
        converter = scalar_converter(tp)
        if converter is not None:
            return ConvertNode(converter, tp.__name__)
        if tp is bytes or tp is bytearray:
            raise TypeError(
                f"{tp.__name__} cannot come from decoded JSON; "
                "parse(to=bytes) on a response gives its raw body"
            )
        if ti.is_literal(tp):
            return self._plan_choice(
                [(_raw_value(value), value) for value in ti.literal_values(tp)], _named(tp)
            )
        if ti.is_enum_class(tp):
            missing = tp._missing_ if _has_own_missing(tp) else None
            return ChoiceNode(
                [(member.value, member) for member in tp],
                tolerant=not self._strict,
                description=tp.__qualname__,
                missing=missing,
            )
        if ti.is_union(tp):
            return self._plan_union(tp)
        if ti.is_attrs_class(tp) or ti.is_dataclass_type(tp):
            return self._plan_class(tp)
        if ti.is_typeddict(tp):
            return self._plan_typeddict(tp)
        return self._plan_container(tp)

    def _plan_wrapper(self, tp: Any, inner: Any) -> Node:
        """Plan what ``tp`` wraps; through a `DelegateNode` when ``tp`` (an alias) is used
        inside itself, directly otherwise (so a wrapped ``int`` stays inlined)."""
        try:
            hash(tp)
        except TypeError:  # unhashable (Annotated with a dict in it): cannot be recursive
            return self.plan(inner)
        delegate = DelegateNode(_named(tp))
        self._memo[tp] = delegate
        target = self.plan(inner)
        delegate.target = target
        return delegate if delegate.referenced else target

    def _plan_choice(self, choices: list[tuple[Any, Any]], description: Description) -> Node:
        return ChoiceNode(choices, tolerant=not self._strict, description=description)

    def _plan_container(self, tp: Any) -> Node:
        origin = ti.get_origin(tp) or tp
        args = ti.get_args(tp)
        if origin in _LIST_ORIGINS:
            item = self.plan(args[0]) if args else AnyNode("Any")
            return ListNode(item, _LIST_ORIGINS[origin], _named(tp))
        if origin is tuple:
            if not args or (len(args) == 2 and args[1] is Ellipsis):
                item = self.plan(args[0]) if args else AnyNode("Any")
                return ListNode(item, tuple, _named(tp))
            if args == ((),):  # tuple[()]
                return TupleNode([], _named(tp))
            return TupleNode([self.plan(arg) for arg in args], _named(tp))
        if origin in _DICT_ORIGINS:
            if origin is collections.Counter:  # Counter[K] counts with ints
                args = (args[0] if args else str, int)
            key = self._plan_key(args[0]) if args else None
            value = self.plan(args[1]) if args else AnyNode("Any")
            return DictNode(key, value, _named(tp), _DICT_ORIGINS[origin])
        raise TypeError(
            f"typedresp cannot structure {describe(tp)}: register a structure hook for it"
        )

    def _plan_key(self, tp: Any) -> Node | None:
        """The plan for a dict's keys, which JSON gives as strings; None: keep them so."""
        node = self.plan(tp)
        if isinstance(node, AnyNode) or (isinstance(node, ExactNode) and node.cls is str):
            return None
        if isinstance(node, ExactNode) and node.cls is int:
            return ConvertNode(_INT_KEY, "int")
        if isinstance(node, ChoiceNode) and node.kinds == frozenset({int}) and not node.typed:
            # JSON keys are strings: an IntEnum or Literal[200, 404] key comes as "200".
            choices = [(str(raw), result) for raw, result in node.mapping.items()]
            return ChoiceNode(choices, tolerant=node.tolerant, description=node.description)
        return node

    def _plan_union(self, tp: Any) -> Node:
        members = ti.union_members(tp)
        nodes = [self.plan(member) for member in members]
        description = _named(tp)
        if any(isinstance(node, AnyNode) for node in nodes):
            return AnyNode(description)
        non_null = [
            node for member, node in zip(members, nodes, strict=True) if member is not _NONE_TYPE
        ]
        if len(non_null) == 1 and len(nodes) == 2:
            inner_classes = non_null[0].json_classes()
            if inner_classes is not None and _NONE_TYPE not in inner_classes:
                return OptionalNode(non_null[0], description)
        union = UnionNode(description, tolerant=not self._strict)
        # typing holds Union[A, B] == Union[B, A], so both share every cache: the plan must
        # not depend on the members' order. Tolerance is the union's, after every member
        # failed strictly: a tolerant Literal must not swallow what another member parses.
        nodes.sort(key=lambda node: node.description)
        for index, node in enumerate(nodes):
            if isinstance(node, ChoiceNode) and node.tolerant:
                union.keep_raw |= node.kinds
                nodes[index] = node.strictly()
        wildcards = [node for node in nodes if node.json_classes() is None]
        for node in nodes:
            for cls in node.json_classes() or ():
                union.handlers.setdefault(cls, []).append(node)
        for cls, candidates in union.handlers.items():
            candidates.sort(key=lambda node, cls=cls: _attempt_order(node, cls))  # type: ignore[misc]
        if wildcards:
            for cls in _JSON_CLASSES:
                union.handlers.setdefault(cls, []).extend(wildcards)
        return union

    def _plan_class(self, tp: Any) -> Node:
        cls = ti.class_of(tp)
        node = ClassNode(cls, _named(tp), direct=attrs.has(cls) and plain_attrs_class(cls))
        with contextlib.suppress(TypeError):  # a class that refers to itself finds this one
            self._memo[tp] = node
        hints = field_types(tp)
        node.fields = (
            self._attrs_fields(cls, hints) if attrs.has(cls) else self._dataclass_fields(cls, hints)
        )
        return node

    def _attrs_fields(self, cls: type, hints: dict[str, Any]) -> list[FieldPlan]:
        fields = [a for a in attrs.fields(cls) if a.init]
        by_keyword = any(
            isinstance(a.default, attrs.Factory) and a.default.takes_self  # type: ignore[arg-type]
            for a in fields
        )
        plans: list[FieldPlan] = []
        for a in fields:
            default, factory, self_default = a.default, None, False
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                self_default = bool(default.takes_self)
                factory = None if self_default else default.factory
                default = attrs.NOTHING
            required = default is attrs.NOTHING and factory is None and not self_default
            plans.append(
                FieldPlan(
                    name=a.alias or a.name,
                    key=a.metadata.get(JSON_KEY, a.alias or a.name),
                    node=self.plan(hints.get(a.name, Any)),
                    required=required,
                    default=default,
                    factory=factory,
                    keyword=a.kw_only or by_keyword,
                    self_default=self_default,
                    attribute=a.name,
                )
            )
        return plans

    def _dataclass_fields(self, cls: type, hints: dict[str, Any]) -> list[FieldPlan]:
        import dataclasses  # imported already: `cls` is a dataclass

        plans: list[FieldPlan] = []
        fields = {f.name for f in dataclasses.fields(cls)}
        # In __init__'s order: the fields, and the InitVars (in `hints`, not in `fields`);
        # ClassVars are in neither.
        every: dict[str, dataclasses.Field[Any]] = getattr(cls, "__dataclass_fields__")  # noqa: B009
        for f in every.values():
            if not f.init or (f.name not in fields and f.name not in hints):
                continue
            factory = None if f.default_factory is dataclasses.MISSING else f.default_factory
            default = attrs.NOTHING if f.default is dataclasses.MISSING else f.default
            plans.append(
                FieldPlan(
                    name=f.name,
                    key=f.metadata.get(JSON_KEY, f.name),
                    node=self.plan(hints.get(f.name, Any)),
                    required=default is attrs.NOTHING and factory is None,
                    default=default,
                    factory=factory,
                    keyword=bool(getattr(f, "kw_only", False)),
                )
            )
        return plans

    def _plan_typeddict(self, tp: Any) -> Node:
        node = TypedDictNode(_named(tp))
        with contextlib.suppress(TypeError):
            self._memo[tp] = node
        required = typeddict_required_keys(tp)
        node.fields = [
            FieldPlan(name=key, key=key, node=self.plan(hint), required=key in required)
            for key, hint in field_types(tp).items()
        ]
        return node


def _has_own_missing(enum_class: type[enum.Enum]) -> bool:
    """Whether an enum looks up unknown values itself (``_missing_``), as Flag does."""
    return getattr(enum_class._missing_, "__func__", None) is not enum.Enum._missing_.__func__  # type: ignore[attr-defined]


def _raw_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _attempt_order(node: Node, cls: type) -> int:
    """The order a union tries its members for one JSON class: fixed choices first; for a
    string, parsed values next, the narrowest first (a date string becomes a ``date``
    even beside ``datetime``, a datetime string a ``datetime``), then ``str``; for a
    number, the plain class first (``int | datetime`` keeps ``5`` an int), then the rest."""
    if isinstance(node, ChoiceNode):
        return 0
    exact = isinstance(node, ExactNode) and node.cls is cls
    if cls is str:
        if isinstance(node, ConvertNode):
            return 1 if node.converter.narrow else 2
        return 3 if exact else 4
    if exact:
        return 1
    return 2 if isinstance(node, FloatNode) else 3
