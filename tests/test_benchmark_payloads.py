"""The benchmark's payloads take typedresp's fast path all the way.

The benchmarks (`python -m benchmarks`) time these payloads; their figures mean something
only while the generated code parses them without falling back to the detailed pass,
which gives the same objects far slower (`tests/conftest.py` fails any test in which it
does). The payloads and their attrs models live here in `tests/`; the benchmarks import
them, so what is timed is what is tested.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from typedresp import Registry, ResponseValidationError

from . import payload_models as models
from . import payloads


def count_nodes(node: models.TreeNode) -> int:
    return 1 + sum(count_nodes(child) for child in node.children)


@pytest.mark.parametrize(
    ("data", "target", "check"),
    [
        (
            payloads.chat_completion(),
            models.ChatCompletion,
            lambda c: (
                [choice.finish_reason for choice in c.choices] == ["stop", "tool_calls", "length"]
            ),
        ),
        (
            payloads.list_page(1000),
            models.Page[models.Item],
            lambda p: len(p.data) == 1000 and isinstance(p.data[0].status, models.Status),
        ),
        (
            payloads.event_page(1000),
            models.Page[models.Event],
            lambda p: (
                {type(e).__name__ for e in p.data}
                == {"TextEvent", "ToolCallEvent", "UsageEvent", "StatusEvent"}
            ),
        ),
        (payloads.tree(20), models.TreeNode, lambda t: count_nodes(t) == 178),
    ],
    ids=["chat_completion", "list_page", "events", "tree"],
)
def test_each_payload_is_parsed_by_the_generated_code_alone(
    data: bytes, target: Any, check: Any
) -> None:
    registry = Registry()
    assert check(registry.parse_json(data, target))


def test_a_broken_payload_still_reports_where() -> None:
    document = json.loads(payloads.list_page(20))
    document["data"][7]["created_at"] = "yesterday"
    with pytest.raises(ResponseValidationError) as info:
        Registry().structure(document, models.Page[models.Item])
    assert [e.path for e in info.value.errors] == ["$.data[7].created_at"]
