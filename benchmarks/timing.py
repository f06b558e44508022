"""Interleaved timing in one process, on :class:`timeit.Timer`.

pyperf and pytest-benchmark time one benchmark after the other (pyperf even in separate
worker processes), so a slow minute on a shared machine lands on whichever contender ran
then. Here every round times every contender once, in a fresh shuffled order, each for a
calibrated number of loops; drift and noise spread over all contenders alike. Each sample
is the mean time of one call within a round; a contender's figures are the median and the
range of its samples. The garbage collector stays on by default, as it is in production
(it adds about 40% to pydantic and orjson alike on a 1000-item page here).
(``test_parse.py`` runs the same contenders under pytest-benchmark.)
"""

import dataclasses
import gc
import random
import statistics
import timeit
from collections.abc import Callable, Mapping

__all__ = ["Measurement", "Ratio", "calibrate", "measure_interleaved", "paired_ratio"]


@dataclasses.dataclass(frozen=True)
class Measurement:
    """The samples of one contender: seconds per call, one sample a round."""

    loops: int
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)


def _timer(func: Callable[[], object], gc_enabled: bool = True) -> timeit.Timer:
    # timeit turns the collector off while timing; its setup runs after that.
    return timeit.Timer(func, setup=gc.enable if gc_enabled else "pass")


def calibrate(func: Callable[[], object], sample_time: float, gc_enabled: bool = True) -> int:
    """How many loops of ``func`` take about ``sample_time`` seconds (at least one)."""
    timer = _timer(func, gc_enabled)
    loops = 1
    while True:
        elapsed = timer.timeit(loops)
        if elapsed >= min(sample_time, 0.2) / 4:
            return max(1, round(loops * sample_time / elapsed))
        loops *= 4


def measure_interleaved(
    funcs: Mapping[str, Callable[[], object]],
    *,
    rounds: int,
    sample_time: float,
    warmup_rounds: int = 1,
    gc_enabled: bool = True,
    freeze: bool = True,
    seed: int = 0,
) -> dict[str, Measurement]:
    """Time every function once a round, in a shuffled order, for ``rounds`` rounds.

    Each function runs ``calibrate(func, sample_time)`` loops a sample. The first
    ``warmup_rounds`` rounds are run and thrown away. With ``freeze`` (the default), what
    is alive before the rounds start (modules, payloads, compiled models) is moved out of
    the collector's sight with `gc.freeze`, so that a full collection costs what the
    contenders' own objects cost, not what else this process happened to import.
    """
    rng = random.Random(seed)
    timers = {name: _timer(func, gc_enabled) for name, func in funcs.items()}
    loops = {name: calibrate(func, sample_time, gc_enabled) for name, func in funcs.items()}
    samples: dict[str, list[float]] = {name: [] for name in funcs}
    order = list(funcs)
    if freeze:
        gc.collect()
        gc.freeze()
    try:
        for round_index in range(warmup_rounds + rounds):
            rng.shuffle(order)
            for name in order:
                per_call = timers[name].timeit(loops[name]) / loops[name]
                if round_index >= warmup_rounds:
                    samples[name].append(per_call)
    finally:
        if freeze:
            gc.unfreeze()
    return {name: Measurement(loops[name], samples[name]) for name in funcs}


@dataclasses.dataclass(frozen=True)
class Ratio:
    """``a / b`` over the rounds: the median of the per-round ratios and their quartiles."""

    median: float
    p25: float
    p75: float


def paired_ratio(a: Measurement, b: Measurement) -> Ratio:
    """How ``a``'s time compares with ``b``'s, each ratio taken within one round.

    Both ran in the same rounds, so a slow moment of the machine lands on both halves of
    a ratio; the median of those ratios is steadier than the ratio of the medians.
    """
    ratios = [x / y for x, y in zip(a.samples, b.samples, strict=True)]
    if len(ratios) < 2:
        return Ratio(ratios[0], ratios[0], ratios[0])
    p25, _, p75 = statistics.quantiles(ratios, n=4)
    return Ratio(statistics.median(ratios), p25, p75)
