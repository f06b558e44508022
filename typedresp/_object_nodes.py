"""Plans for JSON objects: attrs classes, dataclasses, TypedDicts and unions of them.

Same two-sided shape as `typedresp._nodes`: generated fast code and a detailed ``check``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ._codegen import Emitter, Forward
from ._exceptions import ValidationErrorItem
from ._nodes import (
    INVALID,
    MISSING,
    ChoiceNode,
    Description,
    Errors,
    Node,
    OptionalNode,
    field_path,
    got,
)

__all__ = ["ClassNode", "FieldPlan", "TypedDictNode", "UnionNode", "plain_attrs_class"]

_INLINE_FIELDS = 16
"""Classes with more fields are always called: their code would bloat every user of them."""


def plain_attrs_class(cls: type) -> bool:
    """Whether an attrs class's ``__init__`` only stores its arguments.

    True when attrs generated ``__init__`` and ``__setattr__`` is the plain one (so not
    frozen, no ``on_setattr`` hooks), no field has a validator, converter or ``init=False``,
    no default needs ``self``, there is no ``__attrs_pre_init__``/``__attrs_post_init__``,
    and every slot is a field
    (no cached hash to reset). Such a class can be built by setting attributes directly.
    """
    init = cls.__dict__.get("__init__")
    code = getattr(init, "__code__", None)
    if code is None or "attrs generated" not in code.co_filename:
        return False
    if "_attrs_cached_hash" in code.co_names or cls.__new__ is not object.__new__:  # type: ignore[comparison-overlap]
        return False
    if cls.__setattr__ is not object.__setattr__:  # type: ignore[comparison-overlap]
        return False
    if hasattr(cls, "__attrs_pre_init__") or hasattr(cls, "__attrs_post_init__"):
        return False
    fields = attrs.fields(cls)
    if any(a.validator or a.converter or not a.init or _needs_self(a.default) for a in fields):
        return False
    if getattr(cls, "__attrs_own_setattr__", False):
        return False
    names = {a.name for a in fields} | {"__weakref__"}
    return all(
        set(getattr(base, "__slots__", ())) <= names for base in cls.__mro__ if base is not object
    )


def _needs_self(default: Any) -> bool:
    return isinstance(default, attrs.Factory) and bool(default.takes_self)  # type: ignore[arg-type]


class FieldPlan:
    """One field of a class: its wire ``key``, its ``__init__`` name, plan and default.

    ``keyword``: passed by keyword (attrs ``kw_only``, or a default that needs ``self``).
    ``self_default``: the default needs the instance (attrs ``Factory(takes_self=True)``):
    omit the key. ``attribute``: the attribute the value is stored in, when the class is
    built without ``__init__``.
    """

    __slots__ = (
        "attribute",
        "default",
        "factory",
        "key",
        "keyword",
        "name",
        "node",
        "required",
        "self_default",
    )

    def __init__(
        self,
        name: str,
        key: str,
        node: Node,
        required: bool,
        default: Any = None,
        factory: Callable[[], Any] | None = None,
        keyword: bool = False,
        self_default: bool = False,
        attribute: str = "",
    ) -> None:
        self.name = name
        self.key = key
        self.node = node
        self.required = required
        self.default = default
        self.factory = factory
        self.keyword = keyword
        self.self_default = self_default
        self.attribute = attribute


def _absent_is_null(field: FieldPlan) -> bool:
    """An ``X | None = None`` field: an absent key gives what null gives, so one ``get``
    without a sentinel reads both."""
    return (
        isinstance(field.node, OptionalNode)
        and field.default is None
        and field.factory is None
        and not field.self_default
    )


def check_fields(fields: list[FieldPlan], value: Any, path: str, errors: Errors) -> Any:
    """The detailed check of a JSON object's fields: their results by ``name``, or INVALID."""
    if value.__class__ is not dict:
        errors.append(ValidationErrorItem(path, got("object", value)))
        return INVALID
    results: dict[str, Any] = {}
    failed = False
    for field in fields:
        if field.key in value:
            result = field.node.check(value[field.key], field_path(path, field.key), errors)
            if result is INVALID:
                failed = True
            else:
                results[field.name] = result
        elif field.required:
            errors.append(ValidationErrorItem(field_path(path, field.key), "field required"))
            failed = True
    return INVALID if failed else results


