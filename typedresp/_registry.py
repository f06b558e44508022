"""The parsing engine: a registry of structure functions keyed on types.

`Registry.structure` turns decoded JSON into typed objects. The first time it sees a type
it plans and compiles it (resolving aliases and generics, generating flat code for
classes); afterwards it is one dict lookup and one call. Only when that fast call fails
does it walk the value again to say exactly what was wrong, and where.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TypeVar, get_type_hints, overload

import attrs

from . import _json
from ._exceptions import ResponseValidationError, ValidationErrorItem
from ._introspection import NOT_WRAPPED, unwrap_once
from ._nodes import INVALID, Node, short_repr
from ._planner import JSON_KEY, Hook, HookFactory, Planner, describe

if TYPE_CHECKING:
    import cattrs

    # PEP 747: lets `structure(v, list[User] | None)` be typed exactly. Imported for the
    # checkers only, so typing_extensions < 4.13 still works at run time.
    from typing_extensions import TypeForm

__all__ = [
    "Registry",
    "default_registry",
    "register_structure_hook",
    "register_structure_hook_factory",
    "remember_by_identity",
]

T = TypeVar("T")
H = TypeVar("H", bound=Callable[..., Any])
V = TypeVar("V")
Predicate = Callable[[Any], bool]


def _no_cattrs_hook(tp: Any) -> Hook:
    raise TypeError(f"no structure hook for {describe(tp)}")


class Registry:
    """Structures decoded JSON into typed objects: attrs classes, dataclasses, containers,
    unions, Literal, enums, datetimes and anything a hook is registered for.

    >>> import attrs
    >>> @attrs.define
    ... class User:
    ...     id: int
    ...     name: str
    >>> Registry().structure({"id": 1, "name": "Ada"}, User)
    User(id=1, name='Ada')

    ``strict=True`` (the default) rejects any mismatch. ``strict=False`` tolerates the
    evolution of an API: unknown enum and ``Literal`` values and unknown union variants
    are kept as they came instead of raising. Extra keys are ignored in both modes.

    A registry is safe to use from many threads at once, also while hooks are registered.
    """

    def __init__(self, *, strict: bool = True) -> None:
        self._strict = strict
        self._lock = threading.RLock()
        self._hooks: dict[Any, Hook] = {}
        self._factories: list[tuple[Predicate, HookFactory]] = []
        self._converter: cattrs.Converter | None = None
        self._reset()

    def __repr__(self) -> str:
        return f"<Registry strict={self._strict} compiled={len(self._fast)}>"

    @property
    def strict(self) -> bool:
        """Whether unknown enum/Literal values and union variants raise (True) or are kept."""
        return self._strict

    @property
    def converter(self) -> cattrs.Converter:
        """The cattrs converter underneath: the last resort for types typedresp does not
        plan itself, and what turns attrs instances back into JSON (aliases honoured)."""
        converter = self._converter
        if converter is None:
            with self._lock:
                converter = self._converter
                if converter is None:
                    converter = self._converter = self._make_converter()
        return converter

    def _make_converter(self) -> cattrs.Converter:
        # Made (and cattrs imported) on first use: most programs never need it, and cattrs'
        # machinery is a noticeable part of a cold start.
        import cattrs

        converter = cattrs.Converter(use_alias=True, structure_fallback_factory=_no_cattrs_hook)
        converter.register_unstructure_hook_factory(
            _has_json_keys, self._make_unstructure_with_json_keys
        )
        for scalar in (int, float, str, bool):  # cattrs' own would accept "12" for an int
            converter.register_structure_hook(scalar, _strict_scalar_hook(scalar))
        _register_json_scalar_unstructure(converter)
        for tp, hook in self._hooks.items():
            _register_on_converter(converter, tp, hook)
        for predicate, factory in self._factories:
            converter.register_structure_hook_factory(predicate, factory)
        return converter

    def _new_planner(self) -> Planner:
        return Planner(
            strict=self._strict,
            hooks=self._hooks,
            factories=self._factories,
            converter=lambda: self.converter,
        )

    def _reset(self) -> None:
        self._planner = self._new_planner()
        self._nodes: dict[Any, Node] = {}
        self._fast: dict[Any, Callable[[Any], Any]] = {}
        # The same lookups by the identity of the type object: hashing `Page[User]` (and
        # comparing it) runs typing's Python code, ~0.25 us each time; id() does not.
        self._fast_by_id: dict[int, tuple[Any, Callable[[Any], Any]]] = {}

    @overload
    def structure(self, value: Any, tp: type[T]) -> T: ...
    @overload
    def structure(self, value: Any, tp: TypeForm[T]) -> T: ...
    @overload
    def structure(self, value: Any, tp: Any) -> Any: ...
    def structure(self, value: Any, tp: Any) -> Any:
        """Turn ``value`` (decoded JSON) into ``tp``, or raise `ResponseValidationError`.

        Raises `TypeError` when ``tp`` itself cannot be structured from JSON (say, an
        ambiguous union): that is a mistake in the program, not in the data.
        """
        known = self._fast_by_id.get(id(tp))
        fast = known[1] if known is not None and known[0] is tp else self._fast_function(tp)
        try:
            return fast(value)
        except Exception as exc:
            return self._structure_in_detail(value, tp, exc)

    def _fast_function(self, tp: Any) -> Callable[[Any], Any]:
        try:
            fast = self._fast[tp]
        except (KeyError, TypeError):
            fast = self._compile(tp)
        remember_by_identity(self._fast_by_id, tp, fast)
        return fast

    def unstructure(self, obj: Any) -> Any:
        """Turn an object back into JSON-ready data, keys as they go on the wire.

        >>> import attrs
        >>> @attrs.define
        ... class Query:
        ...     type_: str = attrs.field(alias="type")
        ...     since: str = attrs.field(metadata={"json_key": "from"})
        >>> Registry().unstructure(Query(type="user", since="2024"))
        {'type': 'user', 'from': '2024'}
        """
        return self.converter.unstructure(obj)

    def _make_unstructure_with_json_keys(self, cls: Any) -> Callable[[Any], Any]:
        from cattrs.gen import make_dict_unstructure_fn, override

        renames: dict[str, Any] = {
            field.name: override(rename=field.metadata[JSON_KEY])
            for field in _fields_of(cls)
            if JSON_KEY in field.metadata
        }
        return make_dict_unstructure_fn(cls, self.converter, **renames)

    def has_hook(self, tp: Any) -> bool:
        """Whether a registered hook or factory handles ``tp`` or a wrapper layer of it
        (``NewType``, ``Annotated``, alias) before what it finally stands for."""
        layer = tp
        while True:
            inner = unwrap_once(layer)
            if inner is NOT_WRAPPED:
                return False
            if self._hook_for(layer):
                return True
            layer = inner

    def _hook_for(self, tp: Any) -> bool:
        try:
            if tp in self._hooks:
                return True
        except TypeError:
            pass
        return any(predicate(tp) for predicate, _ in self._factories)

    def loads(self, data: bytes | bytearray | memoryview | str) -> Any:
        """Decode a JSON document (with orjson when installed); bad JSON raises
        `ResponseValidationError` with the text as ``body``."""
        return _json.loads(data)

    @overload
    def parse_json(self, data: bytes | bytearray | memoryview | str, tp: type[T]) -> T: ...
    @overload
    def parse_json(self, data: bytes | bytearray | memoryview | str, tp: TypeForm[T]) -> T: ...
    @overload
    def parse_json(self, data: bytes | bytearray | memoryview | str, tp: Any) -> Any: ...
    def parse_json(self, data: bytes | bytearray | memoryview | str, tp: Any) -> Any:
        """Decode and structure in one step: ``registry.parse_json(b'{"id": 1}', User)``."""
        return self.structure(_json.loads(data), tp)

    def _compile(self, tp: Any) -> Callable[[Any], Any]:
        with self._lock:
            try:
                return self._fast[tp]
            except KeyError:
                hashable = True
            except TypeError:
                hashable = False
            node = self._plan(tp)
            if not hashable:
                return node.function()
            fast = node.function()
            self._nodes[tp] = node
            self._fast[tp] = fast
            return fast

    def _plan(self, tp: Any) -> Node:
        try:
            node = self._planner.plan(tp)
            node.function()
        except BaseException as exc:
            # A fresh planner drops the half-built plans; what compiled before stays.
            self._planner = self._new_planner()
            if isinstance(exc, (TypeError, KeyboardInterrupt, SystemExit)):
                raise
            if isinstance(exc, Exception):
                message = f"typedresp cannot compile {describe(tp)}: {type(exc).__name__}: {exc}"
                raise TypeError(message) from exc
            raise
        return node

    def _node_for(self, tp: Any) -> Node:
        with self._lock:
            try:
                return self._nodes[tp]
            except (KeyError, TypeError):
                pass
            return self._plan(tp)

    def _structure_in_detail(self, value: Any, tp: Any, fast_error: Exception) -> Any:
        errors: list[ValidationErrorItem] = []
        try:
            result = self._node_for(tp).check(value, "$", errors)
        except RecursionError:
            errors = [ValidationErrorItem("$", "nested too deeply to structure")]
            result = INVALID
        if not errors and result is not INVALID:
            return result
        if not errors:
            message = f"{type(fast_error).__name__}: {fast_error}"
            errors = [ValidationErrorItem("$", message, fast_error)]
        cause = next((item.exception for item in errors if item.exception is not None), None)
        raise ResponseValidationError(errors, body=value, target=tp) from cause

    @overload
    def register_structure_hook(self, tp: Any, func: Hook) -> None: ...
    @overload
    def register_structure_hook(self, tp: H) -> H: ...
    @overload
    def register_structure_hook(self, tp: Any) -> Callable[[H], H]: ...
    def register_structure_hook(self, tp: Any, func: Hook | None = None) -> Any:
        """Use ``func(value, type)`` to structure ``tp`` (and wherever ``tp`` appears).

        Three forms, as in cattrs::

            registry.register_structure_hook(Money, money_from_json)

            @registry.register_structure_hook(Money)
            def money_from_json(value, tp): ...

            @registry.register_structure_hook
            def money_from_json(value, tp) -> Money: ...

        A hook on exactly a ``NewType``, an ``Annotated[...]`` or an alias wins over what
        it wraps. Types compiled earlier are rebuilt, so the hook applies everywhere.
        """
        if func is None and inspect.isroutine(tp):
            hook = tp
            target = get_type_hints(hook).get("return")
            if target is None:
                raise TypeError(
                    "a bare @register_structure_hook needs a return annotation naming the type"
                )
            self._add_hook(target, hook)
            return hook
        if func is None:

            def decorator(hook: H) -> H:
                self._add_hook(tp, hook)
                return hook

            return decorator
        self._add_hook(tp, func)
        return None

    def _add_hook(self, tp: Any, hook: Hook) -> None:
        with self._lock:
            self._hooks[tp] = hook
            if self._converter is not None:
                _register_on_converter(self._converter, tp, hook)
            self._reset()

    @overload
    def register_structure_hook_factory(
        self, predicate: Predicate, factory: Callable[..., Hook]
    ) -> None: ...
    @overload
    def register_structure_hook_factory(self, predicate: Predicate) -> Callable[[H], H]: ...
    def register_structure_hook_factory(
        self, predicate: Predicate, factory: Callable[..., Hook] | None = None
    ) -> Any:
        """For every type ``predicate`` accepts, ask ``factory`` for its hook.

        The factory is called once per type, as ``factory(type)`` or, when it takes two
        parameters, ``factory(type, registry)``. Newer factories are asked first::

            @registry.register_structure_hook_factory(lambda t: is_money_type(t))
            def money_hook(tp):
                return lambda value, _: tp.from_cents(value)
        """
        if factory is None:

            def decorator(function: H) -> H:
                self._add_factory(predicate, function)
                return function

            return decorator
        self._add_factory(predicate, factory)
        return None

    def _add_factory(self, predicate: Predicate, factory: Callable[..., Hook]) -> None:
        if _positional_parameters(factory) >= 2:

            def normalised(tp: Any) -> Hook:
                return factory(tp, self)

        else:
            normalised = factory
        with self._lock:
            self._factories.append((predicate, normalised))
            if self._converter is not None:
                self._converter.register_structure_hook_factory(predicate, normalised)
            self._reset()


_BY_ID_LIMIT: Final = 1024
"""At most this many type objects are remembered by identity; then they are forgotten."""


def remember_by_identity(memo: dict[int, tuple[Any, V]], tp: Any, value: V) -> None:
    """Remember ``value`` for the type object ``tp`` in ``memo``, a dict keyed by ``id()``
    that hot paths read without hashing ``tp``: ``known = memo.get(id(tp))``, valid when
    ``known[0] is tp``. The entry holds ``tp``, so its id cannot be reused while it is
    there; past `_BY_ID_LIMIT` entries (``list[User]`` is a new object each time it is
    written) all are forgotten."""
    if len(memo) >= _BY_ID_LIMIT:
        memo.clear()
    memo[id(tp)] = (tp, value)


def _strict_scalar_hook(cls: type) -> Hook:
    def structure_strictly(value: Any, _: Any) -> Any:
        if value.__class__ is cls:
            return value
        if cls is float and value.__class__ is int:
            return float(value)
        raise TypeError(f"expected {cls.__name__}, got {short_repr(value)}")

    return structure_strictly


def _register_json_scalar_unstructure(converter: cattrs.Converter) -> None:
    """Make `Registry.unstructure` give JSON-ready data for the usual non-JSON scalars:
    dates and times as ISO 8601 text, UUIDs and decimals as text."""
    import datetime
    import decimal
    import uuid

    for temporal in (datetime.datetime, datetime.date, datetime.time):
        converter.register_unstructure_hook(temporal, temporal.isoformat)
    converter.register_unstructure_hook(uuid.UUID, str)
    converter.register_unstructure_hook(decimal.Decimal, str)


def _register_on_converter(converter: cattrs.Converter, tp: Any, hook: Hook) -> None:
    # A predicate, since cattrs' own registration refuses aliases and Annotated.
    converter.register_structure_hook_func(lambda t: t is tp or t == tp, hook)


def _fields_of(cls: Any) -> tuple[Any, ...]:
    if attrs.has(cls):
        return tuple(attrs.fields(cls))
    if hasattr(cls, "__dataclass_fields__"):  # dataclasses.is_dataclass, without the import
        import dataclasses  # imported already: `cls` is a dataclass

        return tuple(dataclasses.fields(cls))
    return ()


def _has_json_keys(cls: Any) -> bool:
    return isinstance(cls, type) and any(JSON_KEY in f.metadata for f in _fields_of(cls))


def _positional_parameters(function: Callable[..., Any]) -> int:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return 1
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in parameters if p.kind in kinds)


default_registry = Registry()
"""The registry used wherever none is given."""

register_structure_hook = default_registry.register_structure_hook
register_structure_hook_factory = default_registry.register_structure_hook_factory
