"""Compiled structuring plans: one node per resolved type.

Each node does the same job twice, side by side so the two stay in step:

* a **fast** function, generated once as flat Python source with the checks inlined.
  It raises anything on bad input and builds no error information, so success costs
  only the work of building the result;
* a **detailed** ``check(value, path, errors)`` that walks the same value again, only
  after the fast function failed, and records every failing path with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ._codegen import Emitter, Forward, Mismatch
from ._exceptions import ValidationErrorItem, field_path, short_repr
from ._hook_errors import KeyOf, errors_from_exception
from ._scalars import ScalarConverter

__all__ = [
    "INVALID",
    "MISSING",
    "AnyNode",
    "ChoiceNode",
    "ConvertNode",
    "DelegateNode",
    "Description",
    "DictNode",
    "Errors",
    "ExactNode",
    "FloatNode",
    "HookNode",
    "ListNode",
    "Node",
    "OptionalNode",
    "TupleNode",
    "field_path",
    "got",
    "short_repr",
]

Errors = list[ValidationErrorItem]

Description = str | Callable[[], str]
"""How a node names its type in messages: the text, or a function giving it on first use
(most nodes never fail, and naming every type up front was a good part of planning)."""


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()
"""Returned by ``check`` when the value (or something inside it) failed."""

MISSING: Any = attrs.NOTHING
"""Marks a key absent from a JSON object, in generated code."""


def _value_class(value: object) -> type:
    return type(value)


def got(expected: str, value: Any) -> str:
    return f"expected {expected}, got {short_repr(value)}"


class Node:
    """The compiled plan for one type."""

    pure_check: bool = False
    """True when the fast code only checks the value and never replaces it."""

    def __init__(self, description: Description) -> None:
        self._description = description
        self._function: Callable[[Any], Any] | None = None
        self._forward: Forward | None = None
        self._building = False

    @property
    def description(self) -> str:
        """The type as error messages name it: ``list[User] | None``."""
        description = self._description
        if not isinstance(description, str):
            description = self._description = description()
        return description

    def json_classes(self) -> frozenset[type] | None:
        """The decoded-JSON classes this node can accept; None when it cannot tell."""
        return None

    def function(self) -> Callable[[Any], Any]:
        """The fast function ``f(value) -> result``, generated on first use."""
        function = self._function
        if function is None:
            if self._building:
                if self._forward is None:
                    self._forward = Forward(self.function)
                return self._forward
            self._building = True
            try:
                function = self._function = self._build_function()
            finally:
                self._building = False
            if self._forward is not None:
                self._forward.resolve(function)
        return function

    def _build_function(self) -> Callable[[Any], Any]:
        emitter = Emitter(f"structure_{self.description}", f"structure {self.description}")
        with emitter.function("v"):
            self.emit(emitter, "v")
            emitter.line("return v")
        return emitter.build()

    def emit(self, e: Emitter, var: str) -> None:
        """Write statements that check ``var`` and rebind it to the result."""
        e.line(f"{var} = {e.bind(self.function(), 'f')}({var})")

    def emits_inline(self, e: Emitter) -> bool:
        """Whether `emit` writes the work out in ``e`` rather than calling a function: a
        list of such items is then built by a loop, not a call per item."""
        return False

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        raise NotImplementedError


class DelegateNode(Node):
    """Another node under a second name: a type alias, which may refer to itself.

    ``target`` is set once the aliased type is planned; until then ``referenced`` records
    whether anything inside it used the alias (only then is the delegate kept).
    """

    def __init__(self, description: Description) -> None:
        super().__init__(description)
        self.target: Node | None = None
        self.referenced = False

    def _resolved(self) -> Node:
        if self.target is None:
            raise TypeError(f"{self.description} is used before it is defined")
        return self.target

    def json_classes(self) -> frozenset[type] | None:
        return None if self.target is None else self.target.json_classes()

    def function(self) -> Callable[[Any], Any]:
        return self._resolved().function()

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        return self._resolved().check(value, path, errors)


class AnyNode(Node):
    """``Any`` and ``object``: the decoded value as it is."""

    pure_check = True

    def emit(self, e: Emitter, var: str) -> None:
        return None

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        return value


class ExactNode(Node):
    """``str``, ``int``, ``bool`` and ``None``: the JSON value must be of exactly that class."""

    pure_check = True

    def __init__(self, cls: type, description: Description) -> None:
        super().__init__(description)
        self.cls = cls

    def json_classes(self) -> frozenset[type]:
        return frozenset({self.cls})

    def emit(self, e: Emitter, var: str) -> None:
        if self.cls is type(None):
            e.line(f"if {var} is not None: raise Mismatch")
        else:
            cls = e.bind(self.cls, self.cls.__name__)
            e.line(f"if {var}.__class__ is not {cls}: raise Mismatch")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is self.cls:
            return value
        errors.append(ValidationErrorItem(path, got(self.description, value)))
        return INVALID


class FloatNode(Node):
    """``float``: a JSON float, or a JSON int turned into a float."""

    def json_classes(self) -> frozenset[type]:
        return frozenset({float, int})

    def emit(self, e: Emitter, var: str) -> None:
        with e.block(f"if {var}.__class__ is not float:"):
            e.line(f"if {var}.__class__ is not int: raise Mismatch")
            e.line(f"{var} = float({var})")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is float:
            return value
        if value.__class__ is int:
            try:
                return float(value)
            except OverflowError:
                errors.append(ValidationErrorItem(path, "expected float, got an integer too large"))
                return INVALID
        errors.append(ValidationErrorItem(path, got("float", value)))
        return INVALID


class ChoiceNode(Node):
    """``Literal[...]`` and enums: one of a fixed set of JSON values.

    ``mapping`` maps each wire value to its result (the enum member, or the value itself);
    with values of more than one class it is keyed by ``(class, value)``, so ``True``
    never matches ``1`` nor ``0`` matches ``False``. ``missing`` is an enum's own
    ``_missing_``, asked about a value of the right class that no member has, as
    ``Enum(value)`` does. Tolerant nodes keep an unknown value of the right JSON class as
    it came.
    """

    def __init__(
        self,
        choices: list[tuple[Any, Any]],
        *,
        tolerant: bool,
        description: Description,
        missing: Callable[[Any], Any] | None = None,
    ) -> None:
        super().__init__(description)
        raws = self._raws = [raw for raw, _ in choices]
        self._choices = choices
        self.tolerant = tolerant
        self.missing = missing
        self.kinds: frozenset[type] = frozenset(_value_class(raw) for raw in raws)
        self.typed = len(self.kinds) > 1
        self.mapping: dict[Any, Any] = {
            ((_value_class(raw), raw) if self.typed else raw): result for raw, result in choices
        }
        self.identity = (
            not self.typed and missing is None and all(raw is result for raw, result in choices)
        )
        self.pure_check = self.identity

    def strictly(self) -> ChoiceNode:
        """The same choice, intolerant: a union tries its members strictly first."""
        if not self.tolerant:
            return self
        return ChoiceNode(
            self._choices, tolerant=False, description=self._description, missing=self.missing
        )

    def json_classes(self) -> frozenset[type]:
        return self.kinds

    def emit(self, e: Emitter, var: str) -> None:
        if len(self.kinds) == 1:
            (kind,) = self.kinds
            e.line(f"if {var}.__class__ is not {e.bind(kind, kind.__name__)}: raise Mismatch")
        else:
            e.line(f"if {var}.__class__ not in {e.bind(self.kinds, 'kinds')}: raise Mismatch")
        mapping = e.bind(self.mapping, "choices")
        key = f"({var}.__class__, {var})" if self.typed else var
        if self.identity:
            if not self.tolerant:
                e.line(f"if {key} not in {mapping}: raise Mismatch")
        elif self.missing is not None:
            e.line(f"{var} = {mapping}.get({key}, {var})")
            lookup = e.bind(self._lookup_missing, "missing")
            e.line(f"if {var}.__class__ in {e.bind(self.kinds, 'kinds')}: {var} = {lookup}({var})")
        elif self.tolerant:
            e.line(f"{var} = {mapping}.get({key}, {var})")
        else:
            e.line(f"{var} = {mapping}[{key}]")

    def _lookup_missing(self, value: Any) -> Any:
        """An unknown value: the enum's ``_missing_`` member, else kept (tolerant) or refused."""
        assert self.missing is not None
        member = self.missing(value)
        if member is not None:
            return member
        if self.tolerant:
            return value
        raise Mismatch

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ in self.kinds:
            key = (value.__class__, value) if self.typed else value
            if key in self.mapping:
                return self.mapping[key]
            if self.missing is not None:
                try:
                    return self._lookup_missing(value)
                except Exception:
                    pass
            elif self.tolerant:
                return value
        shown = ", ".join(short_repr(raw, 30) for raw in self._raws)
        errors.append(ValidationErrorItem(path, got(f"one of {shown}", value)))
        return INVALID


