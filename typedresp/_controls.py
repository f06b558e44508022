"""The control entries: how the response wrappers ask the client for a raw or streamed
response, or for a response class of their own.

They travel in ``extra_headers`` (as in the SDKs the wrappers are modelled on), and the
client takes them out before sending: they never reach the wire. This module sits below
both the wrappers (`typedresp._wrappers`, which put them in) and the client core
(`typedresp._base_client`, which takes them out), so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, TypeGuard

import attrs

from ._response import BaseAPIResponse

__all__ = [
    "CONTROL_NAMES",
    "RAW_RESPONSE_HEADER",
    "RESPONSE_CLASS_HEADER",
    "ControlEntries",
    "Mode",
    "split_control_entries",
]

RAW_RESPONSE_HEADER: Final = "X-Typedresp-Raw-Response"
"""Control entry: ``"raw"`` (the response; its body read first unless the call streams,
``stream=True``) or ``"stream"`` (body not read)."""

RESPONSE_CLASS_HEADER: Final = "X-Typedresp-Response-Class"
"""Control entry: the `APIResponse` / `AsyncAPIResponse` subclass to build."""

CONTROL_NAMES: Final = frozenset({RAW_RESPONSE_HEADER.lower(), RESPONSE_CLASS_HEADER.lower()})
"""The control entries' names, lower-cased."""

Mode = Literal["raw", "stream"]


@attrs.frozen
class ControlEntries:
    """What the wrappers asked the client for: ``mode`` (``None``: the parsed body) and
    ``response_cls`` (``None``: the client's default response class)."""

    mode: Mode | None = None
    response_cls: type[BaseAPIResponse[Any]] | None = None


def split_control_entries(
    extra_headers: Mapping[str, Any] | None,
) -> tuple[ControlEntries, dict[str, str]]:
    """Separate the wrappers' control entries from real headers (names case-insensitive).

    Returns the control entries and a new dict of the headers to send. Raises
    `TypeError` / `ValueError` for a control entry or a header that makes no sense.
    """
    if not extra_headers:
        return ControlEntries(), {}
    mode: Mode | None = None
    response_cls: type[BaseAPIResponse[Any]] | None = None
    headers: dict[str, str] = {}
    for name, value in extra_headers.items():
        folded = name.lower()
        if folded not in CONTROL_NAMES:
            if not isinstance(value, str):
                raise TypeError(f"header {name!r} must be a str, got {type(value).__name__}")
            headers[name] = value
        elif folded == RAW_RESPONSE_HEADER.lower():
            if value not in ("raw", "stream"):
                raise ValueError(f'{RAW_RESPONSE_HEADER} must be "raw" or "stream", got {value!r}')
            mode = value
        else:
            if not _is_response_class(value):
                raise TypeError(
                    f"{RESPONSE_CLASS_HEADER} must be an APIResponse or AsyncAPIResponse "
                    f"subclass, got {value!r}"
                )
            response_cls = value
    return ControlEntries(mode, response_cls), headers


def _is_response_class(value: object) -> TypeGuard[type[BaseAPIResponse[Any]]]:
    return isinstance(value, type) and issubclass(value, BaseAPIResponse)
