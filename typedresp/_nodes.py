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

from ._codegen import Emitter
from ._exceptions import ResponseValidationError, ValidationErrorItem
from ._scalars import ScalarConverter

__all__ = [
    "INVALID",
    "AnyNode",
    "ChoiceNode",
    "ClassNode",
    "ConvertNode",
    "DictNode",
    "ExactNode",
    "FieldPlan",
    "FloatNode",
    "HookNode",
    "ListNode",
    "Node",
    "OptionalNode",
    "TupleNode",
    "TypedDictNode",
    "UnionNode",
    "short_repr",
]

Errors = list[ValidationErrorItem]


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()
"""Returned by ``check`` when the value (or something inside it) failed."""

_MISSING: Any = attrs.NOTHING


def short_repr(value: Any, limit: int = 60) -> str:
    """A repr short enough for an error message, safe for any value."""
    if value.__class__ is int and value.bit_length() > 200:
        return f"<integer of {len(str(value.bit_length()))}+ digit bits>"
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def field_path(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]"


def _got(expected: str, value: Any) -> str:
    return f"expected {expected}, got {short_repr(value)}"


class Node:
    """The compiled plan for one type."""

    description: str
    pure_check: bool = False
    """True when the fast code only checks the value and never replaces it."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._function: Callable[[Any], Any] | None = None
        self._building = False

    def json_classes(self) -> frozenset[type] | None:
        """The decoded-JSON classes this node can accept; None when it cannot tell."""
        return None

    def function(self) -> Callable[[Any], Any]:
        """The fast function ``f(value) -> result``, generated on first use."""
        function = self._function
        if function is None:
            if self._building:
                return self._call_later
            self._building = True
            try:
                function = self._function = self._build_function()
            finally:
                self._building = False
        return function

    def _call_later(self, value: Any) -> Any:
        # Only reached through a type that refers to itself while it is being built.
        return self.function()(value)

    def _build_function(self) -> Callable[[Any], Any]:
        emitter = Emitter(f"structure_{self.description}")
        with emitter.function("v"):
            self.emit(emitter, "v")
            emitter.line("return v")
        return emitter.build()

    def emit(self, e: Emitter, var: str) -> None:
        """Write statements that check ``var`` and rebind it to the result."""
        e.line(f"{var} = {e.bind(self.function(), 'f')}({var})")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        raise NotImplementedError


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

    def __init__(self, cls: type, description: str) -> None:
        super().__init__(description)
        self.cls = cls

    def json_classes(self) -> frozenset[type]:
        return frozenset({self.cls})

    def emit(self, e: Emitter, var: str) -> None:
        if self.cls is type(None):
            e.line(f"if {var} is not None: raise Mismatch")
        else:
            e.line(f"if {var}.__class__ is not {e.bind(self.cls, self.cls.__name__)}:")
            e.line("    raise Mismatch")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is self.cls:
            return value
        errors.append(ValidationErrorItem(path, _got(self.description, value)))
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
        errors.append(ValidationErrorItem(path, _got("float", value)))
        return INVALID


class ChoiceNode(Node):
    """``Literal[...]`` and enums: one of a fixed set of JSON values.

    ``mapping`` maps each wire value to its result (the enum member, or the value itself).
    Tolerant nodes keep an unknown value of the right JSON class as it came.
    """

    def __init__(self, mapping: dict[Any, Any], *, tolerant: bool, description: str) -> None:
        super().__init__(description)
        self.mapping = mapping
        self.tolerant = tolerant
        self.kinds = frozenset(type(raw) for raw in mapping)
        self.identity = all(raw is result for raw, result in mapping.items())
        self.pure_check = self.identity

    def json_classes(self) -> frozenset[type]:
        return self.kinds

    def _expected(self) -> str:
        return "one of " + ", ".join(short_repr(raw, 30) for raw in self.mapping)

    def emit(self, e: Emitter, var: str) -> None:
        if len(self.kinds) == 1:
            (kind,) = self.kinds
            kind_check = f"{var}.__class__ is not {e.bind(kind, kind.__name__)}"
        else:
            kind_check = f"{var}.__class__ not in {e.bind(self.kinds, 'kinds')}"
        mapping = e.bind(self.mapping, "choices")
        if self.identity:
            e.line(f"if {kind_check}: raise Mismatch")
            if not self.tolerant:
                e.line(f"if {var} not in {mapping}: raise Mismatch")
            return
        if self.tolerant:
            e.line(f"if {kind_check}: raise Mismatch")
            e.line(f"{var} = {mapping}.get({var}, {var})")
        else:
            e.line(f"if {kind_check}: raise Mismatch")
            e.line(f"{var} = {mapping}[{var}]")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ in self.kinds:
            if value in self.mapping:
                return self.mapping[value]
            if self.tolerant:
                return value
        errors.append(ValidationErrorItem(path, _got(self._expected(), value)))
        return INVALID


class ConvertNode(Node):
    """A standard-library value type built by a `ScalarConverter` (datetime, UUID, ...)."""

    def __init__(self, converter: ScalarConverter, description: str) -> None:
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
        try:
            return self.converter.convert(value)
        except Exception:
            errors.append(ValidationErrorItem(path, _got(self.converter.expected, value)))
            return INVALID


class HookNode(Node):
    """A structure hook called cattrs-style, ``hook(value, type)``."""

    def __init__(self, hook: Callable[[Any, Any], Any], tp: Any, description: str) -> None:
        super().__init__(description)
        self.hook = hook
        self.tp = tp

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
        except ResponseValidationError as exc:
            for item in exc.errors:
                errors.append(ValidationErrorItem(path + item.path[1:], item.message, exc))
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            errors.append(
                ValidationErrorItem(path, f"{message} (in hook for {self.description})", exc)
            )
        return INVALID


class OptionalNode(Node):
    """``X | None`` where ``X`` does not accept null itself."""

    def __init__(self, inner: Node, description: str) -> None:
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

    def __init__(self, item: Node, factory: type, description: str) -> None:
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
        else:
            function = e.bind(self.item.function(), "item")
            e.line(f"{var} = [{function}(x) for x in {var}]")
        if self.factory is not list:
            e.line(f"{var} = {e.bind(self.factory, self.factory.__name__)}({var})")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is not list:
            errors.append(ValidationErrorItem(path, _got("array", value)))
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

    def __init__(self, items: list[Node], description: str) -> None:
        super().__init__(description)
        self.items = items

    def json_classes(self) -> frozenset[type]:
        return frozenset({list})

    def emit(self, e: Emitter, var: str) -> None:
        count = len(self.items)
        e.line(f"if {var}.__class__ is not list or len({var}) != {count}: raise Mismatch")
        names = []
        for index, node in enumerate(self.items):
            name = e.local("t")
            e.line(f"{name} = {var}[{index}]")
            node.emit(e, name)
            names.append(name)
        e.line(f"{var} = ({''.join(name + ', ' for name in names)})")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is not list:
            errors.append(ValidationErrorItem(path, _got("array", value)))
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
    """A JSON object into ``dict[K, V]``; ``key`` is None for ``str`` keys."""

    def __init__(self, key: Node | None, value: Node, description: str) -> None:
        super().__init__(description)
        self.key = key
        self.value = value
        self.pure_check = key is None and value.pure_check

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

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is not dict:
            errors.append(ValidationErrorItem(path, _got("object", value)))
            return INVALID
        result = {}
        failed = False
        for raw_key, item in value.items():
            item_path = f"{path}[{raw_key!r}]"
            key = raw_key if self.key is None else self.key.check(raw_key, item_path, errors)
            structured = self.value.check(item, item_path, errors)
            if key is INVALID or structured is INVALID:
                failed = True
            else:
                result[key] = structured
        return INVALID if failed else result


@attrs.frozen
class FieldPlan:
    """One field of a class: its wire ``key``, its ``__init__`` name, plan and default."""

    name: str
    key: str
    node: Node
    required: bool
    default: Any = None
    factory: Callable[[], Any] | None = None
    keyword: bool = False
    """Passed by keyword (attrs ``kw_only``, or a default that needs ``self``)."""
    self_default: bool = False
    """The default needs the instance (attrs ``Factory(takes_self=True)``): omit the key."""


class ClassNode(Node):
    """An attrs class or a dataclass, from a JSON object; extra keys are ignored."""

    def __init__(self, cls: type, description: str) -> None:
        super().__init__(description)
        self.cls = cls
        self.fields: list[FieldPlan] = []

    def json_classes(self) -> frozenset[type]:
        return frozenset({dict})

    def _build_function(self) -> Callable[[Any], Any]:
        e = Emitter(f"structure_{self.description}")
        with e.function("o"):
            e.line("if o.__class__ is not dict: raise Mismatch")
            positional: list[str] = []
            keywords: list[str] = []
            omittable = e.local("kw")
            if any(f.self_default for f in self.fields):
                e.line(f"{omittable} = {{}}")
            for field in self.fields:
                var = e.local(field.name)
                if field.required:
                    e.line(f"{var} = o[{field.key!r}]")
                    field.node.emit(e, var)
                else:
                    missing = e.bind(_MISSING, "MISSING")
                    e.line(f"{var} = o.get({field.key!r}, {missing})")
                    with e.block(f"if {var} is not {missing}:"):
                        field.node.emit(e, var)
                        if field.self_default:
                            e.line(f"{omittable}[{field.name!r}] = {var}")
                    if not field.self_default:
                        with e.block("else:"):
                            if field.factory is not None:
                                e.line(f"{var} = {e.bind(field.factory, 'factory')}()")
                            else:
                                e.line(f"{var} = {e.bind(field.default, 'default')}")
                if field.self_default:
                    continue
                if field.keyword:
                    keywords.append(f"{field.name}={var}")
                else:
                    positional.append(var)
            arguments = positional + keywords
            if any(f.self_default for f in self.fields):
                arguments.append(f"**{omittable}")
            e.line(f"return {e.bind(self.cls, self.cls.__name__)}({', '.join(arguments)})")
        return e.build()

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is not dict:
            errors.append(ValidationErrorItem(path, _got("object", value)))
            return INVALID
        arguments: dict[str, Any] = {}
        failed = False
        for field in self.fields:
            if field.key in value:
                result = field.node.check(value[field.key], field_path(path, field.key), errors)
                if result is INVALID:
                    failed = True
                else:
                    arguments[field.name] = result
            elif field.required:
                errors.append(ValidationErrorItem(field_path(path, field.key), "field required"))
                failed = True
        if failed:
            return INVALID
        try:
            return self.cls(**arguments)
        except Exception as exc:
            message = f"{type(exc).__name__} building {self.description}: {exc}"
            errors.append(ValidationErrorItem(path, message, exc))
            return INVALID


class TypedDictNode(Node):
    """A TypedDict from a JSON object: a plain dict with only its declared keys."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.fields: list[FieldPlan] = []

    def json_classes(self) -> frozenset[type]:
        return frozenset({dict})

    def _build_function(self) -> Callable[[Any], Any]:
        e = Emitter(f"structure_{self.description}")
        with e.function("o"):
            e.line("if o.__class__ is not dict: raise Mismatch")
            entries = []
            optional = []
            for field in self.fields:
                var = e.local(field.name)
                if field.required:
                    e.line(f"{var} = o[{field.key!r}]")
                    field.node.emit(e, var)
                    entries.append(f"{field.key!r}: {var}")
                else:
                    optional.append((field, var))
            e.line(f"r = {{{', '.join(entries)}}}")
            missing = e.bind(_MISSING, "MISSING")
            for field, var in optional:
                e.line(f"{var} = o.get({field.key!r}, {missing})")
                with e.block(f"if {var} is not {missing}:"):
                    field.node.emit(e, var)
                    e.line(f"r[{field.key!r}] = {var}")
            e.line("return r")
        return e.build()

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        if value.__class__ is not dict:
            errors.append(ValidationErrorItem(path, _got("object", value)))
            return INVALID
        result = {}
        failed = False
        for field in self.fields:
            if field.key in value:
                item = field.node.check(value[field.key], field_path(path, field.key), errors)
                if item is INVALID:
                    failed = True
                else:
                    result[field.key] = item
            elif field.required:
                errors.append(ValidationErrorItem(field_path(path, field.key), "field required"))
                failed = True
        return INVALID if failed else result


