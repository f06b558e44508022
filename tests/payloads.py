"""Deterministic benchmark payloads: JSON bytes shaped like real API responses.

Every generator takes a ``seed`` and builds its document with :class:`random.Random`, so
the same call gives the same bytes on every machine and no payload file is committed.
The documents are encoded compactly with the standard library (UTF-8, a few non-ASCII
words included), as a server would send them.

- :func:`chat_completion`: an OpenAI-style chat completion, about 2 KB.
- :func:`list_page`: a paginated list page (``{"object": "list", "data": [...]}``), about
  300 bytes an item, so about 300 KB for the default 1000 items; ``n_items`` scales it.
- :func:`event_page`: a list page of 1000 events of four kinds told apart by their
  ``type`` (a discriminated union), about 100 KB.
- :func:`tree`: a recursive tree 20 levels deep, about 15 KB.

The benchmarks (``benchmarks/parse.py``) time them; they live with the tests, which check
that typedresp parses each on its fast path, and which import nothing from ``benchmarks``.
A new payload goes here as one more generator, with its models in ``payload_models`` and
in every ``benchmarks/models_*`` module, and one entry in ``benchmarks/parse.py``'s
``cases()``.
"""

from __future__ import annotations

import json
import random
import string
from datetime import datetime, timezone
from typing import Any

__all__ = ["chat_completion", "encode", "event_page", "list_page", "tree"]

# Words for generated text: mostly ASCII, a few not, as real API text is.
_TEXT = (
    "the api returns a typed object for every response so that callers never touch raw "
    "dictionaries again while streaming events arrive one by one and each is checked "
    "against its model before it reaches user code with clear errors naming the path "
    "that failed café naïve über résumé straße 東京 ✓"
)
_WORDS = _TEXT.split()
_FIRST_NAMES = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken")
_LAST_NAMES = ("Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson")
_STATUSES = ("active", "pending", "archived", "failed")
_ALPHANUMERIC = string.ascii_letters + string.digits
# 2024-05-01T00:00:00Z: the timestamps of every payload fall in the month after it.
_EPOCH = 1714521600


def encode(document: Any) -> bytes:
    """Encode a document as compact UTF-8 JSON, the way the payloads are sent."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _token(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(_ALPHANUMERIC, k=length))


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(_WORDS, k=count))


def _timestamp(rng: random.Random) -> int:
    return _EPOCH + rng.randrange(30 * 86400)


def _iso(timestamp: int) -> str:
    """``2024-05-01T12:34:56Z``: ISO 8601 in UTC, as most JSON APIs write it."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _message(rng: random.Random, content_words: int) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": _words(rng, content_words),
        "refusal": None,
        "tool_calls": None,
    }


def _tool_call(rng: random.Random) -> dict[str, Any]:
    arguments = {"location": _words(rng, 2), "unit": rng.choice(["celsius", "fahrenheit"])}
    return {
        "id": "call_" + _token(rng, 24),
        "type": "function",
        "function": {"name": "get_current_weather", "arguments": json.dumps(arguments)},
    }


def chat_completion(seed: int = 0) -> bytes:
    """An OpenAI-style ``chat.completion`` object with three choices, about 2 KB.

    The choices cover the shapes a client meets: a text answer (``stop``), a message with
    two tool calls and no content (``tool_calls``), and a truncated answer (``length``).
    """
    rng = random.Random(seed)
    prompt_tokens = rng.randrange(50, 500)
    completion_tokens = rng.randrange(100, 400)
    document = {
        "id": "chatcmpl-" + _token(rng, 29),
        "object": "chat.completion",
        "created": _timestamp(rng),
        "model": "gpt-4o-2024-08-06",
        "choices": [
            {
                "index": 0,
                "message": _message(rng, 110),
                "logprobs": None,
                "finish_reason": "stop",
            },
            {
                "index": 1,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "refusal": None,
                    "tool_calls": [_tool_call(rng), _tool_call(rng)],
                },
                "logprobs": None,
                "finish_reason": "tool_calls",
            },
            {
                "index": 2,
                "message": _message(rng, 60),
                "logprobs": None,
                "finish_reason": "length",
            },
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": "fp_" + _token(rng, 10).lower(),
    }
    return encode(document)


