"""What a parse target asks of the body, and which classes are streams of what.

`target_kind` classifies ``parse(to=...)`` targets once per type (the body as text,
bytes, the response itself, a stream, or JSON for the `Registry`); `is_stream_class` and
`stream_element` recognise a stream class and give the type of its events. The response
layer and the stream layer both ask here, so ``parse(to=Leaf)`` and ``Leaf(response=r)``
agree on what a ``Leaf`` stream yields.

This module sits below both: it knows stream classes and response classes by the marks
they set (``_typedresp_stream_``, ``_typedresp_response_``), not by importing them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import httpx

from ._engine import has_hook, remember_by_identity
from ._introspection import class_of, extract_type_var_from_base, unwrap

if TYPE_CHECKING:
    from cattrs import BaseConverter

__all__ = ["TargetKind", "is_stream_class", "stream_element", "target_kind"]

_NONE_TYPE: Final = type(None)
_TEXT_SCALARS: Final = (int, float, bool)
_MISSING: Final = object()


class TargetKind:
    """What a parse target asks of the body.

    Plain string constants rather than an `enum.Enum`: every parse compares kinds several
    times, and an enum member is looked up (and hashed) in Python.
    """

    NONE: Final = "none"
    TEXT: Final = "text"
    BYTES: Final = "bytes"
    RESPONSE: Final = "response"
    STREAM: Final = "stream"
    TEXT_SCALAR: Final = "text scalar"
    """int, float or bool: JSON, or a plain-text body such as ``42``."""
    JSON: Final = "json"


_TARGET_KINDS: dict[Any, str] = {}
# The same by the identity of the type object: hashing `Page[User]` runs typing's Python
# code, id() does not.
_KINDS_BY_ID: dict[int, tuple[Any, str]] = {}
_BODY_KINDS: Final = frozenset(
    {TargetKind.NONE, TargetKind.TEXT, TargetKind.BYTES, TargetKind.TEXT_SCALAR}
)
_BARE_TARGETS: Final = (None, _NONE_TYPE, str, bytes, int, float, bool)


def target_kind(target: Any, registry: BaseConverter | None = None) -> str:
    """Classify a parse target, once per type: the hot path does no type resolution.

    A wrapper (``NewType``, ``Annotated``, alias) of ``str``, ``bytes``, ... is the body's
    text or bytes, unless ``registry`` has a hook on the wrapper: then it is JSON for the
    hook. Raises `TypeError` for targets that cannot be parsed to (a subclass of
    `httpx.Response`, a response class).
    """
    known = _KINDS_BY_ID.get(id(target))
    if known is not None and known[0] is target:
        kind = known[1]
    else:
        kind = _classified(target)
        remember_by_identity(_KINDS_BY_ID, target, kind)
    if kind is TargetKind.JSON:
        return kind
    if (
        kind in _BODY_KINDS
        and registry is not None
        and target not in _BARE_TARGETS
        and has_hook(registry, target)
    ):
        return TargetKind.JSON
    return kind


def is_stream_class(tp: Any) -> bool:
    """Whether ``tp`` is a stream class (``Stream[T]``, ``AsyncStream``, a subclass).

    A stream class marks itself with ``_typedresp_stream_ = True``.
    """
    cls = _class_or_none(unwrap(tp))
    return cls is not None and getattr(cls, "_typedresp_stream_", False) is True


def stream_element(tp: Any, default: Any = _MISSING) -> Any:
    """The type of the events of the stream class ``tp``: ``Stream[Chunk]`` → Chunk.

    Works for subclasses at any depth, through reordered type variables (``class
    Mid(Stream[T], Generic[K, T])``, ``class Leaf(Mid[str, int])`` → int). An
    unparametrised class gives ``default``, or raises `TypeError` without one. Resolved
    once per type: a stream built per response does not walk its class hierarchy.
    """
    known = _ELEMENTS_BY_ID.get(id(tp))
    if known is not None and known[0] is tp:
        element = known[1]
    else:
        element = _resolve_element(unwrap(tp))
        remember_by_identity(_ELEMENTS_BY_ID, tp, element)
    if element is not _MISSING:
        return element
    if default is not _MISSING:
        return default
    name = class_of(unwrap(tp)).__qualname__
    raise TypeError(f"The stream class {name} needs its element type, e.g. {name}[Chunk].")


_ELEMENTS_BY_ID: dict[int, tuple[Any, Any]] = {}


def _resolve_element(tp: Any) -> Any:
    """The element type of the stream class ``tp``, or ``_MISSING`` when it is unbound."""
    cls = class_of(tp)
    marked = tuple(c for c in cls.__mro__ if c.__dict__.get("_typedresp_stream_") is True)
    try:
        return extract_type_var_from_base(tp, generic_bases=marked, index=0)
    except TypeError:
        return _MISSING


def _classified(target: Any) -> str:
    try:
        kind = _TARGET_KINDS.get(target)
    except TypeError:  # an unhashable type form (Annotated with a dict) is not cached
        return _classify_target(target)
    if kind is None:
        kind = _TARGET_KINDS[target] = _classify_target(target)
    return kind


def _classify_target(target: Any) -> str:
    tp = unwrap(target)
    cls = _class_or_none(tp)
    if cls is not None:
        if getattr(cls, "_typedresp_response_", False) is True:
            raise TypeError(
                f"parse(to={cls.__qualname__}) is not possible: this object is the "
                "response; parse() gives its body."
            )
        if issubclass(cls, httpx.Response) and cls is not httpx.Response:
            raise TypeError(
                f"parse(to={cls.__qualname__}) is not possible: httpx builds the response "
                "object, so only httpx.Response itself can be a target."
            )
    if is_stream_class(tp):
        return TargetKind.STREAM
    if tp is None or tp is _NONE_TYPE:
        return TargetKind.NONE
    if tp is str:
        return TargetKind.TEXT
    if tp is bytes:
        return TargetKind.BYTES
    if tp is httpx.Response:
        return TargetKind.RESPONSE
    if tp in _TEXT_SCALARS:
        return TargetKind.TEXT_SCALAR
    return TargetKind.JSON


def _class_or_none(tp: Any) -> type | None:
    try:
        return class_of(tp)
    except TypeError:
        return None
