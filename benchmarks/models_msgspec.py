"""msgspec Structs of the benchmark payloads, the same shapes as ``tests/payload_models.py``.

msgspec decodes JSON bytes straight into Structs, checking types as it goes: the practical
limit for bytes to typed objects in Python. The union of events is declared the msgspec
way, as tagged Structs (``tag_field="type"``): the tag is not a field of the Struct, and
``parse.to_plain`` adds it back for the comparison.
"""

import enum
from datetime import datetime
from typing import Generic, Literal, Optional, TypeVar, Union

import msgspec

__all__ = [
    "ChatCompletion",
    "ChatCompletionMessage",
    "Choice",
    "ChoiceLogprobs",
    "CompletionTokensDetails",
    "CompletionUsage",
    "Event",
    "Function",
    "Item",
    "Owner",
    "Page",
    "PromptTokensDetails",
    "Status",
    "StatusEvent",
    "TextEvent",
    "TokenLogprob",
    "ToolCall",
    "ToolCallEvent",
    "TreeNode",
    "UsageEvent",
]

T = TypeVar("T")


# -- chat completion (the OpenAI shape) ------------------------------------------------


class Function(msgspec.Struct):
    name: str
    arguments: str


class ToolCall(msgspec.Struct):
    id: str
    type: Literal["function"]
    function: Function


class ChatCompletionMessage(msgspec.Struct):
    role: Literal["assistant"]
    content: Optional[str] = None
    refusal: Optional[str] = None
    tool_calls: Optional[list[ToolCall]] = None


class TokenLogprob(msgspec.Struct):
    token: str
    logprob: float
    bytes: Optional[list[int]] = None


class ChoiceLogprobs(msgspec.Struct):
    content: Optional[list[TokenLogprob]] = None
    refusal: Optional[list[TokenLogprob]] = None


class Choice(msgspec.Struct):
    index: int
    message: ChatCompletionMessage
    finish_reason: Literal["stop", "length", "tool_calls", "content_filter", "function_call"]
    logprobs: Optional[ChoiceLogprobs] = None


class PromptTokensDetails(msgspec.Struct):
    cached_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None


class CompletionTokensDetails(msgspec.Struct):
    reasoning_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None
    accepted_prediction_tokens: Optional[int] = None
    rejected_prediction_tokens: Optional[int] = None


class CompletionUsage(msgspec.Struct):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    prompt_tokens_details: Optional[PromptTokensDetails] = None
    completion_tokens_details: Optional[CompletionTokensDetails] = None


class ChatCompletion(msgspec.Struct):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[Choice]
    usage: Optional[CompletionUsage] = None
    service_tier: Optional[Literal["auto", "default", "flex", "scale", "priority"]] = None
    system_fingerprint: Optional[str] = None


# -- a paginated list of items ---------------------------------------------------------


class Status(str, enum.Enum):
    ACTIVE = "active"
    PENDING = "pending"
    ARCHIVED = "archived"
    FAILED = "failed"


class Owner(msgspec.Struct):
    id: str
    name: str
    email: Optional[str] = None


class Item(msgspec.Struct):
    id: str
    object: Literal["item"]
    created_at: datetime
    name: str
    status: Status
    priority: int
    score: float
    is_public: bool
    owner: Owner
    tags: list[str]
    updated_at: Optional[datetime] = None
    description: Optional[str] = None


class Page(msgspec.Struct, Generic[T]):
    object: Literal["list"]
    data: list[T]
    has_more: bool
    first_id: Optional[str] = None
    last_id: Optional[str] = None


# -- a discriminated union of events ---------------------------------------------------


class TextEvent(msgspec.Struct, tag_field="type", tag="text"):
    id: str
    sequence: int
    text: str


class ToolCallEvent(msgspec.Struct, tag_field="type", tag="tool_call"):
    id: str
    sequence: int
    name: str
    arguments: str


class UsageEvent(msgspec.Struct, tag_field="type", tag="usage"):
    id: str
    sequence: int
    input_tokens: int
    output_tokens: int


class StatusEvent(msgspec.Struct, tag_field="type", tag="status"):
    id: str
    sequence: int
    status: Status
    reason: Optional[str] = None


Event = Union[TextEvent, ToolCallEvent, UsageEvent, StatusEvent]


# -- a recursive tree ------------------------------------------------------------------


class TreeNode(msgspec.Struct):
    id: int
    name: str
    weight: float
    children: list["TreeNode"]
    label: Optional[str] = None