class ClassNode(Node):
    """An attrs class or a dataclass, from a JSON object; extra keys are ignored.

    ``direct`` classes (see `plain_attrs_class`) are built by setting their attributes on
    a bare instance, which is what their ``__init__`` would do, minus the call.
    """

    def __init__(self, cls: type, description: Description, *, direct: bool = False) -> None:
        super().__init__(description)
        self.cls = cls
        self.direct = direct
        self.fields: list[FieldPlan] = []

    def json_classes(self) -> frozenset[type]:
        return frozenset({dict})

    def _build_function(self) -> Callable[[Any], Any]:
        title = f"structure {self.cls.__module__}.{self.description}"
        e = Emitter(f"structure_{self.description}", title)
        with e.function("o"):
            self._emit_build(e, "o", "o")
            e.line("return o")
        return e.build()

    def emit(self, e: Emitter, var: str) -> None:
        """Build the object in place, without a call, when the class is small and not
        recursive: a call per object is a good part of the time of a nested response."""
        if not self.emits_inline(e):
            super().emit(e, var)
            return
        with e.inlining(self):
            self._emit_build(e, var, var)

    def emits_inline(self, e: Emitter) -> bool:
        return not self._building and len(self.fields) <= _INLINE_FIELDS and e.may_inline(self)

    def _emit_build(self, e: Emitter, o: str, result: str) -> None:
        """Write code that checks the JSON object ``o`` and builds the instance in ``result``
        (which may be ``o``: it is assigned once every field is read)."""
        e.line(f"if {o}.__class__ is not dict: raise Mismatch")
        positional: list[str] = []
        keywords: list[str] = []
        omittable = e.local("kw")
        if any(f.self_default for f in self.fields):
            e.line(f"{omittable} = {{}}")
        variables: list[str] = []
        for field in self.fields:
            var = e.local(field.name)
            variables.append(var)
            if field.required:
                e.line(f"{var} = {o}[{field.key!r}]")
                field.node.emit(e, var)
            elif _absent_is_null(field):
                e.line(f"{var} = {o}.get({field.key!r})")
                field.node.emit(e, var)
            else:
                missing = e.bind(MISSING, "MISSING")
                e.line(f"{var} = {o}.get({field.key!r}, {missing})")
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
        cls = e.bind(self.cls, self.cls.__name__)
        if self.direct:
            e.line(f"{result} = {e.bind(object.__new__, 'new')}({cls})")
            for field, var in zip(self.fields, variables, strict=True):
                e.line(f"{result}.{field.attribute} = {var}")
            return
        arguments = positional + keywords
        if any(f.self_default for f in self.fields):
            arguments.append(f"**{omittable}")
        e.line(f"{result} = {cls}({', '.join(arguments)})")

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        arguments = check_fields(self.fields, value, path, errors)
        if arguments is INVALID:
            return INVALID
        try:
            return self.cls(**arguments)
        except Exception as exc:
            message = f"{type(exc).__name__} building {self.description}: {exc}"
            errors.append(ValidationErrorItem(path, message, exc))
            return INVALID


class TypedDictNode(Node):
    """A TypedDict from a JSON object: a plain dict with only its declared keys."""

    def __init__(self, description: Description) -> None:
        super().__init__(description)
        self.fields: list[FieldPlan] = []

    def json_classes(self) -> frozenset[type]:
        return frozenset({dict})

    def _build_function(self) -> Callable[[Any], Any]:
        e = Emitter(f"structure_{self.description}", f"structure {self.description}")
        with e.function("o"):
            e.line("if o.__class__ is not dict: raise Mismatch")
            entries: list[str] = []
            optional: list[tuple[FieldPlan, str]] = []
            for field in self.fields:
                var = e.local(field.name)
                if field.required:
                    e.line(f"{var} = o[{field.key!r}]")
                    field.node.emit(e, var)
                    entries.append(f"{field.key!r}: {var}")
                else:
                    optional.append((field, var))
            e.line(f"r = {{{', '.join(entries)}}}")
            missing = e.bind(MISSING, "MISSING")
            for field, var in optional:
                e.line(f"{var} = o.get({field.key!r}, {missing})")
                with e.block(f"if {var} is not {missing}:"):
                    field.node.emit(e, var)
                    e.line(f"r[{field.key!r}] = {var}")
            e.line("return r")
        return e.build()

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        return check_fields(self.fields, value, path, errors)


