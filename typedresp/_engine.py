"""typedresp's structuring engine, installed inside a cattrs converter.

cattrs' dispatch decides which hook structures a type: class hooks, exact types, then
predicates and hook factories, newest first. typedresp takes part as one factory (and the
hooks for ``str``, ``int``, ``float`` and ``bytes``), all answering with one object, the
engine's `Engine.hook`. Wherever the dispatch answers with it, the type is typedresp's:
the engine plans it and generates one flat function for it, asking the dispatch again
for every type inside it; a nested type whose answer is someone else's hook (the user's,
a cattrs strategy's, cattrs' own) is called as that hook, everything else is inlined.

Whatever is registered on the converter afterwards wins, as always in cattrs; every
registration empties cattrs' dispatch cache, and the engine forgets what it compiled at
the same moment, so the next parse is compiled against the new hooks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TypeVar

from . import _introspection as ti  # pyright: ignore[reportPrivateUsage] - a sibling module
from ._cattrs_internals import (
    factories_of,
    insert_below_registered,
    lax_scalar_hook,
    notify_on_registration,
    register_class_hooks,
)
from ._exceptions import ErrorList, ResponseValidationError, ValidationErrorItem
from ._hook_errors import errors_from_exception
from ._introspection import describe
from ._nodes import INVALID, Node
from ._planner import Hook, Planner, plans_itself

if TYPE_CHECKING:
    from cattrs import BaseConverter

__all__ = [
    "OWN_SCALARS",
    "Engine",
    "configure_converter",
    "has_hook",
    "remember_by_identity",
    "structure_hook",
    "structurer",
]

V = TypeVar("V")

detailed_rescue: Callable[[Any, Any, Exception], None] | None = None
"""A switch for typedresp's own test suite, off (None) by default.

When the fast function for a type fails on a value and the detailed pass then succeeds,
the engine returns the detailed result: correct, only slower, so a bug in generated code
would show up as slowness alone. Set to a callable, it is called first as
``detailed_rescue(value, tp, fast_error)``; it may raise to make that moment fail loudly
(``tests/conftest.py`` does, for every test). The fast path never reads it."""

OWN_SCALARS: Final = (str, int, float, bytes)
"""The classes cattrs dispatches by class (``singledispatch``, before any factory), with
lax hooks (``int("12")``): typedresp registers its own for them."""


class _Table:
    """Compiled functions for one way of planning a type, by type and by type identity."""

    __slots__ = ("by_id", "fast", "nodes", "own")

    def __init__(self, own: bool) -> None:
        self.own = own
        self.fast: dict[Any, Callable[[Any], Any]] = {}
        self.by_id: dict[int, tuple[Any, Callable[[Any], Any]]] = {}
        """`fast` by the identity of the type object: hashing ``Page[User]`` (and comparing
        it) runs typing's Python code; ``id()`` does not."""
        self.nodes: dict[Any, Node] = {}

    def clear(self) -> None:
        self.fast.clear()
        self.by_id.clear()
        self.nodes.clear()


