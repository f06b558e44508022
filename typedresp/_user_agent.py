"""The ``User-Agent`` a client sends: who is calling, for the API's logs and support.

>>> user_agent()                            # doctest: +ELLIPSIS
'typedresp/... httpx/... python/3...'
>>> user_agent("petstore-python/1.2.0")     # doctest: +ELLIPSIS
'petstore-python/1.2.0 typedresp/... httpx/... python/3...'

An SDK names itself in front, as above.
"""

from __future__ import annotations

import sys

import httpx

from ._version import __version__

__all__ = ["user_agent"]


def user_agent(product: str | None = None) -> str:
    """typedresp's, httpx's and Python's names and versions, after ``product`` if given."""
    python = ".".join(str(part) for part in sys.version_info[:3])
    own = f"typedresp/{__version__} httpx/{httpx.__version__} python/{python}"
    return own if not product else f"{product} {own}"
