"""The response layer: `APIResponse` (and `AsyncAPIResponse`, its twin in
`typedresp._async_response`) wrap an `httpx.Response`.

They give the body as bytes, text, JSON or a typed object (``parse(to=T)``), cache what
was parsed per type, and close the response when the body has been parsed or when
anything goes wrong, so no connection is left checked out of the pool.

Names and behaviour follow the response layer of the OpenAI Python SDK, with these
differences:

* every target goes through the `Registry`: bare ``dict`` / ``list``, unions, ``Literal``,
  enums and scalars are checked, never returned unchecked;
* a non-JSON body for a structured target raises `ResponseValidationError` carrying the
  text as ``.body``, instead of returning the text silently;
* the response is closed after an error too;
* ``max_body_bytes`` stops reading a body as soon as it grows past the limit;
* a connection that breaks while the body is read, or a body that cannot be decompressed
  (a corrupt ``Content-Encoding``), raises `APIConnectionError` (`APITimeoutError` for a
  timeout), so one ``except TypedRespError`` catches it.
"""

from __future__ import annotations

import codecs
import datetime
from collections.abc import (
    Callable,
    Generator,
    Iterator,
    Sequence,
)
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, TypeVar, overload

import httpx

from . import _json
from ._body import (
    LineSplitter,
    TextChunker,
    body_text,
    is_encoded,
    is_json_media_type,
    is_read,
    iter_body,
    json_bytes,
    quoted_media_type,
    response_content_type,
    text_codec,
)
from ._engine import structure_hook
from ._exceptions import (
    REQUEST_ID_HEADERS,
    APIConnectionError,
    APITimeoutError,
    MissingStreamClassError,
    ResponseTooLarge,
    ResponseValidationError,
    StreamAlreadyConsumed,
    ValidationErrorItem,
    about_response,
    request_id_of,
    request_of,
)
from ._http_errors import map_httpx_errors
from ._introspection import class_of, describe, extract_type_var_from_base, unwrap
from ._planner import Hook
from ._registry import default_registry
from ._targets import TargetKind, stream_element, target_kind

if TYPE_CHECKING:
    from cattrs import BaseConverter

    # PEP 747: lets `parse(to=list[User] | None)` be typed exactly. Imported for the
    # checkers only, so typing_extensions < 4.13 still works at run time.
    from typing_extensions import TypeForm

__all__ = ["APIResponse", "BaseAPIResponse", "extract_response_type"]

R = TypeVar("R")
_T = TypeVar("_T")

NOT_PARSED: Final = object()
"""Marks a target not parsed yet (None is a result like any other)."""

_ALREADY_CONSUMED = (
    "The body was already streamed (by iter_bytes, iter_text, iter_lines or a stream), so it "
    "cannot be read again. Call read() before streaming if you need both."
)