class Engine:
    """Plans, compiles and caches typedresp's structure functions for one converter.

    Two tables: `structure` follows the converter's dispatch for the type itself (as
    ``converter.structure`` does), `structure_own` is typedresp's own plan for it — the
    hook cattrs hands out, which a user may wrap and register for the same type. The first
    structure of a type plans and compiles it; afterwards it is a lookup by the type
    object's identity and one call. Only when that fast call fails is the value walked
    again, to say what was wrong and where.
    """

    def __init__(self, converter: BaseConverter, *, strict: bool) -> None:
        self.converter = converter
        self.strict = strict
        self.hook: Hook = self.structure_own
        """The hook typedresp registers; the dispatch answering with it means "ours"."""
        self.dispatched = _Table(own=False)
        self.owned = _Table(own=True)
        self._lock = threading.RLock()
        self._compiling = 0
        self._stale = False
        self._planner = self._new_planner()

    def _new_planner(self) -> Planner:
        return Planner(
            strict=self.strict, dispatch=self._foreign_hook, key_of=key_reader(self.converter)
        )

    def claims(self, tp: Any) -> bool:
        """The predicate of typedresp's hook factory: the types it plans itself, except a
        union the user registered a hook for (cattrs keeps those apart, below factories)."""
        if not plans_itself(tp):
            return False
        if ti.is_union(tp):
            unions = getattr(self.converter, "_union_struct_registry", None)
            if unions and tp in unions:
                return False
        return True

    def factory(self, tp: Any) -> Hook:
        """typedresp's hook factory: one hook for every type it claims."""
        return self.hook

    def _foreign_hook(self, tp: Any) -> Hook | None:
        """The converter's hook for ``tp``, or None when it is the engine's own."""
        try:
            hash(tp)
        except TypeError:  # cattrs cannot dispatch it (Annotated with a dict in it)
            return None
        try:
            hook = self.converter.get_structure_hook(tp)
        except TypeError:
            raise
        except Exception as exc:
            raise TypeError(
                f"typedresp cannot structure {describe(tp)}: register a structure hook for it"
            ) from exc
        return None if hook is self.hook else hook

    def reset(self) -> None:
        """Forget every compiled function: a hook was registered on the converter."""
        with self._lock:
            self._planner = self._new_planner()
            self.dispatched.clear()
            self.owned.clear()
            if self._compiling:
                self._stale = True

    def structure(self, value: Any, tp: Any) -> Any:
        """Turn ``value`` (decoded JSON) into ``tp`` with the hook the converter's dispatch
        picks for it, or raise `ResponseValidationError`; `TypeError` when ``tp`` cannot
        come from JSON."""
        known = self.dispatched.by_id.get(id(tp))
        fast = known[1] if known is not None and known[0] is tp else self.fast_function(tp)
        try:
            return fast(value)
        except Exception as exc:
            return self.structure_in_detail(value, tp, exc)

    def structure_own(self, value: Any, tp: Any) -> Any:
        """`structure` with typedresp's own plan for ``tp``: the hook cattrs calls."""
        known = self.owned.by_id.get(id(tp))
        fast = known[1] if known is not None and known[0] is tp else self.fast_function(tp, True)
        try:
            return fast(value)
        except Exception as exc:
            return self.structure_in_detail(value, tp, exc, True)

    def fast_function(self, tp: Any, own: bool = False) -> Callable[[Any], Any]:
        """The compiled function for ``tp``, which raises anything on bad input."""
        table = self.owned if own else self.dispatched
        try:
            fast = table.fast[tp]
        except (KeyError, TypeError):
            fast = self._compile(tp, table)
        remember_by_identity(table.by_id, tp, fast)
        return fast

    def _compile(self, tp: Any, table: _Table) -> Callable[[Any], Any]:
        with self._lock:
            try:
                return table.fast[tp]
            except KeyError:
                hashable = True
            except TypeError:
                hashable = False
            node = self._plan(tp, table.own)
            fast = node.function()
            if self._stale and not self._compiling:
                # A hook was registered while this type compiled: what it used may be gone.
                self._stale = False
                self.reset()
            elif hashable:
                table.nodes[tp] = node
                table.fast[tp] = fast
            return fast

    def _plan(self, tp: Any, own: bool) -> Node:
        planner = self._planner
        self._compiling += 1
        try:
            node = planner.plan_own(tp) if own else planner.plan(tp)
            node.function()
        except BaseException as exc:
            # A fresh planner drops the half-built plans; what compiled before stays.
            if self._planner is planner:
                self._planner = self._new_planner()
            if isinstance(exc, (TypeError, KeyboardInterrupt, SystemExit)):
                raise
            if isinstance(exc, Exception):
                message = f"typedresp cannot compile {describe(tp)}: {type(exc).__name__}: {exc}"
                raise TypeError(message) from exc
            raise
        finally:
            self._compiling -= 1
        return node

    def _node_for(self, tp: Any, own: bool) -> Node:
        table = self.owned if own else self.dispatched
        with self._lock:
            try:
                return table.nodes[tp]
            except (KeyError, TypeError):
                pass
            return self._plan(tp, own)

    def structure_in_detail(
        self, value: Any, tp: Any, fast_error: Exception, own: bool = False
    ) -> Any:
        """Walk ``value`` again after the fast function failed: return the result when the
        detailed pass succeeds, else raise `ResponseValidationError` naming every path."""
        errors = ErrorList()
        try:
            result = self._node_for(tp, own).check(value, "$", errors)
        except RecursionError:
            errors = ErrorList()
            errors.append(ValidationErrorItem("$", "nested too deeply to structure"))
            result = INVALID
        if not errors and result is not INVALID:
            if detailed_rescue is not None:
                detailed_rescue(value, tp, fast_error)
            return result
        if not errors:
            message = f"{type(fast_error).__name__}: {fast_error}"
            errors.append(ValidationErrorItem("$", message, fast_error))
        cause = next((item.exception for item in errors if item.exception is not None), None)
        raise ResponseValidationError(
            errors, body=value, target=tp, error_count=errors.total
        ) from cause

    def install(self) -> None:
        """Register typedresp's hooks on the converter, below the hooks registered on it
        before (so those keep winning) and above cattrs' built-in ones."""
        converter = self.converter
        insert_below_registered(converter, self.claims, self.factory)
        lax = lax_scalar_hook()
        own = [cls for cls in OWN_SCALARS if converter.get_structure_hook(cls) is lax]
        register_class_hooks(converter, [(cls, self.hook) for cls in own])
        notify_on_registration(converter, self.reset)


