"""The parse comparison: which payloads, which contenders, and the equality check.

A :class:`Case` is one payload with the equivalent target type for every library. A
:class:`Contender` turns a case into a zero-argument callable that does the timed work,
bytes to typed object (or, for the floor, only part of it). Before anything is timed,
:func:`check_results` runs every checked contender once and asserts that its result,
reduced by :func:`to_plain`, equals pydantic's: same classes, same field values, same
Python types down to ``int`` versus ``float`` and enum versus ``str``. The openai SDK's
models follow its own conventions (more optional fields in its real ``ChatCompletion``,
enums as string ``Literal`` types), so they are compared on the fields both declare, an
enum equal to its value.

Contenders whose library is not installed (msgspec, openai) are left out, not failed.
To add a library, append a :class:`Contender`; to add a payload, append to :func:`cases`.
"""

import dataclasses
import datetime
import enum
import functools
import importlib.util
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import orjson
import pydantic

from tests import payload_models as models_attrs
from tests import payloads

from . import models_pydantic

__all__ = [
    "CONTENDERS",
    "FLOOR",
    "HEADLINE",
    "OPENAI_DEFAULT",
    "REFERENCE",
    "TRANSPORT",
    "Case",
    "Contender",
    "available",
    "cases",
    "check_results",
    "first_difference",
    "list_case",
    "target",
    "to_plain",
]

URL = "https://api.example.com/v1/resource"
JSON_HEADERS = {"content-type": "application/json"}


@dataclasses.dataclass(frozen=True)
class Case:
    """One payload and the equivalent target type for each library.

    ``shape`` names the type in the ``models_*`` modules of the libraries that are
    imported only when their contender runs (msgspec, openai): see :func:`target`.
    """

    name: str
    data: bytes
    attrs_type: Any
    pydantic_type: type[pydantic.BaseModel]
    shape: tuple[str, ...]


def target(case: Case, models: Any) -> Any:
    """The case's type in a ``models_*`` module: ``("Page", "Item")`` is ``Page[Item]``."""
    outer, *args = (getattr(models, name) for name in case.shape)
    return outer[args[0]] if args else outer


@dataclasses.dataclass(frozen=True)
class Contender:
    """A way to turn a case's bytes into objects.

    ``prepare(case)`` does the untimed setup (imports, building a registry or client,
    decoding for the structure-only contender) and returns the callable that is timed.
    ``checked`` is False for the floor, whose result is plain JSON, not typed objects;
    ``loose`` compares on the fields both sides declare, an enum equal to its value (for
    the openai SDK's models). ``requires`` names the modules it needs installed.
    """

    name: str
    prepare: Callable[[Case], Callable[[], object]]
    checked: bool = True
    loose: bool = False
    requires: tuple[str, ...] = ()


def available(contender: Contender) -> bool:
    """Whether every module the contender needs is installed."""
    return all(importlib.util.find_spec(module) is not None for module in contender.requires)


def cases() -> list[Case]:
    """The payloads of the parse comparison, generated afresh (deterministically)."""
    return [
        Case(
            name="chat_completion",
            data=payloads.chat_completion(),
            attrs_type=models_attrs.ChatCompletion,
            pydantic_type=models_pydantic.ChatCompletion,
            shape=("ChatCompletion",),
        ),
        Case(
            name="list_page_1000",
            data=payloads.list_page(1000),
            attrs_type=models_attrs.Page[models_attrs.Item],
            pydantic_type=models_pydantic.Page[models_pydantic.Item],
            shape=("Page", "Item"),
        ),
        Case(
            name="events_1000",
            data=payloads.event_page(1000),
            attrs_type=models_attrs.Page[models_attrs.Event],
            pydantic_type=models_pydantic.Page[models_pydantic.Event],
            shape=("Page", "Event"),
        ),
        Case(
            name="tree_depth_20",
            data=payloads.tree(20),
            attrs_type=models_attrs.TreeNode,
            pydantic_type=models_pydantic.TreeNode,
            shape=("TreeNode",),
        ),
    ]


def list_case(n_items: int) -> Case:
    """A ``list_page`` case of any size, for the scaling section."""
    return Case(
        name=f"list_page_{n_items}",
        data=payloads.list_page(n_items),
        attrs_type=models_attrs.Page[models_attrs.Item],
        pydantic_type=models_pydantic.Page[models_pydantic.Item],
        shape=("Page", "Item"),
    )


