"""Runtime type introspection: what a type annotation stands for, and what must be built.

Three jobs, for Python 3.10 to 3.13 alike:

* unwrap what only wraps another type: `Annotated[X, ...]`, type aliases
  (`typing_extensions.TypeAliasType` and ``type X = ...``, also subscripted generic
  ones), `NewType`, and the TypedDict qualifiers `Required`, `NotRequired`, `ReadOnly`;
* classify a type: union, `Literal`, enum, attrs class, dataclass, TypedDict;
* substitute type variables through any depth of generic subclassing, so that
  `Page[User]`, ``class UserPage(Page[User])`` and ``class Deeper(UserPage)`` all give
  the field types of a page of users.

The classifying predicates (`is_union`, `is_literal`, `class_of`, ...) look at the form
they are given; call `unwrap` first to see through wrappers. `is_optional` is the one
exception: it looks through wrappers itself.

All use of typing-inspect lives here. Where it is right we call it; where it is not, a
comment says why and we use `typing` / `typing_extensions` instead.
"""

from __future__ import annotations

import enum
import sys
import types
import typing
from typing import Any, Final

import attrs
import typing_extensions
import typing_inspect

__all__ = [
    "NOT_WRAPPED",
    "class_of",
    "describe",
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
]


class _NotWrapped:
    def __repr__(self) -> str:
        return "NOT_WRAPPED"


NOT_WRAPPED: Final[object] = _NotWrapped()
"""What `unwrap_once` returns for a type that wraps nothing."""

_NONE_TYPE: Final = type(None)
_MAX_UNWRAP_DEPTH: Final = 100


def _both(name: str) -> tuple[Any, ...]:
    # typing_extensions has its own Required, ReadOnly, ... on some versions and re-exports
    # typing's on others; accept both (and skip what typing lacks before 3.11 / 3.13).
    forms = (getattr(typing_extensions, name), getattr(typing, name, None))
    return tuple(form for form in forms if form is not None)


REQUIRED: Final = _both("Required")
NOT_REQUIRED: Final = _both("NotRequired")
READ_ONLY: Final = _both("ReadOnly")
_QUALIFIERS: Final = REQUIRED + NOT_REQUIRED + READ_ONLY
if sys.version_info >= (3, 12):
    _ALIAS_TYPES: tuple[type, ...] = (typing_extensions.TypeAliasType, typing.TypeAliasType)
else:
    _ALIAS_TYPES = (typing_extensions.TypeAliasType,)


# ---------------------------------------------------------------------------- unwrapping


def unwrap_once(tp: Any) -> Any:
    """Peel one wrapper layer off `tp`, or return `NOT_WRAPPED`.

    ``Annotated[X, ...]``, ``Required[X]``, ``NotRequired[X]``, ``ReadOnly[X]`` give ``X``;
    a `NewType` gives its supertype; a type alias gives its value, with the alias's type
    parameters substituted (``Pair[int]`` for ``type Pair[T] = tuple[T, T]`` gives
    ``tuple[int, int]``; a missing argument becomes the parameter's default, bound or `Any`).

    >>> from typing import Annotated
    >>> unwrap_once(Annotated[int, "meta"])
    <class 'int'>
    """
    if type(tp) is type:  # a plain class (the usual case) wraps nothing
        return NOT_WRAPPED
    origin = typing.get_origin(tp)
    if origin is typing.Annotated or origin in _QUALIFIERS:
        return typing.get_args(tp)[0]
    if _is_type_alias(tp):
        return _alias_value(tp, ())
    if _is_type_alias(origin):
        return _alias_value(origin, typing.get_args(tp))
    # typing_inspect.is_new_type is also True for the `NewType` class itself: exclude classes.
    if typing_inspect.is_new_type(tp) and not _is_class(tp):
        return tp.__supertype__
    return NOT_WRAPPED


def unwrap(tp: Any) -> Any:
    """Peel every wrapper layer off `tp` (see `unwrap_once`); `tp` itself if it wraps nothing.

    >>> from typing import Annotated, NewType
    >>> unwrap(Annotated[NewType("UserId", int), "meta"])
    <class 'int'>
    """
    for _ in range(_MAX_UNWRAP_DEPTH):
        inner = unwrap_once(tp)
        if inner is NOT_WRAPPED:
            return tp
        tp = inner
    raise TypeError(f"{tp!r} does not unwrap to a type: is a type alias defined as itself?")


def _is_type_alias(tp: Any) -> bool:
    # On 3.10 a subscripted alias (types.GenericAlias) passes isinstance for its origin.
    return not isinstance(tp, types.GenericAlias) and isinstance(tp, _ALIAS_TYPES)


