"""typedresp: typed HTTP responses for Python, on httpx, attrs and cattrs."""

from ._async_client import AsyncClient
from ._binary import (
    AsyncBinaryAPIResponse,
    AsyncStreamedBinaryAPIResponse,
    BinaryAPIResponse,
    StreamedBinaryAPIResponse,
)
from ._client import Client
from ._context import AsyncResponseContextManager, ResponseContextManager
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MissingStreamClassError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLarge,
    ResponseValidationError,
    StreamAlreadyConsumed,
    StreamError,
    TypedRespError,
    UnprocessableEntityError,
    ValidationErrorItem,
)
from ._introspection import extract_type_arg, extract_type_var_from_base
from ._parse import aparse, parse
from ._registry import (
    Registry,
    default_registry,
    register_structure_hook,
    register_structure_hook_factory,
)
from ._resource import (
    AsyncAPIResource,
    AsyncRawResponseView,
    AsyncStreamingResponseView,
    RawResponseView,
    StreamingResponseView,
    SyncAPIResource,
    response_classes,
)
from ._response import APIResponse, AsyncAPIResponse, BaseAPIResponse, extract_response_type
from ._retries import RetryPolicy
from ._sse import JSONLinesDecoder, ServerSentEvent, SSEDecoder
from ._streaming import AsyncStream, Stream
from ._version import __version__
from ._wrappers import (
    async_to_custom_raw_response_wrapper,
    async_to_custom_streamed_response_wrapper,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_custom_raw_response_wrapper,
    to_custom_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIResource",
    "AsyncAPIResponse",
    "AsyncBinaryAPIResponse",
    "AsyncClient",
    "AsyncRawResponseView",
    "AsyncResponseContextManager",
    "AsyncStream",
    "AsyncStreamedBinaryAPIResponse",
    "AsyncStreamingResponseView",
    "AuthenticationError",
    "BadRequestError",
    "BaseAPIResponse",
    "BinaryAPIResponse",
    "Client",
    "ConflictError",
    "InternalServerError",
    "JSONLinesDecoder",
    "MissingStreamClassError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponseView",
    "Registry",
    "ResponseContextManager",
    "ResponseTooLarge",
    "ResponseValidationError",
    "RetryPolicy",
    "SSEDecoder",
    "ServerSentEvent",
    "Stream",
    "StreamAlreadyConsumed",
    "StreamError",
    "StreamedBinaryAPIResponse",
    "StreamingResponseView",
    "SyncAPIResource",
    "TypedRespError",
    "UnprocessableEntityError",
    "ValidationErrorItem",
    "__version__",
    "aparse",
    "async_to_custom_raw_response_wrapper",
    "async_to_custom_streamed_response_wrapper",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "default_registry",
    "extract_response_type",
    "extract_type_arg",
    "extract_type_var_from_base",
    "parse",
    "register_structure_hook",
    "register_structure_hook_factory",
    "response_classes",
    "to_custom_raw_response_wrapper",
    "to_custom_streamed_response_wrapper",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]