class BaseAPIResponse(Generic[R]):
    """What `APIResponse` and `AsyncAPIResponse` share: the constructor and properties.

    ``cast_to`` is what ``parse()`` gives by default; ``registry=None`` means
    `typedresp.default_registry`. With ``stream=True`` the body is an event stream and
    ``parse()`` gives a stream object (``stream_cls``, e.g. ``Stream[Chunk]``).
    ``post_parser`` is applied to what ``parse()`` gives for ``cast_to`` only.
    ``max_body_bytes`` limits the body (counted after decompression): past it,
    `ResponseTooLarge` is raised and the response closed. ``request_id_headers`` names
    the headers `request_id` reads (default: the class's `request_id_headers`).
    """

    __slots__ = (
        "__weakref__",
        "_cast_to",
        "_first_parsed",
        "_first_target",
        "_max_body_bytes",
        "_parsed_by_type",
        "_post_parser",
        "_registry",
        "_request_id_headers",
        "_stream",
        "_stream_cls",
        "http_response",
        "retries_taken",
    )

    http_response: httpx.Response
    """The underlying `httpx.Response`."""

    retries_taken: int
    """How many times the request was retried before this response (0 if never)."""

    request_id_headers: ClassVar[Sequence[str]] = REQUEST_ID_HEADERS
    """The headers `request_id` reads, first found first; a subclass may name its API's
    (``("x-github-request-id",)``), a client's ``request_id_headers`` win over them."""

    _typedresp_response_: ClassVar[bool] = True
    """Marks a response class: `target_kind` refuses it as a parse target."""

    _body_stream_type: ClassVar[type] = object
    _wrong_body_hint: ClassVar[str] = ""

    @overload
    def __init__(
        self,
        *,
        raw: httpx.Response,
        cast_to: type[R],
        registry: BaseConverter | None = None,
        stream: bool = False,
        stream_cls: Any = None,
        post_parser: Callable[[Any], Any] | None = None,
        retries_taken: int = 0,
        max_body_bytes: int | None = None,
        request_id_headers: Sequence[str] | None = None,
    ) -> None: ...
    @overload
    def __init__(
        self,
        *,
        raw: httpx.Response,
        cast_to: TypeForm[R],
        registry: BaseConverter | None = None,
        stream: bool = False,
        stream_cls: Any = None,
        post_parser: Callable[[Any], Any] | None = None,
        retries_taken: int = 0,
        max_body_bytes: int | None = None,
        request_id_headers: Sequence[str] | None = None,
    ) -> None: ...
    def __init__(
        self,
        *,
        raw: httpx.Response,
        cast_to: Any,
        registry: BaseConverter | None = None,
        stream: bool = False,
        stream_cls: Any = None,
        post_parser: Callable[[Any], Any] | None = None,
        retries_taken: int = 0,
        max_body_bytes: int | None = None,
        request_id_headers: Sequence[str] | None = None,
    ) -> None:
        if not isinstance(raw.stream, self._body_stream_type) and not is_read(raw):
            raise TypeError(
                f"{type(self).__name__} cannot read the body of this httpx.Response: "
                + self._wrong_body_hint
            )
        if max_body_bytes is not None and max_body_bytes < 0:
            raise ValueError(f"max_body_bytes must be None or >= 0, got {max_body_bytes}")
        self.http_response = raw
        self.retries_taken = retries_taken
        self._cast_to = cast_to
        self._registry = default_registry if registry is None else registry
        self._stream = stream
        self._stream_cls = stream_cls
        self._post_parser = post_parser
        self._max_body_bytes = max_body_bytes
        self._request_id_headers = (
            self.request_id_headers if request_id_headers is None else tuple(request_id_headers)
        )
        # What parse() gave: the first target's in two slots (most responses are parsed
        # once, and this costs no dict and no hash of the target), others in a dict.
        self._first_target: Any = NOT_PARSED
        self._first_parsed: Any = None
        self._parsed_by_type: dict[Any, Any] | None = None

    # ------------------------------------------------------------------ properties

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def http_request(self) -> httpx.Request:
        """The `httpx.Request` this response answers."""
        return self.http_response.request

    @property
    def status_code(self) -> int:
        """The HTTP status code, e.g. ``200``."""
        return self.http_response.status_code

    @property
    def url(self) -> httpx.URL:
        """The URL the request was sent to."""
        return self.http_response.url

    @property
    def method(self) -> str:
        """The request method, e.g. ``"GET"``."""
        return self.http_request.method

    @property
    def http_version(self) -> str:
        """The HTTP version, e.g. ``"HTTP/1.1"``."""
        return self.http_response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        """The time from sending the request to closing the response (as in httpx)."""
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        """Whether the response is closed (its connection returned to the pool or shut).

        If False, read the body or call ``close()`` before dropping the response.
        """
        return self.http_response.is_closed

    @property
    def request_id(self) -> str | None:
        """The ``x-request-id`` header (else ``request-id``; see `request_id_headers`), or
        None: quote it to support."""
        return request_id_of(self.http_response, self._request_id_headers)

    def __repr__(self) -> str:
        response = self.http_response
        return (
            f"<{type(self).__name__} [{response.status_code} {response.reason_phrase}] "
            f"type={describe(self._cast_to)}>"
        )

    # -------------------------------------------------------------- parse, shared

    def _cached(self, key: Any) -> Any:
        """What parse() gave for ``key`` before, or NOT_PARSED."""
        first = self._first_target
        if key is first or (first is not NOT_PARSED and key == first):
            return self._first_parsed
        if self._parsed_by_type is None:
            return NOT_PARSED
        try:
            return self._parsed_by_type.get(key, NOT_PARSED)
        except TypeError:  # an unhashable type form (Annotated with a dict) is not cached
            return NOT_PARSED

    def _remember(self, key: Any, parsed: Any) -> Any:
        if self._post_parser is not None and (key is self._cast_to or key == self._cast_to):
            parsed = self._post_parser(parsed)
        if self._first_target is NOT_PARSED:
            self._first_target, self._first_parsed = key, parsed
            return parsed
        if self._parsed_by_type is None:
            self._parsed_by_type = {}
        try:  # noqa: SIM105 - contextlib.suppress costs more per parse
            self._parsed_by_type[key] = parsed
        except TypeError:  # unhashable type forms are not cached
            pass
        return parsed

    def _make_stream(self, key: Any) -> Any:
        """Build the stream object for a streamed body (the body itself is not read)."""
        if target_kind(key) is TargetKind.STREAM:
            stream_cls, element = key, stream_element(key)
        elif key != self._cast_to:
            name = describe(key)
            raise TypeError(
                f"This response is a stream: parse(to=...) takes a stream class such as "
                f"Stream[{name}], not {name}. read(), text() and iter_bytes() give the raw body."
            )
        elif self._stream_cls is not None:
            stream_cls = self._stream_cls
            element = stream_element(stream_cls, default=self._cast_to)
        else:
            raise MissingStreamClassError()
        return class_of(unwrap(stream_cls))(
            cast_to=element, response=self.http_response, registry=self._registry
        )

    def _parse_body(self, target: Any, kind: str, content: bytes, hook: Hook | None) -> Any:
        """Turn the body, already read as ``content``, into ``target`` (with ``hook``)."""
        response = self.http_response
        if hook is not None:
            value = self._decode_json(kind, target, content)
            try:
                return hook(value, target)
            except ResponseValidationError as err:
                about_response(err, response)
                raise
        if kind is TargetKind.NONE:
            return None
        if kind is TargetKind.TEXT:
            return body_text(response)
        if kind is TargetKind.BYTES:
            return content
        return response  # TargetKind.RESPONSE

    def _decode_json(self, kind: str, target: Any, content: bytes) -> Any:
        """The decoded JSON body, following the media-type rules."""
        response = self.http_response
        media_type, charset = response_content_type(response)
        # A plain-text "42" or "true" is what an API means by an int, float or bool body.
        declared_non_json = (
            media_type is not None
            and media_type != "application/json"
            and not is_json_media_type(media_type)
        )
        if declared_non_json and kind is not TargetKind.TEXT_SCALAR:
            raise ResponseValidationError(
                [
                    ValidationErrorItem(
                        "$",
                        f"expected a JSON body, got content-type {quoted_media_type(media_type)}",
                    )
                ],
                body=body_text(response),
                response=response,
                target=target,
            )
        try:
            return _json.loads(json_bytes(response, content, charset))
        except ResponseValidationError as err:
            about_response(err, response, body=body_text(response), target=target)
            raise

    def _decode_any_json(self, content: bytes) -> Any:
        _, charset = response_content_type(self.http_response)
        try:
            return _json.loads(json_bytes(self.http_response, content, charset))
        except ResponseValidationError as err:
            about_response(err, self.http_response, body=body_text(self.http_response))
            raise

    def _check_size(self, size: int) -> None:
        limit = self._max_body_bytes
        if limit is not None and size > limit:
            raise ResponseTooLarge(
                f"The response body is larger than max_body_bytes={limit} "
                f"({size} bytes read so far).",
                limit=limit,
                response=self.http_response,
            )

    def _content_if_read(self) -> bytes | None:
        try:
            return self.http_response.content
        except httpx.ResponseNotRead:
            return None

    def _text_encoding(self) -> str:
        charset = response_content_type(self.http_response)[1]
        if charset is not None:  # httpx would take a codec that is no text encoding too
            return text_codec(charset) or "utf-8"
        encoding = self.http_response.encoding or "utf-8"
        try:
            codecs.lookup(encoding)
        except LookupError:
            return "utf-8"
        return encoding

    def _translate(self, exc: Exception) -> Exception | None:
        return read_error(exc, self.http_response, "body")


