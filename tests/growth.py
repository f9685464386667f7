"""Complexity checks without wall-clock limits: doubling the input must less than triple the
CPU time. Absolute timings belong in ``bench/``; a ratio holds on a busy machine too, because
CPU time (``time.process_time``) does not count the time other processes take the cores.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TypeVar

T = TypeVar("T")

MAX_RATIO = 3.0
"""Doubling the input may multiply the time by less than this (linear is 2, quadratic 4)."""


def cpu_seconds(run: Callable[[T], object], argument: T, repeat: int = 3) -> float:
    """The least CPU time of ``repeat`` calls of ``run(argument)`` (the least noisy figure)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # as timeit does: a collection's cost depends on the heap, not the input
        try:
            started = time.process_time()
            run(argument)
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def growth_ratios(
    make: Callable[[int], T], run: Callable[[T], object], sizes: Sequence[int], repeat: int = 3
) -> list[float]:
    """The CPU-time ratio of each size to the one before (``sizes`` double each step).

    ``make(size)`` builds the input outside the timing; ``run(input)`` is timed.
    """
    run(make(sizes[0]))  # warm caches, imports and lazy tables first
    times = [cpu_seconds(run, make(size), repeat) for size in sizes]
    return [later / max(earlier, 1e-3) for earlier, later in pairwise(times)]


def assert_linear(
    make: Callable[[int], T], run: Callable[[T], object], sizes: Sequence[int], repeat: int = 3
) -> None:
    """Fail unless every doubling of the input less than triples the CPU time of ``run``.

    A failing measurement is taken once more before failing: on a machine shared with other
    work, a collection pause or a cache flush can land in one timing; a superlinear run fails
    both measurements."""
    ratios = growth_ratios(make, run, sizes, repeat)
    if not all(ratio < MAX_RATIO for ratio in ratios):
        ratios = growth_ratios(make, run, sizes, repeat)
    assert all(ratio < MAX_RATIO for ratio in ratios), (
        f"CPU time grew by {', '.join(f'{r:.2f}' for r in ratios)} for sizes {list(sizes)}; "
        f"doubling the input should less than triple it"
    )