class UnionNode(Node):
    """A union, dispatched on the class of the decoded value, decided at compile time.

    ``handlers`` maps each JSON class to the nodes that may take such a value, in the order
    they are tried. Several class variants for JSON objects are told apart by a field that
    is a string ``Literal`` in every variant (``type``, ``kind``, ...), else by a required
    key unique to each variant (at most one variant may have none: it is the fallback).
    That choice is made when the function is built, after every variant is planned, so
    recursive unions work. ``tolerant`` keeps an object with an unknown tag as it came, and
    a value of a class in ``keep_raw`` (the classes of its tolerant ``Literal``/enum
    members) that no member takes.
    """

    def __init__(self, description: Description, *, tolerant: bool) -> None:
        super().__init__(description)
        self.tolerant = tolerant
        self.keep_raw: frozenset[type] = frozenset()
        self.handlers: dict[type, list[Node]] = {}
        self.tag_key: str | None = None
        self.tags: dict[Any, Node] = {}
        self.key_variants: list[tuple[str, Node]] = []
        self.fallback: Node | None = None
        self._prepared = False
        self._table: dict[Any, Callable[[Any], Any]] | None = None

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
            objects = [node for node in variants if isinstance(node, (ClassNode, TypedDictNode))]
            if len(objects) != len(variants):
                names = ", ".join(node.description for node in variants)
                raise TypeError(f"ambiguous union {self.description}: {names} all take objects")
            fields = [{f.key: f for f in node.fields} for node in objects]
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
                if not isinstance(choice, ChoiceNode) or choice.kinds != frozenset({str}):
                    break
                if any(tag in tags for tag in choice.mapping):
                    break
                tags.update(dict.fromkeys(choice.mapping, node))
            else:
                self.tag_key, self.tags = key, tags
                return True
        return False

    def _choose_keys(self, variants: list[Node], fields: list[dict[str, FieldPlan]]) -> None:
        fallbacks: list[Node] = []
        for index, (node, by_key) in enumerate(zip(variants, fields, strict=True)):
            others = {key for i, keys in enumerate(fields) if i != index for key in keys}
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

    def _tag_table(self) -> dict[Any, Callable[[Any], Any]]:
        """Tag -> the variant's function, one table for all code that dispatches on the tag;
        a variant still being built (a recursive union) has its function patched in once it
        exists, like a global of generated code."""
        if self._table is None:
            table = self._table = {tag: node.function() for tag, node in self.tags.items()}
            for tag, function in table.items():
                if isinstance(function, Forward):
                    function.slots.append((table, tag))
        return self._table

    def _discriminated(self) -> bool:
        return self.tag_key is not None or bool(self.key_variants)

    def emits_inline(self, e: Emitter) -> bool:
        """Objects told apart by a tag, nothing else: one line picks the variant."""
        self.prepare()
        return self.tag_key is not None and not self.tolerant and set(self.handlers) == {dict}

    def emit(self, e: Emitter, var: str) -> None:
        if not self.emits_inline(e):
            super().emit(e, var)
            return
        tags = e.bind(self._tag_table(), "tags")
        e.line(f"if {var}.__class__ is not dict: raise Mismatch")
        e.line(f"{var} = {tags}[{var}[{self.tag_key!r}]]({var})")

    def _build_function(self) -> Callable[[Any], Any]:
        self.prepare()
        table = {cls: self._handler(cls, nodes) for cls, nodes in self.handlers.items()}
        e = Emitter(f"structure_{self.description}", f"structure {self.description}")
        with e.function("v"):
            e.line(f"return {e.bind(table, 'handlers')}[v.__class__](v)")
        return e.build()

    def _handler(self, cls: type, nodes: list[Node]) -> Callable[[Any], Any]:
        if cls is dict and self._discriminated():
            return self._build_object_dispatch()
        keep_raw = cls in self.keep_raw
        if len(nodes) == 1 and not keep_raw:
            return nodes[0].function()
        e = Emitter(f"attempt_{self.description}", f"union attempts {self.description}")
        with e.function("v"):
            attempts = nodes if keep_raw else nodes[:-1]
            for node in attempts:
                with e.block("try:"):
                    e.line(f"return {e.bind(node.function(), 'f')}(v)")
                e.line("except Exception: pass")
            if keep_raw:
                e.line("return v")
            else:
                e.line(f"return {e.bind(nodes[-1].function(), 'f')}(v)")
        return e.build()

    def _build_object_dispatch(self) -> Callable[[Any], Any]:
        e = Emitter(f"dispatch_{self.description}", f"union dispatch {self.description}")
        with e.function("o"):
            if self.tag_key is not None:
                tags = e.bind(self._tag_table(), "tags")
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
                elif self.tolerant:
                    e.line("return o")
                else:
                    e.line("raise Mismatch")
        return e.build()

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        self.prepare()
        nodes = self.handlers.get(value.__class__)
        if not nodes:
            errors.append(ValidationErrorItem(path, got(self.description, value)))
            return INVALID
        if value.__class__ is dict and self._discriminated():
            return self._check_object(value, path, errors)
        keep_raw = value.__class__ in self.keep_raw
        if len(nodes) == 1 and not keep_raw:
            return nodes[0].check(value, path, errors)
        for node in nodes:
            attempt: Errors = []
            result = node.check(value, path, attempt)
            if not attempt and result is not INVALID:
                return result
        if keep_raw:
            return value
        errors.append(ValidationErrorItem(path, got(self.description, value)))
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
            errors.append(ValidationErrorItem(tag_path, got(expected, tag)))
            return INVALID
        for key, node in self.key_variants:
            if key in value:
                return node.check(value, path, errors)
        if self.fallback is not None:
            return self.fallback.check(value, path, errors)
        if self.tolerant:
            return value
        keys = ", ".join(repr(key) for key, _ in self.key_variants)
        message = f"expected an object with one of the keys {keys} ({self.description})"
        errors.append(ValidationErrorItem(path, message))
        return INVALID