class UnionNode(Node):
    """A union, dispatched on the class of the decoded value, decided at compile time.

    ``handlers`` maps each JSON class to the nodes that may take such a value, in the order
    they are tried. Several class variants for JSON objects are told apart by a field that
    is a string ``Literal`` in every variant (``type``, ``kind``, ...), else by a required
    key unique to each variant (at most one variant may have none: it is the fallback).
    That choice is made when the function is built, after every variant is planned, so
    recursive unions work. ``tolerant`` keeps an object with an unknown tag as it came.
    """

    def __init__(self, description: str, *, tolerant: bool) -> None:
        super().__init__(description)
        self.tolerant = tolerant
        self.handlers: dict[type, list[Node]] = {}
        self.tag_key: str | None = None
        self.tags: dict[Any, Node] = {}
        self.key_variants: list[tuple[str, Node]] = []
        self.fallback: Node | None = None
        self._prepared = False

    def json_classes(self) -> frozenset[type]:
        return frozenset(self.handlers)

    def object_variants(self) -> list[Node]:
        return [node for node in self.handlers.get(dict, []) if node.json_classes() is not None]

    def prepare(self) -> None:
        """Decide how objects are told apart; raise TypeError when they cannot be."""
        if self._prepared:
            return
        variants = self.object_variants()
        if len(variants) > 1:
            if not all(isinstance(node, (ClassNode, TypedDictNode)) for node in variants):
                names = ", ".join(node.description for node in variants)
                raise TypeError(f"ambiguous union {self.description}: {names} all take objects")
            fields = [{f.key: f for f in node.fields} for node in variants]  # type: ignore[attr-defined]
            if not self._choose_tag(variants, fields):
                self._choose_keys(variants, fields)
        arrays = [node for node in self.handlers.get(list, []) if node.json_classes() is not None]
        if len(arrays) > 1:
            names = ", ".join(node.description for node in arrays)
            raise TypeError(f"ambiguous union {self.description}: {names} all take arrays")
        self._prepared = True

    def _choose_tag(self, variants: list[Node], fields: list[dict[str, FieldPlan]]) -> bool:
        for key in fields[0]:
            tags: dict[Any, Node] = {}
            for node, by_key in zip(variants, fields, strict=True):
                field = by_key.get(key)
                choice = field.node if field is not None else None
                if not isinstance(choice, ChoiceNode) or choice.kinds != {str}:
                    break
                if any(tag in tags for tag in choice.mapping):
                    break
                tags.update(dict.fromkeys(choice.mapping, node))
            else:
                self.tag_key, self.tags = key, tags
                return True
        return False

    def _choose_keys(self, variants: list[Node], fields: list[dict[str, FieldPlan]]) -> None:
        fallbacks = []
        for index, (node, by_key) in enumerate(zip(variants, fields, strict=True)):
            others = set().union(*(keys for i, keys in enumerate(fields) if i != index))
            unique = [key for key, field in by_key.items() if field.required and key not in others]
            if unique:
                self.key_variants.append((unique[0], node))
            else:
                fallbacks.append(node)
        if len(fallbacks) > 1:
            names = ", ".join(node.description for node in fallbacks)
            raise TypeError(
                f"ambiguous union {self.description}: {names} have no discriminating field "
                "(a string Literal in every variant) and no required key of their own"
            )
        self.fallback = fallbacks[0] if fallbacks else None

    def _discriminated(self) -> bool:
        return self.tag_key is not None or bool(self.key_variants)

    def _build_function(self) -> Callable[[Any], Any]:
        self.prepare()
        table = {cls: self._handler(cls, nodes) for cls, nodes in self.handlers.items()}
        e = Emitter(f"structure_{self.description}")
        with e.function("v"):
            e.line(f"return {e.bind(table, 'handlers')}[v.__class__](v)")
        return e.build()

    def _handler(self, cls: type, nodes: list[Node]) -> Callable[[Any], Any]:
        if cls is dict and self._discriminated():
            return self._build_object_dispatch()
        if len(nodes) == 1:
            return nodes[0].function()
        e = Emitter(f"attempt_{self.description}")
        with e.function("v"):
            for node in nodes[:-1]:
                with e.block("try:"):
                    e.line(f"return {e.bind(node.function(), 'f')}(v)")
                e.line("except Exception: pass")
            e.line(f"return {e.bind(nodes[-1].function(), 'f')}(v)")
        return e.build()

    def _build_object_dispatch(self) -> Callable[[Any], Any]:
        e = Emitter(f"dispatch_{self.description}")
        with e.function("o"):
            if self.tag_key is not None:
                tags = e.bind({tag: node.function() for tag, node in self.tags.items()}, "tags")
                if self.tolerant:
                    e.line(f"t = o[{self.tag_key!r}]")
                    e.line(f"h = {tags}.get(t)")
                    with e.block("if h is None:"):
                        e.line("if t.__class__ is not str: raise Mismatch")
                        e.line("return o")
                    e.line("return h(o)")
                else:
                    e.line(f"return {tags}[o[{self.tag_key!r}]](o)")
            else:
                for key, node in self.key_variants:
                    e.line(f"if {key!r} in o: return {e.bind(node.function(), 'f')}(o)")
                if self.fallback is not None:
                    e.line(f"return {e.bind(self.fallback.function(), 'f')}(o)")
                else:
                    e.line("raise Mismatch")
        return e.build()

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        self.prepare()
        nodes = self.handlers.get(value.__class__)
        if not nodes:
            errors.append(ValidationErrorItem(path, _got(self.description, value)))
            return INVALID
        if value.__class__ is dict and self._discriminated():
            return self._check_object(value, path, errors)
        if len(nodes) == 1:
            return nodes[0].check(value, path, errors)
        for node in nodes:
            attempt: Errors = []
            result = node.check(value, path, attempt)
            if not attempt and result is not INVALID:
                return result
        errors.append(ValidationErrorItem(path, _got(self.description, value)))
        return INVALID

    def _check_object(self, value: dict[str, Any], path: str, errors: Errors) -> Any:
        if self.tag_key is not None:
            tag_path = field_path(path, self.tag_key)
            if self.tag_key not in value:
                errors.append(ValidationErrorItem(tag_path, "field required"))
                return INVALID
            tag = value[self.tag_key]
            if tag.__class__ is str and tag in self.tags:
                return self.tags[tag].check(value, path, errors)
            if self.tolerant and tag.__class__ is str:
                return value
            expected = "one of " + ", ".join(repr(known) for known in self.tags)
            errors.append(ValidationErrorItem(tag_path, _got(expected, tag)))
            return INVALID
        for key, node in self.key_variants:
            if key in value:
                return node.check(value, path, errors)
        if self.fallback is not None:
            return self.fallback.check(value, path, errors)
        keys = ", ".join(repr(key) for key, _ in self.key_variants)
        message = f"expected an object with one of the keys {keys} ({self.description})"
        errors.append(ValidationErrorItem(path, message))
        return INVALID