class APIResponse(BaseAPIResponse[R]):
    """A response whose body you can read, stream, or parse into a typed object.

    For example::

        response = APIResponse(raw=httpx_response, cast_to=list[User])
        users = response.parse()              # list[User], checked
        user = response.parse(to=User)        # another target; cached per type
        response.request_id, response.status_code
    """

    __slots__ = ()

    _body_stream_type: ClassVar[type] = httpx.SyncByteStream
    _wrong_body_hint: ClassVar[str] = (
        "it came from httpx.AsyncClient: use AsyncAPIResponse, or typedresp.aparse()"
    )

    @overload
    def parse(self, *, to: None = None) -> R: ...
    @overload
    def parse(self, *, to: type[_T]) -> _T: ...
    @overload
    def parse(self, *, to: TypeForm[_T]) -> _T: ...
    @overload
    def parse(self, *, to: Any) -> Any: ...
    def parse(self, *, to: Any = None) -> Any:
        """The body as a typed object: ``cast_to`` by default, or ``to`` when given.

        For example::

            page = response.parse(to=Page[User])

        Targets: attrs classes (generic ones too), dataclasses, ``list``/``dict``/unions/
        ``Literal``/enums/scalars and anything a registry hook handles, checked against
        the JSON body; ``str`` (the text), ``bytes`` (the content), ``None``, ``object`` /
        ``Any`` (the decoded JSON), ``httpx.Response`` (the response itself), and a stream
        class such as ``Stream[Chunk]`` (the body is then not read; with ``stream=True``,
        ``parse()`` gives the ``stream_cls``). The result is cached per target type. A body
        that does not match raises `ResponseValidationError` with ``.response`` and
        ``.body``. The response is closed afterwards, unless a stream was returned.
        """
        key = self._cast_to if to is None else to
        if self._first_target is not NOT_PARSED:  # parsed before: perhaps to this target
            parsed = self._cached(key)
            if parsed is not NOT_PARSED:
                return parsed
        try:
            kind = target_kind(key, self._registry)
            if self._stream or kind is TargetKind.STREAM:
                return self._remember(key, self._make_stream(key))
            # Fetched before the body is read: a target that cannot be built is a
            # TypeError then, with the body left unread.
            hook = (
                structure_hook(self._registry, key)
                if kind is TargetKind.JSON or kind is TargetKind.TEXT_SCALAR
                else None
            )
            content = self.read()
            parsed = self._remember(key, self._parse_body(key, kind, content, hook))
        except BaseException:
            self.close()
            raise
        self.close()
        return parsed

    def read(self) -> bytes:
        """Read the whole body and return it (decompressed); later calls return it again."""
        content = self._content_if_read()
        if content is not None:
            if self._max_body_bytes is None:
                return content
            try:
                self._check_size(len(content))
            except ResponseTooLarge:
                self.close()
                raise
            return content
        if self._max_body_bytes is None and not is_encoded(self.http_response):
            try:
                with map_httpx_errors(self._translate):
                    return self.http_response.read()
            except BaseException:
                self.close()
                raise
        content = b"".join(self.iter_bytes())
        # httpx keeps a read body in `_content`; Response.read() would stream it again.
        self.http_response._content = content  # pyright: ignore[reportPrivateUsage]
        return content

    def text(self) -> str:
        """Read the body and decode it as text (charset from Content-Type, else UTF-8)."""
        self.read()
        return body_text(self.http_response)

    def json(self) -> Any:
        """Read the body and decode it as JSON, whatever the Content-Type says.

        Bad JSON raises `ResponseValidationError` (path ``$``) with the text as ``.body``.
        """
        return self._decode_any_json(self.read())

    def close(self) -> None:
        """Close the response and release its connection; safe to call more than once."""
        self.http_response.close()

    def iter_bytes(self, chunk_size: int | None = None) -> Generator[bytes, None, None]:
        """The body as it arrives, decompressed, in chunks of ``chunk_size`` bytes if given.

        For example::

            for chunk in response.iter_bytes(65536):
                sink.write(chunk)
        """
        seen = 0
        completed = False
        try:
            with map_httpx_errors(self._translate):
                for chunk in iter_body(self.http_response, chunk_size):
                    seen += len(chunk)
                    self._check_size(seen)
                    yield chunk
            completed = True
        finally:
            if not completed:
                self.close()

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        """The body as text as it arrives (charset from Content-Type, else UTF-8)."""
        decoder = codecs.getincrementaldecoder(self._text_encoding())(errors="replace")
        chunker = TextChunker(chunk_size)
        for chunk in self.iter_bytes():
            yield from chunker.feed(decoder.decode(chunk))
        yield from chunker.feed(decoder.decode(b"", final=True))
        yield from chunker.flush()

    def iter_lines(self) -> Iterator[str]:
        """The body as text, one line at a time (without line endings), as in httpx."""
        splitter = LineSplitter()
        for text in self.iter_text():
            yield from splitter.feed(text)
        yield from splitter.flush()


