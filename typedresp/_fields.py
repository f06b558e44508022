"""The fields of a class as the engine builds it: their types, type variables substituted.

attrs classes, dataclasses and TypedDicts, generic ones included (``Page[User]``), with
string annotations evaluated where the class was defined (also the nested ones Python
3.10 leaves as strings) and the type variables of every generic base substituted.
"""

from __future__ import annotations

import inspect
import sys
import types
import typing
from typing import Any

import attrs
import typing_extensions

from ._introspection import (
    NOT_REQUIRED,
    READ_ONLY,
    REQUIRED,
    ancestry,
    class_of,
    closed,
    hierarchy,
    is_dataclass_type,
    is_literal,
    substitute,
)

__all__ = ["field_types", "typeddict_required_keys"]


def field_types(tp: Any) -> dict[str, Any]:
    """Field name -> resolved annotation of an attrs class, dataclass or TypedDict.

    A dataclass's ``InitVar[T]`` pseudo-fields are included as ``T``: they are arguments of
    its ``__init__``.

    `tp` may be parametrised (``Page[User]``) or a concrete subclass of a generic class.
    String annotations are resolved in the module of the class that declares them;
    `Annotated` is kept, and so are `Required` / `NotRequired` of a TypedDict. Every type
    variable is substituted (see `type_var_map`); one left unbound becomes its default,
    else its bound, else `Any`. The class is not modified. A forward reference that cannot
    be resolved raises `NameError`.

    >>> from typing import Generic, Optional, TypeVar
    >>> T = TypeVar("T")
    >>> fields = {"items": attrs.field(type=list[T]), "next": attrs.field(type=Optional[str])}
    >>> Page = attrs.make_class("Page", fields, bases=(Generic[T],))
    >>> class User: ...
    >>> field_types(Page[User]) == {"items": list[User], "next": Optional[str]}
    True
    """
    cls = class_of(tp)
    generic = typing.Generic in cls.__mro__
    if attrs.has(cls):
        hints = _type_hints(cls)
        declared = {a.name: a.type for a in attrs.fields(cls)}
    elif is_dataclass_type(cls):
        import dataclasses  # imported already: `cls` is a dataclass

        hints = _type_hints(cls)
        declared = {f.name: f.type for f in dataclasses.fields(cls)}
        init_only: dict[str, Any] = {
            n: h.type  # pyright: ignore[reportUnknownMemberType]
            for n, h in hints.items()
            if isinstance(h, dataclasses.InitVar)
        }
        if init_only:  # InitVar[T]: an __init__ argument of type T, not a field
            hints = {**hints, **init_only}
            declared.update(init_only)
    elif typing_extensions.is_typeddict(cls):
        # Not typing_inspect.typed_dict_keys: it does not know typing.TypedDict, nor
        # resolve string annotations.
        hints = _type_hints(cls)
        declared = dict.fromkeys(hints)
        generic = True  # its __mro__ does not show the TypedDicts it derives from
    else:
        raise TypeError(f"{tp!r} is not an attrs class, a dataclass or a TypedDict")
    # No type parameters anywhere (a class with no generic class above it has none):
    # there is nothing to substitute.
    envs = hierarchy(tp) if generic else {}
    if not any(envs.values()):
        return {
            name: closed(hints.get(name, Any if fallback is None else fallback))
            for name, fallback in declared.items()
        }
    owners = _annotation_owners(cls)
    result: dict[str, Any] = {}
    for name, fallback in declared.items():
        hint = hints.get(name, Any if fallback is None else fallback)
        env = envs.get(owners.get(name, cls), {})
        result[name] = closed(substitute(hint, env))
    return result