@functools.cache
def _registry() -> Any:
    # One registry for the whole run, as an SDK holds one; imported late so that the
    # pydantic side can be run and checked on its own.
    from typedresp import Registry

    return Registry()


def received(data: bytes) -> Any:
    """An `httpx.Response` as httpx's client hands it over: body read, response closed.

    Parsing does not change it (typedresp and pydantic only read ``content``), so one
    response serves every call, as a fresh one from the client would.
    """
    import httpx

    request = httpx.Request("GET", URL)
    return httpx.Response(200, content=data, headers=JSON_HEADERS, request=request)


def _typedresp_response(case: Case) -> Callable[[], object]:
    """The public API end to end: a received httpx response in, a typed object out."""
    from typedresp import APIResponse

    raw, cast_to = received(case.data), case.attrs_type
    return lambda: APIResponse(raw=raw, cast_to=cast_to).parse()


def _typedresp(case: Case) -> Callable[[], object]:
    registry = _registry()
    structure, loads, target, data = registry.structure, registry.loads, case.attrs_type, case.data
    return lambda: structure(loads(data), target)


def _typedresp_structure(case: Case) -> Callable[[], object]:
    registry = _registry()
    decoded = registry.loads(case.data)
    return functools.partial(registry.structure, decoded, case.attrs_type)


def _pydantic(case: Case) -> Callable[[], object]:
    return functools.partial(case.pydantic_type.model_validate_json, case.data)


def _transport(case: Case) -> Callable[[], object]:
    """What building the response costs httpx, whoever parses it: not part of any parse."""
    import httpx

    request = httpx.Request("GET", URL)
    data = case.data
    return lambda: httpx.Response(200, content=data, headers=JSON_HEADERS, request=request)


@functools.cache
def _openai_client(strict: bool) -> Any:
    import httpx2
    import openai

    return openai.OpenAI(
        api_key="sk-bench",
        base_url="https://api.example.com/v1",
        http_client=httpx2.Client(),
        _strict_response_validation=strict,
    )


def _openai(case: Case, *, strict: bool) -> Callable[[], object]:
    """The openai SDK's own path, ``APIResponse.parse()`` as its client calls it, on a
    received response (see :func:`received`).

    Not strict (the SDK's default): the body is decoded with ``json.loads`` and objects
    are built by ``construct_type`` without validation. Strict
    (``_strict_response_validation=True``): ``validate_type``, pydantic validation.
    """
    import httpx2
    from openai._models import FinalRequestOptions
    from openai._response import APIResponse

    from . import models_openai

    client = _openai_client(strict)
    options = FinalRequestOptions.construct(method="get", url="/resource")
    request = httpx2.Request("GET", URL)
    raw = httpx2.Response(200, content=case.data, headers=JSON_HEADERS, request=request)
    cast_to = target(case, models_openai)

    def parse() -> object:
        response = APIResponse(
            raw=raw, cast_to=cast_to, client=client, stream=False, stream_cls=None, options=options
        )
        return response.parse()

    return parse


def _msgspec(case: Case) -> Callable[[], object]:
    import msgspec

    from . import models_msgspec

    decoder = msgspec.json.Decoder(target(case, models_msgspec))
    return functools.partial(decoder.decode, case.data)


