"""Classes whose annotations quote a name inside a builtin generic (``list["Node"]``).

Deliberately without ``from __future__ import annotations``: Python 3.10's
``get_type_hints`` leaves such a nested string unevaluated, 3.11 and later do not.
"""

from typing import Literal, Optional

import attrs


@attrs.define
class Node:
    name: str
    children: list["Node"]
    index: dict[str, "Node"]
    parent: Optional[list["Node"]] = None
    kind: Literal["Node", "leaf"] = "leaf"
