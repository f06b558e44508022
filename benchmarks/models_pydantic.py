"""pydantic v2 models of the benchmark payloads, the same shapes as ``tests/payload_models.py``.

Same class and field names, types and defaults; default ``BaseModel`` configuration (what
pydantic users write), so extra keys are ignored as they are by typedresp.
"""

import enum
from datetime import datetime
from typing import Annotated, Generic, Literal, Optional, TypeVar, Union

from pydantic import BaseModel, Field

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


class Function(BaseModel):
    name: str
    arguments: str


class ToolCall(BaseModel):
    id: str
    type: Literal["function"]
    function: Function


class ChatCompletionMessage(BaseModel):
    role: Literal["assistant"]
    content: Optional[str] = None
    refusal: Optional[str] = None
    tool_calls: Optional[list[ToolCall]] = None


class TokenLogprob(BaseModel):
    token: str
    logprob: float
    bytes: Optional[list[int]] = None


class ChoiceLogprobs(BaseModel):
    content: Optional[list[TokenLogprob]] = None
    refusal: Optional[list[TokenLogprob]] = None


class Choice(BaseModel):
    index: int
    message: ChatCompletionMessage
    finish_reason: Literal["stop", "length", "tool_calls", "content_filter", "function_call"]
    logprobs: Optional[ChoiceLogprobs] = None


class PromptTokensDetails(BaseModel):
    cached_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None


class CompletionTokensDetails(BaseModel):
    reasoning_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None
    accepted_prediction_tokens: Optional[int] = None
    rejected_prediction_tokens: Optional[int] = None


class CompletionUsage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    prompt_tokens_details: Optional[PromptTokensDetails] = None
    completion_tokens_details: Optional[CompletionTokensDetails] = None


class ChatCompletion(BaseModel):
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


class Owner(BaseModel):
    id: str
    name: str
    email: Optional[str] = None


class Item(BaseModel):
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
    status: Status
    reason: Optional[str] = None


# The discriminator is named, as pydantic's documentation recommends: its fastest union.
Event = Annotated[
    Union[TextEvent, ToolCallEvent, UsageEvent, StatusEvent], Field(discriminator="type")
]


# -- a recursive tree ------------------------------------------------------------------


class TreeNode(BaseModel):
    id: int
    name: str
    weight: float
    children: list["TreeNode"]
    label: Optional[str] = None
