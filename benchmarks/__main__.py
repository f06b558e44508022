"""``python -m benchmarks``: time bytes -> typed object for typedresp, pydantic and orjson.

Checks that every contender gives the same result, then times them interleaved (see
``timing``) and prints one table: payload, contender, median and min-max per call,
throughput, and the ratio to pydantic (the median of the per-round ratios, each taken
within one round, with their interquartile range to show the noise). ``--quick`` is a
smoke run for CI; ``--json`` writes every sample; ``--profile`` prints where a contender
spends its time instead.
"""

import argparse
import cProfile
import importlib.metadata
import json
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

from . import parse, timing

_LIBRARIES = ("typedresp", "attrs", "cattrs", "pydantic", "pydantic-core", "orjson")


def environment() -> dict[str, Any]:
    """The machine and the library versions a result was measured with."""
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "libraries": versions,
    }


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    contender_names = [c.name for c in parse.CONTENDERS]
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few short rounds (CI smoke)")
    parser.add_argument("--rounds", type=int, help="timed rounds (default 30, quick 3)")
    parser.add_argument(
        "--sample-time",
        type=float,
        help="seconds per contender per round (default 0.15, quick 0.01)",
    )
    parser.add_argument(
        "--payload",
        action="append",
        choices=[c.name for c in parse.cases()],
        help="run only this payload (repeatable)",
    )
    parser.add_argument(
        "--contender",
        action="append",
        choices=contender_names,
        help="run only this contender (repeatable; pydantic is always run)",
    )
    parser.add_argument(
        "--disable-gc",
        action="store_true",
        help="time with the garbage collector off (it is on by default, as in production)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--profile",
        metavar="CONTENDER",
        choices=contender_names,
        help="profile this contender with cProfile instead of timing",
    )
    args = parser.parse_args(argv)
    if args.rounds is None:
        args.rounds = 3 if args.quick else 30
    if args.sample_time is None:
        args.sample_time = 0.01 if args.quick else 0.15
    return args


def _format_table(rows: list[dict[str, Any]]) -> str:
    header = ("payload", "contender", "median µs", "min-max µs", "MB/s", "vs pydantic", "IQR")
    lines = [header]
    for row in rows:
        lines.append(
            (
                row["payload"],
                row["contender"],
                f"{row['median_s'] * 1e6:,.1f}",
                f"{row['min_s'] * 1e6:,.1f}-{row['max_s'] * 1e6:,.1f}",
                f"{row['mb_per_s']:,.0f}",
                f"{row['ratio_to_pydantic']:.2f}",
                f"{row['ratio_p25']:.2f}-{row['ratio_p75']:.2f}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    left = {0, 1}
    out = []
    for n, line in enumerate(lines):
        cells = [
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _profile(cases: list[parse.Case], contender: parse.Contender) -> None:
    for case in cases:
        func = contender.prepare(case)
        loops = timing.calibrate(func, 2.0)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(loops):
            func()
        profiler.disable()
        print(f"\n== {contender.name} on {case.name}: {loops} calls, cumulative over all calls")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    cases = [c for c in parse.cases() if not args.payload or c.name in args.payload]
    wanted = set(args.contender or [c.name for c in parse.CONTENDERS]) | {parse.REFERENCE}
    contenders = [c for c in parse.CONTENDERS if c.name in wanted]

    if args.profile:
        [chosen] = [c for c in parse.CONTENDERS if c.name == args.profile]
        _profile(cases, chosen)
        return 0

    env = environment()
    libraries = ", ".join(f"{k} {v}" for k, v in env["libraries"].items() if v)
    print(f"Python {env['python']} on {env['platform']}, {env['cpus']} CPUs; {libraries}")
    gc_state = "off" if args.disable_gc else "on"
    print(
        f"{args.rounds} interleaved rounds of ~{args.sample_time:g} s per contender, "
        f"garbage collector {gc_state}\n"
    )

    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    for case in cases:
        parse.check_results(case, contenders)
        funcs = {c.name: c.prepare(case) for c in contenders}
        results = timing.measure_interleaved(
            funcs,
            rounds=args.rounds,
            sample_time=args.sample_time,
            gc_enabled=not args.disable_gc,
        )
        reference = results[parse.REFERENCE].samples
        for name, measurement in results.items():
            ratios = [a / b for a, b in zip(measurement.samples, reference, strict=True)]
            p25, _, p75 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
            rows.append(
                {
                    "payload": case.name,
                    "payload_bytes": len(case.data),
                    "contender": name,
                    "median_s": measurement.median,
                    "min_s": measurement.min,
                    "max_s": measurement.max,
                    "mb_per_s": len(case.data) / measurement.median / 1e6,
                    "ratio_to_pydantic": statistics.median(ratios),
                    "ratio_p25": p25,
                    "ratio_p75": p75,
                    "loops": measurement.loops,
                    "samples_s": measurement.samples,
                }
            )
    print(_format_table(rows))
    print(f"\n(payload sizes: {', '.join(f'{c.name} {len(c.data):,} B' for c in cases)};")
    print(f" results checked equal before timing; ran in {time.perf_counter() - started:.0f} s)")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"environment": env, "args": vars(args), "results": rows}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