class ConvertNode(Node):
    """A standard-library value type built by a `ScalarConverter` (datetime, UUID, ...)."""

    def __init__(self, converter: ScalarConverter, description: Description) -> None:
        super().__init__(description)
        self.converter = converter

    def json_classes(self) -> frozenset[type]:
        return self.converter.accepts

    def _build_function(self) -> Callable[[Any], Any]:
        return self.converter.convert

    def emit(self, e: Emitter, var: str) -> None:
        from_str = self.converter.from_str
        if from_str is None:
            super().emit(e, var)
            return
        e.line(f"if {var}.__class__ is str: {var} = {e.bind(from_str, 'from_str')}({var})")
        e.line(f"else: {var} = {e.bind(self.converter.convert, 'convert')}({var})")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        converter = self.converter
        try:
            return converter.convert(value)
        except Exception as exc:
            expected = converter.expected_str if value.__class__ is str else converter.expected
            message = got(expected, value)
            if isinstance(exc, ValueError) and value.__class__ is float:
                message += f" ({exc})"
            errors.append(ValidationErrorItem(path, message))
            return INVALID


class HookNode(Node):
    """A structure hook called cattrs-style, ``hook(value, type)``: one that is not
    typedresp's own. ``key_of`` names the JSON keys of the attributes its errors name."""

    def __init__(
        self,
        hook: Callable[[Any, Any], Any],
        tp: Any,
        description: Description,
        key_of: KeyOf | None = None,
    ) -> None:
        super().__init__(description)
        self.hook = hook
        self.tp = tp
        self.key_of = key_of

    def _build_function(self) -> Callable[[Any], Any]:
        hook, tp = self.hook, self.tp

        def call_hook(value: Any) -> Any:
            return hook(value, tp)

        return call_hook

    def emit(self, e: Emitter, var: str) -> None:
        e.line(f"{var} = {e.bind(self.hook, 'hook')}({var}, {e.bind(self.tp, 'tp')})")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        try:
            return self.hook(value, self.tp)
        except Exception as exc:
            where = f" (in hook for {self.description})"
            for item in errors_from_exception(exc, path, where=where, key_of=self.key_of):
                errors.append(item)
        return INVALID


