"""typedresp in one screen: typed objects from JSON, and errors that say where.

Run it with ``python examples/quickstart.py`` after ``pip install -e .``.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Generic, Literal, Optional, TypeVar

import attrs

import typedresp

T = TypeVar("T")


class Role(enum.Enum):
    ADMIN = "admin"
    MEMBER = "member"


@attrs.define
class User:
    id: int
    name: str
    role: Role
    created_at: datetime
    email: Optional[str] = None


@attrs.define
class Page(Generic[T]):
    object: Literal["list"]
    data: list[T]
    has_more: bool = False


BODY = b"""{"object": "list", "has_more": false, "data": [
  {"id": 1, "name": "Ada", "role": "admin", "created_at": "2024-05-01T09:00:00Z"},
  {"id": 2, "name": "Bo", "role": "member", "created_at": 1714554000, "email": "bo@example.org"}
]}"""

BROKEN = b"""{"object": "list", "data": [
  {"id": 1, "name": "Ada", "role": "admin", "created_at": "2024-05-01T09:00:00Z"},
  {"id": "2", "name": "Bo", "role": "owner", "created_at": "yesterday"}
]}"""


def main() -> None:
    registry = typedresp.default_registry
    page = registry.parse_json(BODY, Page[User])
    for user in page.data:
        print(
            f"{user.id}: {user.name} ({user.role.name}) since {user.created_at:%Y-%m-%d %H:%M %Z}"
        )

    try:
        registry.parse_json(BROKEN, Page[User])
    except typedresp.ResponseValidationError as error:
        print(error)

    tolerant = typedresp.Registry(strict=False)
    newer = tolerant.structure("owner", Role)
    print(f"tolerant mode keeps a role this SDK does not know yet: {newer!r}")


if __name__ == "__main__":
    main()
