"""Secrets kept out of what typedresp writes: messages, reprs, log lines.

`redact` masks the userinfo of every URL in a text and the value of every secret-looking
query parameter; `is_credential_header` says which request headers carry a credential
(dropped on a redirect to another origin, masked in reprs).

>>> redact("GET https://me:pw@api.example.com/v1?api_key=abc&limit=5")
'GET https://***@api.example.com/v1?api_key=***&limit=5'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Final

__all__ = ["CREDENTIAL_HEADERS", "MASK", "RedactedHeaders", "is_credential_header", "redact"]

MASK: Final = "***"

CREDENTIAL_HEADERS: Final = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"}
)
"""Headers that carry a credential whatever the API (lower-cased)."""

_USERINFO: Final = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s?#@'\"<>]*@")
# A query parameter named like a secret: the name alone or as the last word of a longer
# one (``client_secret``, ``X-Amz-Signature``); its value up to the next separator. A
# colon ending the value (before a space or the end) is the message's, as in
# ``for GET <url>: <detail>``, and is kept.
_SECRET_QUERY: Final = re.compile(
    r"(?i)([?&;](?:[\w.-]*[_.-])?"
    r"(?:api_?key|key|token|secret|password|passwd|sig|signature|credential)=)"
    r"(?:[^&;#\s'\"<>:]|:(?=[^&;#\s'\"<>]))*"
)


def redact(text: str) -> str:
    """``text`` with URL userinfo and secret-looking query values replaced by ``***``.

    The names masked are ``api_key``, ``key``, ``token``, ``access_token``, ``secret``,
    ``password`` and ``sig``, alone or ending a longer name (``client_secret``). Applied to
    every message, repr and log line typedresp writes that may quote a URL.
    """
    if "@" in text:
        text = _USERINFO.sub(rf"\1{MASK}@", text)
    if "=" in text:
        text = _SECRET_QUERY.sub(rf"\1{MASK}", text)
    return text


def is_credential_header(name: str, extra: Collection[str] = ()) -> bool:
    """Whether the header ``name`` carries a credential: one of `CREDENTIAL_HEADERS`, or
    one of ``extra`` (lower-cased names an SDK adds)."""
    lowered = name.lower()
    return lowered in CREDENTIAL_HEADERS or lowered in extra


class RedactedHeaders(dict[str, str]):
    """A client's default headers: a plain ``dict`` whose repr masks credential values.

    ``sensitive`` names more credential headers (lower-cased) than `CREDENTIAL_HEADERS`.
    """

    __slots__ = ("sensitive",)

    def __init__(
        self,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        *,
        sensitive: Collection[str] = (),
    ) -> None:
        super().__init__(headers)
        self.sensitive = frozenset(name.lower() for name in sensitive)

    def __repr__(self) -> str:
        shown = {
            name: MASK if is_credential_header(name, self.sensitive) else value
            for name, value in self.items()
        }
        return repr(shown)