# ----------------------------------------------------------------- entry points


def extract_response_type(typ: Any) -> Any:
    """The ``R`` of an `APIResponse` / `AsyncAPIResponse` type: ``APIResponse[User]`` → User.

    Also for concrete subclasses at any depth (``class MyResponse(APIResponse[bytes])``),
    through mixins and reordered type variables. An unparametrised class raises
    `TypeError`.
    """
    return extract_type_var_from_base(
        typ,
        generic_bases=(BaseAPIResponse, APIResponse),
        index=0,
        failure_message=(
            f"Cannot tell the response type of {describe(typ)}: pass a parametrised "
            "response class, e.g. APIResponse[User], or a subclass of one."
        ),
    )


# ----------------------------------------------------------------------- helpers


def read_error(exc: BaseException, response: httpx.Response, what: str) -> Exception | None:
    """The typedresp error for an httpx error raised while ``what`` (the body, the stream)
    was read from ``response``; None for anything else, to be raised as it is."""
    request = request_of(response)
    if isinstance(exc, httpx.StreamError):
        return StreamAlreadyConsumed(f"{_ALREADY_CONSUMED} ({type(exc).__name__}: {exc})")
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Timed out while reading the {what}: {exc}", request=request)
    if isinstance(exc, httpx.DecodingError):
        encoding = response.headers.get("content-encoding", "")
        return APIConnectionError(
            f"The {what} could not be decoded (Content-Encoding: {encoding}): {exc}",
            request=request,
        )
    if isinstance(exc, httpx.HTTPError):
        return APIConnectionError(
            f"The connection broke while reading the {what}: {exc}", request=request
        )
    return None
