"""The parse comparison under pytest-benchmark: ``pytest benchmarks --benchmark-only``.

Same payloads, contenders and equality check as ``python -m benchmarks``, one benchmark
per (payload, contender), grouped by payload. pytest-benchmark runs them one after the
other, not interleaved: use it for its statistics, histograms and ``--benchmark-compare``
across commits; use ``python -m benchmarks`` for the side-by-side figures.
"""

import functools

import pytest

from . import parse

CASES = {case.name: case for case in parse.cases()}
CONTENDERS = {contender.name: contender for contender in parse.CONTENDERS}


@functools.cache
def _checked(case_name: str) -> parse.Case:
    case = CASES[case_name]
    parse.check_results(case)
    return case


@pytest.mark.parametrize("contender_name", CONTENDERS)
@pytest.mark.parametrize("case_name", CASES)
def test_parse(benchmark, case_name: str, contender_name: str) -> None:
    contender = CONTENDERS[contender_name]
    if not parse.available(contender):
        pytest.skip(f"{', '.join(contender.requires)} not installed")
    case = _checked(case_name)
    benchmark.group = case.name
    benchmark.extra_info["payload_bytes"] = len(case.data)
    benchmark(contender.prepare(case))
