"""openai SDK models of the benchmark payloads, written as the SDK writes its own.

The chat completion is the SDK's real ``openai.types.chat.ChatCompletion``. The other
payloads get ``openai.BaseModel`` subclasses in the SDK's generated style: enums as string
``Literal`` types, the union of events annotated with ``PropertyInfo(discriminator=...)``.
``parse.check_results`` compares them with the other libraries on the fields they share,
an enum equal to its value.
"""

from datetime import datetime
from typing import Annotated, Generic, Literal, Optional, TypeVar, Union

from openai import BaseModel
from openai._utils import PropertyInfo
from openai.types.chat import ChatCompletion

__all__ = [
    "ChatCompletion",
    "Event",
    "Item",
    "Owner",
    "Page",
    "StatusEvent",
    "TextEvent",
    "ToolCallEvent",
    "TreeNode",
    "UsageEvent",
]

T = TypeVar("T")

_Status = Literal["active", "pending", "archived", "failed"]


# -- a paginated list of items ---------------------------------------------------------


class Owner(BaseModel):
    id: str
    name: str
    email: Optional[str] = None


class Item(BaseModel):
    id: str
    object: Literal["item"]
    created_at: datetime
    name: str
    status: _Status
    priority: int
    score: float
    is_public: bool
    owner: Owner
    tags: list[str]
    updated_at: Optional[datetime] = None
    description: Optional[str] = None


class Page(BaseModel, Generic[T]):
    object: Literal["list"]
    data: list[T]
    has_more: bool
    first_id: Optional[str] = None
    last_id: Optional[str] = None


# -- a discriminated union of events ---------------------------------------------------


class TextEvent(BaseModel):
    type: Literal["text"]
    id: str
    sequence: int
    text: str


class ToolCallEvent(BaseModel):
    type: Literal["tool_call"]
    id: str
    sequence: int
    name: str
    arguments: str


class UsageEvent(BaseModel):
    type: Literal["usage"]
    id: str
    sequence: int
    input_tokens: int
    output_tokens: int


class StatusEvent(BaseModel):
    type: Literal["status"]
    id: str
    sequence: int
    status: _Status
    reason: Optional[str] = None


Event = Annotated[
    Union[TextEvent, ToolCallEvent, UsageEvent, StatusEvent], PropertyInfo(discriminator="type")
]


# -- a recursive tree ------------------------------------------------------------------


class TreeNode(BaseModel):
    id: int
    name: str
    weight: float
    children: list["TreeNode"]
    label: Optional[str] = None
