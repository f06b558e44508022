"""``python -m typedresp.demo``: typedresp at work, against a pet-store API on 127.0.0.1.

It starts a small local server (standard library only, nothing to install beyond
typedresp), defines a tiny SDK with typedresp (`typedresp.demo.sdk`: models, a resource, a
client) and shows a typed object, a paginated list, a raw response with its headers and
request id, a typed SSE stream printed as it arrives, a binary download with a progress
bar, a validation error with its path and a retried 503.
"""

from __future__ import annotations

from .server import serve
from .tour import main, run

__all__ = ["main", "run", "serve"]