def _item(rng: random.Random) -> dict[str, Any]:
    created = _timestamp(rng)
    first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    return {
        "id": "item_" + _token(rng, 16),
        "object": "item",
        "created_at": _iso(created),
        "updated_at": _iso(created + rng.randrange(86400)) if rng.random() < 0.7 else None,
        "name": _words(rng, 2),
        "description": _words(rng, rng.randint(2, 6)) if rng.random() < 0.6 else None,
        "status": rng.choice(_STATUSES),
        "priority": rng.randint(0, 5),
        "score": round(rng.uniform(0, 100), 4),
        "is_public": rng.random() < 0.5,
        "owner": {
            "id": "user_" + _token(rng, 8),
            "name": f"{first} {last}",
            "email": f"{first}.{last}@example.com".lower() if rng.random() < 0.8 else None,
        },
        "tags": rng.sample(_WORDS, rng.randint(0, 3)),
    }


def list_page(n_items: int = 1000, seed: int = 0) -> bytes:
    """A page of a paginated list endpoint: ``n_items`` items of about 300 bytes each.

    Each item has strings, ints, a float, a bool, optional fields (some null), ISO-8601
    datetimes, a string enum, a ``Literal`` tag, a nested object and a list of strings.
    """
    rng = random.Random(seed)
    items = [_item(rng) for _ in range(n_items)]
    document = {
        "object": "list",
        "data": items,
        "has_more": True,
        "first_id": items[0]["id"] if items else None,
        "last_id": items[-1]["id"] if items else None,
    }
    return encode(document)


_EVENT_KINDS = ("text", "tool_call", "usage", "status")
_TOOL_NAMES = ("search", "get_current_weather", "read_file", "run_query")


def _event(rng: random.Random, sequence: int) -> dict[str, Any]:
    kind = rng.choice(_EVENT_KINDS)
    head = {"type": kind, "id": "evt_" + _token(rng, 12), "sequence": sequence}
    if kind == "text":
        return {**head, "text": _words(rng, rng.randint(1, 5))}
    if kind == "tool_call":
        arguments = {"query": _words(rng, 2)}
        return {**head, "name": rng.choice(_TOOL_NAMES), "arguments": json.dumps(arguments)}
    if kind == "usage":
        return {**head, "input_tokens": rng.randrange(2000), "output_tokens": rng.randrange(500)}
    return {
        **head,
        "status": rng.choice(_STATUSES),
        "reason": _words(rng, 3) if rng.random() < 0.3 else None,
    }


def event_page(n_events: int = 1000, seed: int = 0) -> bytes:
    """A list page of ``n_events`` events of four kinds, about 100 bytes each.

    The kinds (``text``, ``tool_call``, ``usage``, ``status``) share ``type``, ``id`` and
    ``sequence`` and differ in the rest; ``type`` is a string ``Literal`` in every variant,
    the discriminator a client dispatches on.
    """
    rng = random.Random(seed)
    events = [_event(rng, i) for i in range(n_events)]
    document = {
        "object": "list",
        "data": events,
        "has_more": False,
        "first_id": events[0]["id"] if events else None,
        "last_id": events[-1]["id"] if events else None,
    }
    return encode(document)


def _tree_node(rng: random.Random, depth: int, counter: list[int]) -> dict[str, Any]:
    counter[0] += 1
    node_id = counter[0]
    children = []
    if depth > 1:
        # One child carries the tree on to full depth; small branches hang beside it.
        children.append(_tree_node(rng, depth - 1, counter))
        for _ in range(rng.randint(2, 4)):
            children.append(_tree_node(rng, min(depth - 1, rng.randint(1, 2)), counter))
    return {
        "id": node_id,
        "name": _words(rng, 1),
        "weight": round(rng.uniform(0, 1), 3),
        "label": _words(rng, 2) if rng.random() < 0.5 else None,
        "children": children,
    }


def tree(depth: int = 20, seed: int = 0) -> bytes:
    """A recursive tree ``depth`` levels deep (about 15 KB at 20 levels).

    Each node has an id, a name, a weight, an optional label and its children: one that
    goes on to full depth and two to four branches of one or two levels beside it.
    """
    return encode(_tree_node(random.Random(seed), depth, [0]))
