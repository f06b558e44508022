"""``python -m benchmarks``: typedresp side by side with pydantic, the openai SDK, msgspec,
cattrs and orjson.

Sections (all by default; ``--section NAME``, repeatable, picks some):

- ``parse``: bytes to typed objects on four payloads, every contender checked equal, then
  timed interleaved (see ``timing``): median and min-max per call, MB/s, and the ratios to
  pydantic (the median of the per-round ratios, with their interquartile range) and to
  the ``orjson.loads`` floor;
- ``scaling``: time per item on list pages of 10 to 100 000 items;
- ``sse``: typed events per second from an SSE chat completion stream (``bench_sse``);
- ``download``: ``stream_to_file`` MB/s against a raw socket copy (``bench_download``);
- ``coldstart``: import, models and first parse in fresh processes (``bench_coldstart``).

``--quick`` is a smoke run for CI (seconds); ``--json PATH`` writes every sample and
``--pyperf PATH`` the timing samples as a pyperf suite (``python -m pyperf compare_to``); the
chart goes to ``benchmarks/results/chart.png``; ``--publish`` also copies it to
``benchmarks/chart.png`` and writes the tables into ``benchmarks/README.md``;
``--profile CONTENDER`` prints where a parse contender spends its time instead, and
``--breakdown`` how typedresp's end-to-end time splits into its steps.
"""

import argparse
import cProfile
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import parse, report, timing
from .timing import paired_ratio

_LIBRARIES = (
    "typedresp",
    "httpx",
    "attrs",
    "cattrs",
    "pydantic",
    "pydantic-core",
    "openai",
    "httpx2",
    "msgspec",
    "orjson",
    "httpx-sse",
)
SECTIONS = ("parse", "scaling", "sse", "download", "coldstart")
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def _git_commit() -> str | None:
    """The commit measured, ``+dirty`` when typedresp/ has uncommitted changes."""
    commit = _git("rev-parse", "--short", "HEAD")
    if commit and _git("status", "--porcelain", "--", "../typedresp"):
        commit += "+dirty"
    return commit or None


def _cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or None


def environment() -> dict[str, Any]:
    """The machine, its load and the library versions a result was measured with."""
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": datetime.date.today().isoformat(),
        "commit": _git_commit(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "libraries": versions,
    }


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    contender_names = [c.name for c in parse.CONTENDERS]
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--section",
        action="append",
        choices=SECTIONS,
        help="run only this section (repeatable; default: all)",
    )
    parser.add_argument("--quick", action="store_true", help="a few short rounds (CI smoke)")
    parser.add_argument("--rounds", type=int, help="parse: timed rounds (default 15, quick 3)")
    parser.add_argument(
        "--sample-time",
        type=float,
        help="parse: seconds per contender per round (default 0.08, quick 0.005)",
    )
    parser.add_argument(
        "--payload",
        action="append",
        choices=[c.name for c in parse.cases()],
        help="parse: run only this payload (repeatable)",
    )
    parser.add_argument(
        "--contender",
        action="append",
        choices=contender_names,
        help="parse: run only this contender (repeatable; pydantic and orjson always run)",
    )
    parser.add_argument(
        "--disable-gc",
        action="store_true",
        help="parse, scaling: time with the garbage collector off (on by default, as in "
        "production)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--pyperf",
        metavar="PATH",
        help="also write the parse and scaling samples as a pyperf suite (for pyperf stats "
        "and pyperf compare_to)",
    )
    parser.add_argument(
        "--chart",
        metavar="PATH",
        default=str(RESULTS / "chart.png"),
        help="where to draw the chart (default benchmarks/results/chart.png)",
    )
    parser.add_argument("--no-chart", action="store_true", help="do not draw the chart")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="copy the chart to benchmarks/chart.png and the tables into benchmarks/README.md",
    )
    parser.add_argument(
        "--profile",
        metavar="CONTENDER",
        choices=contender_names,
        help="profile this parse contender with cProfile instead of timing",
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="time each step of typedresp's end-to-end parse instead (see bench_breakdown)",
    )
    args = parser.parse_args(argv)
    if args.rounds is None:
        args.rounds = 3 if args.quick else 15
    if args.sample_time is None:
        args.sample_time = 0.005 if args.quick else 0.08
    args.section = args.section or list(SECTIONS)
    return args


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