class OptionalNode(Node):
    """``X | None`` where ``X`` does not accept null itself."""

    def __init__(self, inner: Node, description: Description) -> None:
        super().__init__(description)
        self.inner = inner
        self.pure_check = inner.pure_check

    def json_classes(self) -> frozenset[type] | None:
        inner = self.inner.json_classes()
        return None if inner is None else inner | {type(None)}

    def emit(self, e: Emitter, var: str) -> None:
        with e.block(f"if {var} is not None:"):
            self.inner.emit(e, var)

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value is None:
            return None
        return self.inner.check(value, path, errors)


class ListNode(Node):
    """A JSON array into ``list``, ``tuple[X, ...]``, ``set`` or ``frozenset``."""

    def __init__(self, item: Node, factory: type, description: Description) -> None:
        super().__init__(description)
        self.item = item
        self.factory = factory
        self.pure_check = factory is list and item.pure_check

    def json_classes(self) -> frozenset[type]:
        return frozenset({list})

    def emit(self, e: Emitter, var: str) -> None:
        e.line(f"if {var}.__class__ is not list: raise Mismatch")
        if self.item.pure_check:
            if not isinstance(self.item, AnyNode):
                element = e.local("x")
                with e.block(f"for {element} in {var}:"):
                    self.item.emit(e, element)
        elif self.item.emits_inline(e):
            items, element = e.local("items"), e.local("x")
            e.line(f"{items} = []")
            with e.block(f"for {element} in {var}:"):
                self.item.emit(e, element)
                e.line(f"{items}.append({element})")
            e.line(f"{var} = {items}")
        else:
            function = e.bind(self.item.function(), "item")
            # Before 3.12 a comprehension is a call of its own: not worth it for no items.
            e.line(f"if {var}: {var} = [{function}(x) for x in {var}]")
        if self.factory is not list:
            e.line(f"{var} = {e.bind(self.factory, self.factory.__name__)}({var})")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is not list:
            errors.append(ValidationErrorItem(path, got("array", value)))
            return INVALID
        results = [self.item.check(item, f"{path}[{i}]", errors) for i, item in enumerate(value)]
        if any(result is INVALID for result in results):
            return INVALID
        try:
            return self.factory(results)
        except TypeError as exc:
            errors.append(ValidationErrorItem(path, f"cannot build {self.description}: {exc}"))
            return INVALID


