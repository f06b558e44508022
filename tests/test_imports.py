"""``import typedresp`` loads the response layer only; the client, streaming, binary and
resource layers load on first use, and every public name still resolves.

Each check runs in a fresh interpreter: in this one, other tests have imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import typedresp

ROOT = Path(__file__).resolve().parent.parent

LAZY_MODULES = [
    "typedresp._async_client",
    "typedresp._base_client",
    "typedresp._binary",
    "typedresp._client",
    "typedresp._context",
    "typedresp._controls",
    "typedresp._error_bodies",
    "typedresp._page_rules",
    "typedresp._pagination",
    "typedresp._resource",
    "typedresp._retries",
    "typedresp._sse",
    "typedresp._streaming",
    "typedresp._user_agent",
    "typedresp._verbs",
    "typedresp._wrappers",
    "typedresp.testing",
]
"""What a program that only parses responses does not need."""

UNNEEDED_STDLIB = ["decimal", "secrets"]
"""Imported where they are used: a program with a `Decimal` field has imported decimal."""


def run_fresh(code: str) -> Any:
    """Run ``code`` in a new interpreter (httpx imported first, as every user has it) and
    return the JSON it printed last."""
    done = subprocess.run(
        [sys.executable, "-c", "import httpx, json, sys\n" + textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def fresh_import() -> dict[str, Any]:
    """What a plain ``import typedresp`` loads and shows, then what every name resolves to."""
    facts: dict[str, Any] = run_fresh(
        """
        before = set(sys.modules)
        import typedresp
        loaded = sorted(set(sys.modules) - before)
        defined_at_import = sorted(vars(typedresp))
        listed = dir(typedresp)
        resolved = {name: type(getattr(typedresp, name)).__name__ for name in typedresp.__all__}
        from typedresp import AsyncStream, Client
        print(json.dumps({
            "loaded": loaded,
            "defined_at_import": defined_at_import,
            "dir": listed,
            "resolved": resolved,
            "client_is_the_class": Client is sys.modules["typedresp._client"].Client,
            "stream_is_the_class": AsyncStream is typedresp._streaming.AsyncStream,
        }))
        """
    )
    return facts


def test_importing_typedresp_leaves_the_client_and_streaming_layers_unloaded(
    fresh_import: dict[str, Any],
) -> None:
    assert set(LAZY_MODULES) & set(fresh_import["loaded"]) == set()
    assert "typedresp._response" in fresh_import["loaded"]  # the check itself works


def test_importing_typedresp_imports_no_stdlib_module_it_does_not_need(
    fresh_import: dict[str, Any],
) -> None:
    assert set(UNNEEDED_STDLIB) & set(fresh_import["loaded"]) == set()


def test_importing_typedresp_does_not_import_anyio(fresh_import: dict[str, Any]) -> None:
    assert [name for name in fresh_import["loaded"] if name.split(".")[0] == "anyio"] == []


def test_the_lazy_names_are_not_defined_until_used(fresh_import: dict[str, Any]) -> None:
    lazy = {"Client", "AsyncClient", "Stream", "BinaryAPIResponse", "RetryPolicy", "SyncPage"}
    assert lazy.isdisjoint(fresh_import["defined_at_import"])


def test_every_public_name_resolves_in_a_fresh_process(fresh_import: dict[str, Any]) -> None:
    resolved = fresh_import["resolved"]
    assert sorted(resolved) == sorted(typedresp.__all__)
    assert "NoneType" not in resolved.values()
    assert resolved["Client"] == "type"
    assert resolved["to_raw_response_wrapper"] == "function"
    assert fresh_import["client_is_the_class"]
    assert fresh_import["stream_is_the_class"]


def test_dir_lists_every_public_name_before_it_is_used(fresh_import: dict[str, Any]) -> None:
    assert set(typedresp.__all__) <= set(fresh_import["dir"])
    assert fresh_import["dir"] == sorted(fresh_import["dir"])


def test_every_public_name_is_the_object_its_module_defines() -> None:
    for name in typedresp.__all__:
        value = getattr(typedresp, name)
        if name != "__version__":
            assert getattr(sys.modules[value.__module__], name) is value, name


def test_an_unknown_name_raises_the_usual_attribute_error() -> None:
    with pytest.raises(AttributeError, match=r"^module 'typedresp' has no attribute 'Clinet'$"):
        typedresp.Clinet  # type: ignore[attr-defined]
    with pytest.raises(ImportError, match="cannot import name 'Clinet' from 'typedresp'"):
        from typedresp import Clinet  # type: ignore[attr-defined]  # noqa: F401


def test_a_stream_class_and_a_decimal_parse_in_a_fresh_process() -> None:
    """`APIResponse` does not import the stream module: the class given to ``parse(to=...)``
    is enough. A `Decimal` target works without typedresp importing decimal first."""
    result = run_fresh(
        """
        preloaded = set(sys.modules)  # httpx imports decimal itself when rich is installed
        import typedresp
        streaming_loaded_before = "typedresp._streaming" in sys.modules
        raw = httpx.Response(
            200,
            content=b'data: {"n": 1}\\n\\ndata: {"n": 2}\\n\\ndata: [DONE]\\n\\n',
            headers={"content-type": "text/event-stream"},
            request=httpx.Request("GET", "https://api.example.com/events"),
        )
        events = [e["n"] for e in typedresp.APIResponse(raw=raw, cast_to=object).parse(
            to=typedresp.Stream[dict]
        )]
        decimal_loaded_before = "decimal" in set(sys.modules) - preloaded
        import decimal
        amount = typedresp.Registry().structure("12.50", decimal.Decimal)
        print(json.dumps({
            "streaming_loaded_before": streaming_loaded_before,
            "events": events,
            "decimal_loaded_before": decimal_loaded_before,
            "amount": [type(amount).__name__, str(amount)],
        }))
        """
    )
    assert result == {
        "streaming_loaded_before": False,
        "events": [1, 2],
        "decimal_loaded_before": False,
        "amount": ["Decimal", "12.50"],
    }