def run_parse(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The parse section: one row per (payload, contender)."""
    cases = [c for c in parse.cases() if not args.payload or c.name in args.payload]
    wanted = set(args.contender or [c.name for c in parse.CONTENDERS])
    wanted |= {parse.REFERENCE, parse.FLOOR}
    contenders = [c for c in parse.CONTENDERS if c.name in wanted]
    missing = [c.name for c in contenders if not parse.available(c)]
    if missing:
        print(f"(not installed, left out: {', '.join(missing)})")
    contenders = [c for c in contenders if parse.available(c)]
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
        reference, floor = results[parse.REFERENCE], results[parse.FLOOR]
        openai_default = results.get(parse.OPENAI_DEFAULT)
        for name, measurement in results.items():
            ratio = paired_ratio(measurement, reference)
            row = {
                "payload": case.name,
                "payload_bytes": len(case.data),
                "contender": name,
                "median_s": measurement.median,
                "min_s": measurement.min,
                "max_s": measurement.max,
                "mb_per_s": len(case.data) / measurement.median / 1e6,
                "ratio_to_pydantic": ratio.median,
                "ratio_p25": ratio.p25,
                "ratio_p75": ratio.p75,
                "ratio_to_floor": paired_ratio(measurement, floor).median,
                "loops": measurement.loops,
                "samples_s": measurement.samples,
            }
            if openai_default is not None:
                row["speedup_vs_openai_default"] = paired_ratio(openai_default, measurement).median
            rows.append(row)
    return rows


def _section_args(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    quick = args.quick
    return {
        "scaling": {
            "sizes": (10, 100, 1_000) if quick else (10, 100, 1_000, 10_000, 100_000),
            "rounds": 2 if quick else 5,
            "sample_time": 0.005 if quick else 0.04,
            "gc_enabled": not args.disable_gc,
        },
        "sse": {
            "events": 1_000 if quick else 5_000,
            "rounds": 2 if quick else 6,
            "sample_time": 0.01 if quick else 0.15,
        },
        "download": {
            "size": 4 * 2**20 if quick else 64 * 2**20,
            "rounds": 2 if quick else 8,
            "sample_time": 0.01 if quick else 0.1,
        },
        "coldstart": {"runs": 1 if quick else 11},
    }


def _summary(results: dict[str, Any], args: argparse.Namespace, elapsed: float) -> str:
    """The whole run as text: environment, one table per section, the goals."""
    env = results["environment"]
    libraries = ", ".join(f"{k} {v}" for k, v in env["libraries"].items() if v)
    load, load_end = env["load_average"], env.get("load_average_end")
    load_text = f"load average {load[0]:.1f} at the start" if load else "load unknown"
    if load_end:
        load_text += f", {load_end[0]:.1f} at the end"
    lines = [
        f"{env['date']}, commit {env['commit']}: CPython {env['python']} on {env['platform']}, "
        f"{env['cpus']} CPUs ({env['cpu']}), {load_text}.",
        f"{libraries}.",
        f"Command: python -m benchmarks {' '.join(results['argv'])}".rstrip()
        + f" ({elapsed:.0f} s; garbage collector {'off' if args.disable_gc else 'on'}).",
    ]
    tables = [
        ("parse", "Bytes to typed objects", report.format_parse),
        ("scaling", "Time per item as the list page grows", report.format_scaling),
        ("sse", "SSE stream of a chat completion", _format_sse),
        ("download", "Download to a file", report.format_download),
        ("coldstart", "Cold start (fresh process)", report.format_coldstart),
    ]
    for key, title, formatter in tables:
        if results.get(key):
            lines += ["", f"{title}:", "", "```", formatter(results[key]), "```"]
    if key_goals := results.get("goals"):
        lines += ["", "Goals:", "", "```", report.format_goals(key_goals), "```"]
    return "\n".join(lines)


def _format_sse(rows: list[dict[str, Any]]) -> str:
    from .bench_sse import format_rows

    return format_rows(rows)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)

    if args.profile:
        cases = [c for c in parse.cases() if not args.payload or c.name in args.payload]
        [chosen] = [c for c in parse.CONTENDERS if c.name == args.profile]
        _profile(cases, chosen)
        return 0
    if args.breakdown:
        from .bench_breakdown import breakdown, format_breakdown

        cases = [c for c in parse.cases() if not args.payload or c.name in args.payload]
        rounds = 3 if args.quick else 21
        print(format_breakdown({c.name: breakdown(c, rounds=rounds) for c in cases}))
        return 0

    results: dict[str, Any] = {
        "environment": environment(),
        "argv": list(sys.argv[1:] if argv is None else argv),
        "args": vars(args),
    }
    env = results["environment"]
    print(
        f"Python {env['python']} on {env['platform']}, {env['cpus']} CPUs, "
        f"load average {env['load_average'][0]:.1f}; sections: {', '.join(args.section)}"
    )
    started = time.perf_counter()
    section_args = _section_args(args)
    for section in SECTIONS:
        if section not in args.section:
            continue
        t0 = time.perf_counter()
        print(f"\n== {section}", flush=True)
        if section == "parse":
            print(
                f"{args.rounds} interleaved rounds of ~{args.sample_time:g} s per contender, "
                f"garbage collector {'off' if args.disable_gc else 'on'}"
            )
            results[section] = run_parse(args)
            print(report.format_parse(results[section]))
        elif section == "scaling":
            from . import bench_scaling

            results[section] = bench_scaling.run(**section_args[section])
            print(report.format_scaling(results[section]))
        elif section == "sse":
            if not all(importlib.util.find_spec(m) for m in ("openai", "httpx2")):
                print("(the openai SDK, on httpx2, is not installed: skipped)")
                continue
            from . import bench_sse

            results[section] = bench_sse.run(**section_args[section])
            print(bench_sse.format_rows(results[section]))
        elif section == "download":
            from . import bench_download

            results[section] = bench_download.run(**section_args[section])
            print(report.format_download(results[section]))
        elif section == "coldstart":
            from . import bench_coldstart

            results[section] = bench_coldstart.run(**section_args[section])
            print(report.format_coldstart(results[section]))
        print(f"({section}: {time.perf_counter() - t0:.0f} s)", flush=True)
    elapsed = time.perf_counter() - started
    results["elapsed_s"] = elapsed
    results["environment"]["load_average_end"] = (
        os.getloadavg() if hasattr(os, "getloadavg") else None
    )
    results["goals"] = report.goals(results)
    if results["goals"]:
        print("\n== goals")
        print(report.format_goals(results["goals"]))
    print(f"\n(ran in {elapsed:.0f} s)")

    chart = None
    if not args.no_chart:
        chart = Path(args.chart)
        if report.write_chart(results, chart):
            print(f"chart: {chart}")
        else:
            print("(no chart: matplotlib is not installed)")
            chart = None
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1, default=str)
        print(f"results: {args.json}")
    if args.pyperf:
        if report.write_pyperf(results, Path(args.pyperf)):
            print(f"pyperf suite: {args.pyperf}")
        else:
            print("(no pyperf suite: pyperf is not installed, or no parse or scaling ran)")
    if args.publish:
        published = None
        if chart is not None:
            published = HERE / "chart.png"
            shutil.copyfile(chart, published)
        report.publish(_summary(results, args, elapsed), published, HERE / "README.md")
        print(f"published: {HERE / 'README.md'}" + (f", {published}" if published else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
