"""typedresp: typed HTTP responses for Python, on httpx, attrs and cattrs."""

from ._binary import (
    AsyncBinaryAPIResponse,
    AsyncStreamedBinaryAPIResponse,
    BinaryAPIResponse,
    StreamedBinaryAPIResponse,
)
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
from ._response import APIResponse, AsyncAPIResponse, BaseAPIResponse, extract_response_type
from ._sse import JSONLinesDecoder, ServerSentEvent, SSEDecoder
from ._streaming import AsyncStream, Stream
from ._version import __version__

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIResponse",
    "AsyncBinaryAPIResponse",
    "AsyncResponseContextManager",
    "AsyncStream",
    "AsyncStreamedBinaryAPIResponse",
    "AuthenticationError",
    "BadRequestError",
    "BaseAPIResponse",
    "BinaryAPIResponse",
    "ConflictError",
    "InternalServerError",
    "JSONLinesDecoder",
    "MissingStreamClassError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Registry",
    "ResponseContextManager",
    "ResponseTooLarge",
    "ResponseValidationError",
    "SSEDecoder",
    "ServerSentEvent",
    "Stream",
    "StreamAlreadyConsumed",
    "StreamError",
    "StreamedBinaryAPIResponse",
    "TypedRespError",
    "UnprocessableEntityError",
    "ValidationErrorItem",
    "__version__",
    "aparse",
    "default_registry",
    "extract_response_type",
    "extract_type_arg",
    "extract_type_var_from_base",
    "parse",
    "register_structure_hook",
    "register_structure_hook_factory",
]