def _iso_datetime(value: Any, _: Any) -> datetime.datetime:
    # cattrs has no datetime hook of its own; this is the one every user writes.
    if isinstance(value, str) and value.endswith("Z"):
        value = value[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(value)


@functools.cache
def _cattrs_converter() -> Any:
    import cattrs

    converter = cattrs.Converter()
    converter.register_structure_hook(datetime.datetime, _iso_datetime)
    return converter


def _cattrs(case: Case) -> Callable[[], object]:
    structure, target, data = _cattrs_converter().structure, case.attrs_type, case.data
    return lambda: structure(orjson.loads(data), target)


def _orjson(case: Case) -> Callable[[], object]:
    return functools.partial(orjson.loads, case.data)


#: The contender every ratio is taken against.
REFERENCE = "pydantic"
#: The decoding floor: no library that decodes with orjson can be faster.
FLOOR = "orjson.loads"
#: typedresp's public API end to end, the figure the goals are about.
HEADLINE = "typedresp"
#: The openai SDK's default path, the other goal's reference.
OPENAI_DEFAULT = "openai default"
#: Building the httpx response: the transport's cost, the same whoever parses it.
TRANSPORT = "httpx.Response(...)"

CONTENDERS: list[Contender] = [
    Contender(HEADLINE, _typedresp_response),
    Contender("typedresp loads+structure", _typedresp),
    Contender("typedresp structure", _typedresp_structure),
    Contender(REFERENCE, _pydantic),
    Contender(
        OPENAI_DEFAULT,
        functools.partial(_openai, strict=False),
        loose=True,
        requires=("openai", "httpx2"),
    ),
    Contender(
        "openai strict",
        functools.partial(_openai, strict=True),
        loose=True,
        requires=("openai", "httpx2"),
    ),
    Contender("msgspec", _msgspec, requires=("msgspec",)),
    Contender("cattrs", _cattrs),
    Contender(FLOOR, _orjson, checked=False),
    Contender(TRANSPORT, _transport, checked=False),
]


def to_plain(value: Any, *, enums_as_values: bool = False) -> Any:
    """Reduce a parse result to plain, strictly comparable data.

    attrs instances, pydantic models and msgspec Structs become dicts of their fields plus
    the class name (generic parameters dropped, so ``Page`` and ``Page[Item]`` agree; a
    msgspec tag is added back as the field it is read from); every scalar is tagged with
    its exact type, so that ``1 != 1.0``, ``True != 1`` and ``Status.ACTIVE != "active"``
    here although Python says otherwise. ``enums_as_values`` reduces an enum to its value
    instead (to compare with models that declare a ``Literal``).
    """
    plain = functools.partial(to_plain, enums_as_values=enums_as_values)
    cls = type(value)
    if attrs.has(cls):
        fields = {f.name: plain(getattr(value, f.name)) for f in attrs.fields(cls)}
        return {"__class__": cls.__name__.partition("[")[0], **fields}
    if isinstance(value, pydantic.BaseModel):
        fields = {name: plain(getattr(value, name)) for name in cls.model_fields}
        return {"__class__": cls.__name__.partition("[")[0], **fields}
    struct_fields = getattr(cls, "__struct_fields__", None)
    if struct_fields is not None:  # a msgspec Struct
        fields = {name: plain(getattr(value, name)) for name in struct_fields}
        config = cls.__struct_config__
        if config.tag_field is not None:
            fields[config.tag_field] = ("str", config.tag)
        return {"__class__": cls.__name__.partition("[")[0], **fields}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return ("tuple", [plain(v) for v in value])
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, enum.Enum):
        if enums_as_values:
            return plain(value.value)
        return (f"enum {cls.__name__}", value.value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return (cls.__name__, value.isoformat())
    if enums_as_values and isinstance(value, str):
        return ("str", str(value))
    return (cls.__name__, value)


def first_difference(a: Any, b: Any, path: str = "$", *, subset: bool = False) -> str | None:
    """The path of the first place where two plain values differ, or None if equal.

    With ``subset``, ``a`` may have fields ``b`` has not, and class names are not compared:
    ``b``'s fields must be in ``a`` with equal values.
    """
    if isinstance(a, dict) and isinstance(b, dict):
        keys = b.keys() if subset else a.keys() | b.keys()
        for key in keys:
            if subset and key == "__class__":
                continue
            if key not in a or key not in b:
                return f"{path}.{key} (missing on one side)"
            found = first_difference(a[key], b[key], f"{path}.{key}", subset=subset)
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path} (lengths {len(a)} != {len(b)})"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]", subset=subset)
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def check_results(case: Case, contenders: Sequence[Contender] = CONTENDERS) -> None:
    """Run each checked contender once on ``case``; assert all agree with pydantic.

    Raises AssertionError naming the contender and the first differing path. Contenders
    whose library is not installed are skipped.
    """
    reference = _pydantic(case)()
    expected = to_plain(reference)
    expected_loose = to_plain(reference, enums_as_values=True)
    for contender in contenders:
        if not contender.checked or contender.name == REFERENCE or not available(contender):
            continue
        result = contender.prepare(case)()
        if contender.loose:
            got = to_plain(result, enums_as_values=True)
            difference = first_difference(got, expected_loose, subset=True)
        else:
            difference = first_difference(to_plain(result), expected)
        if difference is not None:
            raise AssertionError(
                f"{case.name}: {contender.name} disagrees with {REFERENCE} at {difference}"
            )
