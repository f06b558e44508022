"""attrs models of the benchmark payloads, as an SDK built on typedresp declares them.

They live with the tests (``test_benchmark_payloads``), which import nothing from
``benchmarks``; the benchmarks import them from here. ``benchmarks/models_pydantic.py``
declares the same shapes for pydantic: same class and field names, same types, same
defaults. ``benchmarks/parse.py``'s ``to_plain`` checks that both give equal results.
Classes are ``@attrs.define`` (slotted, mutable), the counterpart of a default pydantic
``BaseModel``.
"""

import enum
from datetime import datetime
from typing import Generic, Literal, Optional, TypeVar, Union

import attrs

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


@attrs.define
class Function:
    name: str
    arguments: str


@attrs.define
class ToolCall:
    id: str
    type: Literal["function"]
    function: Function


@attrs.define
class ChatCompletionMessage:
    role: Literal["assistant"]
    content: Optional[str] = None
    refusal: Optional[str] = None
    tool_calls: Optional[list[ToolCall]] = None


@attrs.define
class TokenLogprob:
    token: str
    logprob: float
    bytes: Optional[list[int]] = None


@attrs.define
class ChoiceLogprobs:
    content: Optional[list[TokenLogprob]] = None
    refusal: Optional[list[TokenLogprob]] = None


@attrs.define
class Choice:
    index: int
    message: ChatCompletionMessage
    finish_reason: Literal["stop", "length", "tool_calls", "content_filter", "function_call"]
    logprobs: Optional[ChoiceLogprobs] = None


@attrs.define
class PromptTokensDetails:
    cached_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None


@attrs.define
class CompletionTokensDetails:
    reasoning_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None
    accepted_prediction_tokens: Optional[int] = None
    rejected_prediction_tokens: Optional[int] = None


@attrs.define
class CompletionUsage:
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    prompt_tokens_details: Optional[PromptTokensDetails] = None
    completion_tokens_details: Optional[CompletionTokensDetails] = None


@attrs.define
class ChatCompletion:
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


@attrs.define
class Owner:
    id: str
    name: str
    email: Optional[str] = None


@attrs.define
class Item:
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


@attrs.define
class Page(Generic[T]):
    object: Literal["list"]
    data: list[T]
    has_more: bool
    first_id: Optional[str] = None
    last_id: Optional[str] = None


# -- a discriminated union of events ---------------------------------------------------


@attrs.define
class TextEvent:
    type: Literal["text"]
    id: str
    sequence: int
    text: str


@attrs.define
class ToolCallEvent:
    type: Literal["tool_call"]
    id: str
    sequence: int
    name: str
    arguments: str


@attrs.define
class UsageEvent:
    type: Literal["usage"]
    id: str
    sequence: int
    input_tokens: int
    output_tokens: int


@attrs.define
class StatusEvent:
    type: Literal["status"]
    id: str
    sequence: int
    status: Status
    reason: Optional[str] = None


Event = Union[TextEvent, ToolCallEvent, UsageEvent, StatusEvent]


# -- a recursive tree ------------------------------------------------------------------


@attrs.define
class TreeNode:
    id: int
    name: str
    weight: float
    children: list["TreeNode"]
    label: Optional[str] = None


# The string annotation made concrete, as attrs advises for a class that refers to itself
# (cattrs needs it; typedresp resolves it either way).
attrs.resolve_types(TreeNode)