class TupleNode(Node):
    """A JSON array of a fixed length into ``tuple[X, Y, ...]``."""

    def __init__(self, items: list[Node], description: Description) -> None:
        super().__init__(description)
        self.items = items

    def json_classes(self) -> frozenset[type]:
        return frozenset({list})

    def emit(self, e: Emitter, var: str) -> None:
        count = len(self.items)
        e.line(f"if {var}.__class__ is not list or len({var}) != {count}: raise Mismatch")
        names: list[str] = []
        for index, node in enumerate(self.items):
            name = e.local("t")
            e.line(f"{name} = {var}[{index}]")
            node.emit(e, name)
            names.append(name)
        e.line(f"{var} = ({''.join(name + ', ' for name in names)})")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is not list:
            errors.append(ValidationErrorItem(path, got("array", value)))
            return INVALID
        if len(value) != len(self.items):
            message = f"expected an array of {len(self.items)} items, got {len(value)}"
            errors.append(ValidationErrorItem(path, message))
            return INVALID
        results = tuple(
            node.check(item, f"{path}[{i}]", errors)
            for i, (node, item) in enumerate(zip(self.items, value, strict=True))
        )
        return INVALID if any(result is INVALID for result in results) else results


class DictNode(Node):
    """A JSON object into ``dict[K, V]`` (or ``OrderedDict``, ``Counter``, ... as ``factory``);
    ``key`` is None for ``str`` keys."""

    def __init__(
        self, key: Node | None, value: Node, description: Description, factory: type = dict
    ) -> None:
        super().__init__(description)
        self.key = key
        self.value = value
        self.factory = factory
        self.pure_check = key is None and value.pure_check and factory is dict

    def json_classes(self) -> frozenset[type]:
        return frozenset({dict})

    def emit(self, e: Emitter, var: str) -> None:
        e.line(f"if {var}.__class__ is not dict: raise Mismatch")
        if self.pure_check:
            if not isinstance(self.value, AnyNode):
                element = e.local("x")
                with e.block(f"for {element} in {var}.values():"):
                    self.value.emit(e, element)
            return
        key = "k" if self.key is None else f"{e.bind(self.key.function(), 'key')}(k)"
        value = e.bind(self.value.function(), "value")
        e.line(f"{var} = {{{key}: {value}(x) for k, x in {var}.items()}}")
        if self.factory is not dict:
            e.line(f"{var} = {e.bind(self.factory, self.factory.__name__)}({var})")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is not dict:
            errors.append(ValidationErrorItem(path, got("object", value)))
            return INVALID
        result: dict[Any, Any] = {}
        failed = False
        for raw_key, item in value.items():
            item_path = f"{path}[{raw_key!r}]"
            key = raw_key if self.key is None else self.key.check(raw_key, item_path, errors)
            structured = self.value.check(item, item_path, errors)
            if key is INVALID or structured is INVALID:
                failed = True
            else:
                result[key] = structured
        return INVALID if failed else self.factory(result)
