"""Typed error bodies: an `APIStatusError` that carries the API's own error model.

A client (or one call) names the model its API's error bodies follow; the status error
then has it structured in ``.error``, and its message is the model's ``message`` when the
model has one (a field or a property)::

    @attrs.frozen
    class APIErrorBody:
        error: ErrorDetail
        @property
        def message(self) -> str:
            return self.error.message
    client = Client(base_url, error_model=APIErrorBody)
    try:
        client.get("/pets/404", cast_to=Pet)
    except NotFoundError as exc:
        exc.error.error.type, str(exc)    # ("not_found", "404 Not Found for GET ...: no pet 404")

A body that does not fit the model never replaces the status error: ``.error`` is then
None and ``.body`` the decoded body, as without a model.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ._exceptions import APIStatusError, request_id_of, shortened
from ._redact import redact
from ._status import error_detail

__all__ = ["complete_status_error"]

log = logging.getLogger("typedresp")

_MESSAGE_LIMIT = 300


def complete_status_error(
    error: APIStatusError,
    *,
    error_model: Any,
    registry: Any,
    request_id_headers: Sequence[str] | None,
) -> None:
    """Give ``error`` its typed ``.error`` (and message) and its request id as the client
    names them; never raises."""
    if request_id_headers is not None:
        error.request_id = request_id_of(error.response, request_id_headers)
    if error_model is None or error.body is None:
        return
    try:
        typed = registry.structure(error.body, error_model)
    except Exception as exc:  # any failure: the status error is what the caller must see
        log.debug("The error body of a %d does not fit %r: %s", error.status_code, error_model, exc)
        return
    error.error = typed
    message = getattr(typed, "message", None)
    if isinstance(message, str) and message:
        _replace_detail(error, message)


def _replace_detail(error: APIStatusError, detail: str) -> None:
    """Put ``detail`` where the client wrote the body's detail: after the
    ``<status> <reason> for <METHOD> <url>`` head of the message and its notes.

    The message `typedresp._status.status_error` wrote ends with ``": "`` and that detail
    (redacted, as every `APIError` message is); that ending is replaced whatever the head
    holds (a masked URL, a redirect's Location, why the body could not be read). Any
    other message is cut at the first ``": "`` after the URL. ``detail`` comes from the
    server: it is redacted too.
    """
    text = error.message
    written = redact(f": {error_detail(error.body)}")
    if text.endswith(written):
        head = text[: len(text) - len(written)]
    else:
        method = error.request.method if error.request is not None else ""
        start = text.find(f" for {method} ")
        # A URL holds no ": " (spaces are encoded): the first one after it ends the head.
        cut = text.find(": ", start + 1) if start >= 0 else -1
        head = text[:cut] if cut >= 0 else text
    detail = shortened(detail, _MESSAGE_LIMIT)
    error.message = redact(f"{head}: {detail}")
    error.args = (error.message,)
