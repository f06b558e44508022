"""Tables, the goals, the chart and the README summary of a benchmark run.

Everything here reads the ``results`` dict that ``python -m benchmarks`` builds (and
writes with ``--json``): one list of rows per section, plus the environment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "format_coldstart",
    "format_download",
    "format_parse",
    "format_scaling",
    "format_table",
    "goals",
    "publish",
    "write_chart",
    "write_pyperf",
]

#: What the issue asks of typedresp, measured by this runner.
PARSE_BAR = 1.0  # end to end, times pydantic's time, on every payload
PARSE_GOAL = 0.8
OPENAI_SPEEDUP = 5.0  # times faster than the openai SDK's default path
COLD_START_MS = 35.0  # the library's share, with cattrs imported (issue "cattrs at the core")

README_BEGIN = "<!-- results:begin (written by python -m benchmarks --publish) -->"
README_END = "<!-- results:end -->"


def format_table(
    header: Sequence[str], lines: Iterable[Sequence[str]], left: Iterable[int] = (0, 1)
) -> str:
    """A plain-text table: columns padded, ``left`` ones left-aligned, the rest right."""
    rows = [tuple(header), *(tuple(line) for line in lines)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    left = set(left)
    out = []
    for n, row in enumerate(rows):
        cells = [
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f}"


def format_parse(rows: list[dict[str, Any]]) -> str:
    header = (
        "payload",
        "contender",
        "median µs",
        "min-max µs",
        "MB/s",
        "vs pydantic",
        "IQR",
        "vs orjson",
    )
    lines = [
        (
            row["payload"],
            row["contender"],
            _us(row["median_s"]),
            f"{_us(row['min_s'])}-{_us(row['max_s'])}",
            f"{row['mb_per_s']:,.0f}",
            f"{row['ratio_to_pydantic']:.2f}",
            f"{row['ratio_p25']:.2f}-{row['ratio_p75']:.2f}",
            f"{row['ratio_to_floor']:.2f}",
        )
        for row in rows
    ]
    return format_table(header, lines)


def format_scaling(rows: list[dict[str, Any]]) -> str:
    header = ("items", "contender", "µs/item", "min-max µs/item", "ms/page", "vs pydantic")
    lines = [
        (
            f"{row['items']:,}",
            row["contender"],
            f"{row['median_s'] / row['items'] * 1e6:.2f}",
            f"{row['min_s'] / row['items'] * 1e6:.2f}-{row['max_s'] / row['items'] * 1e6:.2f}",
            f"{row['median_s'] * 1e3:,.2f}",
            f"{row['ratio_to_pydantic']:.2f}",
        )
        for row in rows
    ]
    return format_table(header, lines, left=(1,))


def format_download(rows: list[dict[str, Any]]) -> str:
    header = ("contender", "MB/s", "min-max MB/s", "ms/download", "vs raw socket")
    lines = [
        (
            row["contender"],
            f"{row['mb_per_s']:,.0f}",
            f"{row['min_mb_per_s']:,.0f}-{row['max_mb_per_s']:,.0f}",
            f"{row['median_s'] * 1e3:,.1f}",
            f"{row['ratio_to_raw']:.2f}",
        )
        for row in rows
    ]
    return format_table(header, lines, left=(0,))


def format_coldstart(rows: list[dict[str, Any]]) -> str:
    header = (
        "contender",
        "total ms",
        "min-max ms",
        "import",
        "models",
        "first parse",
        "library",
    )
    lines = [
        (
            row["contender"],
            f"{row['total_ms']:.1f}",
            f"{row['min_ms']:.1f}-{row['max_ms']:.1f}",
            f"{row['import_ms']:.1f}",
            f"{row['models_ms']:.1f}",
            f"{row['first_parse_ms']:.1f}",
            f"{row['library_ms']:.1f}",
        )
        for row in rows
    ]
    return format_table(header, lines, left=(0,))


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal of the issue with the measured figure and whether it is met."""
    from .parse import HEADLINE, OPENAI_DEFAULT

    out: list[dict[str, Any]] = []
    for row in results.get("parse", []):
        if row["contender"] != HEADLINE:
            continue
        ratio = row["ratio_to_pydantic"]
        out.append(
            {
                "goal": f"{row['payload']}: end to end ≤ {PARSE_BAR:.1f}x pydantic "
                f"(product goal ≤ {PARSE_GOAL:.1f}x)",
                "measured": f"{ratio:.2f}x",
                "met": ratio <= PARSE_BAR,
                "product_goal_met": ratio <= PARSE_GOAL,
            }
        )
        speedup = row.get("speedup_vs_openai_default")
        if speedup is not None:
            out.append(
                {
                    "goal": f"{row['payload']}: ≥ {OPENAI_SPEEDUP:.0f}x faster than "
                    f"{OPENAI_DEFAULT}",
                    "measured": f"{speedup:.1f}x",
                    "met": speedup >= OPENAI_SPEEDUP,
                }
            )
    coldstart = {row["contender"]: row for row in results.get("coldstart", [])}
    if (own := coldstart.get("typedresp, httpx loaded")) is not None:
        out.append(
            {
                "goal": f"cold start (import + compile + first parse) ≤ {COLD_START_MS:.0f} ms",
                "measured": f"{own['library_ms']:.1f} ms",
                "met": own["library_ms"] <= COLD_START_MS,
            }
        )
        if (cold := coldstart.get("typedresp")) is not None:
            httpx_ms = cold["import_ms"] - own["import_ms"]
            out.append(
                {
                    "goal": f"  the same with importing httpx first (~{httpx_ms:.0f} ms of it "
                    "httpx's own)",
                    "measured": f"{cold['library_ms']:.1f} ms",
                    "met": None,
                }
            )
    return out