def _alias_value(alias: Any, args: tuple[Any, ...]) -> Any:
    value = alias.__value__
    if isinstance(value, str):
        value = _resolve_forward_ref(typing.ForwardRef(value), alias.__module__)
    params = tuple(alias.__type_params__)
    env = _bind(params, args)
    env.update({p: _fallback(p) for p in params if p not in env})
    return substitute(value, env)


# ------------------------------------------------------------------------ classification


def get_origin(tp: Any) -> Any | None:
    """The unsubscripted form of `tp`, like `typing.get_origin`; ``X | Y`` gives `typing.Union`.

    Annotated types are not stripped: ``get_origin(Annotated[int, "m"])`` is `Annotated`.
    """
    # Not typing_inspect.get_origin: it answers None for `int | str` and strips Annotated.
    origin = typing.get_origin(tp)
    if origin is types.UnionType:
        return typing.Union
    return origin


def get_args(tp: Any) -> tuple[Any, ...]:
    """The type arguments of `tp`, like `typing.get_args`; ``()`` when it has none.

    >>> from typing import Annotated
    >>> get_args(Annotated[int, "m"])
    (<class 'int'>, 'm')
    """
    # Not typing_inspect.get_args: it drops the metadata of Annotated.
    return typing.get_args(tp)


def is_union(tp: Any) -> bool:
    """Whether `tp` is a union: ``Union[...]``, ``Optional[...]`` or ``X | Y``."""
    return tp is not typing.Union and bool(typing_inspect.is_union_type(tp))


def union_members(tp: Any) -> tuple[Any, ...]:
    """The members of the union `tp`, nested unions flattened, in order, without duplicates.

    Members are not unwrapped: a hook registered on an alias or `Annotated` member keeps it.

    >>> from typing import Union
    >>> union_members(Union[int, Union[str, None]])
    (<class 'int'>, <class 'str'>, <class 'NoneType'>)
    """
    if not is_union(tp):
        raise TypeError(f"{tp!r} is not a union")
    members: list[Any] = []
    for arg in typing.get_args(tp):
        for member in union_members(arg) if is_union(arg) else (arg,):
            if member not in members:
                members.append(member)
    return tuple(members)


def is_optional(tp: Any) -> bool:
    """Whether `tp` is a union that accepts `None`, looking through wrappers at every level.

    >>> from typing import Annotated, Optional
    >>> is_optional(Annotated[Optional[int], "meta"])
    True
    """
    # Not typing_inspect.is_optional_type: it misses Annotated[Optional[X], ...] and answers
    # True for NoneType itself, which is not a union.
    tp = unwrap(tp)
    return is_union(tp) and _accepts_none(tp)


def _accepts_none(tp: Any) -> bool:
    tp = unwrap(tp)
    if tp is None or tp is _NONE_TYPE:
        return True
    if is_union(tp):
        return any(_accepts_none(member) for member in union_members(tp))
    return is_literal(tp) and None in literal_values(tp)


def is_literal(tp: Any) -> bool:
    """Whether `tp` is ``Literal[...]`` (from `typing` or `typing_extensions`)."""
    return tp is not typing.Literal and bool(typing_inspect.is_literal_type(tp))


def literal_values(tp: Any) -> tuple[Any, ...]:
    """The values of the literal `tp`, nested literals flattened, in order.

    >>> from typing import Literal
    >>> literal_values(Literal["a", Literal["b", "c"]])
    ('a', 'b', 'c')
    """
    if not is_literal(tp):
        raise TypeError(f"{tp!r} is not a Literal")
    values: list[Any] = []
    for arg in typing.get_args(tp):
        for value in literal_values(arg) if is_literal(arg) else (arg,):
            # Compare types too: `1 == True`, but Literal[1, True] has two values.
            if not any(type(value) is type(seen) and value == seen for seen in values):
                values.append(value)
    return tuple(values)


def is_enum_class(tp: Any) -> bool:
    """Whether `tp` is an `enum.Enum` subclass."""
    return _is_class(tp) and issubclass(tp, enum.Enum)


def is_attrs_class(tp: Any) -> bool:
    """Whether `tp` is an attrs class, or a parametrised generic one such as ``Page[User]``."""
    cls = _class_or_none(tp)
    return cls is not None and attrs.has(cls)


def is_dataclass_type(tp: Any) -> bool:
    """Whether `tp` is a dataclass (not an instance), or a parametrised generic one."""
    # What dataclasses.is_dataclass checks, without importing dataclasses for it.
    cls = _class_or_none(tp)
    return cls is not None and hasattr(cls, "__dataclass_fields__")


def is_typeddict(tp: Any) -> bool:
    """Whether `tp` is a TypedDict (`typing` or `typing_extensions`), or a parametrised one."""
    # typing_extensions.is_typeddict knows both kinds; typing_inspect has no such check.
    cls = _class_or_none(tp)
    return cls is not None and typing_extensions.is_typeddict(cls)


