"""The registry: a `cattrs.Converter` with typedresp's engine inside.

`Registry.structure` turns decoded JSON into typed objects. cattrs' dispatch decides which
hook handles a type; typedresp's compiled hooks are the ones it picks unless something
registered later claims the type (see `typedresp._engine`). The first time a type is
structured it is planned and compiled; afterwards it is one lookup and one call.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, get_origin, get_type_hints, overload

import attrs
import cattrs

from . import _json
from ._cattrs_internals import copy_hooks, register_class_hooks
from ._engine import OWN_SCALARS, Engine, has_hook
from ._introspection import describe, is_union
from ._planner import JSON_KEY, Hook

if TYPE_CHECKING:
    # PEP 747: lets `structure(v, list[User] | None)` be typed exactly. Imported for the
    # checkers only, so typing_extensions < 4.13 still works at run time.
    from typing_extensions import TypeForm

__all__ = [
    "Registry",
    "default_registry",
    "register_structure_hook",
    "register_structure_hook_factory",
]

T = TypeVar("T")
H = TypeVar("H", bound=Callable[..., Any])


def _no_hook(tp: Any) -> Hook:
    raise TypeError(f"typedresp cannot structure {describe(tp)}: register a structure hook for it")


class Registry(cattrs.Converter):
    """A cattrs converter that structures decoded JSON strictly and fast: attrs classes,
    dataclasses, containers, unions, Literal, enums, datetimes and anything a hook is
    registered for.

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

    Everything cattrs offers works on it and takes effect when responses are parsed:
    ``register_structure_hook`` and ``register_structure_hook_factory`` (what is registered
    later wins, also for types compiled before), ``get_structure_hook``, `cattrs.gen`
    functions with overrides, `cattrs.strategies`. A registry is safe to use from many
    threads at once, also while hooks are registered.
    """

    def __init__(self, *, strict: bool = True) -> None:
        super().__init__(use_alias=True, structure_fallback_factory=_no_hook)
        self._engine = Engine(self, strict=strict)
        self._engine.install()
        self.register_unstructure_hook_factory(
            _has_json_keys, self._make_unstructure_with_json_keys
        )
        _register_json_scalar_unstructure(self)
        self._unstruct_copy_skip = self._unstructure_func.get_num_fns()

    def __repr__(self) -> str:
        return f"<Registry strict={self.strict} compiled={len(self._engine.dispatched.fast)}>"

    @property
    def strict(self) -> bool:
        """Whether unknown enum/Literal values and union variants raise (True) or are kept."""
        return self._engine.strict

    @overload
    def structure(self, obj: Any, cl: type[T]) -> T: ...
    @overload
    def structure(self, obj: Any, cl: TypeForm[T]) -> T: ...
    @overload
    def structure(self, obj: Any, cl: Any) -> Any: ...
    def structure(self, obj: Any, cl: Any) -> Any:
        """Turn ``obj`` (decoded JSON) into ``cl``, or raise `ResponseValidationError`.

        Raises `TypeError` when ``cl`` itself cannot be structured from JSON (say, an
        ambiguous union): that is a mistake in the program, not in the data.
        """
        engine = self._engine
        known = engine.dispatched.by_id.get(id(cl))
        fast = known[1] if known is not None and known[0] is cl else engine.fast_function(cl)
        try:
            return fast(obj)
        except Exception as exc:
            return engine.structure_in_detail(obj, cl, exc)

    def copy(self, *, strict: bool | None = None) -> Registry:  # type: ignore[override]
        """A new registry with the same hooks (and strictness, unless ``strict`` is given);
        what is registered on either afterwards stays its own."""
        copy = Registry(strict=self.strict if strict is None else strict)
        copy_hooks(self, copy)
        own = [cls for cls in OWN_SCALARS if self.get_structure_hook(cls) is self._engine.hook]
        register_class_hooks(copy, [(cls, copy._engine.hook) for cls in own])
        return copy

    def unstructure(self, obj: Any, unstructure_as: Any = None) -> Any:
        """Turn an object back into JSON-ready data, keys as they go on the wire.

        >>> import attrs
        >>> @attrs.define
        ... class Query:
        ...     type_: str = attrs.field(alias="type")
        ...     since: str = attrs.field(metadata={"json_key": "from"})
        >>> Registry().unstructure(Query(type="user", since="2024"))
        {'type': 'user', 'from': '2024'}
        """
        return super().unstructure(obj, unstructure_as)

    def _make_unstructure_with_json_keys(self, cls: Any) -> Callable[[Any], Any]:
        from cattrs.gen import make_dict_unstructure_fn, override

        renames: dict[str, Any] = {
            field.name: override(rename=field.metadata[JSON_KEY])
            for field in _fields_of(cls)
            if JSON_KEY in field.metadata
        }
        return make_dict_unstructure_fn(cls, self, **renames)

    def has_hook(self, tp: Any) -> bool:
        """Whether a hook that is not typedresp's own handles ``tp``, or a wrapper layer of
        it (``NewType``, ``Annotated``, alias) before what it finally stands for."""
        return has_hook(self, tp)

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

    @overload
    def register_structure_hook(self, cl: H) -> H: ...
    @overload
    def register_structure_hook(self, cl: Any, func: Hook) -> None: ...
    @overload
    def register_structure_hook(self, cl: Any) -> Callable[[H], H]: ...
    def register_structure_hook(self, cl: Any, func: Hook | None = None) -> Any:
        """Use ``func(value, type)`` to structure ``cl`` (and wherever ``cl`` appears).

        Three forms, as in cattrs (the second one is typedresp's)::

            registry.register_structure_hook(Money, money_from_json)

            @registry.register_structure_hook(Money)
            def money_from_json(value, tp): ...

            @registry.register_structure_hook
            def money_from_json(value, tp) -> Money: ...

        On a class the hook also serves its subclasses (cattrs' ``singledispatch``). On
        any other type (``list[int]``, ``Page[User]``, a ``NewType``, an ``Annotated[...]``
        or an alias) it serves exactly that type and wins over what it wraps. Types
        compiled earlier are rebuilt, so the hook applies everywhere.
        """
        if func is None and inspect.isroutine(cl):
            hook = cl
            target = get_type_hints(hook).get("return")
            if target is None:
                raise TypeError(
                    "a bare @register_structure_hook needs a return annotation naming the type"
                )
            self.register_structure_hook(target, hook)
            return hook
        if func is None:

            def decorator(hook: H) -> H:
                self.register_structure_hook(cl, hook)
                return hook

            return decorator
        if is_union(cl) or (isinstance(cl, type) and get_origin(cl) is None):
            super().register_structure_hook(cl, func)
        else:  # cattrs' singledispatch takes classes only (list[int] is none, also on 3.10)
            self.register_structure_hook_func(_exactly(cl), func)
        return None


def _exactly(tp: Any) -> Callable[[Any], bool]:
    def is_exactly(candidate: Any) -> bool:
        return candidate is tp or candidate == tp

    return is_exactly


def _register_json_scalar_unstructure(converter: cattrs.Converter) -> None:
    """Make `Registry.unstructure` give JSON-ready data for the usual non-JSON scalars:
    dates and times as ISO 8601 text, UUIDs and decimals as text."""
    import datetime

    for temporal in (datetime.datetime, datetime.date, datetime.time):
        converter.register_unstructure_hook(temporal, temporal.isoformat)
    # Not imported for this: a program that has UUIDs or decimals has imported them.
    converter.register_unstructure_hook_func(_is_class_of("uuid", "UUID"), str)
    converter.register_unstructure_hook_func(_is_class_of("decimal", "Decimal"), str)


def _is_class_of(module: str, name: str) -> Callable[[Any], bool]:
    def is_that_class(tp: Any) -> bool:
        loaded = sys.modules.get(module)
        return loaded is not None and tp is getattr(loaded, name, None)

    return is_that_class


def _fields_of(cls: Any) -> tuple[Any, ...]:
    if attrs.has(cls):
        return tuple(attrs.fields(cls))
    if hasattr(cls, "__dataclass_fields__"):  # dataclasses.is_dataclass, without the import
        import dataclasses  # imported already: `cls` is a dataclass

        return tuple(dataclasses.fields(cls))
    return ()


def _has_json_keys(cls: Any) -> bool:
    return isinstance(cls, type) and any(JSON_KEY in f.metadata for f in _fields_of(cls))


default_registry = Registry()
"""The registry used wherever none is given."""

register_structure_hook = default_registry.register_structure_hook


@overload
def register_structure_hook_factory(
    predicate: Callable[[Any], bool], factory: Callable[..., Hook]
) -> Callable[..., Hook]: ...
@overload
def register_structure_hook_factory(predicate: Callable[[Any], bool]) -> Callable[[H], H]: ...
def register_structure_hook_factory(
    predicate: Callable[[Any], bool], factory: Callable[..., Hook] | None = None
) -> Any:
    """`Registry.register_structure_hook_factory` (cattrs') on `default_registry`: for every
    type ``predicate`` accepts, ``factory(type)`` or ``factory(type, registry)`` gives the
    hook. Newer factories are asked first; also as a decorator::

        @typedresp.register_structure_hook_factory(lambda t: is_money_type(t))
        def money_hook(tp):
            return lambda value, _: tp.from_cents(value)
    """
    if factory is None:
        return default_registry.register_structure_hook_factory(predicate)
    return default_registry.register_structure_hook_factory(predicate, factory)
