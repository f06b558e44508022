"""Cold start: import, model definitions and the first parse, in a fresh process.

Part of ``python -m benchmarks`` (section ``coldstart``). Each run starts a new
interpreter that reads the chat completion payload, then times three steps with
``time.perf_counter``: importing the library (``import``), defining the models
(``models``: importing the ``models_*`` module; pydantic builds its validators here)
and the first parse of the payload through the library's usual entry point (``first
parse``: typedresp plans and compiles its structure functions here). Interpreter start-up
itself is not counted: it is the same for everyone and no library can change it.

Runs go round the contenders in a shuffled order, ``runs`` times; a contender's figures
are the medians of its runs (so the parts need not add up to the total exactly). Python's
bytecode caches are warm, as on any second start of a deployed program: the children
write theirs to a temporary ``PYTHONPYCACHEPREFIX`` (also when ``PYTHONDONTWRITEBYTECODE``
is set, as it is on some development machines, where every start would otherwise compile
typedresp from source), and an untimed first run of each contender fills it.

``typedresp, httpx loaded`` is the case of an application that already imported httpx
(every typedresp user has it: it is how they make requests) before its first API call.

``library`` is the library's own share, the cold-start goal's figure: importing it,
compiling the target and the first parse. typedresp and cattrs compile during the first
parse, and their models are attrs classes, which attrs builds the same with or without
them: their ``models`` step is left out. pydantic, msgspec and the openai SDK build their
validators or decoders as the models are defined: their ``models`` step counts.
"""

from __future__ import annotations

import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests import payloads

__all__ = ["ATTRS_MODELS", "CONTENDERS", "run"]

_URL = "https://api.example.com/v1/chat/completions"

#: name -> (preloaded before the clock, import, models, first parse)
CONTENDERS: dict[str, tuple[str, str, str, str]] = {
    "typedresp": (
        "",
        "import httpx\nfrom typedresp import APIResponse",
        "from tests.payload_models import ChatCompletion",
        "raw = httpx.Response(200, content=data, headers={'content-type': 'application/json'},"
        f" request=httpx.Request('GET', {_URL!r}))\n"
        "result = APIResponse(raw=raw, cast_to=ChatCompletion).parse()",
    ),
    "typedresp, httpx loaded": (
        "import httpx",
        "from typedresp import APIResponse",
        "from tests.payload_models import ChatCompletion",
        "raw = httpx.Response(200, content=data, headers={'content-type': 'application/json'},"
        f" request=httpx.Request('GET', {_URL!r}))\n"
        "result = APIResponse(raw=raw, cast_to=ChatCompletion).parse()",
    ),
    "pydantic": (
        "",
        "import pydantic",
        "from benchmarks.models_pydantic import ChatCompletion",
        "result = ChatCompletion.model_validate_json(data)",
    ),
    "openai default": (
        "",
        "import httpx2, openai\n"
        "from openai._models import FinalRequestOptions\n"
        "from openai._response import APIResponse",
        "from openai.types.chat import ChatCompletion",
        "client = openai.OpenAI(api_key='sk-bench', http_client=httpx2.Client())\n"
        "raw = httpx2.Response(200, content=data, headers={'content-type': 'application/json'},"
        f" request=httpx2.Request('GET', {_URL!r}))\n"
        "result = APIResponse(raw=raw, cast_to=ChatCompletion, client=client, stream=False,"
        " stream_cls=None, options=FinalRequestOptions.construct(method='get', url='/x')).parse()",
    ),
    "msgspec": (
        "",
        "import msgspec",
        "from benchmarks.models_msgspec import ChatCompletion",
        "result = msgspec.json.decode(data, type=ChatCompletion)",
    ),
    "cattrs": (
        "",
        "import cattrs, orjson",
        "from tests.payload_models import ChatCompletion",
        "result = cattrs.Converter().structure(orjson.loads(data), ChatCompletion)",
    ),
}

#: Contenders whose models are attrs classes: defining them is attrs's work, not theirs.
ATTRS_MODELS = frozenset({"typedresp", "typedresp, httpx loaded", "cattrs"})

#: name -> the modules it needs installed
_REQUIRES = {"openai default": ("openai", "httpx2"), "msgspec": ("msgspec",)}

_SCRIPT = """\
import sys, time
data = open(sys.argv[1], "rb").read()
{preload}
t0 = time.perf_counter()
{imports}
t1 = time.perf_counter()
{models}
t2 = time.perf_counter()
{parse}
t3 = time.perf_counter()
assert type(result).__name__ == "ChatCompletion", type(result)
print((t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3)
"""


def script(name: str) -> str:
    """The program one cold-start run of ``name`` executes."""
    preload, imports, models, parse = CONTENDERS[name]
    return _SCRIPT.format(preload=preload, imports=imports, models=models, parse=parse)


def _once(name: str, payload: Path, root: Path, env: dict[str, str]) -> tuple[float, float, float]:
    done = subprocess.run(
        [sys.executable, "-c", script(name), str(payload)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"cold start of {name} failed:\n{done.stderr}")
    imports, models, parse = map(float, done.stdout.split())
    return imports, models, parse


def run(*, runs: int = 11, names: list[str] | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """``runs`` fresh processes per contender, interleaved; one row per contender.

    Contenders whose library is not installed are left out.
    """
    if names is None:
        names = [
            name
            for name in CONTENDERS
            if all(importlib.util.find_spec(m) is not None for m in _REQUIRES.get(name, ()))
        ]
    root = Path(__file__).resolve().parent.parent
    rng = random.Random(seed)
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as directory:
        payload = Path(directory) / "chat_completion.json"
        payload.write_bytes(payloads.chat_completion())
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(directory) / "pycache")
        for name in names:  # a first, untimed run of each fills the bytecode cache
            _once(name, payload, root, env)
        for _ in range(runs):
            order = list(names)
            rng.shuffle(order)
            for name in order:
                samples[name].append(_once(name, payload, root, env))
    rows = []
    for name in names:
        totals = [sum(s) for s in samples[name]]
        rows.append(
            {
                "contender": name,
                "runs": runs,
                "total_ms": statistics.median(totals),
                "min_ms": min(totals),
                "max_ms": max(totals),
                "import_ms": statistics.median(s[0] for s in samples[name]),
                "models_ms": statistics.median(s[1] for s in samples[name]),
                "first_parse_ms": statistics.median(s[2] for s in samples[name]),
                "library_ms": statistics.median(
                    sum(s) - (s[1] if name in ATTRS_MODELS else 0.0) for s in samples[name]
                ),
                "samples_ms": samples[name],
            }
        )
    return rows