def class_of(tp: Any) -> type:
    """The class behind `tp`: ``class_of(Page[User])`` and ``class_of(Page)`` are ``Page``."""
    cls = _class_or_none(tp)
    if cls is None:
        raise TypeError(f"{tp!r} is not a class or a parametrised generic class")
    return cls


def _is_class(tp: Any) -> typing_extensions.TypeIs[type]:
    # On 3.10 `isinstance(list[int], type)` is True.
    return isinstance(tp, type) and not isinstance(tp, types.GenericAlias)


def _class_or_none(tp: Any) -> type | None:
    if _is_class(tp):
        return tp
    origin = typing.get_origin(tp)
    # typing.Annotated is itself a class before 3.13; Annotated[X, ...] is not a class.
    if origin is typing.Annotated or not _is_class(origin):
        return None
    return origin


# ------------------------------------------------------------------------ type variables


def type_var_map(tp: Any) -> dict[Any, Any]:
    """TypeVar -> what it stands for in `tp`, for the type variables of every generic base.

    Follows ``__orig_bases__`` through the whole hierarchy, substituting as it goes, so
    mixins, subclasses that reorder or rename type variables, and PEP 695 classes work.
    Type variables left unbound are omitted (also when bound only to another unbound type
    variable, as in ``class Mid(Base[T])``). If two classes use the same TypeVar object,
    the binding of the most derived class wins; `field_types` and
    `extract_type_var_from_base` keep them apart.

    >>> from typing import Generic, TypeVar
    >>> T = TypeVar("T")
    >>> class A(Generic[T]): ...
    >>> class B(A[bytes]): ...
    >>> type_var_map(B)
    {~T: <class 'bytes'>}
    """
    bound: dict[Any, Any] = {}
    for env in hierarchy(tp).values():
        for param, value in env.items():
            bound.setdefault(param, value)
    return {param: value for param, value in bound.items() if not typing_inspect.is_typevar(value)}


def extract_type_arg(tp: Any, index: int) -> Any:
    """The `index`-th type argument of `tp`: ``extract_type_arg(dict[str, int], 1)`` is `int`."""
    args = typing.get_args(tp)
    try:
        return args[index]
    except IndexError:
        raise TypeError(
            f"Expected type {tp!r} to have a type argument at index {index} but it did not"
        )


def extract_type_var_from_base(
    tp: Any,
    *,
    generic_bases: tuple[type, ...],
    index: int,
    failure_message: str | None = None,
) -> Any:
    """The `index`-th type argument that `tp` gives one of `generic_bases`.

    `tp` may be ``Base[X]`` itself, a concrete subclass at any depth (``class
    MyResponse(APIResponse[bytes])``, ``class Deeper(MyResponse)``), or a generic
    subclass parametrised later (``Mid[int]`` for ``class Mid(APIResponse[T])``). Raises
    `TypeError` (with `failure_message` when given) if `tp` is not related to
    `generic_bases` or the argument stays an unbound type variable.

    >>> from typedresp import APIResponse
    >>> class MyResponse(APIResponse[bytes]): ...
    >>> class Deeper(MyResponse): ...
    >>> extract_type_var_from_base(Deeper, generic_bases=(APIResponse,), index=0)
    <class 'bytes'>
    """
    names = ", ".join(base.__qualname__ for base in generic_bases)

    def failure(reason: str) -> TypeError:
        return TypeError(
            failure_message
            or f"Cannot resolve type argument {index} of {names} for {tp!r}: {reason}"
        )

    cls = _class_or_none(tp)
    if cls is None:
        raise failure("it is not a class")
    if cls in generic_bases and not _is_class(tp):
        args = typing.get_args(tp)
    else:
        for base, env in hierarchy(tp).items():
            if base in generic_bases:
                args = tuple(env.values())
                break
        else:
            raise failure("it is not a subclass of any of them")
    if not -len(args) <= index < len(args):
        raise failure(f"there are only {len(args)} type arguments")
    value = args[index]
    if typing_inspect.is_typevar(value):
        raise failure(f"it is left as the unbound type variable {value!r}")
    return value


def hierarchy(tp: Any) -> dict[type, dict[Any, Any]]:
    """Each class in the hierarchy of `tp` -> its type parameters -> what `tp` binds them to.

    Classes come most derived first; an unbound parameter maps to itself.
    """
    cls = class_of(tp)
    if _is_class(tp):
        envs = {cls: _identity(cls)}
    else:
        envs = {cls: _bind(_params(cls), typing.get_args(tp))}
    lineage = ancestry(cls)
    for c in lineage:
        env = envs.setdefault(c, _identity(c))
        for base in _own_bases(c):
            base_cls = _class_or_none(base)
            if base_cls is None or base_cls in envs or base_cls is typing.Generic:
                continue
            if _is_class(base):
                envs[base_cls] = _identity(base_cls)
            else:
                args = tuple(substitute(arg, env) for arg in typing.get_args(base))
                envs[base_cls] = _bind(_params(base_cls), args)
    return {c: envs[c] for c in lineage if c in envs}


