"""The tour ``python -m typedresp.demo`` prints: one section per capability."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any, TextIO

import httpx

from typedresp import ResponseValidationError

from .sdk import Petstore
from .server import PHOTO_SIZE, serve

__all__ = ["main", "run"]

_BAR_WIDTH = 32


def main() -> int:
    """Run the tour against a local server; 0 when every step worked."""
    return run(sys.stdout)


def run(
    out: TextIO, *, event_delay: float = 0.15, photo_delay: float = 0.02, retry_after_ms: int = 200
) -> int:
    """Print the tour to ``out``."""

    def say(text: str = "", end: str = "\n") -> None:
        out.write(text + end)
        out.flush()

    with serve(
        event_delay=event_delay, photo_delay=photo_delay, retry_after_ms=retry_after_ms
    ) as base_url:
        say(f"typedresp demo: a tiny pet-store SDK talking to a local server at {base_url}")
        # The demo talks to its own server on 127.0.0.1 only: ignore proxy settings.
        # A client passed in stays open when the SDK client closes: close it here too.
        with (
            httpx.Client(trust_env=False) as http_client,
            Petstore(base_url, http_client=http_client) as client,
        ):
            _tour(client, say, out)
        say()
        say("All seven steps worked.")
    return 0


def _tour(client: Petstore, say: Callable[..., None], out: TextIO) -> None:
    say()
    say("1. A typed object")
    say("   client.pets.retrieve(1)")
    pet = client.pets.retrieve(1)
    say(f"   -> {pet!r}")
    say(f"   pet.born is a {type(pet.born).__name__}, pet.species is {pet.species}")

    say()
    say("2. A paginated list")
    page = client.pets.list(limit=3)
    say(f"   client.pets.list(limit=3) -> {page!r}, has_next_page()={page.has_next_page()}")
    say("   for pet in client.pets.list(limit=3): ...   # the next page when the loop needs it")
    names = [pet.name for pet in client.pets.list(limit=3)]
    say(f"   every page, one after the other: {', '.join(names)}")

    say()
    say("3. A raw response: headers and request id")
    say("   client.pets.with_raw_response.retrieve(2)")
    response = client.pets.with_raw_response.retrieve(2)
    say(f"   -> {response!r}")
    say(f"   request id {response.request_id}, "
        f"x-ratelimit-remaining {response.headers['x-ratelimit-remaining']}, "
        f"parse() -> {response.parse().name}")  # fmt: skip

    say()
    say("4. A typed SSE stream, printed as it arrives")
    say("   with client.pets.activity(1) as events:")
    say("       for event in events:")
    started = time.monotonic()
    with client.pets.activity(1) as events:
        for event in events:
            say(f"   +{time.monotonic() - started:.2f}s {event!r}")

    say()
    say("5. A binary download to a temporary file")
    say("   with client.pets.with_streaming_response.photo(1) as download:")
    say("       download.stream_to_file(path, progress=bar)")
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "rex.png")
        with client.pets.with_streaming_response.photo(1) as download:
            download.stream_to_file(path, progress=_progress_bar(out))
        size = os.path.getsize(path)
        if size != PHOTO_SIZE:
            raise RuntimeError(f"downloaded {size} bytes, expected {PHOTO_SIZE}")
        say(f"   saved {size} bytes to {path}")

    say()
    say("6. A validation error, with its path")
    say("   client.pets.retrieve(13)   # the server's record of pet 13 is corrupted")
    try:
        client.pets.retrieve(13)
    except ResponseValidationError as error:
        say(f"   -> {type(error).__name__}: " + str(error).replace("\n", "\n      "))
    else:
        raise RuntimeError("pet 13 should not have parsed")

    say()
    say("7. A retried 503")
    say("   # the shelter answers 503 the first time")
    say('   adopted = client.pets.with_raw_response.adopt(1, adopter="Ada")')
    handler = _PrintRetries(say)
    logger = logging.getLogger("typedresp")
    logger.addHandler(handler)
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        adopted = client.pets.with_raw_response.adopt(1, adopter="Ada")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
    adoption = adopted.parse()
    say(f"   adopted.parse() -> {adoption!r}")
    say(f"   adopted.retries_taken={adopted.retries_taken}; "
        f"the server saw {adoption.attempts} attempts with the same Idempotency-Key")  # fmt: skip


class _PrintRetries(logging.Handler):
    def __init__(self, say: Callable[..., None]) -> None:
        super().__init__(logging.INFO)
        self._say = say

    def emit(self, record: logging.LogRecord) -> None:
        self._say(f"   {record.getMessage()}")


def _progress_bar(out: TextIO) -> Callable[[int, Any], None]:
    """A progress bar: redrawn in place on a terminal, one line per quarter otherwise."""
    interactive = out.isatty()
    shown: set[int] = set()

    def draw(done: int, total: int | None) -> None:
        total = total or PHOTO_SIZE
        filled = _BAR_WIDTH * done // total
        line = f"   [{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {done}/{total} bytes"
        if interactive:
            out.write("\r" + line + ("\n" if done >= total else ""))
            out.flush()
            return
        quarter = 4 * done // total
        if quarter not in shown and (quarter > 0):
            shown.add(quarter)
            out.write(line + "\n")
            out.flush()

    return draw
