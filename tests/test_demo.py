"""``python -m typedresp.demo`` runs, exits 0 and shows every capability; the example SDK
works against the same local server."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from typedresp.demo import run, serve

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "petstore_sdk.py"


def test_the_demo_runs_as_a_module_and_shows_every_step() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}  # the demo must not need a UTF-8 terminal
    done = subprocess.run(
        [sys.executable, "-m", "typedresp.demo"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout
    assert re.search(r"local server at http://127\.0\.0\.1:\d+/v1\n", out)
    # 1. a typed object
    assert "-> Pet(id=1, name='Rex', species=<Species.DOG: 'dog'>" in out
    # 2. a paginated list, every page
    assert "client.pets.list(limit=3) -> <SyncPage of 3 items>, has_next_page()=True" in out
    assert "every page, one after the other: Rex, Tom, Polly, Nibbles, Luna" in out
    # 3. a raw response with headers and request id
    assert "-> <APIResponse [200 OK] type=Pet>" in out
    assert re.search(r"request id req_\d+, x-ratelimit-remaining 41, parse\(\) -> Tom", out)
    # 4. the typed events, in order; the code shown is the code run
    assert "   with client.pets.activity(1) as events:\n       for event in events:\n" in out
    events = re.findall(r"\+\d+\.\d\ds (\w+)\(type='(\w+)'", out)
    assert events == [("Woke", "woke"), ("Ate", "ate"), ("Napped", "napped"), ("Ate", "ate")]
    # 5. the download with its progress bar
    progress = [int(done) for done in re.findall(r"\n   \[[#.]+\] (\d+)/262144 bytes", out)]
    assert 1 <= len(progress) <= 4  # one line per quarter when not on a terminal
    assert progress == sorted(progress)
    assert progress[-1] == 262144
    assert re.search(r"saved 262144 bytes to .*rex\.png", out)
    # 6. the validation error names the path
    assert "$.vaccinations[1].given_on: expected ISO-8601 date, got 'soon'" in out
    # 7. the retried 503
    assert re.search(r"Retrying POST http://127\.0\.0\.1:\d+/v1/pets/1/adopt in 0\.200 s", out)
    assert "503 Service Unavailable" in out
    assert '   adopted = client.pets.with_raw_response.adopt(1, adopter="Ada")\n' in out
    assert "   adopted.parse() -> Adoption(" in out
    assert "adopted.retries_taken=1; the server saw 2 attempts with the same Idempotency-Key" in out
    assert out.rstrip().endswith("All seven steps worked.")


def test_the_demo_redraws_its_progress_bar_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    assert run(out, event_delay=0, photo_delay=0, retry_after_ms=1) == 0
    text = out.getvalue()
    bars = re.findall(r"([\s\S])   \[[#.]+\] (\d+)/262144 bytes", text)
    assert bars
    assert all(before == "\r" for before, _ in bars)  # drawn over the line, in place
    assert bars[-1][1] == "262144"


def load_example() -> ModuleType:
    """examples/petstore_sdk.py as a module (kept in sys.modules: its type hints need it)."""
    name = "examples_petstore_sdk"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, EXAMPLE)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_the_example_sdk_works_against_the_demo_server(
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = load_example()
    with serve(event_delay=0, photo_delay=0, retry_after_ms=1) as url:
        example.main(url)
    out = capsys.readouterr().out
    assert "all pets: Rex, Tom, Polly, Nibbles, Luna" in out
    assert re.search(r"request id: req_\d+ -> Tom", out)
    assert len(re.findall(r"^activity: ", out, re.MULTILINE)) == 4
    assert "photo: 262144 bytes" in out
    assert "not found: 404 {'error': {'type': 'not_found', 'message': 'no pet with id 404'}}" in out
    assert "error model: PetstoreError(error=ErrorDetail(type='not_found', message='no pet" in out
    assert "first page: 2 pets; more: True" in out
    assert "async activity: woke, ate, napped, ate" in out


def test_the_example_sdk_retries_with_one_idempotency_key() -> None:
    example = load_example()
    with (
        serve(event_delay=0, photo_delay=0, retry_after_ms=1) as url,
        httpx.Client(trust_env=False) as http_client,
        example.Petstore(api_key="k", base_url=url, http_client=http_client) as client,
    ):
        adoption = client.pets.adopt(1, adopter="Ada")
    assert adoption.attempts == 2
    assert adoption.adopter == "Ada"