def ancestry(cls: type) -> tuple[type, ...]:
    """`cls` and its bases, each class before its own bases."""
    if not typing_extensions.is_typeddict(cls):
        return cls.__mro__
    # A TypedDict's __mro__ skips the TypedDicts it inherits from; follow __orig_bases__.
    # (On 3.10 and 3.11 a non-generic subclass of a typing.TypedDict does not keep them.)
    order: list[type] = []

    def visit(c: type) -> None:
        if c not in order:
            order.append(c)
            for base in _own_bases(c):
                base_cls = _class_or_none(base)
                if base_cls is not None:
                    visit(base_cls)

    visit(cls)
    return tuple(order)


def _own_bases(cls: type) -> tuple[Any, ...]:
    # Not typing_inspect.get_generic_bases: it reads `__orig_bases__` with getattr, so a
    # class that does not set its own answers with its base's, skipping a level.
    return tuple(cls.__dict__.get("__orig_bases__", cls.__bases__))


def _params(cls: type) -> tuple[Any, ...]:
    return tuple(typing_inspect.get_parameters(cls))


def _identity(cls: type) -> dict[Any, Any]:
    return {param: param for param in _params(cls)}


def _bind(params: tuple[Any, ...], args: tuple[Any, ...]) -> dict[Any, Any]:
    # Lengths differ only for forms such as TypeVarTuple; bind what lines up.
    return dict(zip(params, args, strict=False))


def substitute(tp: Any, env: dict[Any, Any]) -> Any:
    """`tp` with its type variables replaced as `env` says, by typing's own subscription."""
    if not env:
        return tp
    if typing_inspect.is_typevar(tp):
        return env.get(tp, tp)
    # A bare generic class or alias has __parameters__ too, but stands for itself.
    if _is_class(tp) or _is_type_alias(tp):
        return tp
    params = _parameters_or_none(tp)
    if params is None or not any(param in env for param in params):
        return tp
    try:
        return tp[tuple(env.get(param, param) for param in params)]
    except TypeError:  # forms typing cannot re-subscript (e.g. unpacked TypeVarTuples)
        return tp


def _parameters_or_none(tp: Any) -> tuple[Any, ...] | None:
    params: object = getattr(tp, "__parameters__", None)
    return params if _is_tuple(params) else None


def _is_tuple(value: object) -> typing_extensions.TypeIs[tuple[Any, ...]]:
    return isinstance(value, tuple)


def closed(tp: Any) -> Any:
    """`tp` with each type variable still free replaced by its default, bound or `Any`."""
    if type(tp) is type:  # a class stands for itself, even a generic one
        return tp
    free: tuple[Any, ...] = (tp,)
    if not typing_inspect.is_typevar(tp):
        free = getattr(tp, "__parameters__", ())
    return substitute(tp, {p: _fallback(p) for p in free if typing_inspect.is_typevar(p)})


def _fallback(param: Any) -> Any:
    has_default = getattr(param, "has_default", None)
    if callable(has_default) and has_default():
        return param.__default__
    if typing_inspect.is_typevar(param):
        bound = typing_inspect.get_bound(param)
        if bound is not None:
            return _resolve_forward_ref(bound, param.__module__)
    return Any


def _resolve_forward_ref(tp: Any, module: str | None) -> Any:
    if not isinstance(tp, typing.ForwardRef) or module not in sys.modules:
        return tp
    try:
        return eval(tp.__forward_arg__, vars(sys.modules[module]))
    except NameError:
        return tp


def describe(tp: Any) -> str:
    """A short readable name for a type, the one every message uses: ``list[User] | None``.

    >>> describe(typing.Optional[list[int]])
    'list[int] | None'
    """
    if tp is None or tp is _NONE_TYPE:
        return "None"
    if tp is Any:
        return "Any"
    if tp is Ellipsis:
        return "..."
    if is_union(tp):
        return " | ".join(describe(member) for member in union_members(tp))
    if is_literal(tp):
        return f"Literal[{', '.join(repr(value) for value in literal_values(tp))}]"
    origin, args = get_origin(tp), get_args(tp)
    if origin is not None and args and not is_literal(tp):
        name = getattr(origin, "__qualname__", None) or repr(origin).replace("typing.", "")
        return f"{name}[{', '.join(describe(arg) for arg in args)}]"
    if isinstance(tp, type):
        return tp.__qualname__
    return repr(tp).replace("typing_extensions.", "").replace("typing.", "")