def format_goals(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        verdict = "for reference" if row["met"] is None else "met" if row["met"] else "MISSED"
        if "product_goal_met" in row:
            verdict += ", product goal " + ("met" if row["product_goal_met"] else "missed")
        lines.append((row["goal"], row["measured"], verdict))
    return format_table(("goal", "measured", "verdict"), lines, left=(0, 2))


# ------------------------------------------------------------------------------- chart

_COLOURS = {
    "typedresp": "#1f77b4",
    "typedresp loads+structure": "#6baed6",
    "typedresp structure": "#c6dbef",
    "pydantic": "#d62728",
    "httpx.Response(...)": "#c7c7c7",
    "openai default": "#ff7f0e",
    "openai strict": "#fdae6b",
    "msgspec": "#2ca02c",
    "cattrs": "#9467bd",
    "orjson.loads": "#7f7f7f",
}


def write_pyperf(results: dict[str, Any], path: Path) -> bool:
    """Write the parse and scaling samples as a pyperf benchmark suite; False without pyperf.

    One benchmark per payload (or page size) and contender, named like
    ``parse/chat_completion/typedresp``, one run per round. pyperf's own tools then give
    its statistics and compare two runs, with a significance test:
    ``python -m pyperf stats results.json``,
    ``python -m pyperf compare_to before.json after.json --table``.
    """
    try:
        import pyperf
    except ImportError:
        return False

    def benchmark(name: str, row: dict[str, Any]) -> Any:
        metadata = {"name": name, "loops": row.get("loops", 1), "unit": "second"}
        runs = [
            pyperf.Run([sample], metadata=metadata, collect_metadata=False)
            for sample in row["samples_s"]
        ]
        return pyperf.Benchmark(runs)

    benchmarks = [
        benchmark(f"parse/{row['payload']}/{row['contender']}", row)
        for row in results.get("parse", [])
    ] + [
        benchmark(f"scaling/{row['items']}/{row['contender']}", row)
        for row in results.get("scaling", [])
    ]
    if not benchmarks:
        return False
    pyperf.BenchmarkSuite(benchmarks).dump(str(path), replace=True)
    return True


def write_chart(results: dict[str, Any], path: Path) -> bool:
    """Draw every section that ran into one PNG; False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False

    panels = [
        (name, draw)
        for name, draw in (
            ("parse", _draw_parse),
            ("scaling", _draw_scaling),
            ("sse", _draw_sse),
            ("coldstart", _draw_coldstart),
            ("download", _draw_download),
        )
        if results.get(name)
    ]
    if not panels:
        return False
    columns = 2 if len(panels) > 1 else 1
    rows = (len(panels) + 1) // 2
    figure, axes = plt.subplots(rows, columns, figsize=(7 * columns, 4.6 * rows), squeeze=False)
    for ax, (name, draw) in zip(axes.flat, panels, strict=False):
        draw(ax, results[name])
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    env = results["environment"]
    figure.suptitle(
        f"typedresp {env['libraries'].get('typedresp')} benchmarks · CPython {env['python']} · "
        f"{env['cpus']} CPUs · {env.get('date', '')}",
        fontsize=11,
    )
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return True


def _draw_parse(ax: Any, rows: list[dict[str, Any]]) -> None:
    from .parse import TRANSPORT

    rows = [row for row in rows if row["contender"] != TRANSPORT]  # not a parse
    payloads = list(dict.fromkeys(row["payload"] for row in rows))
    contenders = list(dict.fromkeys(row["contender"] for row in rows))
    width = 0.8 / len(contenders)
    for i, contender in enumerate(contenders):
        ratios = {r["payload"]: r["ratio_to_pydantic"] for r in rows if r["contender"] == contender}
        xs = [p + i * width - 0.4 + width / 2 for p in range(len(payloads))]
        ax.bar(
            xs,
            [ratios.get(p, 0) for p in payloads],
            width,
            label=contender,
            color=_COLOURS.get(contender),
        )
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xticks(range(len(payloads)), payloads, fontsize=8)
    ax.set_ylabel("time / pydantic's (log; lower is faster)")
    ax.set_title("bytes → typed objects, relative to pydantic")
    ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.08))


def _draw_scaling(ax: Any, rows: list[dict[str, Any]]) -> None:
    for contender in dict.fromkeys(row["contender"] for row in rows):
        mine = [r for r in rows if r["contender"] == contender]
        ax.plot(
            [r["items"] for r in mine],
            [r["median_s"] / r["items"] * 1e6 for r in mine],
            marker="o",
            label=contender,
            color=_COLOURS.get(contender),
        )
    ax.set_xscale("log")
    ax.set_ylim(bottom=0)
    ax.set_xlabel("items in the list page")
    ax.set_ylabel("µs per item (lower is faster)")
    ax.set_title("list page: time per item as the page grows")
    ax.legend(fontsize=8)


def _draw_sse(ax: Any, rows: list[dict[str, Any]]) -> None:
    typed = [r for r in rows if r["group"] == "typed"]
    bodies = list(dict.fromkeys(r["body"] for r in typed))
    contenders = list(dict.fromkeys(r["contender"] for r in typed))
    width = 0.8 / len(contenders)
    colours = {"openai": _COLOURS["openai default"], "httpx-sse raw": "#8c564b"}
    for i, contender in enumerate(contenders):
        rates = {r["body"]: r["events_per_s"] / 1e3 for r in typed if r["contender"] == contender}
        xs = [b + i * width - 0.4 + width / 2 for b in range(len(bodies))]
        ax.bar(
            xs,
            [rates.get(b, 0) for b in bodies],
            width,
            label=contender,
            color=colours.get(contender, _COLOURS.get(contender)),
        )
    ax.set_xticks(range(len(bodies)), bodies, fontsize=8)
    ax.set_ylabel("thousand events/s (higher is faster)")
    ax.set_title("SSE chat completion stream, events read")
    ax.legend(fontsize=8)


def _draw_coldstart(ax: Any, rows: list[dict[str, Any]]) -> None:
    names = [r["contender"] for r in rows]
    left = [0.0] * len(rows)
    for part, colour in (
        ("import_ms", "#9ecae1"),
        ("first_parse_ms", "#08519c"),
        ("models_ms", "#4292c6"),
    ):
        values = [r[part] for r in rows]
        ax.barh(names, values, left=left, color=colour, label=part.removesuffix("_ms"))
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.axvline(COLD_START_MS, color="black", linestyle="--", linewidth=0.8)
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("ms in a fresh process (median; lower is faster)")
    ax.set_title(f"cold start: import + first parse (goal {COLD_START_MS:.0f} ms), + models")
    ax.legend(fontsize=8)


def _draw_download(ax: Any, rows: list[dict[str, Any]]) -> None:
    names = [r["contender"] for r in rows]
    ax.barh(names, [r["mb_per_s"] for r in rows], color="#31a354")
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("MB/s (higher is faster)")
    ax.set_title("download to a file from a 127.0.0.1 server")


# ------------------------------------------------------------------------------ README


def publish(summary: str, chart: Path | None, readme: Path) -> None:
    """Replace the results block of ``readme`` with ``summary`` (and the chart link)."""
    text = readme.read_text(encoding="utf-8")
    block = summary
    if chart is not None:
        block = f"![benchmark chart]({chart.name})\n\n{block}"
    pattern = re.compile(re.escape(README_BEGIN) + ".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{readme} has no {README_BEGIN} ... {README_END} block to replace")
    replacement = f"{README_BEGIN}\n{block.rstrip()}\n{README_END}"
    readme.write_text(pattern.sub(lambda _: replacement, text), encoding="utf-8")
