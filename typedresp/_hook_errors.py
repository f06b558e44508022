"""Errors raised inside a structure hook, as path-qualified entries.

A hook that is not typedresp's own (the user's, one cattrs made with `cattrs.gen`, a
strategy's) fails with whatever it raises: cattrs' ``ClassValidationError`` and
``IterableValidationError`` groups (one sub-exception per failing field or item, with a
note naming it), typedresp's own `ResponseValidationError` from a nested type, or any
exception. `errors_from_exception` walks them into one entry per failing place, so
``$.items[1].age`` is named as it would be without the hook in between.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from ._exceptions import ResponseValidationError, ValidationErrorItem, field_path

__all__ = ["errors_from_exception"]

KeyOf = Callable[[Any, str], str]
"""``key_of(cls, attribute)``: the JSON key of an attribute, as the hook reads it."""


def errors_from_exception(
    exc: BaseException, path: str, *, where: str = "", key_of: KeyOf | None = None
) -> list[ValidationErrorItem]:
    """The entries for ``exc``, raised while structuring the value at ``path``.

    ``where`` names the hook in messages of plain exceptions (`` (in hook for Money)``);
    ``key_of`` gives the wire key of a class attribute (renames, aliases), else the
    attribute's name is used.

    >>> errors_from_exception(KeyError("id"), "$.user")
    [ValidationErrorItem(path='$.user', message="KeyError: 'id'")]
    """
    entries: list[ValidationErrorItem] = []
    _collect(exc, path, entries, where, key_of)
    return entries


def _collect(
    exc: BaseException,
    path: str,
    entries: list[ValidationErrorItem],
    where: str,
    key_of: KeyOf | None,
) -> None:
    if isinstance(exc, ResponseValidationError):
        for item in exc.errors:
            entries.append(ValidationErrorItem(path + item.path[1:], item.message, exc))
        return
    if isinstance(exc, BaseValidationError):
        _collect_group(exc, path, entries, where, key_of)
        return
    entries.append(ValidationErrorItem(path, _message(exc) + where, exc))


def _collect_group(
    group: BaseValidationError,
    path: str,
    entries: list[ValidationErrorItem],
    where: str,
    key_of: KeyOf | None,
) -> None:
    # An ExceptionGroup (the backport's on 3.10, which pyright cannot see through).
    exceptions = cast("tuple[BaseException, ...]", group.exceptions)  # pyright: ignore
    for exc in exceptions:
        notes = getattr(exc, "__notes__", ())
        attribute = next((n for n in notes if isinstance(n, AttributeValidationNote)), None)
        item = next((n for n in notes if isinstance(n, IterableValidationNote)), None)
        if attribute is not None and isinstance(group, ClassValidationError):
            key = key_of(group.cl, attribute.name) if key_of is not None else attribute.name
            inner = field_path(path, key)
            if isinstance(exc, KeyError):
                entries.append(ValidationErrorItem(inner, "field required", exc))
                continue
        elif item is not None:
            index = item.index
            inner = f"{path}[{index}]" if index.__class__ is int else f"{path}[{index!r}]"
        else:
            inner = path
        if isinstance(exc, ForbiddenExtraKeysError):
            extra = ", ".join(repr(key) for key in sorted(exc.extra_fields))
            entries.append(ValidationErrorItem(inner, f"unexpected keys: {extra}", exc))
            continue
        _collect(exc, inner, entries, "", key_of)


def _message(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