def configure_converter(converter: BaseConverter, *, strict: bool = True) -> BaseConverter:
    """Make a cattrs converter structure the typedresp way: strict, compiled, with JSON
    paths in its errors — the ``cattrs.preconf`` idiom for typedresp.

    The hooks registered on ``converter`` before keep winning; what cattrs would do by
    itself for the types typedresp knows (attrs classes, dataclasses, containers, unions,
    ``Literal``, enums, datetimes, strict ``str``/``int``/``float``) is typedresp's from now
    on. Returns the converter.

    >>> import attrs, cattrs
    >>> @attrs.define
    ... class Point:
    ...     x: int
    >>> converter = configure_converter(cattrs.Converter())
    >>> converter.structure({"x": 1}, Point)
    Point(x=1)
    >>> converter.structure({"x": "1"}, Point)
    Traceback (most recent call last):
    ...
    typedresp._exceptions.ResponseValidationError: 1 validation error for Point
      $.x: expected int, got '1'
    """
    if any(isinstance(getattr(p, "__self__", None), Engine) for p in factories_of(converter)):
        raise ValueError("this converter is configured by typedresp already")
    Engine(converter, strict=strict).install()
    return converter


def structure_hook(converter: BaseConverter, tp: Any) -> Hook:
    """A hook ``hook(value, tp)`` that structures decoded JSON to ``tp`` with ``converter``,
    fetched (and compiled) once, before any body is read: what a response calls.

    Any cattrs converter will do; what it raises becomes a `ResponseValidationError` with
    JSON paths. `TypeError` when ``tp`` cannot be structured.
    """
    engine: Any = getattr(converter, "_engine", None)
    if engine.__class__ is Engine:  # a Registry: its own dispatch, with the fast path
        known = engine.dispatched.by_id.get(id(tp))
        if known is None or known[0] is not tp:
            engine.fast_function(tp)
        return engine.structure
    try:
        hook = converter.get_structure_hook(tp)
    except TypeError:
        raise
    except Exception as exc:
        message = f"{type(converter).__name__} cannot structure {describe(tp)}"
        raise TypeError(message) from exc
    owner = getattr(hook, "__self__", None)
    if isinstance(owner, Engine):  # a converter set up by `configure_converter`
        owner.fast_function(tp, True)
        return hook
    key_of = key_reader(converter)

    def structure_with_hook(value: Any, tp: Any) -> Any:
        try:
            return hook(value, tp)
        except ResponseValidationError:
            raise
        except Exception as exc:
            errors = errors_from_exception(exc, "$", key_of=key_of)
            raise ResponseValidationError(errors, body=value, target=tp) from exc

    return structure_with_hook


def structurer(converter: BaseConverter, tp: Any) -> Callable[[Any], Any]:
    """`structure_hook` for one type: ``structure(value)``, what a stream calls per event."""
    hook = structure_hook(converter, tp)

    def structure(value: Any) -> Any:
        return hook(value, tp)

    return structure


def has_hook(converter: BaseConverter, tp: Any) -> bool:
    """Whether a hook that is not typedresp's own handles ``tp``, or a wrapper layer of it
    (``NewType``, ``Annotated``, alias) before what it finally stands for."""
    layer = tp
    while True:
        try:
            hook = converter.get_structure_hook(layer)
        except Exception:
            return False
        if not isinstance(getattr(hook, "__self__", None), Engine):
            return True
        layer = ti.unwrap_once(layer)
        if layer is ti.NOT_WRAPPED:
            return False


def key_reader(converter: BaseConverter) -> Callable[[Any, str], str]:
    """``key_of(cls, attribute)`` for `errors_from_exception`: the key ``converter``'s hook
    for ``cls`` reads the attribute from (a `cattrs.override` rename, else the alias when
    the converter uses aliases, else the name)."""

    def key_of(cls: Any, attribute: str) -> str:
        try:
            overrides: dict[str, Any] = getattr(converter.get_structure_hook(cls), "overrides", {})
        except Exception:
            overrides = {}
        rename = getattr(overrides.get(attribute), "rename", None)
        if rename is not None:
            return str(rename)
        if getattr(converter, "use_alias", False):
            import attrs

            if attrs.has(cls):
                alias = getattr(attrs.fields_dict(cls).get(attribute), "alias", None)
                if alias:
                    return str(alias)
        return attribute

    return key_of


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
