"""How parse time grows with the payload: list pages of 10 to 100 000 items.

Part of ``python -m benchmarks`` (section ``scaling``). For each page size the contenders
(typedresp end to end, pydantic, msgspec and the
``orjson.loads`` floor) are checked equal
(up to 10 000 items: beyond, the same generator and models were checked at the smaller
sizes) and timed interleaved; the table gives the time per item. A flat line means time
grows linearly with the page; a rise at the large end is mostly the garbage collector,
which runs more often, over more live objects, while a large result is being built.
"""

from __future__ import annotations

from typing import Any

from . import parse
from .timing import measure_interleaved, paired_ratio

__all__ = ["CONTENDERS", "SIZES", "run"]

SIZES = (10, 100, 1_000, 10_000, 100_000)
CONTENDERS = (parse.HEADLINE, parse.REFERENCE, "msgspec", parse.FLOOR)
_CHECK_UP_TO = 10_000


def run(
    *,
    sizes: tuple[int, ...] = SIZES,
    rounds: int = 5,
    sample_time: float = 0.04,
    gc_enabled: bool = True,
) -> list[dict[str, Any]]:
    """One row per (size, contender); sizes above 10 000 items get three rounds."""
    contenders = [c for c in parse.CONTENDERS if c.name in CONTENDERS and parse.available(c)]
    rows: list[dict[str, Any]] = []
    for size in sizes:
        case = parse.list_case(size)
        if size <= _CHECK_UP_TO:
            parse.check_results(case, contenders)
        funcs = {c.name: c.prepare(case) for c in contenders}
        results = measure_interleaved(
            funcs,
            rounds=rounds if size <= _CHECK_UP_TO else 3,
            sample_time=sample_time,
            gc_enabled=gc_enabled,
        )
        reference = results[parse.REFERENCE]
        for name, measurement in results.items():
            rows.append(
                {
                    "items": size,
                    "payload_bytes": len(case.data),
                    "contender": name,
                    "median_s": measurement.median,
                    "min_s": measurement.min,
                    "max_s": measurement.max,
                    "ratio_to_pydantic": paired_ratio(measurement, reference).median,
                    "samples_s": measurement.samples,
                }
            )
    return rows
