"""The few places typedresp reaches into cattrs' converter past its public API.

cattrs has no public way to put a hook factory *below* the ones already registered (what
`typedresp.configure_converter` promises: the converter's own hooks keep winning), to be
told of registrations (typedresp must forget what it compiled), or to copy a converter's
hooks into another instance (`Registry.copy`). Each function here does one of those with
the attributes cattrs itself uses for them (its ``copy()`` reads the same ones); every one
is listed in ARCHITECTURE.md and pinned by ``tests/test_cattrs_core.py``, which fails
loudly when a cattrs release changes them.
"""

# pyright: reportPrivateUsage=false, reportUnknownMemberType=false
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from cattrs import BaseConverter

__all__ = [
    "copy_hooks",
    "factories_of",
    "insert_below_registered",
    "lax_scalar_hook",
    "notify_on_registration",
    "register_class_hooks",
]


def insert_below_registered(
    converter: BaseConverter, predicate: Callable[[Any], bool], factory: Callable[[Any], Any]
) -> None:
    """Add a hook factory below every hook registered on ``converter`` so far and above
    cattrs' built-in ones; a copy of the converter leaves it out (it installs its own)."""
    pairs: list[Any] = converter._structure_func._function_dispatch._handler_pairs
    builtin: int = converter._struct_copy_skip
    pairs.insert(len(pairs) - builtin, (predicate, factory, True, False))
    converter._struct_copy_skip = builtin + 1
    converter._structure_func.clear_cache()


def factories_of(converter: BaseConverter) -> list[Callable[[Any], Any]]:
    """The predicates of every hook function and factory registered on ``converter``."""
    pairs: list[Any] = converter._structure_func._function_dispatch._handler_pairs
    return [pair[0] for pair in pairs]


def register_class_hooks(converter: BaseConverter, hooks: Iterable[tuple[type, Any]]) -> None:
    """Register hooks on exact classes (cattrs' ``singledispatch``), as
    ``register_structure_hook`` would, without its special cases."""
    converter._structure_func.register_cls_list(list(hooks))


def lax_scalar_hook() -> Any:
    """cattrs' hook for ``str``, ``int``, ``float``, ``bytes``: ``cls(value)``."""
    return BaseConverter._structure_call


def notify_on_registration(converter: BaseConverter, callback: Callable[[], None]) -> None:
    """Call ``callback`` whenever ``converter``'s structure dispatch cache is emptied:
    every cattrs registration API (and each strategy, which uses them) does that."""
    cached: Any = converter._structure_func.dispatch
    clear = cached.cache_clear

    def cache_clear() -> None:
        clear()
        callback()

    cached.cache_clear = cache_clear


def copy_hooks(source: BaseConverter, target: BaseConverter) -> None:
    """Copy the hooks registered on ``source`` (not its built-in ones) to ``target``, as
    cattrs' ``copy()`` does — and its union hooks, which that leaves behind."""
    source._unstructure_func.copy_to(target._unstructure_func, skip=source._unstruct_copy_skip)
    source._structure_func.copy_to(target._structure_func, skip=source._struct_copy_skip)
    target._union_struct_registry.update(source._union_struct_registry)
    target._structure_func.clear_cache()