def typeddict_required_keys(tp: Any) -> frozenset[str]:
    """The keys a TypedDict requires, honouring ``total=False``, `Required`, `NotRequired`.

    Unlike ``__required_keys__`` this is also right for string annotations (``from
    __future__ import annotations``) and for `typing_extensions` qualifiers in a
    `typing.TypedDict` on 3.10.
    """
    cls = class_of(tp)
    if not typing_extensions.is_typeddict(cls):
        raise TypeError(f"{tp!r} is not a TypedDict")
    # __required_keys__ knows `total` of the class declaring each key; a qualifier the
    # TypedDict machinery could not see (a string, or another module's Required) overrides it.
    by_total = frozenset(typing.cast(Any, cls).__required_keys__)
    required: set[str] = set()
    for key, hint in _type_hints(cls).items():
        qualified = _required_qualifier(hint)
        if qualified or (qualified is None and key in by_total):
            required.add(key)
    return frozenset(required)


def _required_qualifier(hint: Any) -> bool | None:
    while True:
        origin = typing.get_origin(hint)
        if origin in REQUIRED:
            return True
        if origin in NOT_REQUIRED:
            return False
        if origin is not typing.Annotated and origin not in READ_ONLY:
            return None
        hint = typing.get_args(hint)[0]


def _type_hints(cls: type) -> dict[str, Any]:
    hints = _declared_type_hints(cls)
    if sys.version_info >= (3, 11):
        return hints
    # 3.10 leaves a string inside a builtin generic unevaluated: list["Node"] stays so.
    module = sys.modules.get(cls.__module__)
    globalns = dict(vars(module)) if module is not None else {}
    localns = {cls.__name__: cls, **vars(cls)}
    return {name: _nested_strings_evaluated(h, globalns, localns) for name, h in hints.items()}


def _nested_strings_evaluated(tp: Any, globalns: dict[str, Any], localns: dict[str, Any]) -> Any:
    if isinstance(tp, str):
        return eval(tp, globalns, localns)
    if isinstance(tp, typing.ForwardRef):
        return eval(tp.__forward_arg__, globalns, localns)
    args: Any = getattr(tp, "__args__", None)
    if not isinstance(args, tuple) or not args or is_literal(tp):  # Literal's strings are values
        return tp
    given: tuple[Any, ...] = args  # pyright: ignore[reportUnknownVariableType]
    evaluated = tuple(_nested_strings_evaluated(arg, globalns, localns) for arg in given)
    if all(new is old for new, old in zip(evaluated, given, strict=True)):
        return tp
    if isinstance(tp, types.GenericAlias):
        origin: Any = tp.__origin__
        return types.GenericAlias(origin, evaluated)
    copy_with = getattr(tp, "copy_with", None)  # typing's own aliases: Union, Optional, ...
    return tp if copy_with is None else copy_with(evaluated)


def _declared_type_hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except NameError:
        # Python 3.12.0-3.12.3 cannot see PEP 695 type parameters from string annotations.
        params = {p.__name__: p for c in cls.__mro__ for p in vars(c).get("__type_params__", ())}
        if not params:
            raise
        return typing.get_type_hints(cls, localns=params, include_extras=True)
    except TypeError:
        # Python 3.10 refuses a string annotation that is not a type, such as
        # "InitVar[int]" of a dataclass: evaluate the annotations as 3.11 does.
        if sys.version_info >= (3, 11):
            raise
        return _evaluated_annotations(cls)


def _evaluated_annotations(cls: type) -> dict[str, Any]:
    hints: dict[str, Any] = {}
    for owner in reversed(cls.__mro__):
        module = sys.modules.get(owner.__module__)
        namespace = dict(vars(module)) if module is not None else {}
        for name, annotation in vars(owner).get("__annotations__", {}).items():
            if isinstance(annotation, str):
                annotation = eval(annotation, namespace, dict(vars(owner)))
            hints[name] = annotation
    return hints


def _annotation_owners(cls: type) -> dict[str, type]:
    owners: dict[str, type] = {}
    # A TypedDict repeats inherited keys in its own __annotations__: the first declarer wins.
    first_wins = typing_extensions.is_typeddict(cls)
    for c in reversed(ancestry(cls)):
        for name in inspect.get_annotations(c):
            if not (first_wins and name in owners):
                owners[name] = c
    return owners
