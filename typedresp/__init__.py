"""typedresp: typed HTTP responses for Python, on httpx, attrs and cattrs.

The response layer (responses, `parse`, the registry, the errors) is imported with the
package. The client, wrappers, streams, binary responses and resources are imported the
first time one of their names is used (PEP 562), so a program that only parses responses
does not pay for them at start-up: ``from typedresp import Client`` works as always.
"""

import sys
from typing import TYPE_CHECKING, Final

from ._async_response import AsyncAPIResponse
from ._engine import configure_converter
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
from ._response import APIResponse, BaseAPIResponse, extract_response_type
from ._version import __version__

if TYPE_CHECKING:  # imported on first use: see _LAZY below
    from ._async_client import AsyncClient
    from ._binary import (
        AsyncBinaryAPIResponse,
        AsyncStreamedBinaryAPIResponse,
        BinaryAPIResponse,
        StreamedBinaryAPIResponse,
    )
    from ._client import Client
    from ._context import AsyncResponseContextManager, ResponseContextManager
    from ._page_rules import (
        CursorRule,
        LinkHeaderRule,
        NextPage,
        OffsetRule,
        PageNumberRule,
        PageRule,
    )
    from ._pagination import AsyncPage, AsyncPaginator, BasePage, PaginationError, SyncPage
    from ._resource import (
        AsyncAPIResource,
        AsyncRawResponseView,
        AsyncStreamingResponseView,
        RawResponseView,
        StreamingResponseView,
        SyncAPIResource,
        response_classes,
    )
    from ._retries import RetryPolicy
    from ._sse import JSONLinesDecoder, ServerSentEvent, SSEDecoder
    from ._streaming import AsyncStream, Stream
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
    "AsyncPage",
    "AsyncPaginator",
    "AsyncRawResponseView",
    "AsyncResponseContextManager",
    "AsyncStream",
    "AsyncStreamedBinaryAPIResponse",
    "AsyncStreamingResponseView",
    "AuthenticationError",
    "BadRequestError",
    "BaseAPIResponse",
    "BasePage",
    "BinaryAPIResponse",
    "Client",
    "ConflictError",
    "CursorRule",
    "InternalServerError",
    "JSONLinesDecoder",
    "LinkHeaderRule",
    "MissingStreamClassError",
    "NextPage",
    "NotFoundError",
    "OffsetRule",
    "PageNumberRule",
    "PageRule",
    "PaginationError",
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
    "SyncPage",
    "TypedRespError",
    "UnprocessableEntityError",
    "ValidationErrorItem",
    "__version__",
    "aparse",
    "async_to_custom_raw_response_wrapper",
    "async_to_custom_streamed_response_wrapper",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "configure_converter",
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

_LAZY: Final = {
    "AsyncClient": "_async_client",
    "AsyncBinaryAPIResponse": "_binary",
    "AsyncStreamedBinaryAPIResponse": "_binary",
    "BinaryAPIResponse": "_binary",
    "StreamedBinaryAPIResponse": "_binary",
    "Client": "_client",
    "AsyncResponseContextManager": "_context",
    "ResponseContextManager": "_context",
    "AsyncPage": "_pagination",
    "AsyncPaginator": "_pagination",
    "BasePage": "_pagination",
    "CursorRule": "_page_rules",
    "LinkHeaderRule": "_page_rules",
    "NextPage": "_page_rules",
    "OffsetRule": "_page_rules",
    "PageNumberRule": "_page_rules",
    "PageRule": "_page_rules",
    "PaginationError": "_pagination",
    "SyncPage": "_pagination",
    "AsyncAPIResource": "_resource",
    "AsyncRawResponseView": "_resource",
    "AsyncStreamingResponseView": "_resource",
    "RawResponseView": "_resource",
    "StreamingResponseView": "_resource",
    "SyncAPIResource": "_resource",
    "response_classes": "_resource",
    "RetryPolicy": "_retries",
    "JSONLinesDecoder": "_sse",
    "SSEDecoder": "_sse",
    "ServerSentEvent": "_sse",
    "AsyncStream": "_streaming",
    "Stream": "_streaming",
    "async_to_custom_raw_response_wrapper": "_wrappers",
    "async_to_custom_streamed_response_wrapper": "_wrappers",
    "async_to_raw_response_wrapper": "_wrappers",
    "async_to_streamed_response_wrapper": "_wrappers",
    "to_custom_raw_response_wrapper": "_wrappers",
    "to_custom_streamed_response_wrapper": "_wrappers",
    "to_raw_response_wrapper": "_wrappers",
    "to_streamed_response_wrapper": "_wrappers",
}
"""The public names imported on first use, and the module that defines each."""


def _import_lazily(name: str) -> object:
    """The public ``name`` from the module in `_LAZY`, imported now and kept in the package."""
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(
            f"module {__name__!r} has no attribute {name!r}", name=name, obj=sys.modules[__name__]
        )
    # Not importlib.import_module: `python -X importtime` would not show this import.
    module = __import__(f"{__name__}.{module_name}", fromlist=[name])
    value = getattr(module, name)
    globals()[name] = value  # found without this function from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if not TYPE_CHECKING:  # hidden from the checkers: they would accept any name through it
    __getattr__ = _import_lazily
